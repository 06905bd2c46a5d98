"""The downloadable error report (XLSX/CSV): layout, and hostile values staying inert."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from ckanext.satudatapasuruan.entry.report import (
    REPORT_COLUMNS,
    REPORT_SHEET,
    SUMMARY_SHEET,
    neutralize,
    write_report,
)
from ckanext.satudatapasuruan.entry.validation import CellError, validate_file

from .test_validation import GOOD, HEADER, VARIABLES, WILAYAH, csv_file

ERRORS = [
    CellError(row=2, column="nama_desa", value="=cmd|' /C calc'!A0", reason="Isian tidak boleh diawali tanda =.",
              code="formula"),
    CellError(row=3, column="luas", value="-5", reason="Nilai lebih kecil dari batas minimum 0.", code="rentang"),
    CellError(row=4, column="nama_desa", value="+1", reason="x", code="formula"),
    CellError(row=5, column="@kolom", value="\t=1+1", reason="-awal", code="formula"),
    CellError(row=6, column="nama_desa", value="bel\x07", reason="kendali", code="tipe"),
]


def test_xlsx_layout():
    """The XLSX report has a bold frozen header Baris/Kolom/Nilai/Alasan/Kode, a filter and set widths."""
    book = load_workbook(io.BytesIO(write_report(ERRORS, "xlsx", title="Penduduk 2024")))
    sheet = book[REPORT_SHEET]
    assert book.sheetnames == [REPORT_SHEET, SUMMARY_SHEET]
    assert [c.value for c in sheet[1]] == list(REPORT_COLUMNS)
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:E{len(ERRORS) + 1}"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    assert [c.value for c in sheet[3]] == [3, "luas", "-5", "Nilai lebih kecil dari batas minimum 0.", "rentang"]


def test_xlsx_values_stay_inert():
    """A =cmd value is a text cell with the quote prefix, and the sheet XML holds no formula at all."""
    data = write_report(ERRORS, "xlsx", title="=HYPERLINK(\"http://evil\")")
    sheet = load_workbook(io.BytesIO(data))[REPORT_SHEET]
    cell = sheet["C2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=cmd|' /C calc'!A0", "s", True)
    assert sheet["C4"].quotePrefix and sheet["B5"].quotePrefix and sheet["C5"].quotePrefix
    assert (sheet["C3"].value, sheet["C3"].data_type) == ("-5", "s")  # the value as uploaded, as text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)


def test_xlsx_control_characters_do_not_break_the_report():
    """Control characters that XML cannot carry are replaced instead of failing the report."""
    sheet = load_workbook(io.BytesIO(write_report(ERRORS, "xlsx", title="t")))[REPORT_SHEET]
    assert sheet["C6"].value == "bel\ufffd"


def test_xlsx_summary_mentions_truncation():
    """When the validator kept fewer errors than it found, the summary says how many there were."""
    summary = load_workbook(io.BytesIO(write_report(ERRORS, "xlsx", title="Penduduk", total=1500)))[SUMMARY_SHEET]
    values = {r[0]: r[1] for r in summary.iter_rows(values_only=True)}
    assert values["Laporan kesalahan unggahan"] == "Penduduk"
    assert values["Jumlah kesalahan"] == 1500 and values["Ditampilkan"] == len(ERRORS)
    assert "1500" in values["Catatan"]


def test_csv_has_bom_and_columns():
    """The CSV starts with a UTF-8 BOM (so Excel detects UTF-8) and has the report columns."""
    data = write_report(ERRORS, "csv", title="t")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(REPORT_COLUMNS)
    assert len(rows) == len(ERRORS) + 1


def test_csv_values_are_neutralised():
    """Formula-like CSV fields gain a leading apostrophe; plain negative numbers stay numbers."""
    rows = list(csv.reader(io.StringIO(write_report(ERRORS, "csv", title="t").decode("utf-8-sig"))))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
    assert rows[2][2] == "-5"
    assert rows[3][2] == "'+1"
    assert (rows[4][1], rows[4][2], rows[4][3]) == ("'@kolom", "'\t=1+1", "'-awal")


@pytest.mark.parametrize(("text", "expected"), [
    ("=1+1", "'=1+1"), ("  =1", "'  =1"), ("\r=1", "'\r=1"), ("\tabc", "'\tabc"), ("-2+3", "'-2+3"),
    ("-5", "-5"), ("-12,5", "-12,5"), ("+12", "'+12"), ("Bangil", "Bangil"), ("", ""),
])
def test_neutralize(text, expected):
    """Only values a spreadsheet would evaluate are prefixed."""
    assert neutralize(text) == expected


def test_report_from_a_real_validation(tmp_path):
    """Errors straight from the validator render in both formats with their row numbers."""
    row = list(GOOD)
    row[6] = '=HYPERLINK("http://evil","klik")'
    validator = validate_file(csv_file(tmp_path, [HEADER, row]), VARIABLES, wilayah_codes=WILAYAH)
    sheet = load_workbook(io.BytesIO(write_report(validator.errors, "xlsx", title="t")))[REPORT_SHEET]
    assert [c.value for c in sheet[2]][:3] == [2, "nama_desa", '=HYPERLINK("http://evil","klik")']
    assert sheet["C2"].data_type == "s"
    assert b"'=HYPERLINK" in write_report(validator.errors, "csv", title="t")


def test_unknown_format():
    """Only xlsx and csv reports exist."""
    with pytest.raises(ValueError):
        write_report(ERRORS, "pdf", title="t")
