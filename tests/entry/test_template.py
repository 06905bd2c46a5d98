"""The XLSX upload template: structure, Excel validations mirroring validation.py, and round trip."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ckanext.satudatapasuruan.entry.template import (
    CODE_SHEET,
    GUIDE_COLUMNS,
    GUIDE_SHEET,
    NUMBER_FORMATS,
    build_template,
)
from ckanext.satudatapasuruan.entry.validation import (
    DATA_SHEET,
    MAX_TEXT_LENGTH,
    TYPE_LABELS,
    Validator,
    open_table,
    validate_file,
)

from .test_validation import GOOD_TYPED, HEADER, VARIABLES, WILAYAH

TITLE = "Jumlah Penduduk Menurut Desa 2024"


def build(**overrides):
    options = {"title": TITLE, "variables": VARIABLES, "wilayah": sorted(WILAYAH.items())}
    options.update(overrides)
    return build_template(**options)


def workbook(data: bytes, **options):
    return load_workbook(io.BytesIO(data), **options)


def by_column(sheet) -> dict[str, object]:
    found = {}
    for dv in sheet.data_validations.dataValidation:
        ref = str(dv.sqref)
        found[ref.split(":")[0].rstrip("0123456789")] = dv
    return found


def test_sheets_and_header():
    """Data comes first with one bold, frozen header cell per alias; Petunjuk follows; Kode is hidden."""
    book = workbook(build())
    assert book.sheetnames == [DATA_SHEET, GUIDE_SHEET, CODE_SHEET]
    assert book.active.title == DATA_SHEET
    assert book[CODE_SHEET].sheet_state == "hidden"
    data = book[DATA_SHEET]
    assert [c.value for c in data[1]] == HEADER
    assert all(c.font.b for c in data[1])
    assert data.freeze_panes == "A2"
    assert book.properties.title == TITLE


def test_header_notes_describe_each_variable():
    """Each header cell carries a note with the name, type, unit and whether it is required."""
    data = workbook(build())[DATA_SHEET]
    note = data["C1"].comment.text
    assert "Jumlah Penduduk" in note and TYPE_LABELS["bilangan_bulat"] in note and "orang" in note
    assert "Wajib diisi" in note and "\u2265 0" in note
    assert "Boleh kosong" in data["D1"].comment.text


def test_column_formats():
    """Columns are preformatted: integers 0, decimals 0.00, dates as dates, codes and text as text."""
    data = workbook(build())[DATA_SHEET]
    formats = {data.cell(1, i).value: data.column_dimensions[data.cell(1, i).column_letter].number_format
               for i in range(1, len(HEADER) + 1)}
    assert formats == {v["alias"]: NUMBER_FORMATS[v["tipe_data"]] for v in VARIABLES}
    assert formats["jumlah_penduduk"] == "0" and formats["luas"] == "0.00" and formats["kode_wilayah"] == "@"


def test_data_validations_mirror_the_rules():
    """Every column has the Excel validation matching validation.py's rule and bounds."""
    found = by_column(workbook(build())[DATA_SHEET])
    assert set(found) == {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"}
    assert str(found["A"].sqref) == "A2:A1048576"
    assert (found["A"].type, found["A"].formula1) == ("list", f"{CODE_SHEET}!$A$2:$A${len(WILAYAH) + 1}")
    assert (found["B"].type, found["B"].operator, found["B"].formula1, found["B"].formula2) == (
        "whole", "between", "1900", "2100")
    assert (found["C"].type, found["C"].formula1) == ("whole", "0")
    assert found["D"].type == "decimal"
    assert (found["E"].type, found["E"].formula1) == ("list", '"L,P"')
    assert (found["F"].type, found["F"].formula1, found["F"].formula2) == (
        "date", "DATE(1900,1,1)", "DATE(2100,12,31)")
    assert (found["G"].type, found["G"].operator, found["G"].formula1) == (
        "textLength", "lessThanOrEqual", str(MAX_TEXT_LENGTH))
    assert (found["H"].type, found["H"].formula1, found["H"].formula2) == ("decimal", "-8.5", "-7.5")
    assert (found["I"].type, found["I"].formula1, found["I"].formula2) == ("decimal", "112.5", "113.5")
    assert (found["J"].type, found["J"].formula1) == ("list", '"ya,tidak"')
    assert all(dv.showErrorMessage and dv.errorStyle == "stop" and dv.error for dv in found.values())
    assert "L (Laki-laki)" in found["E"].error


def test_bounds_intersect_with_the_spec():
    """nilai_min/nilai_maks narrow the year, date and coordinate limits."""
    variables = [{"alias": "tahun", "tipe_data": "tahun", "nilai_min": "2020"},
                 {"alias": "tgl", "tipe_data": "tanggal", "nilai_maks": "2024-06-30"},
                 {"alias": "lat", "tipe_data": "lintang", "nilai_maks": "-7,6"},
                 {"alias": "persen", "tipe_data": "desimal", "nilai_min": "0", "nilai_maks": "100"}]
    found = by_column(workbook(build(variables=variables))[DATA_SHEET])
    assert (found["A"].formula1, found["A"].formula2) == ("2020", "2100")
    assert (found["B"].formula1, found["B"].formula2) == ("DATE(1900,1,1)", "DATE(2024,6,30)")
    assert (found["C"].formula1, found["C"].formula2) == ("-8.5", "-7.6")
    assert (found["D"].formula1, found["D"].formula2) == ("0", "100")


def test_region_codes_on_hidden_sheet():
    """The Kode sheet lists every region code with its name, in the range the drop-down references."""
    codes = workbook(build())[CODE_SHEET]
    rows = list(codes.iter_rows(values_only=True))
    assert rows[0] == ("kode_wilayah", "nama_wilayah")
    assert rows[1:] == sorted(WILAYAH.items())


def test_long_category_list_moves_to_code_sheet():
    """A category list over Excel's 255-character inline limit is referenced from the Kode sheet."""
    choices = "\n".join(f"{n:03d}=Jenis usaha nomor {n}" for n in range(1, 101))
    variables = [{"alias": "jenis_usaha", "tipe_data": "kategori", "klasifikasi_isian": choices}]
    book = workbook(build(variables=variables))
    dv = by_column(book[DATA_SHEET])["A"]
    assert dv.type == "list" and dv.formula1 == f"{CODE_SHEET}!$D$2:$D$101"
    codes = book[CODE_SHEET]
    assert (codes["D1"].value, codes["D2"].value, codes["E2"].value, codes["D101"].value) == (
        "jenis_usaha", "001", "Jenis usaha nomor 1", "100")


def test_guide_sheet_content():
    """Petunjuk carries the title, the general rules and one row per variable."""
    guide = workbook(build())[GUIDE_SHEET]
    rows = [r for r in guide.iter_rows(values_only=True)]
    text = "\n".join(str(v) for r in rows for v in r if v is not None)
    assert TITLE in text
    assert "Jangan mengubah" in text and "rumus" in text and "derajat desimal" in text
    assert "-8,5 s.d. -7,5" in text and "112,5 s.d. 113,5" in text
    header_at = next(i for i, r in enumerate(rows) if r[: len(GUIDE_COLUMNS)] == GUIDE_COLUMNS)
    table = {r[0]: r for r in rows[header_at + 1:]}
    assert set(table) == set(HEADER)
    assert table["jumlah_penduduk"][:7] == ("jumlah_penduduk", "Jumlah Penduduk", "Bilangan bulat", "orang", "Ya",
                                            "Tidak", "\u2265 0")
    assert table["jenis_kelamin"][7] == "L = Laki-laki; P = Perempuan"
    assert table["kode_wilayah"][5] == "Ya"


def test_formula_like_spec_text_stays_text():
    """A definition starting with = is written as text, never as a formula."""
    variables = [{"alias": "catatan", "tipe_data": "teks", "definisi": '=HYPERLINK("http://evil","x")'}]
    data = build(variables=variables)
    guide = workbook(data)[GUIDE_SHEET]
    cells = [c for r in guide.iter_rows() for c in r if c.value == '=HYPERLINK("http://evil","x")']
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(b"<f>" not in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_filled_template_passes_validation(tmp_path):
    """The template filled in with valid rows (as Excel would store them) validates cleanly and typed."""
    book = workbook(build())
    data = book[DATA_SHEET]
    data.append(["35.14.14", 2024, 1234, 12.5, "L", dt.datetime(2024, 12, 31), "Kalirejo", -7.6, 112.78, "ya"])
    data.append(["35.14.14.1001", 2024, 0, None, "Perempuan", None, None, None, None, "tidak"])
    path = tmp_path / "terisi.xlsx"
    book.save(path)
    validator = validate_file(path, VARIABLES, wilayah_codes=WILAYAH)
    assert validator.ok, validator.errors
    assert validator.row_count == 2


def test_filled_template_rows_are_typed(tmp_path):
    """Values typed into the template come back as the same typed tuple as the CSV path."""
    book = workbook(build())
    book[DATA_SHEET].append(["35.14.14", 2024, 1234, Decimal("12.5"), "L", dt.date(2024, 12, 31), "Kalirejo", -7.6,
                             112.78, "ya"])
    path = tmp_path / "terisi.xlsx"
    book.save(path)
    with open_table(path) as table:
        rows = list(Validator(table, VARIABLES, wilayah_codes=WILAYAH).rows())
    assert rows == [GOOD_TYPED]


def test_unsupported_language():
    """Only Indonesian templates exist for now."""
    with pytest.raises(ValueError):
        build(lang="en")
