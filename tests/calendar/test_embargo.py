"""Scheduled releases (embargo): an OPD-verified dataset stays unpublished until its time, then the tick
publishes it through the workflow's own transition, once; the walidata moves or cancels it; bad input."""
from __future__ import annotations

import pytest
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.satudatapasuruan.calendar import records
from ckanext.satudatapasuruan.calendar.cli import calendar

from .conftest import PLUGINS, headers, make_entry

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

SETUP = "2026-03-01 03:00:00"  # 10:00 WIB
AT = "2026-03-02 09:00"  # WIB = 02:00 UTC
ANON = {"user": "", "ignore_auth": False}


def _verified(portal, **overrides):
    ds = portal.dataset(**overrides)
    portal.call("satudata_workflow_submit", "operator", id=ds["id"])
    portal.call("satudata_workflow_approve", "verifikator", id=ds["id"])
    return ds


def _anonymous_sees(ds) -> bool:
    try:
        helpers.call_action("package_show", context=dict(ANON), id=ds["id"])
        shown = True
    except helpers.logic.NotAuthorized:
        shown = False
    found = helpers.call_action("package_search", context=dict(ANON), q="*:*", include_private=True)["count"]
    assert shown == bool(found)
    return shown


def _state(ds) -> str:
    return helpers.call_action("satudata_workflow_show", id=ds["id"])["state"]


