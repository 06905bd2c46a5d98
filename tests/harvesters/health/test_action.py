"""Sync health through the API: counts, errors with their record, consecutive failures, who sees what."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

from ckanext.satudatapasuruan.harvesters import store
from ckanext.satudatapasuruan.harvesters.health import config

from .conftest import PLUGINS, finished_run

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


class TestHealthShow:
    def test_last_run_counts_and_duration(self, portal):
        """A finished run reports its start, end, duration and counts; withdrawn are ckanext-harvest's "deleted"."""
        source = portal.source()
        finished_run(source["id"], added=2, updated=1, withdrawn=1, unchanged=3, seconds=125,
                     record_errors=(("pegawai-17", "Import", "Kolom 'nip' tidak ada pada rekaman pegawai-17"),))
        portal.tick()
        health = portal.call("satudata_harvest_health_show", "walidata", id=source["name"])
        last = health["last_run"]
        assert last["counts"] == {"added": 2, "updated": 1, "withdrawn": 1, "unchanged": 3, "errors": 1,
                                  "record_errors": 1, "gather_errors": 0}
        assert last["status"] == health["status"] == "partial" and health["status_label"] == "Sebagian gagal"
        assert last["duration_seconds"] == 125 and last["started"] < last["finished"]
        assert last["finished"].endswith("+00:00")
        assert health["consecutive_failures"] == 0 and health["running"] is False
        assert health["source"]["organization"]["name"] == "bkpsdm" and health["source"]["frequency"] == "MANUAL"
        assert health["next_run"] is None  # MANUAL sources have no schedule

    def test_errors_name_the_failing_record(self, portal):
        """Record errors carry the record's guid, its dataset and the stage; gather errors are listed apart."""
        source = portal.source()
        dataset = portal.dataset("pegawai-per-golongan")
        finished_run(source["id"], added=1, packages={"golongan-3": dataset["id"]},
                     record_errors=(("golongan-3", "Import", "Nilai 'jumlah' bukan angka"),
                                    ("golongan-4", "Fetch", "Rekaman golongan-4 kosong")))
        portal.tick()
        errors = portal.call("satudata_harvest_health_show", "operator", id=source["id"])["errors"]
        assert errors["records_total"] == 2 and errors["gather"] == []
        by_guid = {e["guid"]: e for e in errors["records"]}
        assert by_guid["golongan-3"]["message"] == "Nilai 'jumlah' bukan angka"
        assert by_guid["golongan-3"]["stage"] == "Import" and by_guid["golongan-3"]["dataset"] == dataset["name"]
        assert by_guid["golongan-4"]["stage"] == "Fetch" and by_guid["golongan-4"]["dataset"] is None

    def test_gather_error_fails_the_run(self, portal):
        """A gather error (the source as a whole) fails the run even though nothing else happened."""
        source = portal.source()
        finished_run(source["id"], gather_errors=("Sumber tidak menjawab: http://127.0.0.1:9/ (koneksi ditolak)",))
        portal.tick()
        health = portal.call("satudata_harvest_health_show", "walidata", id=source["id"])
        assert health["status"] == "failed" and health["consecutive_failures"] == 1
        assert health["errors"]["gather"][0]["message"].startswith("Sumber tidak menjawab")
        assert health["last_run"]["counts"]["errors"] == 1

    def test_consecutive_failures_count_since_the_last_good_run(self, portal):
        """Failed runs after the last run that did not fail are counted; a run in progress is not; a partial
        run (some records through) ends the streak."""
        source = portal.source()
        finished_run(source["id"], added=5)
        finished_run(source["id"], gather_errors=("HTTP 500 dari sumber",))
        finished_run(source["id"], record_errors=(("a", "Import", "x"), ("b", "Import", "y")))
        finished_run(source["id"], unchanged=4, record_errors=(("c", "Import", "z"),))  # partial: ends nothing yet
        portal.tick()
        assert portal.call("satudata_harvest_health_show", "walidata", id=source["id"])["consecutive_failures"] == 0
        finished_run(source["id"], gather_errors=("Waktu habis",))
        finished_run(source["id"], record_errors=(("d", "Import", "w"),))
        finished_run(source["id"], running=True)
        portal.tick()
        health = portal.call("satudata_harvest_health_show", "walidata", id=source["id"])
        assert health["consecutive_failures"] == 2 and health["running"] is True
        assert health["current_run"]["status"] == "running" and health["last_run"]["status"] == "failed"
        assert [r["status"] for r in health["history"]] == ["running", "failed", "failed", "partial", "failed",
                                                            "failed", "succeeded"]

    def test_listing_of_our_harvesters(self, portal):
        """For our harvesters, records skipped as unchanged count as unchanged, and a gather error fails the run
        only when the listing stopped (a duplicate identifier in a complete listing is a partial run)."""
        source = portal.source()
        finished_run(source["id"], added=1, unchanged=1, gather_errors=("Pengenal rekaman 7 muncul lebih dari sekali",),
                     listing=store.RunSummary(listed=9, unchanged=6, queued=2, duplicates=1, complete=True))
        finished_run(source["id"], record_errors=(("x", "Import", "Nilai 'tahun' kosong"),),
                     listing=store.RunSummary(listed=8, unchanged=7, queued=1, complete=True))
        portal.tick()
        health = portal.call("satudata_harvest_health_show", "walidata", id=source["id"])
        partial, unchanged_but_one = health["history"][1], health["history"][0]
        assert partial["status"] == "partial" and partial["counts"]["unchanged"] == 7
        assert partial["counts"]["errors"] == 1 and partial["counts"]["gather_errors"] == 1
        assert unchanged_but_one["status"] == "partial"  # one record failed, seven were confirmed unchanged
        finished_run(source["id"], gather_errors=("Halaman 3 gagal: HTTP 502",),
                     listing=store.RunSummary(listed=200, queued=200, complete=False), added=200)
        portal.tick()
        health = portal.call("satudata_harvest_health_show", "walidata", id=source["id"])
        assert health["status"] == "failed" and health["consecutive_failures"] == 1

    @pytest.mark.ckan_config("ckan.harvest.timeout", 5)
    def test_unfinished_records_of_a_timed_out_job_are_errors(self, portal):
        """Records a timeout left unimported count as errors once ckanext-harvest has finished the job."""
        from ckan import model
        from ckanext.harvest.model import HarvestJob, HarvestObject

        source = portal.source()
        job = HarvestJob.get(finished_run(source["id"], added=1, listing=store.RunSummary(listed=2, complete=True)))
        model.Session.add(HarvestObject(guid="tertinggal", job=job, source=job.source, state="WAITING"))
        model.Session.commit()
        running = portal.call("satudata_harvest_health_show", "walidata", id=source["id"])["current_run"]
        assert running["counts"]["errors"] == 0  # before the tick: waiting for the fetch consumer
        portal.tick()  # the run started weeks ago (the test clock): past the 5 minutes
        last = portal.call("satudata_harvest_health_show", "walidata", id=source["id"])["last_run"]
        assert last["status"] == "partial" and last["counts"]["record_errors"] == 1
        assert last["counts"]["gather_errors"] == 1  # ckanext-harvest's timeout message

    def test_streak_longer_than_the_history(self, portal):
        """The count looks back beyond the listed history."""
        source = portal.source()
        for _ in range(4):
            finished_run(source["id"], gather_errors=("HTTP 503",))
        portal.tick()
        health = portal.call("satudata_harvest_health_show", "walidata", id=source["id"], history=2)
        assert len(health["history"]) == 2 and health["consecutive_failures"] == 4

    def test_never_run(self, portal):
        source = portal.source(frequency="DAILY")
        health = portal.call("satudata_harvest_health_show", "walidata", id=source["id"])
        assert health["status"] == "never" and health["last_run"] is None and health["errors"] is None
        assert health["history"] == [] and health["next_run"] is not None

    def test_bad_input(self, portal):
        """Unknown sources and datasets that are not sources are not found, in Indonesian; bad parameters are
        validation errors."""
        source = portal.source()
        with pytest.raises(tk.ObjectNotFound, match="Sumber panen tidak ditemukan: tidak-ada"):
            portal.call("satudata_harvest_health_show", "walidata", id="tidak-ada")
        dataset = portal.dataset("bukan-sumber")
        with pytest.raises(tk.ObjectNotFound, match="Sumber panen tidak ditemukan"):
            portal.call("satudata_harvest_health_show", "walidata", id=dataset["id"])
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_harvest_health_show", "walidata")
        assert "id" in err.value.error_dict
        for history in (0, 101, "banyak"):
            with pytest.raises(tk.ValidationError) as err:
                portal.call("satudata_harvest_health_show", "walidata", id=source["id"], history=history)
            assert "history" in err.value.error_dict
        portal.call("harvest_source_delete", "sysadmin", id=source["id"])
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_harvest_health_show", "walidata", id=source["id"])


