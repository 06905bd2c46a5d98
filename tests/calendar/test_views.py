"""The pages: month grid (a real table), list, filters, and the management forms for the OPD and the walidata."""
from __future__ import annotations

import re

import pytest

from ckanext.satudatapasuruan.calendar import records

from .conftest import PLUGINS, headers, make_entry

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def test_month_grid_is_an_accessible_table(app, portal):
    """Caption, day headers with scope, entries on their day, prev/next keep the filters, labelled filters."""
    make_entry(portal, title="Penduduk Maret", scheduled_date="2099-03-31")
    make_entry(portal, "walidata", owner_org=portal.other_opd["name"], title="Kesehatan Maret",
               scheduled_date="2099-03-02", urusan="1.02")
    body = app.get("/kalender-rilis?bulan=2099-03").body
    assert "<caption>Jadwal rilis data bulan Maret 2099 (2 rilis)</caption>" in body
    assert body.count('<th scope="col">') == 7 and '<abbr title="Senin">Sen</abbr>' in body
    assert '<time datetime="2099-03-31">31</time>' in body
    cell = body[body.index('<time datetime="2099-03-31">'):]
    assert cell.index("Penduduk Maret") < cell.index("</td>")
    assert 'href="/kalender-rilis?bulan=2099-02"' in body and 'href="/kalender-rilis?bulan=2099-04"' in body
    for control in ("filter-organization", "filter-sektor", "filter-status"):
        assert f'<label for="{control}">' in body and f'id="{control}"' in body
    filtered = app.get("/kalender-rilis?bulan=2099-03&organization=dinas-kesehatan&sektor=1.02&status=terjadwal").body
    assert "Kesehatan Maret" in filtered and "Penduduk Maret" not in filtered
    assert re.search(r'href="/kalender-rilis\?bulan=2099-04&amp;organization=dinas-kesehatan&amp;sektor=1.02'
                     r'&amp;status=terjadwal"', filtered)
    assert "Bulan berikutnya: April 2099" in body


def test_bad_parameters_are_named_not_500(app, portal):
    """Unknown filter values and a malformed month or year are reported and ignored."""
    make_entry(portal, scheduled_date="2099-03-31")
    page = app.get("/kalender-rilis?bulan=2099-13&organization=tidak-ada&status=entah&sektor=%3Cscript%3E")
    assert page.status_code == 200
    assert page.body.count("Nilai penyaring tidak dikenal dan diabaikan") == 3
    assert "Bulan harus berformat TTTT-BB" in page.body and "<script>" not in page.body
    listing = app.get("/kalender-rilis/daftar?tahun=20x6")
    assert listing.status_code == 200 and "Tahun harus empat angka" in listing.body


def test_list_view_shows_status_and_postponement(app, portal):
    """The list of a year: a table with headers, status labels, the postponement's reason in public."""
    made = make_entry(portal, title="Penduduk Tahunan", scheduled_date="2099-03-31")
    portal.call("satudata_calendar_entry_postpone", "operator", id=made["id"], new_date="2099-05-31",
                reason="Menunggu rekonsiliasi data")
    body = app.get("/kalender-rilis/daftar?tahun=2099").body
    assert "<caption>Daftar jadwal rilis tahun 2099 (1 rilis)</caption>" in body
    assert "Ditunda dari 2099-03-31 ke 2099-05-31: Menunggu rekonsiliasi data" in body
    assert ">Ditunda</span>" in body and "Ubah</a>" not in body  # no management links for the public
    own = app.get("/kalender-rilis/daftar?tahun=2099", headers=headers(portal, "operator")).body
    assert f"/kalender-rilis/{made['id']}/ubah" in own and "Tambah jadwal rilis" in own


def test_management_forms(app, portal):
    """Create, edit, postpone and delete through the pages; errors in Indonesian with a 400; other OPDs get
    403 and anonymous visitors the login."""
    auth = headers(portal, "operator")
    form = app.get("/kalender-rilis/baru", headers=auth).body
    assert '<label for="field-title">Judul rilis</label>' in form
    bad = app.post("/kalender-rilis/baru", headers=auth, status=400, data={
        "owner_org": "dispendukcapil", "title": "", "period": "2025", "scheduled_date": "2099-02-30", "urusan": "2.12"})
    assert "Judul rilis wajib diisi" in bad.body and "Tanggal ini tidak ada di kalender" in bad.body
    refused = app.post("/kalender-rilis/baru", headers=auth, status=400, data={
        "owner_org": "dinas-kesehatan", "title": "A", "period": "2025", "scheduled_date": "2099-02-01",
        "urusan": "2.12"})
    assert "Anda tidak berhak mengelola jadwal rilis OPD ini" in refused.body
    app.post("/kalender-rilis/baru", headers=auth, follow_redirects=False, data={
        "owner_org": "dispendukcapil", "title": "Penduduk 2025", "period": "2025", "scheduled_date": "2099-02-01",
        "urusan": "2.12", "public": "on"})
    entry = records.entries()[0]
    assert entry["title"] == "Penduduk 2025" and entry["public"]
    app.post(f"/kalender-rilis/{entry['id']}/ubah", headers=auth, data={
        "owner_org": "dispendukcapil", "title": "Penduduk Akhir 2025", "period": "2025", "urusan": "2.12",
        "public": "on"})
    assert records.get_entry(entry["id"])["title"] == "Penduduk Akhir 2025"
    no_reason = app.post(f"/kalender-rilis/{entry['id']}/tunda", headers=auth, status=400,
                         data={"new_date": "2099-03-01", "reason": ""})
    assert "Tuliskan alasan penundaan" in no_reason.body
    app.post(f"/kalender-rilis/{entry['id']}/tunda", headers=auth,
             data={"new_date": "2099-03-01", "reason": "Menunggu data"})
    assert records.get_entry(entry["id"])["scheduled_date"].isoformat() == "2099-03-01"
    other = headers(portal, "operator_lain")
    assert app.get(f"/kalender-rilis/{entry['id']}/ubah", headers=other, status=403).status_code == 403
    assert app.post(f"/kalender-rilis/{entry['id']}/hapus", headers=other, status=403).status_code == 403
    assert app.get("/kalender-rilis/tidak-ada/tunda", headers=auth, status=404).status_code == 404
    login = app.get("/kalender-rilis/baru", follow_redirects=False)
    assert login.status_code == 302 and "/user/login" in login.headers["Location"]
    app.post(f"/kalender-rilis/{entry['id']}/hapus", headers=auth)
    assert records.entries() == []
