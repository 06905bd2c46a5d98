"""The iCalendar feeds (RFC 5545, parsed back with icalendar) and what the calendar shows of datasets the
viewer may not see."""
from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from ckan.tests import helpers

from .conftest import PLUGINS, headers, make_entry

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _events(response) -> dict[str, icalendar.Event]:
    assert response.headers["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.get_data())
    assert str(cal["VERSION"]) == "2.0" and "Satu Data" in str(cal["PRODID"])
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_uid_stable_sequence_grows(app, portal):
    """UID <id>@<host> stays through an edit and a postponement; SEQUENCE and the date follow; DTSTAMP, SUMMARY,
    DESCRIPTION (with the postponement's reason) and URL are there."""
    made = make_entry(portal, scheduled_date="2099-03-31")
    uid = f"{made['id']}@test.ckan.net"
    first = _events(app.get("/kalender-rilis.ics"))[uid]
    assert int(first["SEQUENCE"]) == 0 and first.decoded("DTSTART") == dt.date(2099, 3, 31)
    assert isinstance(first.decoded("DTSTAMP"), dt.datetime)
    assert "Jumlah Penduduk Menurut Kecamatan (2025)" in str(first["SUMMARY"])
    assert "Dinas Kependudukan dan Pencatatan Sipil" in str(first["DESCRIPTION"])
    assert str(first["URL"]).startswith("http://test.ckan.net/kalender-rilis/daftar?bulan=2099-03")
    portal.call("satudata_calendar_entry_update", "operator", id=made["id"], title="Penduduk per Kecamatan")
    edited = _events(app.get("/kalender-rilis.ics"))[uid]
    assert int(edited["SEQUENCE"]) == 1 and "Penduduk per Kecamatan" in str(edited["SUMMARY"])
    portal.call("satudata_calendar_entry_postpone", "operator", id=made["id"], new_date="2099-04-30",
                reason="Menunggu data semester II")
    moved = _events(app.get("/kalender-rilis.ics"))
    assert list(moved) == [uid]
    assert int(moved[uid]["SEQUENCE"]) == 2 and moved[uid].decoded("DTSTART") == dt.date(2099, 4, 30)
    assert "Menunggu data semester II" in str(moved[uid]["DESCRIPTION"])
    portal.call("satudata_calendar_entry_delete", "operator", id=made["id"])
    assert _events(app.get("/kalender-rilis.ics")) == {}


def test_per_opd_feed(app, portal):
    """/kalender-rilis/<opd>.ics and ?organization= hold that OPD's entries only; an unknown OPD is a 404."""
    mine = make_entry(portal, scheduled_date="2099-01-10")
    make_entry(portal, "walidata", owner_org=portal.other_opd["name"], scheduled_date="2099-01-11")
    assert len(_events(app.get("/kalender-rilis.ics"))) == 2
    only = _events(app.get("/kalender-rilis/dispendukcapil.ics"))
    assert list(only) == [f"{mine['id']}@test.ckan.net"]
    assert list(_events(app.get("/kalender-rilis.ics?organization=dispendukcapil"))) == list(only)
    assert app.get("/kalender-rilis/tidak-ada.ics", status=404).status_code == 404


def test_unpublished_dataset_does_not_leak(app, portal):
    """A linked draft (and a rahasia dataset) shows to the public as the entry's own title only: no dataset
    name, title or link in the action, the pages or the feed; its OPD sees the link."""
    draft = portal.dataset("rahasia", title="Data Rahasia Pasien", name="data-rahasia-pasien")
    portal.publish(draft["id"])
    made = make_entry(portal, package_id=draft["id"], title="Statistik Layanan 2025", scheduled_date="2099-02-01")
    public = helpers.call_action("satudata_calendar_entry_show", context={"user": "", "ignore_auth": False},
                                 id=made["id"])
    assert public["dataset"] is None and public["title"] == "Statistik Layanan 2025"
    assert portal.call("satudata_calendar_entry_show", "operator_lain", id=made["id"])["dataset"] is None
    own = portal.call("satudata_calendar_entry_show", "operator", id=made["id"])
    assert own["dataset"]["name"] == "data-rahasia-pasien"
    for url in ("/kalender-rilis.ics", "/kalender-rilis?bulan=2099-02", "/kalender-rilis/daftar?tahun=2099"):
        body = app.get(url).get_data(as_text=True)
        assert "Statistik Layanan 2025" in body
        assert "rahasia-pasien" not in body and "Data Rahasia Pasien" not in body, url
    own_page = app.get("/kalender-rilis/daftar?tahun=2099", headers=headers(portal, "operator")).body
    assert "/dataset/data-rahasia-pasien" in own_page


def test_non_public_entry_is_hidden(app, portal):
    """An entry flagged non-public exists only for its OPD, the walidata and sysadmins."""
    made = make_entry(portal, public=False, title="Rencana Rilis Internal", scheduled_date="2099-02-01")
    for who in ("operator", "verifikator", "walidata", "sysadmin"):
        assert portal.call("satudata_calendar_entry_show", who, id=made["id"])["title"] == "Rencana Rilis Internal"
    for who in ("operator_lain", "warga", "pembina"):
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_calendar_entry_show", who, id=made["id"])
        assert portal.call("satudata_calendar_entry_list", who) == []
    with pytest.raises(helpers.logic.NotFound):
        helpers.call_action("satudata_calendar_entry_show", context={"user": "", "ignore_auth": False}, id=made["id"])
    assert "Rencana Rilis Internal" not in app.get("/kalender-rilis.ics").get_data(as_text=True)
    assert "Rencana Rilis Internal" not in app.get("/kalender-rilis/daftar?tahun=2099").body
    assert "Rencana Rilis Internal" in app.get("/kalender-rilis/daftar?tahun=2099",
                                               headers=headers(portal, "operator")).body
