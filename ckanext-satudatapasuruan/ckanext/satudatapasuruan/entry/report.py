"""The error report an operator downloads after a refused upload: XLSX or CSV, in Bahasa Indonesia.

Uploaded values are hostile until proven otherwise: a value such as ``=HYPERLINK(...)`` must stay inert text
when the report is opened in a spreadsheet. XLSX cells are therefore written with the string data type (openpyxl
otherwise turns any text starting with ``=`` into a formula) and the *quote prefix* style, so editing the cell in
Excel keeps it text; CSV fields that a spreadsheet would evaluate get a leading apostrophe (OWASP "CSV
injection"), except plain negative numbers such as ``-5``.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .validation import INJECTION_PREFIXES, CellError

__all__ = ["REPORT_COLUMNS", "REPORT_SHEET", "SUMMARY_SHEET", "write_report", "neutralize", "text_cell"]

REPORT_COLUMNS = ("Baris", "Kolom", "Nilai", "Alasan", "Kode")
REPORT_SHEET = "Kesalahan"
SUMMARY_SHEET = "Ringkasan"
_WIDTHS = (8, 28, 40, 90, 20)
# A negative number is shown faithfully by a spreadsheet; "+1" would lose its sign, so it is prefixed.
_PLAIN_NUMBER_RE = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
_LEADING = " \t\r\n"


def neutralize(text: str) -> str:
    """``text`` made safe for a CSV cell: an apostrophe before anything a spreadsheet would evaluate."""
    stripped = text.lstrip(_LEADING)
    risky = text[:1] in ("\t", "\r") or (stripped[:1] in INJECTION_PREFIXES)
    if risky and not _PLAIN_NUMBER_RE.fullmatch(stripped):
        return "'" + text
    return text


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters; openpyxl would raise on them."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def write_report(errors: Iterable[CellError], fmt: str, *, title: str, total: int | None = None,
                 delimiter: str = ",") -> bytes:
    """Render ``errors`` as ``fmt`` ("xlsx" or "csv") with columns Baris, Kolom, Nilai, Alasan, Kode.

    ``total`` is the validator's ``error_count`` when it kept fewer errors than it found; the XLSX summary
    sheet says so. The CSV holds only the table (UTF-8 with BOM, so Excel detects the encoding).
    """
    if fmt == "xlsx":
        return _write_xlsx(errors, title=title, total=total)
    if fmt == "csv":
        return _write_csv(errors, delimiter=delimiter)
    raise ValueError(f"unsupported report format {fmt!r}")


def _write_csv(errors: Iterable[CellError], *, delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)
    for error in errors:
        writer.writerow([error.row, neutralize(error.column), neutralize(error.value), neutralize(error.reason),
                         error.code])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def text_cell(sheet: Worksheet, row: int, column: int, value: str) -> Cell:
    """Write ``value`` as inert text: never a formula, whatever it starts with."""
    cell = sheet.cell(row=row, column=column)
    cell.value = _clean(value)
    cell.data_type = "s"  # openpyxl made it a formula if it starts with "="
    if value[:1] in ("\t", "\r") or value.lstrip(_LEADING)[:1] in INJECTION_PREFIXES:
        cell.quotePrefix = True  # stays text when the user edits the cell in Excel
    return cell


def _write_xlsx(errors: Iterable[CellError], *, title: str, total: int | None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = REPORT_SHEET
    workbook.properties.title = _clean(title)[:255]
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, name in enumerate(REPORT_COLUMNS, 1):
        text_cell(sheet, 1, column, name).font = bold
    count = 0
    for count, error in enumerate(errors, 1):
        row = count + 1
        sheet.cell(row=row, column=1, value=int(error.row))
        text_cell(sheet, row, 2, error.column)
        text_cell(sheet, row, 3, error.value)
        text_cell(sheet, row, 4, error.reason).alignment = wrap
        text_cell(sheet, row, 5, error.code)
    for column, width in enumerate(_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(REPORT_COLUMNS))}{count + 1}"

    summary = workbook.create_sheet(SUMMARY_SHEET)
    lines = [
        ("Laporan kesalahan unggahan", title),
        ("Jumlah kesalahan", total if total is not None and total > count else count),
        ("Ditampilkan", count),
    ]
    if total is not None and total > count:
        lines.append(("Catatan", f"Hanya {count} kesalahan pertama yang ditampilkan dari {total}. Perbaiki "
                                 "kesalahan ini lalu unggah ulang untuk melihat sisanya."))
    lines.append(("Petunjuk", "Perbaiki setiap sel yang tercantum di lembar Kesalahan, lalu unggah ulang seluruh "
                              "berkas. Tidak ada data yang disimpan selama masih ada kesalahan."))
    for row, (label, value) in enumerate(lines, 1):
        text_cell(summary, row, 1, label).font = bold
        if isinstance(value, int):
            summary.cell(row=row, column=2, value=value)
        else:
            text_cell(summary, row, 2, value).alignment = wrap
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 100

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
