"""The pages: /kamus-data (search, list), an entry with its history, the maintainers' forms, the JSON the
picker reads, and the picker on the dataset form."""
from __future__ import annotations

import pytest

from .conftest import headers, make_entry

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"), pytest.mark.usefixtures("clean_db")]


def test_public_list_search_and_entry(app, portal):
    """Anonymous visitors search the list (labelled form, the entry's row) and read an entry with its history,
    a past version, and no maintenance forms; an unknown or malformed kode is a 404 page."""
    make_entry(portal)
    make_entry(portal, kode="SE00101.00.00", konsep="Produk Domestik Regional Bruto", satuan="rupiah")
    portal.call("satudata_kamus_entry_update", "pembina", kode="SP00055.00.00", definisi="Definisi baru.",
                note="Selaras Perba BPS")
    page = app.get("/kamus-data").get_data(as_text=True)
    for text in ("<h1>Kamus Data</h1>", 'for="kamus-q"', 'for="kamus-pensiun"', "2 entri", "SP00055.00.00",
                 "Produk Domestik Regional Bruto", "Jiwa"):
        assert text in page, text
    assert "Tambah entri" not in page
    found = app.get("/kamus-data?q=domestik").get_data(as_text=True)
    assert "1 entri" in found and "SE00101.00.00" in found and "/kamus-data/SP00055.00.00" not in found
    entry = app.get("/kamus-data/SP00055.00.00").get_data(as_text=True)
    for text in ("SP00055.00.00 Penduduk", "Definisi baru.", "Riwayat versi", "Diubah: Definisi", "Selaras Perba BPS",
                 "Dibuat", "Peraturan BPS Nomor 4 Tahun 2021"):
        assert text in entry, text
    assert "Ubah entri" not in entry and "Pensiunkan entri" not in entry
    old = app.get("/kamus-data/SP00055.00.00?versi=1").get_data(as_text=True)
    assert "Anda melihat versi 1; versi terkini 2." in old and "Orang yang berdomisili" in old
    for url in ("/kamus-data/SP00099.00.00", "/kamus-data/bukan-kode", "/kamus-data/SP00055.00.00?versi=9"):
        assert "Entri kamus tidak ditemukan" in app.get(url, status=404).get_data(as_text=True)


def test_json_for_the_picker(app, portal):
    """The picker's JSON (the public show action) answers anonymous GETs."""
    make_entry(portal)
    body = app.get("/api/3/action/satudata_kamus_entry_show?kode=SP00055.00.00").json
    assert body["success"] and body["result"]["satuan"] == "jiwa" and body["result"]["version"] == 1


def test_forms_for_maintainers_only(app, portal):
    """Anonymous visitors log in first; an OPD operator is refused (403); the walidata's form is labelled,
    names every bad field in Indonesian (400) and saves a good entry."""
    anonymous = app.get("/kamus-data/baru", follow_redirects=False)
    assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"]
    refused = app.get("/kamus-data/baru", headers=headers(portal, "operator"), status=403).get_data(as_text=True)
    assert "Hanya walidata dan pembina data" in refused
    app.post("/kamus-data/baru", headers=headers(portal, "operator"), data={"kode": "SP00055.00.00"}, status=403)
    form = app.get("/kamus-data/baru", headers=headers(portal, "walidata")).get_data(as_text=True)
    for name in ("kode", "konsep", "definisi", "klasifikasi", "ukuran", "satuan", "dasar_hukum", "note"):
        assert f'for="field-{name}"' in form, name
    bad = app.post("/kamus-data/baru", headers=headers(portal, "walidata"),
                   data={"kode": "SP1", "konsep": "Penduduk"}, status=400).get_data(as_text=True)
    for text in ("Kode standar data harus berbentuk", "Definisi wajib diisi", "Satuan wajib diisi", 'value="Penduduk"'):
        assert text in bad, text
    saved = app.post("/kamus-data/baru", headers=headers(portal, "walidata"), follow_redirects=False, data={
        "kode": "SP00055.00.00", "konsep": "Penduduk", "definisi": "Orang yang berdomisili.",
        "klasifikasi": "Menurut kecamatan", "ukuran": "Jumlah", "satuan": "jiwa"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/kamus-data/SP00055.00.00")


def test_edit_retire_and_bring_back_through_the_page(app, portal):
    """The pembina edits (a new version; a stale form is refused), retires with a reason and brings the entry
    back, each from the entry's page."""
    make_entry(portal)
    pembina = headers(portal, "pembina")
    page = app.get("/kamus-data/SP00055.00.00", headers=pembina).get_data(as_text=True)
    assert "Ubah entri" in page and 'for="retire-note"' in page
    form = app.get("/kamus-data/SP00055.00.00/ubah", headers=pembina).get_data(as_text=True)
    assert 'name="version" value="1"' in form and "readonly" in form
    data = {"konsep": "Penduduk", "definisi": "Definisi baru.", "klasifikasi": "Menurut kecamatan",
            "ukuran": "Jumlah", "satuan": "jiwa", "version": "1", "note": "Perbaikan"}
    app.post("/kamus-data/SP00055.00.00/ubah", headers=pembina, data=data)
    stale = app.post("/kamus-data/SP00055.00.00/ubah", headers=pembina, data=dict(data, konsep="Warga"),
                     status=400).get_data(as_text=True)
    assert "sudah berubah menjadi versi 2" in stale
    app.get("/kamus-data/SP00099.00.00/ubah", headers=pembina, status=404)
    page = app.post("/kamus-data/SP00055.00.00/pensiun", headers=pembina, data={"note": " "},
                    follow_redirects=True).get_data(as_text=True)
    assert "Alasan pensiun wajib diisi" in page
    page = app.post("/kamus-data/SP00055.00.00/pensiun", headers=pembina, data={"note": "Diganti"},
                    follow_redirects=True).get_data(as_text=True)
    assert "Entri ini sudah dipensiunkan" in page and "Aktifkan kembali" in page
    page = app.post("/kamus-data/SP00055.00.00/aktifkan", headers=pembina, data={},
                    follow_redirects=True).get_data(as_text=True)
    assert "Entri aktif kembali." in page
    history = portal.call("satudata_kamus_entry_history", "warga", kode="SP00055.00.00")
    assert [h["change"] for h in history] == ["diubah", "dipensiunkan", "diubah", "dibuat"]
    app.post("/kamus-data/SP00055.00.00/pensiun", headers=headers(portal, "operator"), data={"note": "x"}, status=403)


def test_picker_on_the_dataset_form(app, portal):
    """The OPD's new-dataset form offers the active entries in a labelled select posted as kamus_pilih, the
    origin field, and the script that fills the fields from the JSON action; no entries, no picker."""
    empty = app.get("/dataset/new", headers=headers(portal, "operator")).get_data(as_text=True)
    assert 'id="field-standar_data_asal"' in empty and "kamus-picker" not in empty
    make_entry(portal)
    make_entry(portal, kode="SE00101.00.00", konsep="PDRB", satuan="rupiah")
    portal.call("satudata_kamus_entry_delete", "walidata", kode="SE00101.00.00", note="Diganti")
    page = app.get("/dataset/new", headers=headers(portal, "operator")).get_data(as_text=True)
    for text in ('for="field-kamus_pilih"', 'name="kamus_pilih"', "SP00055.00.00 Penduduk",
                 "/api/3/action/satudata_kamus_entry_show", "Ambil standar data dari Kamus Data",
                 'id="field-standar_data_asal"', "Kamus Data terpadu", "Disalin sendiri"):
        assert text in page, text
    assert "SE00101.00.00" not in page