class TestScheduledRelease:
    def test_published_at_its_time_once(self, portal, cli):
        """Hidden before the time (package_show, package_search), published by the tick at the time as the
        walidata who scheduled it (audit trail), a second tick is a no-op; the linked entry is fulfilled."""
        with freeze_time(SETUP):
            ds = _verified(portal)
            entry = make_entry(portal, package_id=ds["id"], scheduled_date="2026-03-02")
            done = portal.call("satudata_release_schedule", "walidata", id=ds["name"], publish_at=AT)
            assert done["state"] == "terjadwal" and done["publish_at"] == "2026-03-02T02:00:00"
            assert done["publish_at_local"] == "2026-03-02 09:00 WIB" and done["scheduled_by"] == "walidata"
            # The owners see it as scheduled; the public does not see it at all.
            shown = portal.call("satudata_release_schedule_show", "operator", id=ds["id"])
            assert shown["state"] == "terjadwal"
            with pytest.raises(helpers.logic.NotAuthorized):
                helpers.call_action("satudata_release_schedule_show", context=dict(ANON), id=ds["id"])
            assert not _anonymous_sees(ds)
            # Nobody publishes it early by hand.
            with pytest.raises(helpers.logic.ValidationError) as err:
                portal.call("satudata_workflow_publish", "walidata", id=ds["id"])
            assert "dijadwalkan terbit 2026-03-02 09:00 WIB" in err.value.error_dict["id"][0]
        with freeze_time("2026-03-02 01:59:59"):
            result = cli.invoke(calendar, ["tick"])
            assert result.exit_code == 0, result.output
            assert "0 rilis terjadwal diproses" in result.output
            assert _state(ds) == "diverifikasi_opd" and not _anonymous_sees(ds)
        with freeze_time("2026-03-02 02:00:00"):
            result = cli.invoke(calendar, ["tick"])
            assert result.exit_code == 0, result.output
            assert f"rilis terjadwal {ds['id']}: terbit" in result.output
            assert _state(ds) == "terbit" and _anonymous_sees(ds)
            again = cli.invoke(calendar, ["tick"])
            assert "0 rilis terjadwal diproses" in again.output
        history = portal.call("satudata_workflow_history", "walidata", id=ds["id"])
        publishes = [e for e in history if e["action"] == "publish"]
        assert len(publishes) == 1 and publishes[0]["user"] == "walidata"
        assert "Rilis terjadwal 2026-03-02 09:00 WIB (dijadwalkan oleh walidata)" in publishes[0]["note"]
        assert records.latest_schedule(ds["id"])["state"] == "terbit"
        assert helpers.call_action("satudata_calendar_entry_show", id=entry["id"])["status"] == "terbit_tepat_waktu"

    def test_moved_and_cancelled(self, portal, cli):
        """Scheduling again moves the time; a cancelled schedule publishes nothing and frees manual publication."""
        with freeze_time(SETUP):
            ds = _verified(portal)
            portal.call("satudata_release_schedule", "walidata", id=ds["id"], publish_at=AT)
            moved = portal.call("satudata_release_schedule", "walidata", id=ds["id"], publish_at="2026-03-05 08:00")
            assert moved["publish_at"] == "2026-03-05T01:00:00"
            assert len(records.pending_schedules()) == 1
        with freeze_time("2026-03-03 00:00:00"):
            cli.invoke(calendar, ["tick"])
            assert _state(ds) == "diverifikasi_opd"
            cancelled = portal.call("satudata_release_cancel", "walidata", id=ds["id"], note="Tunggu rapat")
            assert cancelled["state"] == "dibatalkan"
        with freeze_time("2026-03-06 00:00:00"):
            cli.invoke(calendar, ["tick"])
            assert _state(ds) == "diverifikasi_opd"
            portal.call("satudata_workflow_publish", "walidata", id=ds["id"])
            assert _state(ds) == "terbit"

    def test_scheduler_without_the_role_then_site_user(self, portal, cli):
        """If the walidata lost the role before the time, the site user publishes (recorded as such)."""
        with freeze_time(SETUP):
            ds = _verified(portal)
            portal.call("satudata_release_schedule", "walidata", id=ds["id"], publish_at=AT)
            helpers.call_action("satudata_role_revoke", context={"user": "sysadmin"}, user="walidata",
                                role="walidata")
        with freeze_time("2026-03-02 03:00:00"):
            cli.invoke(calendar, ["tick"])
        assert _state(ds) == "terbit"
        site = helpers.call_action("get_site_user")["name"]
        publish = [e for e in helpers.call_action("satudata_workflow_history", id=ds["id"])
                   if e["action"] == "publish"][0]
        assert publish["user"] == site and "dijadwalkan oleh walidata" in publish["note"]

    def test_returned_dataset_loses_its_schedule(self, portal, cli):
        """A return to the OPD cancels the schedule; a dataset no longer verified at the time is not published."""
        with freeze_time(SETUP):
            ds = _verified(portal)
            portal.call("satudata_release_schedule", "walidata", id=ds["id"], publish_at=AT)
            portal.call("satudata_workflow_return", "walidata", id=ds["id"], note="Perbaiki satuan")
            assert records.pending_schedule(ds["id"]) is None
            assert records.latest_schedule(ds["id"])["state"] == "dibatalkan"
            other = _verified(portal, name="dataset-kedua")
            portal.call("satudata_release_schedule", "walidata", id=other["id"], publish_at=AT)
        # Made unready behind the calendar's back (no signal): the tick records a failure instead of publishing.
        from ckan import model

        from ckanext.satudatapasuruan.workflow import records as workflow_records
        from ckanext.satudatapasuruan.workflow.machine import State
        workflow_records.set_state(other["id"], State.DIKEMBALIKAN)
        model.repo.commit()
        with freeze_time("2026-03-02 03:00:00"):
            result = cli.invoke(calendar, ["tick"])
        assert f"{other['id']}: gagal" in result.output
        assert _state(ds) == "dikembalikan" and _state(other) == "dikembalikan"
        assert "dikembalikan" in records.latest_schedule(other["id"])["note"]

    def test_bad_input(self, portal):
        """Not the walidata, a dataset not OPD-verified, a time in the past or malformed, unknown dataset,
        cancelling without a schedule: each refused with its reason."""
        with freeze_time(SETUP):
            ds = _verified(portal)
            draft = portal.dataset(name="masih-draf")
            for who in ("operator", "verifikator", "pembina"):
                with pytest.raises(helpers.logic.NotAuthorized):
                    portal.call("satudata_release_schedule", who, id=ds["id"], publish_at=AT)
            cases = [
                ({"id": draft["id"], "publish_at": AT}, "id", "Hanya dataset yang sudah diverifikasi OPD"),
                ({"id": ds["id"], "publish_at": "2026-03-01 09:00"}, "publish_at", "Waktu rilis harus di masa depan"),
                ({"id": ds["id"], "publish_at": "besok pagi"}, "publish_at", "TTTT-BB-HH JJ:MM"),
                ({"id": ds["id"], "publish_at": "2026-02-30 09:00"}, "publish_at", "TTTT-BB-HH JJ:MM"),
                ({"id": ds["id"]}, "publish_at", "Waktu rilis wajib diisi"),
            ]
            for data, field, message in cases:
                with pytest.raises(helpers.logic.ValidationError) as err:
                    portal.call("satudata_release_schedule", "walidata", **data)
                assert message in err.value.error_dict[field][0], (data, err.value.error_dict)
            with pytest.raises(helpers.logic.NotFound):
                portal.call("satudata_release_schedule", "walidata", id="tidak-ada", publish_at=AT)
            with pytest.raises(helpers.logic.ValidationError) as err:
                portal.call("satudata_release_cancel", "walidata", id=ds["id"])
            assert err.value.error_dict["id"] == ["Dataset ini tidak memiliki jadwal rilis"]
            assert records.pending_schedules() == []

    def test_page_shows_it_to_owners_only(self, app, portal):
        """The walidata schedules, moves and cancels from the dataset page; the page says "Terjadwal" to the OPD;
        anonymous visitors get no page at all; the OPD may not use the form."""
        ds = _verified(portal)
        url = f"/dataset/{ds['name']}/jadwal-rilis"
        form = app.get(f"/dataset/{ds['name']}", headers=headers(portal, "walidata")).body
        assert '<label for="field-publish_at">Jadwalkan terbit (WIB)</label>' in form
        bad = app.post(url, headers=headers(portal, "walidata"), data={"publish_at": "2000-01-01T09:00"},
                       follow_redirects=True)
        assert "Waktu rilis harus di masa depan" in bad.body
        assert app.post(url, headers=headers(portal, "operator"), data={"publish_at": "2099-01-01T09:00"},
                        status=403).status_code == 403
        app.post(url, headers=headers(portal, "walidata"), data={"publish_at": "2098-01-01T09:00"})
        app.post(url, headers=headers(portal, "walidata"), data={"aksi": "batalkan"})
        assert records.latest_schedule(ds["id"])["state"] == "dibatalkan"
        done = app.post(url, headers=headers(portal, "walidata"), data={"publish_at": "2099-01-01T09:00"},
                        follow_redirects=True)
        assert "Dijadwalkan terbit 2099-01-01 09:00 WIB" in done.body
        assert 'name="publish_at"' not in app.get(f"/dataset/{ds['name']}", headers=headers(portal, "operator")).body
        page = app.get(f"/dataset/{ds['name']}", headers=headers(portal, "operator"))
        assert "Terjadwal: dataset ini akan terbit otomatis pada 2099-01-01 09:00 WIB" in page.body
        assert app.get(f"/dataset/{ds['name']}", status=404).status_code == 404
        assert app.get(f"/api/3/action/package_show?id={ds['name']}", status=403).status_code == 403
        found = app.get("/api/3/action/package_search?q=*:*&include_private=true").json["result"]
        assert found["count"] == 0
        listed = portal.call("satudata_release_schedule_list", "walidata")
        assert [s["name"] for s in listed] == [ds["name"]]
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call("satudata_release_schedule_list", "operator")
