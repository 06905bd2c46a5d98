"""The calendar's entry actions: create, update, postpone, delete, show, list, with every bad input next to the
good case; and the status following the workflow's publications by itself."""
from __future__ import annotations

import pytest
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.satudatapasuruan.calendar import config, records

from .conftest import PLUGINS, entry_data, make_entry

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

# 2026-03-01 10:00 WIB
MARCH = "2026-03-01 03:00:00"


def _errors(excinfo) -> dict:
    return excinfo.value.error_dict


@freeze_time(MARCH)
class TestCreate:
    def test_operator_announces_a_release(self, portal):
        """The OPD's operator creates an entry of its OPD; it is scheduled, public, sequence 0."""
        made = make_entry(portal)
        assert made["status"] == "terjadwal" and made["status_label"] == "Terjadwal"
        assert made["organization"]["name"] == "dispendukcapil"
        assert made["scheduled_date"] == made["original_date"] == "2026-03-31"
        assert made["urusan_label"] == "Administrasi Kependudukan dan Pencatatan Sipil"
        assert made["sequence"] == 0 and made["public"] and made["may_edit"]

    def test_who_may_announce(self, portal):
        """The walidata announces for any OPD; another OPD's operator, a citizen and a visitor may not."""
        made = make_entry(portal, "walidata", owner_org=portal.other_opd["name"])
        assert made["organization"]["name"] == "dinas-kesehatan"
        for who in ("operator_lain", "warga", "pembina"):
            with pytest.raises(helpers.logic.NotAuthorized):
                make_entry(portal, who)
        with pytest.raises(helpers.logic.NotAuthorized):
            helpers.call_action("satudata_calendar_entry_create", context={"user": "", "ignore_auth": False},
                                **entry_data(portal))

    def test_bad_input_is_a_validation_error(self, portal):
        """Each bad field is named with an Indonesian message; nothing is written."""
        cases = [
            ("scheduled_date", "31-03-2026", "Tanggal harus berformat TTTT-BB-HH"),
            ("scheduled_date", "2026-02-30", "Tanggal ini tidak ada di kalender"),
            ("scheduled_date", "1990-01-01", "Tahun harus antara 2000 dan 2100"),
            ("scheduled_date", "", "Tanggal rilis wajib diisi"),
            ("owner_org", "dinas-tidak-ada", "OPD tidak ditemukan"),
            ("owner_org", "", "Pilih OPD"),
            ("title", " ", "Judul rilis wajib diisi"),
            ("title", "x" * 201, "Paling banyak 200 karakter"),
            ("period", "", "Periode data wajib diisi"),
            ("urusan", "9.99", "Sektor (urusan) 9.99 tidak dikenal"),
            ("urusan", "", "Sektor (urusan) wajib diisi bila tidak ada dataset tertaut"),
            ("package_id", "dataset-tidak-ada", "Dataset tidak ditemukan"),
        ]
        for field, value, message in cases:
            with pytest.raises(helpers.logic.ValidationError) as err:
                make_entry(portal, "walidata", **{field: value})
            assert any(message in m for m in _errors(err)[field]), (field, value, _errors(err))
        assert records.entries() == []

    def test_dataset_of_another_opd_is_refused(self, portal):
        """The linked dataset must belong to the entry's OPD."""
        ds = portal.dataset()
        with pytest.raises(helpers.logic.ValidationError) as err:
            make_entry(portal, "walidata", owner_org=portal.other_opd["name"], package_id=ds["name"])
        assert _errors(err)["package_id"] == ["Dataset ini bukan milik OPD entri ini"]

    def test_linked_dataset_gives_the_sektor(self, portal):
        """Without a sektor, the linked dataset's urusan is taken."""
        ds = portal.dataset(urusan="1.02")
        made = make_entry(portal, urusan="", package_id=ds["name"])
        assert made["urusan"] == "1.02" and made["dataset"]["name"] == ds["name"]


