"""The pages: /capaian-kinerja for everyone (charts, map, exports, counted visits), /capaian-kinerja/kelola for
the walidata only, its forms with Indonesian errors in the page, never a 500."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.satudatapasuruan.monev import records, visits

from .conftest import headers

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

SECRET = "rahasia-data-sangat-tertutup"


def test_public_page(app, portal):
    """Anonymous users see every indicator, the manual section, the challenges, the OPD table and the map grid
    of 24 kecamatan with the chart data; the rahasia dataset counts but is never named; the view is counted."""
    secret = portal.dataset("rahasia", name=SECRET, title="Judul Rahasia Sekali")
    portal.publish(secret["id"])
    portal.call("satudata_monev_challenge_create", "walidata", year=dt.date.today().year,
                tantangan="Metadata OPD belum lengkap", tindak_lanjut="Klinik metadata")
    got = app.get("/capaian-kinerja", extra_environ={"REMOTE_ADDR": "10.1.1.1"})
    page = got.get_data(as_text=True)
    assert visits.by_month(dt.date.today().year) == {}  # counted once the response was sent
    got.close()
    assert "Capaian Kinerja Satu Data" in page and 'id="tabel-iku"' in page and 'id="tabel-manual"' in page
    assert page.count('class="satudata-monev-trend"') == 16 and "satudata-monev-data" in page
    assert "belum tersedia" in page and "Metadata OPD belum lengkap" in page and "Klinik metadata" in page
    assert page.count("<li data-kode=") == 24 and "Bangil" in page and "dispendukcapil" in page
    assert "_monev.js" in page and "_monev.css" in page
    assert SECRET not in page and "Judul Rahasia" not in page and secret["id"] not in page
    assert 'href="/capaian-kinerja/kelola' not in page  # not for anonymous
    assert sum(visits.by_month(dt.date.today().year).values()) == 1
    app.get("/capaian-kinerja", extra_environ={"REMOTE_ADDR": "10.1.1.1"}).close()  # the same visit
    app.get("/capaian-kinerja", extra_environ={"REMOTE_ADDR": "10.1.1.2"}).close()
    assert sum(visits.by_month(dt.date.today().year).values()) == 2


def test_year_choice_and_bad_year(app):
    """A past year is shown; a bad year is named on the page, not a 500."""
    assert "Capaian Kinerja Satu Data 2025" in app.get("/capaian-kinerja?tahun=2025").get_data(as_text=True)
    page = app.get("/capaian-kinerja?tahun=abc").get_data(as_text=True)
    assert "Tahun harus berupa angka empat digit" in page
    app.get("/capaian-kinerja/ekspor.csv?tahun=1800", status=400)


def test_exports(app):
    """The CSV and JSON links download files named by the year."""
    got = app.get("/capaian-kinerja/ekspor.csv?tahun=2026")
    assert got.headers["Content-Type"].startswith("text/csv")
    assert got.headers["Content-Disposition"] == 'attachment; filename="capaian-kinerja-2026.csv"'
    assert got.get_data(as_text=True).startswith("jenis,kode,indikator,tahun,nilai")
    got = app.get("/capaian-kinerja/ekspor.json")
    assert got.headers["Content-Type"].startswith("application/json") and '"indicators"' in got.get_data(as_text=True)


def test_manage_refused_to_others(app, portal):
    """Anonymous users, OPD operators and the pembina are refused the management page and its forms."""
    for who in (None, "operator", "pembina"):
        app.get("/capaian-kinerja/kelola", headers=headers(portal, who), status=403)
        app.post("/capaian-kinerja/kelola/target", headers=headers(portal, who),
                 data={"code": "dataset_tersedia", "year": "2026", "value": "1"}, status=403)
    assert records.targets() == {}


def test_manage_forms(app, portal):
    """The walidata's labelled forms: a bad value is named in Indonesian in the form (400, the input kept), a
    good one is saved and audited; an unknown form is a 404."""
    walidata = headers(portal, "walidata")
    page = app.get("/capaian-kinerja/kelola?tahun=2026", headers=walidata).get_data(as_text=True)
    assert 'for="series-kunjungan_monev"' in page
    for label in ('for="target-value"', 'for="manual-source"', 'for="manual-measured_on"', 'for="tantangan-baru"'):
        assert label in page
    bad = app.post("/capaian-kinerja/kelola/manual", headers=walidata, status=400, data={
        "code": "asn_terlatih", "year": "2026", "value": "-3", "source": "Laporan BKPSDM",
        "measured_on": "2026-01-31"}).get_data(as_text=True)
    assert "Nilai tidak boleh negatif" in bad and 'value="Laporan BKPSDM"' in bad
    app.post("/capaian-kinerja/kelola/manual", headers=walidata, follow_redirects=False, status=302, data={
        "code": "asn_terlatih", "year": "2026", "value": "45", "source": "Laporan BKPSDM",
        "measured_on": "2026-01-31"})
    assert records.get_manual("asn_terlatih", 2026)["value"] == 45.0
    app.post("/capaian-kinerja/kelola/target", headers=walidata, follow_redirects=False, status=302,
             data={"code": "dataset_tersedia", "year": "2026", "value": "175"})
    page = app.get("/capaian-kinerja/kelola?tahun=2026", headers=walidata).get_data(as_text=True)
    assert "diubah walidata" in page and "walidata" in page and "Riwayat perubahan" in page
    assert len(records.audit_rows()) == 2
    app.post("/capaian-kinerja/kelola/tantangan_hapus", headers=walidata, data={"id": "tidak-ada"}, status=404)
    app.post("/capaian-kinerja/kelola/lain", headers=walidata, data={}, status=404)
    public = app.get("/capaian-kinerja?tahun=2026", headers=walidata).get_data(as_text=True)
    assert "45 orang" in public and "diinput walidata" in public and "Laporan BKPSDM" in public



@pytest.mark.ckan_config("ckan.group_and_organization_list_all_fields_max", 3)
def test_every_opd_ranked(app, portal):
    """More OPDs than one page of organization_list (capped by CKAN): each has its row."""
    from ckan.tests import factories
    for i in range(3):
        factories.Organization(name=f"opd-{i:02d}")
    page = app.get("/capaian-kinerja").get_data(as_text=True)
    assert page.count("<tr data-opd=") == 7 and 'data-opd="opd-02"' in page
