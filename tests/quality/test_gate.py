"""The publish gate (standar konten): low completeness or an open kritis ticket refuses the walidata's publish
with every reason, unless overridden with a recorded reason; the verdict action and page; and the gate stacked
with the release calendar's chain on satudata_workflow_publish, in both plugin orders."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.satudatapasuruan.quality import config

from ..workflow.conftest import PLUGINS as WORKFLOW_PLUGINS
from .conftest import PLUGINS

# CKAN's ckan_config fixture applies the module's marks after the test's own (the module's win): the options
# a test varies are set per class or test, never here.
pytestmark = [pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]
GATE_ON = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.ckan_config(config.GATE_ENABLED, True)]

LOW = ("Kelengkapan metadata 97 persen, di bawah batas terbit 99 persen. Belum lengkap: Kegiatan statistik "
       "(MS-Keg).")


def _verified(portal, **overrides):
    ds = portal.dataset(**overrides)
    portal.call("satudata_workflow_submit", "operator", id=ds["id"])
    portal.call("satudata_workflow_approve", "verifikator", id=ds["id"])
    return ds


def _state(ds) -> str:
    return helpers.call_action("satudata_workflow_show", id=ds["id"])["state"]


def _refusal(portal, ds, **data):
    with pytest.raises(helpers.logic.ValidationError) as err:
        portal.call("satudata_workflow_publish", "walidata", id=ds["id"], **data)
    assert _state(ds) == "diverifikasi_opd"
    return err.value.error_dict


@GATE_ON[0]
@GATE_ON[1]
class TestGate:
    @pytest.mark.ckan_config(config.GATE_MIN_COMPLETENESS, 99)
    def test_low_completeness_refused(self, portal):
        """A complete dataset scoring 97 is refused under a threshold of 99, the reason naming the score, the
        threshold and what is missing, and how to override."""
        ds = _verified(portal)
        errors = _refusal(portal, ds)
        assert errors["standar_konten"] == [LOW]
        assert errors["gate_override_reason"][0].startswith("Walidata dapat tetap menerbitkan dengan menuliskan")
        assert f"/kualitas-metadata/gerbang/{ds['name']}" in errors["gate_override_reason"][0]

    @pytest.mark.ckan_config(config.GATE_MIN_COMPLETENESS, 0)
    def test_open_kritis_ticket_refused_until_fixed(self, portal):
        """An open kritis ticket (MQ-001, konsep empty) refuses the publish, naming the rule and finding; once
        fixed (the rescan closes it) the dataset publishes."""
        ds = _verified(portal, konsep="")
        errors = _refusal(portal, ds)
        assert errors["standar_konten"] == ["Tiket mutu kritis masih terbuka: MQ-001 Kolom wajib SDI kosong. Kolom "
                                            "wajib \u201cKonsep\u201d belum diisi (atau ada entri yang belum lengkap): "
                                            "lengkapi pada formulir ubah dataset."]
        portal.call("package_patch", "sysadmin", id=ds["id"], konsep="Penduduk")
        assert portal.call("satudata_workflow_publish", "walidata", id=ds["id"])["state"] == "terbit"

    @pytest.mark.ckan_config(config.GATE_MIN_COMPLETENESS, 99)
    def test_every_reason_listed_and_override_recorded(self, portal):
        """Both reasons are listed; the walidata publishes with a reason, and the audit trail records who, when,
        the reason and what was overridden; the result says so too."""
        with freeze_time("2026-11-02 08:00"):
            ds = _verified(portal, konsep="")
            errors = _refusal(portal, ds)
            assert len(errors["standar_konten"]) == 2 and errors["standar_konten"][1].startswith(
                "Tiket mutu kritis masih terbuka: MQ-001")
            done = portal.call("satudata_workflow_publish", "walidata", id=ds["id"],
                               gate_override_reason="  Data mendesak untuk RPJMD, konsep menyusul.  ")
        assert done["state"] == "terbit" and done["gate_override"]["reason"] == (
            "Data mendesak untuk RPJMD, konsep menyusul.")
        assert [r["code"] for r in done["gate_override"]["overridden"]] == ["kelengkapan", "MQ-001"]
        history = portal.call("satudata_workflow_history", "walidata", id=ds["id"])
        publish, note = history[-2], history[-1]
        assert publish["action"] == "publish" and note["action"] == "komentar" and note["user"] == "walidata"
        assert note["note"].startswith("Diterbitkan walaupun belum memenuhi standar konten. Alasan: Data mendesak "
                                       "untuk RPJMD, konsep menyusul. Yang diabaikan: Kelengkapan metadata")
        assert "MQ-001" in note["note"] and note["created"].startswith("2026-11-02T08:00")

    @pytest.mark.ckan_config(config.GATE_MIN_COMPLETENESS, 99)
    def test_bad_override_refused(self, portal):
        """A too short, too long or non-text reason is refused and nothing is published or recorded; the OPD
        may not publish at all."""
        ds = _verified(portal)
        for reason, message in (("singkat", "Alasan pengabaian paling sedikit 10 karakter"),
                                ("x" * 1001, "Alasan pengabaian paling banyak 1000 karakter"),
                                (["daftar"], "Alasan pengabaian harus berupa teks")):
            assert _refusal(portal, ds, gate_override_reason=reason) == {"gate_override_reason": [message]}
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call("satudata_workflow_publish", "verifikator", id=ds["id"],
                        gate_override_reason="Kami ingin terbit sendiri")
        assert [e["action"] for e in portal.call("satudata_workflow_history", "walidata", id=ds["id"])] == [
            "create", "submit", "approve"]

    def test_passing_dataset(self, portal):
        """A dataset meeting the standard (threshold 80, no kritis ticket) publishes without a reason and no
        note."""
        ds = _verified(portal)
        assert portal.call("satudata_workflow_publish", "walidata", id=ds["id"])["state"] == "terbit"
        assert [e["action"] for e in portal.call("satudata_workflow_history", "walidata", id=ds["id"])][-1] == \
            "publish"



@GATE_ON[0]
@GATE_ON[1]
class TestVerdict:
    @pytest.mark.ckan_config(config.GATE_MIN_COMPLETENESS, 99)
    def test_check_action_and_access(self, portal):
        """The walidata and the owning OPD read the verdict; another OPD, a citizen and anonymous may not; an
        unknown dataset is not found."""
        ds = _verified(portal)
        verdict = portal.call("satudata_quality_gate_check", "operator", id=ds["name"])
        assert verdict == {"enabled": True, "applies": True, "min_completeness": 99, "completeness": 97,
                           "passes": False, "reasons": [{"code": "kelengkapan", "message": LOW}]}
        assert portal.call("satudata_quality_gate_check", "walidata", id=ds["id"])["passes"] is False
        for who in ("operator_lain", "warga"):
            with pytest.raises(helpers.logic.NotAuthorized):
                portal.call("satudata_quality_gate_check", who, id=ds["id"])
        with pytest.raises(helpers.logic.NotAuthorized):
            helpers.call_action("satudata_quality_gate_check", context={"user": "", "ignore_auth": False},
                                id=ds["id"])
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_quality_gate_check", "walidata", id="tidak-ada")

    @pytest.mark.ckan_config(config.GATE_MIN_COMPLETENESS, 99)
    def test_gate_page(self, app, portal):
        """The page lists the reasons and, for the walidata, a labelled override field; a short reason comes
        back with its message (400); a good one publishes and goes to the dataset; the OPD sees no form."""
        ds = _verified(portal)
        url = f"/kualitas-metadata/gerbang/{ds['name']}"
        walidata = {"Authorization": portal.users["walidata"]["token"]}
        page = app.get(url, headers=walidata).get_data(as_text=True)
        for text in ("Belum memenuhi standar konten", LOW, 'for="gate-override"', 'for="gate-note"', "Terbitkan"):
            assert text in page, text
        operator = app.get(url, headers={"Authorization": portal.users["operator"]["token"]}).get_data(as_text=True)
        assert LOW in operator and 'name="gate_override_reason"' not in operator
        app.get(url, headers={"Authorization": portal.users["operator_lain"]["token"]}, status=403)
        app.get("/kualitas-metadata/gerbang/tidak-ada", headers=walidata, status=404)
        assert app.get(url, follow_redirects=False).status_code == 302
        refused = app.post(url, headers={"Authorization": portal.users["operator"]["token"]},
                           data={"gate_override_reason": "Kami ingin terbit sendiri"}, status=400)
        assert _state(ds) == "diverifikasi_opd" and "alert-danger" in refused.get_data(as_text=True)
        short = app.post(url, headers=walidata, data={"gate_override_reason": "pendek"}, status=400)
        assert "Alasan pengabaian paling sedikit 10 karakter" in short.get_data(as_text=True)
        done = app.post(url, headers=walidata, data={"gate_override_reason": "Dibutuhkan segera oleh Bappeda"},
                        follow_redirects=False)
        assert done.status_code == 302 and done.headers["Location"].endswith(f"/dataset/{ds['name']}")
        assert _state(ds) == "terbit"


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.ckan_config("ckanext.satudatapasuruan.quality.publish_gate.enabled", False)
def test_gate_can_be_turned_off(portal):
    """With the gate off a dataset with an open kritis ticket publishes as before."""
    ds = _verified(portal, konsep="")
    assert portal.call("satudata_workflow_publish", "walidata", id=ds["id"])["state"] == "terbit"


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
def test_gate_on_by_default(portal):
    """Without any setting the gate stands: an incomplete dataset is refused."""
    ds = _verified(portal, konsep="")
    with pytest.raises(tk.ValidationError):
        portal.call("satudata_workflow_publish", "walidata", id=ds["id"])


ORDERS = {"calendar-then-quality": WORKFLOW_PLUGINS + " satudata_calendar satudata_quality",
          "quality-then-calendar": WORKFLOW_PLUGINS + " satudata_quality satudata_calendar"}


@pytest.fixture
def calendar_db(with_plugins, clean_db, migrate_db_for):
    from ckanext.satudatapasuruan.calendar import records
    if not sa.inspect(model.Session.connection()).has_table("release_schedule", schema="satudata_calendar"):
        migrate_db_for("satudata_calendar")
    for table in (records.reminder, records.entry_event, records.release_schedule, records.entry):
        model.Session.execute(table.delete())
    model.Session.commit()


@pytest.mark.parametrize("order", [pytest.param(v, id=k, marks=pytest.mark.ckan_config("ckan.plugins", v))
                                   for k, v in ORDERS.items()])
@pytest.mark.ckan_config(config.GATE_ENABLED, True)
@pytest.mark.ckan_config(config.GATE_MIN_COMPLETENESS, 99)
@pytest.mark.usefixtures("calendar_db")
def test_stacked_with_the_calendar(portal, order):
    """Whichever plugin comes first: a scheduled dataset is refused by the calendar even with an override; an
    unscheduled one by the gate; the tick's publication passes through the gate too (a refused one fails its
    schedule with the gate's reason, a passing one publishes)."""
    from ckanext.satudatapasuruan.calendar import embargo

    with freeze_time("2026-03-01 03:00"):
        scheduled = _verified(portal, name="terjadwal")
        portal.call("satudata_release_schedule", "walidata", id=scheduled["id"], publish_at="2026-03-02 09:00")
        errors = _refusal(portal, scheduled, gate_override_reason="Dibutuhkan segera oleh Bappeda")
        assert "dijadwalkan terbit 2026-03-02 09:00 WIB" in errors["id"][0]
        plain = _verified(portal, name="biasa")
        assert _refusal(portal, plain)["standar_konten"] == [LOW]
    done = embargo.run_due(dt.datetime(2026, 3, 2, 2, 0))
    assert [d["state"] for d in done] == ["gagal"] and _state(scheduled) == "diverifikasi_opd"
    schedule = portal.call("satudata_release_schedule_show", "walidata", id=scheduled["id"])
    assert schedule["state"] == "gagal" and "Kelengkapan metadata 97 persen" in schedule["note"]
    with freeze_time("2026-03-02 03:00"):
        portal.call("satudata_release_schedule", "walidata", id=scheduled["id"], publish_at="2026-03-03 09:00")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(tk.config, config.GATE_MIN_COMPLETENESS, 0)
        done = embargo.run_due(dt.datetime(2026, 3, 3, 2, 0))
    assert [d["state"] for d in done] == ["terbit"] and _state(scheduled) == "terbit"


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
def test_bulk_move_stops_at_the_gate_unless_overridden(portal, cli):
    """`ckan satudata-workflow move` to terbit stops at the gate (exit 1, the dataset stays verified) and passes
    it with --gate-override-reason, which the audit trail records."""
    from ckanext.satudatapasuruan.workflow.cli import workflow

    ds = portal.dataset(konsep="")
    refused = cli.invoke(workflow, ["move", "--to", "terbit", ds["name"]])
    assert refused.exit_code == 1 and "publish ditolak" in refused.output
    assert _state(ds) == "diverifikasi_opd"
    reason = "Migrasi katalog lama, diperbaiki bertahap"
    passed = cli.invoke(workflow, ["move", "--to", "terbit", ds["name"], "--gate-override-reason", reason])
    assert passed.exit_code == 0, passed.output
    assert _state(ds) == "terbit"
    notes = [e["note"] or "" for e in portal.call("satudata_workflow_history", "walidata", id=ds["id"])]
    assert any(reason in note for note in notes)
