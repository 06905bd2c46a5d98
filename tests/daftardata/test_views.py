"""The pages: /daftar-data (list, filters, form), /daftar-data/matriks (matrix, gap list, downloads),
/daftar-data/versi (versions, diff), /daftar-data/impor, /aplikasi-opd, for anonymous visitors and roles."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from .conftest import headers, make_entry, xlsx

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"), pytest.mark.usefixtures("clean_db")]


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def entries(portal):
    secret = portal.dataset("rahasia", name="data-rahasia-penduduk", title="Data Rahasia Penduduk")
    made = [make_entry(portal, name="Jumlah penduduk", status="dalam_produksi", package_ids=[secret["id"]]),
            make_entry(portal, "operator_lain", owner_org="dinas-kesehatan", name="Jumlah puskesmas",
                       urusan="1.02", priority=False)]
    return {"secret": secret, "made": made}


def test_public_pages_for_anonymous(app, portal, entries):
    """Anonymous visitors read the list (labelled filters), the matrix with gap list and downloads, the
    versions and the register; the rahasia dataset is only counted; no write forms; a bad filter is a 400
    page naming it, never a 500."""
    page = _text(app.get("/daftar-data"))
    for text in ("<h1>Daftar Data</h1>", 'for="daftar-opd"', 'for="daftar-sektor"', 'for="daftar-prioritas"',
                 'for="daftar-status"', "2 entri", "Jumlah penduduk", "Jumlah puskesmas",
                 "1 dataset tidak dapat ditampilkan", "Administrasi Kependudukan dan Pencatatan Sipil"):
        assert text in page, text
    assert "Data Rahasia Penduduk" not in page and "data-rahasia-penduduk" not in page and "Tambah entri" not in page
    only = _text(app.get("/daftar-data?sektor=1.02&prioritas=tidak"))
    assert "1 entri" in only and "Jumlah puskesmas" in only and "Jumlah penduduk" not in only
    bad = _text(app.get("/daftar-data?opd=xyz", status=400))
    assert "Kode OPD &#39;xyz&#39; tidak dikenal" in bad or "Kode OPD 'xyz' tidak dikenal" in bad
    matrix = _text(app.get("/daftar-data/matriks"))
    for text in ("Matriks ketersediaan data", "2 / 0 / 1", "1 / 0 / 0", "Daftar celah data", "2 celah",
                 "/daftar-data/ekspor/matriks.xlsx", "/daftar-data/ekspor/celah.csv"):
        assert text in matrix, text
    assert "Data Rahasia Penduduk" not in matrix
    versions = _text(app.get("/daftar-data/versi"))
    assert "Belum ada versi yang dicatat." in versions and "Catat versi baru" not in versions
    apps = _text(app.get("/aplikasi-opd"))
    assert "Register aplikasi OPD" in apps and "Daftarkan aplikasi" not in apps
    for url in ("/daftar-data/baru", "/daftar-data/impor"):
        response = app.get(url, follow_redirects=False)
        assert response.status_code == 302 and "/user/login" in response.headers["Location"]
    app.get("/daftar-data/versi/9", status=404)
    app.get("/daftar-data/ekspor/lain.xlsx", status=404)


def test_walidata_pages_versions_and_diff(app, portal, entries):
    """The walidata sees the rahasia dataset by name, records a version from the page (a bad date is named
    in the form), and reads a version and its diff with the live list."""
    walidata = headers(portal, "walidata")
    page = _text(app.get("/daftar-data", headers=walidata))
    assert "Data Rahasia Penduduk" in page and "Tambah entri" in page
    form = _text(app.get("/daftar-data/versi", headers=walidata))
    assert 'for="field-agreed_by"' in form and 'for="field-agreed_date"' in form
    bad = _text(app.post("/daftar-data/versi", headers=walidata, data={"agreed_by": "Forum", "agreed_date": "x"},
                         status=400))
    assert "Tanggal &#39;x&#39; tidak sah" in bad or "Tanggal 'x' tidak sah" in bad
    done = app.post("/daftar-data/versi", headers=walidata, follow_redirects=False,
                    data={"agreed_by": "Forum Satu Data", "agreed_date": "2026-05-04", "note": "Rapat"})
    assert done.status_code == 302
    app.post("/daftar-data/versi", headers=headers(portal, "operator"), status=403,
             data={"agreed_by": "Forum", "agreed_date": "2026-05-04"})
    make_entry(portal, name="Data baru prioritas")
    diff = _text(app.get("/daftar-data/versi?lama=1"))
    for text in ("Perubahan dari versi 1 ke daftar terkini", "Ditambahkan (1)", "Data baru prioritas",
                 "Dihapus (0)", "Diubah (0)"):
        assert text in diff, text
    version = _text(app.get("/daftar-data/versi/1"))
    assert "Forum Satu Data" in version and "1 entri prioritas" in version and "Jumlah penduduk" in version
    assert "Data Rahasia Penduduk" not in version


def test_entry_form(app, portal, entries):
    """A user without an OPD is refused; the operator's form is labelled, shows each bad field in Indonesian
    (400, values kept) and saves a good entry; another OPD's operator may not edit it."""
    assert "Tidak diizinkan" in _text(app.get("/daftar-data/baru", headers=headers(portal, "warga"), status=403))
    operator = headers(portal, "operator")
    form = _text(app.get("/daftar-data/baru", headers=operator))
    for name in ("owner_org", "name", "urusan", "program", "frekuensi", "target_year", "priority", "dasar_hukum",
                 "status", "package_ids"):
        assert f'for="field-{name}"' in form, name
    bad = _text(app.post("/daftar-data/baru", headers=operator, status=400, data={
        "owner_org": "dispendukcapil", "name": "Data kelahiran", "urusan": "9.99", "frekuensi": "tahunan",
        "target_year": "dua", "status": "dibutuhkan"}))
    for text in ("Periksa isian berikut", "9.99", "tidak dikenal", "Tahun target", 'value="Data kelahiran"',
                 'aria-invalid="true"'):
        assert text in bad, text
    saved = app.post("/daftar-data/baru", headers=operator, follow_redirects=False, data={
        "owner_org": "dispendukcapil", "name": "Data kelahiran", "urusan": "2.12", "frekuensi": "tahunan",
        "target_year": "2026", "status": "dibutuhkan", "priority": "ya"})
    assert saved.status_code == 302
    entry_id = entries["made"][0]["id"]
    edit = _text(app.get(f"/daftar-data/{entry_id}/ubah", headers=operator))
    assert 'value="Jumlah penduduk"' in edit and "data-rahasia-penduduk" in edit
    app.get(f"/daftar-data/{entry_id}/ubah", headers=headers(portal, "operator_lain"), status=403)
    app.get("/daftar-data/tidak-ada/ubah", headers=operator, status=404)
    app.post(f"/daftar-data/{entry_id}/hapus", headers=headers(portal, "operator_lain"), status=403)
    app.post(f"/daftar-data/{entry_id}/hapus", headers=operator)
    assert portal.call("satudata_daftardata_entry_list", "warga")["count"] == 2


