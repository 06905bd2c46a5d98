"""Bulk load of entries from CSV/XLSX through the data uploads' validation core: all rows or none, problems
named by row and column in Indonesian."""
from __future__ import annotations

import io

import pytest
from ckan.tests import helpers
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

from ckanext.satudatapasuruan.calendar import records

from ..metadata.conftest import complete_dataset
from .conftest import PLUGINS, headers

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

HEADER = "OPD;Sektor;Judul;Periode;Tanggal rilis;Dataset;Prioritas;Publik;Keterangan\n"


def _upload(data: bytes, filename: str = "kalender.csv") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename)


def _import(portal, who: str, data: bytes, **extra):
    return portal.call("satudata_calendar_import", who, upload=_upload(data), **extra)


def test_csv_loads_every_row(portal):
    """A good CSV (semicolons, DD/MM/YYYY, sektor by code or name, dataset by name) creates every entry."""
    ds = portal.dataset()
    text = HEADER + ("dispendukcapil;2.12;Penduduk Semester I;Semester I 2026;30/06/2026;;ya;;\n"
                     f"Dinas Kependudukan dan Pencatatan Sipil;;Penduduk Tahunan;2025;2026-03-31;{ds['name']};;tidak;"
                     "Data agregat\n"
                     "dispendukcapil;Kesehatan;Layanan Kesehatan;2025;2026-04-15;;;;\n")
    checked = _import(portal, "operator", text.encode("utf-8"), dry_run=True)
    assert checked == {"created": 0, "checked": 3, "ids": []} and records.entries() == []
    done = _import(portal, "operator", text.encode("utf-8"))
    assert done["created"] == 3
    rows = {r["title"]: r for r in records.entries()}
    assert rows["Penduduk Semester I"]["priority"] and rows["Penduduk Semester I"]["scheduled_date"].isoformat() \
        == "2026-06-30"
    assert rows["Penduduk Tahunan"]["package_id"] == ds["id"] and rows["Penduduk Tahunan"]["urusan"] == "2.12"
    assert not rows["Penduduk Tahunan"]["public"] and rows["Penduduk Tahunan"]["notes"] == "Data agregat"
    assert rows["Layanan Kesehatan"]["urusan"] == "1.02"


def test_xlsx_loads(portal):
    """An XLSX with date cells loads like the CSV."""
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["OPD", "Sektor", "Judul", "Periode", "Tanggal rilis"])
    sheet.append(["dispendukcapil", "2.12", "Penduduk 2025", "2025", dt.datetime(2026, 5, 20)])
    buf = io.BytesIO()
    book.save(buf)
    assert _import(portal, "verifikator", buf.getvalue())["created"] == 1
    assert records.entries()[0]["scheduled_date"] == dt.date(2026, 5, 20)


