"""Bulk import from XLSX and CSV: all rows or none, every bad row named in Indonesian; the template."""
from __future__ import annotations

import io

import ckan.plugins.toolkit as tk
import pytest
from openpyxl import load_workbook

from ckanext.satudatapasuruan.daftardata import importer

from .conftest import csv_bytes, upload, xlsx

pytestmark = pytest.mark.usefixtures("clean_db")

GOOD = [["dispendukcapil", "Jumlah penduduk", "2.12", "RPJMD: KTP-el", "tahunan", 2026, "ya", "Perbup 10/2024",
         "dibutuhkan", ""],
        ["Dinas Kesehatan", "Jumlah puskesmas", "Kesehatan", "", "Tahunan", "2027", "tidak", "", "", ""]]


def _count(portal) -> int:
    return portal.call("satudata_daftardata_entry_list", "warga")["count"]


def _import(portal, who: str, content: bytes, name: str = "daftar.xlsx", **extra):
    return portal.call("satudata_daftardata_import", who, upload=upload(content, name), **extra)


def test_good_xlsx_and_csv(portal):
    """The walidata loads two OPDs' rows (OPD by name or title, sektor by code or name); a dry run writes
    nothing; CSV is read as XLSX is."""
    checked = _import(portal, "walidata", xlsx(GOOD), dry_run=True)
    assert checked == {"created": 0, "checked": 2, "ids": []} and _count(portal) == 0
    done = _import(portal, "walidata", xlsx(GOOD))
    assert done["created"] == 2 and _count(portal) == 2
    second = portal.call("satudata_daftardata_entry_show", "warga", id=done["ids"][1])
    assert (second["organization"]["name"], second["urusan"], second["frekuensi"], second["target_year"],
            second["priority"], second["status"]) == ("dinas-kesehatan", "1.02", "tahunan", 2027, False,
                                                      "dibutuhkan")
    assert _count(portal) == 2
    renamed = [[*GOOD[0][:1], "Jumlah penduduk (CSV)", *GOOD[0][2:]], [*GOOD[1][:1], "Puskesmas", *GOOD[1][2:]]]
    assert _import(portal, "walidata", csv_bytes(renamed), "daftar.csv")["created"] == 2 and _count(portal) == 4


def test_duplicates_refused(portal):
    """Importing the same file again, or a file naming one data twice for an OPD, writes nothing."""
    _import(portal, "walidata", xlsx(GOOD[:1]))
    with pytest.raises(tk.ValidationError) as err:
        _import(portal, "walidata", xlsx([GOOD[1], GOOD[1], [*GOOD[0][:1], "jumlah PENDUDUK", *GOOD[0][2:]]]))
    assert err.value.error_dict["upload"] == [
        "Baris 3: data 'Jumlah puskesmas' untuk OPD 'Dinas Kesehatan' muncul lebih dari sekali dalam berkas",
        "Baris 4: OPD 'dispendukcapil' sudah memiliki entri 'jumlah PENDUDUK'; ubah entri itu di halaman "
        "daftar data"]
    assert _count(portal) == 1


def test_bad_rows_named_and_nothing_written(portal):
    """Unknown OPD and sektor codes, a bad year and a bad status are each named with their row; the good row
    is not written either."""
    rows = [GOOD[0],
            ["xyz", "Data A", "2.12", "", "tahunan", 2026, "ya", "", "", ""],
            ["dispendukcapil", "Data B", "9.99", "", "tahunan", "dua ribu", "", "", "selesai", ""]]
    with pytest.raises(tk.ValidationError) as err:
        _import(portal, "walidata", xlsx(rows))
    messages = err.value.error_dict["upload"]
    assert messages[0] == "Baris 3: kode OPD 'xyz' tidak dikenal"
    assert messages[1] == "Baris 4: kode sektor '9.99' tidak dikenal"
    assert messages[2].startswith("Baris 4: tahun target 'dua ribu' tidak sah")
    assert messages[3].startswith("Baris 4: status 'selesai' tidak dikenal")
    assert len(messages) == 4 and _count(portal) == 0


def test_other_opd_rows_refused(portal):
    """An OPD operator may load only its own OPD's rows: a row of another OPD refuses the whole file."""
    with pytest.raises(tk.ValidationError) as err:
        _import(portal, "operator", xlsx(GOOD))
    assert err.value.error_dict["upload"] == [
        "Baris 3: Anda tidak berhak mengelola daftar data OPD 'Dinas Kesehatan'"]
    assert _count(portal) == 0
    assert _import(portal, "operator", xlsx(GOOD[:1]))["created"] == 1


def test_file_problems(portal):
    """No file, a missing required column, an empty file and an anonymous upload are refused clearly."""
    with pytest.raises(tk.ValidationError) as err:
        portal.call("satudata_daftardata_import", "walidata")
    assert err.value.error_dict["upload"] == ["Pilih berkas XLSX atau CSV untuk diunggah"]
    with pytest.raises(tk.ValidationError) as err:
        _import(portal, "walidata", xlsx([["dispendukcapil", "x"]], header=["OPD", "Nama data"]))
    assert err.value.error_dict["upload"] == [
        "Kolom wajib tidak ada di baris judul: Sektor, Frekuensi, Tahun target"]
    with pytest.raises(tk.ValidationError):
        _import(portal, "walidata", b"", "kosong.csv")
    from ckan.tests import helpers
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("satudata_daftardata_import", context={"user": "", "ignore_auth": False},
                            upload=upload(xlsx(GOOD)))


def test_template_round_trip(portal):
    """The template has the import's header and an example row that imports as it is."""
    content = importer.template_xlsx()
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == [title for _f, title, _r in importer.COLUMNS]
    assert _import(portal, "walidata", content)["created"] == 1


def test_cli(cli, portal, tmp_path):
    """``ckan satudata-daftardata template`` writes the template; ``import`` loads a good file as the site
    user, and lists every bad row (exit code 1) for a bad one, writing nothing."""
    from ckanext.satudatapasuruan.daftardata.cli import daftardata

    template = tmp_path / "templat.xlsx"
    assert cli.invoke(daftardata, ["template", str(template)]).exit_code == 0
    result = cli.invoke(daftardata, ["import", str(template)])
    assert result.exit_code == 0 and "1 entri dibuat" in result.output
    bad = tmp_path / "salah.xlsx"
    bad.write_bytes(xlsx([["xyz", "Data", "2.12", "", "tahunan", 2026, "", "", "", ""]]))
    result = cli.invoke(daftardata, ["import", str(bad)])
    assert result.exit_code == 1 and "Baris 2: kode OPD 'xyz' tidak dikenal" in result.output
    assert _count(portal) == 1