def test_downloads(app, portal, entries):
    """The matrix and the gap list download as CSV and XLSX, with the page's filters; the gap list counts
    linked datasets and never names them."""
    rows = list(csv.reader(io.StringIO(_text(app.get("/daftar-data/ekspor/matriks.csv")).lstrip("\ufeff"))))
    assert rows[0] == ["OPD", "Kode sektor", "Sektor", "Dibutuhkan", "Tersedia", "Prioritas"]
    assert sorted(rows[1:]) == [["Dinas Kependudukan dan Pencatatan Sipil", "2.12",
                                 "Administrasi Kependudukan dan Pencatatan Sipil", "1", "0", "1"],
                                ["Dinas Kesehatan", "1.02", "Kesehatan", "1", "0", "0"]]
    book = load_workbook(io.BytesIO(app.get("/daftar-data/ekspor/celah.xlsx?prioritas=ya").data))
    sheet = [[c.value for c in r] for r in book.active.iter_rows()]
    assert sheet[0][:2] == ["OPD", "Nama data"] and len(sheet) == 2
    assert sheet[1][1] == "Jumlah penduduk" and sheet[1][-1] == 1
    assert "Rahasia" not in str(sheet)


def test_import_page(app, portal):
    """The import page offers the template; a file with an unknown OPD is refused with its row named and
    nothing written; a good file is loaded."""
    operator = headers(portal, "operator")
    assert 'for="field-upload"' in _text(app.get("/daftar-data/impor", headers=operator))
    template = app.get("/daftar-data/impor/templat.xlsx", headers=operator)
    assert template.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [["dispendukcapil", "Data A", "2.12", "", "tahunan", 2026, "ya", "", "", ""],
            ["xyz", "Data B", "2.12", "", "tahunan", 2026, "", "", "", ""]]
    bad = _text(app.post("/daftar-data/impor", headers=operator, status=400,
                         data={"upload": (io.BytesIO(xlsx(rows)), "daftar.xlsx")}))
    assert "Tidak ada yang disimpan" in bad and "Baris 3: kode OPD" in bad and "xyz" in bad
    assert portal.call("satudata_daftardata_entry_list", "warga")["count"] == 0
    done = app.post("/daftar-data/impor", headers=operator, follow_redirects=False,
                    data={"upload": (io.BytesIO(xlsx(rows[:1])), "daftar.xlsx")})
    assert done.status_code == 302
    assert portal.call("satudata_daftardata_entry_list", "warga")["count"] == 1


def test_apps_page(app, portal):
    """The OPD registers an application from the page; ``dipanen`` without the harvest plugin is refused in
    the form; another OPD's operator may not edit it."""
    operator = headers(portal, "operator")
    form = _text(app.get("/aplikasi-opd", headers=operator))
    for name in ("owner_org", "name", "function", "priority", "integration", "harvest_source_id"):
        assert f'for="field-app-{name}"' in form, name
    bad = _text(app.post("/aplikasi-opd", headers=operator, status=400, data={
        "owner_org": "dispendukcapil", "name": "SIAK", "integration": "dipanen", "harvest_source_id": "siak"}))
    assert "ckanext-harvest" in bad and 'value="SIAK"' in bad
    saved = app.post("/aplikasi-opd", headers=operator, follow_redirects=False, data={
        "owner_org": "dispendukcapil", "name": "SIAK", "integration": "api_terdokumentasi"})
    assert saved.status_code == 302
    listed = _text(app.get("/aplikasi-opd"))
    assert "SIAK" in listed and "API terdokumentasi" in listed
    app_id = portal.call("satudata_daftardata_app_list", "warga")[0]["id"]
    app.get(f"/aplikasi-opd/{app_id}/ubah", headers=headers(portal, "operator_lain"), status=403)
    assert 'value="SIAK"' in _text(app.get(f"/aplikasi-opd/{app_id}/ubah", headers=operator))
