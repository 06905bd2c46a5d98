"""The actions: the public registry, the walidata's scan, updating and commenting tickets, bad input, the KPI."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy.exc
from ckan import model
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.satudatapasuruan.quality import config, records
from ckanext.satudatapasuruan.quality.logic import action

from .conftest import PLUGINS, ticket_of, tickets

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


@pytest.fixture
def faulty(portal):
    """A dataset of the OPD without konsep: one open MQ-001 ticket."""
    ds = portal.dataset(konsep="")
    return ds, ticket_of(portal, ds["id"], "MQ-001")


def test_rule_list_is_public(clean_db):
    """Anonymous callers read the registry: codes, severities, Indonesian titles and remedies."""
    found = helpers.call_action("satudata_quality_rule_list", context={"user": "", "ignore_auth": False})
    assert [r["code"] for r in found][:2] == ["MQ-001", "MQ-002"] and found[0]["severity"] == "kritis"
    assert found[0]["remedy"].startswith("Isi semua kolom wajib")


class TestScan:
    def test_walidata_only_and_bad_input(self, portal, faulty):
        """The OPD may not scan; the walidata must name a dataset or all; an unknown dataset is not found."""
        ds, _ticket = faulty
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call("satudata_quality_scan", "operator", id=ds["id"])
        with pytest.raises(helpers.logic.ValidationError):
            portal.call("satudata_quality_scan", "walidata")
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_quality_scan", "walidata", id="tidak-ada")
        again = portal.call("satudata_quality_scan", "walidata", id=ds["id"])
        assert again["datasets"][0]["still_open"] == ["MQ-001"]


    def test_ids_in_batches(self, portal, faulty, monkeypatch):
        """``ids`` scans the named datasets (by id or name) in the nightly scan's batches: with batches of two,
        three datasets are scanned in two transactions and their unchanged tickets touched; an unknown dataset
        is refused by name before anything is scanned."""
        monkeypatch.setattr(action, "SCAN_BATCH", 2)
        ds, ticket = faulty
        others = [portal.dataset(name=f"tanpa-definisi-{n}", definisi="") for n in range(2)]
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_quality_scan", "walidata", ids=[ds["id"], "tidak-ada"])
        assert "tidak-ada" in str(err.value.error_dict["ids"])
        records.touch_tickets([ticket["id"]], dt.datetime(2020, 1, 1))  # an old last scan, to see it touched
        model.repo.commit()
        out = portal.call("satudata_quality_scan", "walidata", ids=[ds["name"], *(o["id"] for o in others)])
        assert [d["name"] for d in out["datasets"]] == [ds["name"], *(o["name"] for o in others)]
        assert all(d["still_open"] == ["MQ-001"] and not d["opened"] for d in out["datasets"])
        assert ticket_of(portal, ds["id"], "MQ-001")["last_scan_at"] > "2020-01-02"

    @pytest.mark.ckan_config(config.SCAN_ON_SAVE, False)
    def test_failed_batch_is_redone_one_by_one(self, portal, monkeypatch):
        """A database error in a batch rolls it back; its datasets are then scanned one per transaction, so
        every ticket is still opened, once."""
        datasets = [portal.dataset(name=f"tanpa-konsep-{n}", konsep="") for n in range(3)]
        real = records.tickets_of_packages

        def fail_once(ids):
            monkeypatch.setattr(records, "tickets_of_packages", real)
            raise sqlalchemy.exc.OperationalError("SELECT", {}, Exception("koneksi terputus"))

        monkeypatch.setattr(records, "tickets_of_packages", fail_once)
        out = portal.call("satudata_quality_scan", "walidata", ids=[d["id"] for d in datasets])
        assert [d["opened"] for d in out["datasets"]] == [["MQ-001"]] * 3
        assert [len(tickets(portal, package=d["id"])) for d in datasets] == [1, 1, 1]


class TestTicketUpdate:
    def test_opd_marks_dikerjakan_with_comment(self, portal, faulty):
        """The operator marks the ticket dikerjakan with a comment; the history says who did it by hand."""
        _ds, ticket = faulty
        out = portal.call("satudata_quality_ticket_update", "operator", id=ticket["id"], status="dikerjakan",
                          comment="Sedang dilengkapi")
        assert out["status"] == "dikerjakan" and out["comments"][0]["text"] == "Sedang dilengkapi"
        assert out["history"][-1]["via"] == "manual" and out["history"][-1]["user_name"] == "operator"
        listed = portal.call("satudata_quality_ticket_list", "verifikator", status="dikerjakan")
        assert [t["id"] for t in listed["results"]] == [ticket["id"]]

    def test_bad_input(self, portal, faulty):
        """Unknown status, selesai by hand, nothing to change, an unknown ticket and an empty comment fail."""
        _ds, ticket = faulty
        for status in ("beres", "selesai"):
            with pytest.raises(helpers.logic.ValidationError) as err:
                portal.call("satudata_quality_ticket_update", "operator", id=ticket["id"], status=status)
            assert "status" in err.value.error_dict
        with pytest.raises(helpers.logic.ValidationError):
            portal.call("satudata_quality_ticket_update", "operator", id=ticket["id"])
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_quality_ticket_update", "operator", id="tidak-ada", status="dikerjakan")
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_quality_ticket_show", "walidata", id="tidak-ada")
        for text in ("", "   "):
            with pytest.raises(helpers.logic.ValidationError) as err:
                portal.call("satudata_quality_ticket_comment", "operator", id=ticket["id"], text=text)
            assert err.value.error_dict["text"] == ["Komentar tidak boleh kosong"]
        with pytest.raises(helpers.logic.ValidationError):
            portal.call("satudata_quality_ticket_list", "walidata", status="beres")
        with pytest.raises(helpers.logic.ValidationError):
            portal.call("satudata_quality_ticket_list", "walidata", severity="ringan", rule="MQ-999")

    def test_walidata_comments_and_closed_ticket_not_changed_by_hand(self, portal, faulty):
        """The walidata's comment shows to the OPD; once a rescan closed the ticket, nobody reopens it by hand."""
        ds, ticket = faulty
        portal.call("satudata_quality_ticket_comment", "walidata", id=ticket["id"], text="Mohon segera")
        shown = portal.call("satudata_quality_ticket_show", "operator", id=ticket["id"])
        assert [(c["user_name"], c["text"]) for c in shown["comments"]] == [("walidata", "Mohon segera")]
        portal.call("package_patch", "operator", id=ds["id"], konsep="Penduduk")
        with pytest.raises(helpers.logic.ValidationError):
            portal.call("satudata_quality_ticket_update", "operator", id=ticket["id"], status="terbuka")