@freeze_time(MARCH)
class TestUpdate:
    def test_edit_raises_the_sequence(self, portal):
        """An edit changes the fields given and increments SEQUENCE."""
        made = make_entry(portal)
        done = portal.call("satudata_calendar_entry_update", "verifikator", id=made["id"], title="Penduduk 2025")
        assert done["title"] == "Penduduk 2025" and done["period"] == "2025" and done["sequence"] == 1

    def test_date_changes_only_by_postponement(self, portal):
        """A new date through an edit is refused, pointing to the postponement."""
        made = make_entry(portal)
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_calendar_entry_update", "operator", id=made["id"], scheduled_date="2026-05-01")
        assert "penundaan" in _errors(err)["scheduled_date"][0]

    def test_other_opd_may_not_edit_nor_move_it_to_theirs(self, portal):
        """Someone else's OPD: refused; an OPD member cannot move an entry to an OPD they do not manage; an
        unknown id is not found (no 500)."""
        made = make_entry(portal)
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call("satudata_calendar_entry_update", "operator_lain", id=made["id"], title="x")
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call("satudata_calendar_entry_update", "operator", id=made["id"],
                        owner_org=portal.other_opd["id"])
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_calendar_entry_update", "walidata", id="tidak-ada", title="x")


@freeze_time(MARCH)
class TestPostpone:
    def test_postponement_keeps_the_old_date_and_reason(self, portal):
        """A later date and a reason: status ditunda, history kept, original date kept, sequence up."""
        made = make_entry(portal)
        done = portal.call("satudata_calendar_entry_postpone", "operator", id=made["id"], new_date="2026-04-30",
                           reason="Menunggu hasil pemutakhiran data kependudukan semester II")
        assert done["status"] == "ditunda" and done["status_label"] == "Ditunda"
        assert done["scheduled_date"] == "2026-04-30" and done["original_date"] == "2026-03-31"
        assert done["sequence"] == 1 and done["postponements"] == 1
        postponed = [h for h in done["history"] if h["action"] == "postpone"]
        assert postponed == [{"action": "postpone", "old_date": "2026-03-31", "new_date": "2026-04-30",
                              "reason": "Menunggu hasil pemutakhiran data kependudukan semester II",
                              "created": postponed[0]["created"]}]

    def test_bad_postponement(self, portal):
        """No reason, a date not later, a malformed or missing date: refused, nothing changes."""
        made = make_entry(portal)
        cases = [
            ({"new_date": "2026-04-30"}, "reason", "Tuliskan alasan penundaan"),
            ({"new_date": "2026-04-30", "reason": "  "}, "reason", "Tuliskan alasan penundaan"),
            ({"new_date": "2026-03-31", "reason": "x"}, "new_date",
             "lebih lambat dari tanggal rilis sekarang (2026-03-31)"),
            ({"new_date": "2026-03-15", "reason": "x"}, "new_date", "lebih lambat"),
            ({"new_date": "30/04/2026", "reason": "x"}, "new_date", "TTTT-BB-HH"),
            ({"reason": "x"}, "new_date", "Tanggal baru wajib diisi"),
        ]
        for data, field, message in cases:
            with pytest.raises(helpers.logic.ValidationError) as err:
                portal.call("satudata_calendar_entry_postpone", "operator", id=made["id"], **data)
            assert message in _errors(err)[field][0], (data, _errors(err))
        assert records.get_entry(made["id"])["sequence"] == 0

    def test_past_date_and_other_opd(self, portal):
        """An overdue entry cannot be postponed to a date that has passed too; someone else's OPD may not
        postpone at all."""
        made = make_entry(portal, scheduled_date="2026-02-01")
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_calendar_entry_postpone", "operator", id=made["id"], new_date="2026-02-15",
                        reason="Terlambat")
        assert _errors(err)["new_date"] == ["Tanggal baru tidak boleh di masa lalu"]
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call("satudata_calendar_entry_postpone", "operator_lain", id=made["id"], new_date="2026-04-30",
                        reason="x")

    def test_published_entry_cannot_be_postponed(self, portal):
        """Once released, there is nothing to postpone."""
        ds = portal.dataset()
        made = make_entry(portal, package_id=ds["id"])
        portal.publish(ds["id"])
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_calendar_entry_postpone", "operator", id=made["id"], new_date="2026-04-30",
                        reason="x")
        assert "sudah terbit" in _errors(err)["id"][0]