def test_any_bad_row_saves_nothing(portal):
    """Unknown OPD, someone else's OPD, a bad date, an unknown sektor, a missing title, a formula, a dataset of
    another OPD: each reported with its row and column; not even the good rows are saved."""
    other = portal.call("package_create", "operator_lain",
                        **complete_dataset(portal.other_opd["id"], name="data-dinkes"))
    text = HEADER + ("dispendukcapil;2.12;Baik;2025;2026-03-31;;;;\n"
                     "dinas-tidak-ada;2.12;A;2025;2026-03-31;;;;\n"
                     f"dispendukcapil;2.12;B;2025;2026-03-31;{other['name']};;;\n")
    with pytest.raises(helpers.logic.ValidationError) as err:
        _import(portal, "operator", text.encode("utf-8"))
    messages = err.value.error_dict["upload"]
    assert any(m.startswith("Baris 3, kolom OPD: OPD \u201cdinas-tidak-ada\u201d tidak ditemukan") for m in messages)
    assert any(m.startswith("Baris 4, kolom Dataset: Dataset \u201cdata-dinkes\u201d bukan milik OPD")
               for m in messages)
    text = HEADER + ("dinas-kesehatan;2.12;Bukan OPD saya;2025;2026-03-31;;;;\n"
                     "dispendukcapil;2.12;Tanggal salah;2025;31-03-2026;;;;\n"
                     "dispendukcapil;9.99;Sektor salah;2025;2026-03-31;;;;\n"
                     "dispendukcapil;2.12;;2025;2026-03-31;;;;\n"
                     "dispendukcapil;2.12;=HYPERLINK(\"x\");2025;2026-03-31;;;;\n"
                     "dinas-lain-tidak-ada;2.12;Setelah galat;2025;2026-03-31;;;;\n")
    with pytest.raises(helpers.logic.ValidationError) as err:
        _import(portal, "operator", text.encode("utf-8"))
    messages = " | ".join(err.value.error_dict["upload"])
    assert "Baris 2, kolom OPD: Anda tidak berhak mengelola jadwal rilis OPD \u201cdinas-kesehatan\u201d" in messages
    assert "Baris 3, kolom Tanggal rilis: Harus tanggal berformat TTTT-BB-HH" in messages
    assert "Baris 4, kolom Sektor: Bukan salah satu pilihan" in messages
    assert "Baris 5, kolom Judul: Sel ini wajib diisi." in messages
    assert "Baris 6, kolom Judul: Isian tidak boleh diawali tanda =" in messages
    assert "Baris 7, kolom OPD: OPD \u201cdinas-lain-tidak-ada\u201d tidak ditemukan" in messages  # after type errors
    assert records.entries() == []


def test_bad_files(portal):
    """A missing column, an empty file, no file, a header-only file, an anonymous caller: refused, no 500."""
    cases = [
        (b"OPD;Judul;Periode\ndispendukcapil;A;2025\n", "Kolom wajib tidak ada di baris judul: tanggal"),
        (b"", "Berkas kosong"),
        (HEADER.encode("utf-8"), "Berkas hanya berisi baris judul"),
    ]
    for data, message in cases:
        with pytest.raises(helpers.logic.ValidationError) as err:
            _import(portal, "operator", data)
        assert any(message in m for m in err.value.error_dict["upload"]), err.value.error_dict
    with pytest.raises(helpers.logic.ValidationError) as err:
        portal.call("satudata_calendar_import", "operator")
    assert err.value.error_dict["upload"] == ["Pilih berkas XLSX atau CSV untuk diunggah"]
    with pytest.raises(helpers.logic.NotAuthorized):
        helpers.call_action("satudata_calendar_import", context={"user": "", "ignore_auth": False},
                            upload=_upload(b"x"))


@pytest.mark.ckan_config("ckanext.satudatapasuruan.calendar.import_max_rows", 1)
def test_row_limit_and_the_page(app, portal):
    """More rows than allowed is refused whole; the upload page lists the problem in Indonesian."""
    text = HEADER + "dispendukcapil;2.12;A;2025;2026-03-31;;;;\ndispendukcapil;2.12;B;2025;2026-03-31;;;;\n"
    with pytest.raises(helpers.logic.ValidationError) as err:
        _import(portal, "operator", text.encode("utf-8"))
    assert "lebih dari 1 baris data" in err.value.error_dict["upload"][0]
    page = app.get("/kalender-rilis/impor", headers=headers(portal, "operator"))
    assert '<label for="field-upload">' in page.body
    response = app.post("/kalender-rilis/impor", headers=headers(portal, "operator"),
                        data={"upload": (io.BytesIO(text.encode("utf-8")), "kalender.csv")}, status=400)
    assert "lebih dari 1 baris data" in response.body
    ok = HEADER + "dispendukcapil;2.12;A;2025;2026-03-31;;;;\n"
    done = app.post("/kalender-rilis/impor", headers=headers(portal, "operator"),
                    data={"upload": (io.BytesIO(ok.encode("utf-8")), "kalender.csv")}, follow_redirects=True)
    assert "1 jadwal rilis dimuat." in done.body and len(records.entries()) == 1