class TestKpi:
    def test_share_closed_within_seven_days(self, portal):
        """Closed after 3 days counts in time, after 10 days late, a 2-day-old open one is pending."""
        with freeze_time("2026-11-02"):
            fast = portal.dataset(name="cepat", konsep="")
            slow = portal.dataset(name="lambat", konsep="")
        with freeze_time("2026-11-05"):
            portal.call("package_patch", "operator", id=fast["id"], konsep="Penduduk")
        with freeze_time("2026-11-12"):
            portal.call("package_patch", "operator", id=slow["id"], konsep="Penduduk")
        with freeze_time("2026-11-28"):
            portal.dataset(name="baru", konsep="")
        with freeze_time("2026-11-30"):
            kpi = portal.call("satudata_quality_kpi", "walidata", months=2)
            mine = portal.call("satudata_quality_kpi", "operator_lain")
        assert kpi["target_days"] == 7
        assert kpi["by_month"] == [{"month": "2026-11", "opened": 3, "closed_in_time": 1, "pending": 1,
                                    "share": 0.5}]
        assert kpi["by_organization"][0]["organization"] == "dispendukcapil"
        assert mine["overall"] == {"opened": 0, "closed_in_time": 0, "pending": 0, "share": None}
        with pytest.raises(helpers.logic.ValidationError):
            portal.call("satudata_quality_kpi", "walidata", months=0)


    def test_reopenings_and_the_window(self, portal):
        """Each opening counts once in its month: a fault opened and closed before the window is left out, its
        reopening inside the window counts (closed in 3 days: in time), a second reopening still open after 10
        days is late; the OPD's members count the same, another OPD nothing of it."""
        with freeze_time("2026-09-01"):
            ds = portal.dataset(name="berulang", konsep="")
        with freeze_time("2026-09-20"):
            portal.call("package_patch", "operator", id=ds["id"], konsep="Penduduk")
        with freeze_time("2026-10-03"):
            portal.call("package_patch", "operator", id=ds["id"], konsep="")
        with freeze_time("2026-10-06"):
            portal.call("package_patch", "operator", id=ds["id"], konsep="Penduduk")
        with freeze_time("2026-11-10"):
            portal.call("package_patch", "operator", id=ds["id"], konsep="")
        with freeze_time("2026-11-20"):
            kpi = portal.call("satudata_quality_kpi", "walidata", months=2)
            member = portal.call("satudata_quality_kpi", "verifikator", months=2)
            other = portal.call("satudata_quality_kpi", "operator_lain", months=2)
            longer = portal.call("satudata_quality_kpi", "walidata", months=3)
        assert kpi["since"] == "2026-10-01"
        assert [(m["month"], m["opened"], m["closed_in_time"], m["pending"]) for m in kpi["by_month"]] == [
            ("2026-10", 1, 1, 0), ("2026-11", 1, 0, 0)]
        assert kpi["overall"] == {"opened": 2, "closed_in_time": 1, "pending": 0, "share": 0.5}
        assert member["rows"] == kpi["rows"] and other["rows"] == []
        assert longer["by_month"][0] == {"month": "2026-09", "opened": 1, "closed_in_time": 0, "pending": 0,
                                         "share": 0.0}


class TestCli:
    @pytest.mark.ckan_config("ckanext.satudatapasuruan.quality.scan_on_save", False)
    def test_scan_all_and_names(self, cli, portal):
        """`scan --all` opens the ticket and says so; a second run by name changes nothing; an unknown name
        and no argument at all fail."""
        from ckanext.satudatapasuruan.quality.cli import quality

        ds = portal.dataset(konsep="")
        first = cli.invoke(quality, ["scan", "--all"])
        assert first.exit_code == 0 and f"{ds['name']}: dibuka MQ-001" in first.output
        again = cli.invoke(quality, ["scan", ds["name"], "tidak-ada"])
        assert again.exit_code == 1 and f"{ds['name']}: tidak berubah" in again.output
        assert cli.invoke(quality, ["scan"]).exit_code != 0