@freeze_time(MARCH)
class TestDeleteShowList:
    def test_delete_removes_it_from_lists(self, portal):
        """A deleted entry is gone from show and list; someone else's OPD may not delete."""
        made = make_entry(portal)
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call("satudata_calendar_entry_delete", "operator_lain", id=made["id"])
        portal.call("satudata_calendar_entry_delete", "operator", id=made["id"])
        with pytest.raises(helpers.logic.NotFound):
            helpers.call_action("satudata_calendar_entry_show", id=made["id"])
        assert helpers.call_action("satudata_calendar_entry_list") == []

    def test_list_filters(self, portal):
        """By OPD, sektor, status and month."""
        make_entry(portal, title="A", scheduled_date="2026-03-10")
        make_entry(portal, title="B", scheduled_date="2026-02-10", urusan="1.02")
        make_entry(portal, "walidata", title="C", owner_org=portal.other_opd["name"], scheduled_date="2026-04-01")

        def titles(**data):
            return [e["title"] for e in helpers.call_action("satudata_calendar_entry_list", **data)]

        assert titles() == ["B", "A", "C"]
        assert titles(organization="dinas-kesehatan") == ["C"]
        assert titles(urusan="1.02") == ["B"]
        assert titles(status="terlambat") == ["B"]
        assert titles(status="terjadwal") == ["A", "C"]
        assert titles(month="2026-03") == ["A"]
        assert titles(year=2026, limit=2) == ["B", "A"]

    def test_bad_filters(self, portal):
        """Bad filters are validation errors naming the filter, not 500s."""
        cases = [({"status": "entah"}, "status"), ({"month": "2026-13"}, "month"),
                 ({"organization": "tidak-ada"}, "organization"), ({"urusan": "x"}, "urusan"),
                 ({"start": "2026-04-01", "end": "2026-03-01"}, "end"), ({"limit": "0"}, "limit")]
        for data, field in cases:
            with pytest.raises(helpers.logic.ValidationError) as err:
                helpers.call_action("satudata_calendar_entry_list", **data)
            assert field in _errors(err), data