class TestHealthList:
    def test_totals_over_sources(self, portal):
        """Each source appears with its status; totals count statuses, failing and alerting sources and sum
        the last runs' counts."""
        ok, failing, fresh = portal.source("simpeg"), portal.source("sipd"), portal.source("sikd", frequency="DAILY")
        finished_run(ok["id"], added=3, updated=2)
        for _ in range(3):
            finished_run(failing["id"], gather_errors=("Sertifikat TLS tidak sah",))
        portal.tick()
        result = portal.call("satudata_harvest_health_list", "walidata")
        by_name = {s["source"]["name"]: s for s in result["sources"]}
        assert set(by_name) == {ok["name"], failing["name"], fresh["name"]}
        assert by_name["sipd"]["alert"] is True and by_name["simpeg"]["alert"] is False
        assert "errors" not in by_name["simpeg"]
        totals = result["totals"]
        assert totals["sources"] == 3 and totals["failing"] == 1 and totals["alerting"] == 1
        assert totals["by_status"] == {"succeeded": 1, "partial": 0, "failed": 1, "never": 1}
        assert totals["last_run_counts"]["added"] == 3 and totals["last_run_counts"]["errors"] == 1

    @pytest.mark.ckan_config(config.FAILURE_MAIL_AFTER, 0)
    def test_alert_off(self, portal):
        source = portal.source()
        finished_run(source["id"], gather_errors=("x",))
        portal.tick()
        assert portal.call("satudata_harvest_health_list", "walidata")["sources"][0]["alert"] is False

    def test_opd_sees_its_own_sources(self, portal):
        """An OPD member lists only the sources of its organisation; the walidata lists all."""
        portal.source("simpeg")
        portal.source("sik-dinkes", org=portal.other_opd)
        names = {s["source"]["name"] for s in portal.call("satudata_harvest_health_list", "operator")["sources"]}
        assert names == {"simpeg"}
        names = {s["source"]["name"] for s in portal.call("satudata_harvest_health_list", "operator_lain")["sources"]}
        assert names == {"sik-dinkes"}
        assert len(portal.call("satudata_harvest_health_list", "walidata")["sources"]) == 2
        assert len(portal.call("satudata_harvest_health_list", "sysadmin")["sources"]) == 2


class TestAuth:
    def test_show_matrix(self, portal):
        """Sysadmins, the walidata and the owning OPD's members see the source's health; another OPD, a user
        without an OPD and anonymous visitors are refused, with a reason in Indonesian."""
        source = portal.source()
        for who in ("sysadmin", "walidata", "verifikator", "operator"):
            assert portal.call("satudata_harvest_health_show", who, id=source["id"])["source"]["id"] == source["id"]
        for who, reason in (("operator_lain", "Hanya walidata dan OPD pemilik"), ("warga", "Hanya walidata"),
                            (None, "Masuk terlebih dahulu")):
            with pytest.raises(tk.NotAuthorized, match=reason):
                portal.call("satudata_harvest_health_show", who, id=source["id"])

    def test_list_matrix(self, portal):
        """Listing needs the walidata, a sysadmin or an OPD membership; others are refused."""
        portal.source()
        for who in ("sysadmin", "walidata", "operator", "operator_lain"):
            portal.call("satudata_harvest_health_list", who)
        for who in ("warga", None):
            with pytest.raises(tk.NotAuthorized):
                portal.call("satudata_harvest_health_list", who)