class TestStatusFollowsPublication:
    def test_published_on_time(self, portal):
        """Publishing the linked dataset through the workflow before the date: terbit tepat waktu."""
        with freeze_time(MARCH):
            ds = portal.dataset()
            made = make_entry(portal, package_id=ds["id"])
            portal.publish(ds["id"])
            shown = helpers.call_action("satudata_calendar_entry_show", id=made["id"])
        assert shown["status"] == "terbit_tepat_waktu" and shown["published_date"] == "2026-03-01"
        assert shown["on_original_schedule"]

    def test_overdue_then_published_late(self, portal):
        """The date passes unpublished: terlambat; published afterwards: still terlambat."""
        with freeze_time(MARCH):
            ds = portal.dataset()
            made = make_entry(portal, package_id=ds["id"], scheduled_date="2026-03-05")
        with freeze_time("2026-03-06 03:00:00"):
            assert helpers.call_action("satudata_calendar_entry_show", id=made["id"])["status"] == "terlambat"
            portal.publish(ds["id"])
            shown = helpers.call_action("satudata_calendar_entry_show", id=made["id"])
        assert shown["status"] == "terlambat" and shown["published"]

    def test_postponed_and_released_by_the_new_date(self, portal):
        """Released by the new date: on time for the status, not for the KPI's first date."""
        with freeze_time(MARCH):
            ds = portal.dataset()
            made = make_entry(portal, package_id=ds["id"], scheduled_date="2026-03-05")
            portal.call("satudata_calendar_entry_postpone", "operator", id=made["id"], new_date="2026-03-20",
                        reason="Validasi ulang")
        with freeze_time("2026-03-10 03:00:00"):
            portal.publish(ds["id"])
            shown = helpers.call_action("satudata_calendar_entry_show", id=made["id"])
        assert shown["status"] == "terbit_tepat_waktu" and not shown["on_original_schedule"]

    def test_local_date_decides(self, portal):
        """Published at 23:30 UTC on the 5th is the 6th in WIB: late for an entry due on the 5th."""
        with freeze_time(MARCH):
            ds = portal.dataset()
            made = make_entry(portal, package_id=ds["id"], scheduled_date="2026-03-05")
        with freeze_time("2026-03-05 23:30:00"):
            portal.publish(ds["id"])
        assert records.get_entry(made["id"])["published_at"] is not None
        with freeze_time("2026-03-07 00:00:00"):
            assert helpers.call_action("satudata_calendar_entry_show", id=made["id"])["status"] == "terlambat"

    def test_one_publication_fulfils_one_entry(self, portal):
        """Quarterly entries of one dataset: the first release fulfils the first quarter only; a published
        revision later fulfils the next one."""
        with freeze_time(MARCH):
            ds = portal.dataset()
            q1 = make_entry(portal, package_id=ds["id"], period="Triwulan I 2026", scheduled_date="2026-04-15")
            q2 = make_entry(portal, package_id=ds["id"], period="Triwulan II 2026", scheduled_date="2026-07-15")
        with freeze_time("2026-04-10 03:00:00"):
            portal.publish(ds["id"])
        assert records.get_entry(q1["id"])["published_at"] and not records.get_entry(q2["id"])["published_at"]
        with freeze_time("2026-07-10 03:00:00"):
            portal.call("satudata_revision_propose", "operator", id=ds["id"], notes="Data triwulan II")
            portal.call("satudata_revision_approve", "verifikator", id=ds["id"])
            portal.call("satudata_revision_publish", "walidata", id=ds["id"])
            assert helpers.call_action("satudata_calendar_entry_show", id=q2["id"])["status"] == "terbit_tepat_waktu"

    def test_publication_long_before_does_not_count(self, portal):
        """A release more than early_days before an entry's date does not fulfil it."""
        with freeze_time("2026-01-02 03:00:00"):
            ds = portal.dataset()
            made = make_entry(portal, package_id=ds["id"], scheduled_date="2026-12-31")
            portal.publish(ds["id"])
            assert records.get_entry(made["id"])["published_at"] is None
            assert config.early_days() == 90

    def test_linking_an_already_published_dataset(self, portal):
        """Linking a dataset published in the entry's window counts that publication."""
        with freeze_time(MARCH):
            ds = portal.dataset()
            portal.publish(ds["id"])
            made = make_entry(portal)
            done = portal.call("satudata_calendar_entry_update", "operator", id=made["id"], package_id=ds["name"])
        assert done["status"] == "terbit_tepat_waktu"
        unlinked = portal.call("satudata_calendar_entry_update", "operator", id=made["id"], package_id="")
        assert unlinked["dataset"] is None and not unlinked["published"]

    def test_tick_catches_publications_without_a_signal(self, portal, cli):
        """Harvesters publish through the workflow's internal transition (no action signal): the tick's sync
        finds the publication in the audit trail and fulfils the entry, once."""
        from ckanext.satudatapasuruan.calendar.cli import calendar
        from ckanext.satudatapasuruan.workflow.logic.action import _transition
        from ckanext.satudatapasuruan.workflow.machine import Transition

        ds = portal.dataset()
        made = make_entry(portal, package_id=ds["id"], scheduled_date=config.today().isoformat())
        portal.call("satudata_workflow_submit", "operator", id=ds["id"])
        portal.call("satudata_workflow_approve", "verifikator", id=ds["id"])
        _transition(Transition.PUBLISH, {"user": "walidata"}, {"id": ds["id"]})
        assert records.get_entry(made["id"])["published_at"] is None
        assert "1 publikasi dicatat" in cli.invoke(calendar, ["tick"]).output
        assert helpers.call_action("satudata_calendar_entry_show", id=made["id"])["status"] == "terbit_tepat_waktu"
        assert "0 publikasi dicatat" in cli.invoke(calendar, ["tick"]).output
