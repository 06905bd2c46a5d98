"""The XLSX template an OPD operator downloads, fills in and uploads back.

Sheet ``Data`` has one column per variable (header = alias) with Excel data validations and number formats that
mirror :mod:`.validation` (same constants), so most mistakes are caught while typing; sheet ``Petunjuk``
explains every column and the general rules; the hidden sheet ``Kode`` holds the region codes (and category
lists too long for an inline list) that the drop-downs reference. Excel does not check pasted values, so the
upload validation stays the authority.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .report import text_cell
from .validation import (
    DATA_SHEET,
    DATE_MAX,
    DATE_MIN,
    INJECTION_PREFIXES,
    MAX_TEXT_LENGTH,
    MESSAGES,
    PASURUAN_BBOX,
    TYPE_LABELS,
    YEAR_MAX,
    YEAR_MIN,
    Variable,
    describe_choices,
    format_number,
    parse_variables,
)

__all__ = ["GUIDE_SHEET", "CODE_SHEET", "NUMBER_FORMATS", "INLINE_LIST_LIMIT", "GUIDE_COLUMNS", "build_template"]

GUIDE_SHEET = "Petunjuk"
CODE_SHEET = "Kode"
# Excel caps an inline list ("a,b,c") at 255 characters; longer lists go to the Kode sheet.
INLINE_LIST_LIMIT = 255
LAST_ROW = 1_048_576
# Column formats for the cells the operator types; "@" keeps codes such as 35.14.14 or 01 as text.
NUMBER_FORMATS = {
    "bilangan_bulat": "0",
    "tahun": "0",
    "desimal": "0.00",
    "lintang": "0.000000",
    "bujur": "0.000000",
    "tanggal": "yyyy-mm-dd",
    "teks": "@",
    "kategori": "@",
    "kode_wilayah": "@",
    "ya_tidak": "@",
}
# Excel stores 15 significant digits: the widest whole-number range it can check.
EXCEL_NUMBER_LIMIT = 10**15 - 1
GUIDE_COLUMNS = ("Kolom", "Nama", "Tipe", "Satuan", "Wajib", "Kunci", "Rentang", "Pilihan", "Definisi",
                 "Kalimat pertanyaan")
_GUIDE_WIDTHS = (22, 28, 24, 12, 8, 8, 26, 40, 60, 40)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _excel_number(value: Decimal | float | int) -> str:
    """A bound as written inside an OOXML formula (always a decimal point)."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    return format(Decimal(value).normalize(), "f")


def _intersect(var: Variable, low: Any, high: Any) -> tuple[Any, Any]:
    if var.nilai_min is not None:
        low = max(low, var.nilai_min)
    if var.nilai_maks is not None:
        high = min(high, var.nilai_maks)
    return low, high


def _limits(var: Variable, bbox: tuple[float, float, float, float]) -> tuple[Any, Any]:
    """The inclusive range validation.py enforces for a numeric or date variable (None when open)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    if var.tipe_data == "tahun":
        return _intersect(var, YEAR_MIN, YEAR_MAX)
    if var.tipe_data == "tanggal":
        return _intersect(var, DATE_MIN, DATE_MAX)
    if var.tipe_data == "lintang":
        return _intersect(var, Decimal(repr(min_lat)), Decimal(repr(max_lat)))
    if var.tipe_data == "bujur":
        return _intersect(var, Decimal(repr(min_lon)), Decimal(repr(max_lon)))
    return var.nilai_min, var.nilai_maks


def _range_text(var: Variable, bbox: tuple[float, float, float, float]) -> str:
    low, high = _limits(var, bbox)
    if low is None and high is None:
        return ""
    show = (lambda v: v.isoformat()) if var.tipe_data == "tanggal" else format_number
    if low is None:
        return f"\u2264 {show(high)}"
    if high is None:
        return f"\u2265 {show(low)}"
    return f"{show(low)} s.d. {show(high)}"


def _inline_list(codes: Sequence[str]) -> str | None:
    """``"a,b"`` for an inline list, or None when it must live on the Kode sheet."""
    if any("," in c or '"' in c for c in codes):
        return None
    joined = ",".join(codes)
    return f'"{joined}"' if len(joined) <= INLINE_LIST_LIMIT else None


def _code_column(sheet: Any, column: int, header: str, rows: Iterable[tuple[str, str]]) -> str:
    """Write a code list on the Kode sheet; returns the absolute range of its codes."""
    text_cell(sheet, 1, column, header).font = _BOLD
    last = 1
    for last, (code, label) in enumerate(rows, 2):
        text_cell(sheet, last, column, code)
        if label:
            text_cell(sheet, last, column + 1, label)
    letter = get_column_letter(column)
    return f"{CODE_SHEET}!${letter}$2:${letter}${max(last, 2)}"


def _validation(var: Variable, list_formula: str | None, *, bbox: tuple[float, float, float, float],
                max_text_length: int) -> DataValidation | None:
    tipe = var.tipe_data
    low, high = _limits(var, bbox)
    kwargs: dict[str, Any]
    if tipe in ("kategori", "kode_wilayah", "ya_tidak"):
        if list_formula is None:
            return None
        kwargs = {"type": "list", "formula1": list_formula}
        if tipe == "kategori":
            message = MESSAGES["kode_kategori"].format(choices=describe_choices(var.pilihan, limit=8))
        else:
            message = MESSAGES["tipe_kode_wilayah" if tipe == "kode_wilayah" else "tipe_ya_tidak"]
    elif tipe == "teks":
        kwargs = {"type": "textLength", "operator": "lessThanOrEqual", "formula1": str(max_text_length)}
        message = f"Teks paling banyak {max_text_length} karakter."
    elif tipe == "tanggal":
        kwargs = {"type": "date", "operator": "between",
                  "formula1": f"DATE({low.year},{low.month},{low.day})",
                  "formula2": f"DATE({high.year},{high.month},{high.day})"}
        message = f"{MESSAGES['tipe_tanggal']} Rentang: {_range_text(var, bbox)}."
    else:
        whole = tipe in ("bilangan_bulat", "tahun")
        low = -EXCEL_NUMBER_LIMIT if low is None else low
        high = EXCEL_NUMBER_LIMIT if high is None else high
        kwargs = {"type": "whole" if whole else "decimal", "operator": "between",
                  "formula1": _excel_number(low), "formula2": _excel_number(high)}
        key = {"bilangan_bulat": "tipe_bilangan_bulat", "tahun": "tipe_tahun"}.get(tipe, "tipe_desimal")
        message = MESSAGES[key] if tipe not in ("lintang", "bujur") else MESSAGES[f"koordinat_{tipe}"].format(
            min=format_number(low), max=format_number(high))
        range_text = _range_text(var, bbox)
        if range_text and tipe not in ("lintang", "bujur"):
            message += f" Rentang: {range_text}."
    prompt = " ".join(p for p in (TYPE_LABELS[tipe], f"({var.satuan})" if var.satuan else "",
                                  "wajib diisi." if var.required else "boleh kosong.") if p)
    return DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                          errorTitle="Isian tidak sah", error=message[:225], promptTitle=var.nama[:32],
                          prompt=prompt[:255], **kwargs)


def _comment(var: Variable, bbox: tuple[float, float, float, float]) -> Comment:
    lines = [var.nama, f"Tipe: {TYPE_LABELS[var.tipe_data]}"]
    if var.satuan:
        lines.append(f"Satuan: {var.satuan}")
    lines.append("Wajib diisi" if var.required else "Boleh kosong")
    range_text = _range_text(var, bbox)
    if range_text:
        lines.append(f"Rentang: {range_text}")
    if var.pilihan:
        lines.append("Pilihan: " + "; ".join(c for c, _ in var.pilihan[:10]) + ("; \u2026" if len(var.pilihan) > 10
                                                                             else ""))
    comment = Comment("\n".join(lines), "Satu Data Kabupaten Pasuruan")
    comment.width, comment.height = 260, 20 + 18 * len(lines)
    return comment


def _choices_text(var: Variable) -> str:
    if var.tipe_data == "kategori":
        return "; ".join(f"{code} = {label}" if label else code for code, label in var.pilihan)
    if var.tipe_data == "kode_wilayah":
        return f"Kode wilayah Kemendagri; daftar lengkap di lembar tersembunyi \u201c{CODE_SHEET}\u201d."
    if var.tipe_data == "ya_tidak":
        return "ya; tidak"
    return ""


def _general_rules(bbox: tuple[float, float, float, float], max_text_length: int) -> list[str]:
    min_lon, min_lat, max_lon, max_lat = bbox
    prefixes = " ".join(sorted(c for c in INJECTION_PREFIXES if c.isascii()))
    return [
        f"Isi data di lembar \u201c{DATA_SHEET}\u201d mulai baris 2, satu baris untuk satu rekaman. Jangan "
        "menambah baris judul atau keterangan di atas data.",
        "Jangan mengubah, menghapus, atau menambah judul kolom di baris 1. Kolom yang tidak dikenal membuat "
        "seluruh berkas ditolak.",
        "Jangan memakai rumus (formula): sel berumus ditolak. Salin lalu Tempel Spesial > Nilai.",
        f"Teks dan kategori tidak boleh diawali tanda {prefixes} (nomor telepon ditulis 0812..., bukan "
        "+62812...). Kosongkan sel bila tidak ada nilai.",
        "Bilangan bulat ditulis tanpa pemisah ribuan (1234, bukan 1.234). Angka desimal memakai koma atau titik "
        "sebagai pemisah desimal (12,5 atau 12.5).",
        f"Tanggal diisi sebagai sel Tanggal, atau teks TTTT-BB-HH / HH/BB/TTTT, antara {DATE_MIN.isoformat()} dan "
        f"{DATE_MAX.isoformat()}. Tahun ditulis empat angka ({YEAR_MIN}-{YEAR_MAX}).",
        "Koordinat ditulis dalam derajat desimal (bukan derajat-menit-detik) di dalam wilayah Kabupaten Pasuruan: "
        f"lintang {format_number(min_lat)} s.d. {format_number(max_lat)} (lintang selatan bernilai negatif), bujur "
        f"{format_number(min_lon)} s.d. {format_number(max_lon)}.",
        "Kode wilayah memakai kode Kemendagri bertitik, misalnya 35.14.14 (kecamatan) atau 35.14.14.1001 "
        f"(desa/kelurahan). Daftar lengkapnya ada di lembar tersembunyi \u201c{CODE_SHEET}\u201d (klik kanan tab "
        "lembar > Tampilkan).",
        "Kategori diisi dengan kode pilihannya (pilih dari daftar tarik-turun). Ya/Tidak diisi ya atau tidak.",
        "Judul kolom berlatar kuning wajib diisi. Kombinasi kolom kunci tidak boleh sama pada dua baris.",
        f"Teks paling banyak {max_text_length} karakter.",
        "Simpan sebagai .xlsx (atau CSV UTF-8). Berkas diperiksa utuh: bila ada satu kesalahan saja, tidak ada "
        "data yang disimpan dan Anda menerima laporan kesalahan per baris dan kolom.",
    ]


def build_template(*, title: str, variables: Sequence[Variable | Mapping[str, Any]],
                   wilayah: Iterable[tuple[str, str]], lang: str = "id",
                   bbox: tuple[float, float, float, float] = PASURUAN_BBOX,
                   max_text_length: int = MAX_TEXT_LENGTH) -> bytes:
    """The XLSX template for a dataset: sheets Data, Petunjuk and the hidden Kode; returns the file's bytes.

    ``wilayah`` is the (code, label) list the upload will accept for ``kode_wilayah`` columns (dotted codes).
    """
    if lang != "id":
        raise ValueError(f"unsupported template language {lang!r}")
    variables = parse_variables(variables)
    wilayah = list(wilayah)
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    guide = workbook.create_sheet(GUIDE_SHEET)
    codes = workbook.create_sheet(CODE_SHEET)
    codes.sheet_state = "hidden"
    workbook.properties.title = title[:255]

    # Kode sheet: region codes in A:B, long category lists after them.
    wilayah_range = _code_column(codes, 1, "kode_wilayah", wilayah) if wilayah else None
    if wilayah:
        text_cell(codes, 1, 2, "nama_wilayah").font = _BOLD
    next_column = 4

    for column, var in enumerate(variables, 1):
        letter = get_column_letter(column)
        cell = text_cell(data, 1, column, var.alias)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if var.required else _HEADER_FILL
        cell.comment = _comment(var, bbox)
        dimension = data.column_dimensions[letter]
        dimension.width = min(max(len(var.alias), len(var.nama), 10) + 4, 50)
        dimension.number_format = NUMBER_FORMATS[var.tipe_data]

        list_formula = None
        if var.tipe_data == "kategori":
            list_formula = _inline_list([c for c, _ in var.pilihan])
            if list_formula is None:
                list_formula = _code_column(codes, next_column, var.alias, var.pilihan)
                next_column += 3
        elif var.tipe_data == "kode_wilayah":
            list_formula = wilayah_range
        elif var.tipe_data == "ya_tidak":
            list_formula = '"ya,tidak"'
        validation = _validation(var, list_formula, bbox=bbox, max_text_length=max_text_length)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"

    # Petunjuk sheet.
    text_cell(guide, 1, 1, "Petunjuk pengisian").font = Font(bold=True, size=14)
    text_cell(guide, 2, 1, title).font = _BOLD
    row = 4
    text_cell(guide, row, 1, "Aturan umum").font = _BOLD
    for number, rule in enumerate(_general_rules(bbox, max_text_length), 1):
        row += 1
        guide.cell(row=row, column=1, value=number)
        text_cell(guide, row, 2, rule)
    row += 2
    text_cell(guide, row, 1, "Daftar kolom").font = _BOLD
    row += 1
    for column, name in enumerate(GUIDE_COLUMNS, 1):
        cell = text_cell(guide, row, column, name)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for var in variables:
        row += 1
        values = (var.alias, var.nama, TYPE_LABELS[var.tipe_data], var.satuan, "Ya" if var.required else "Tidak",
                  "Ya" if var.kunci else "Tidak", _range_text(var, bbox), _choices_text(var), var.definisi,
                  var.kalimat_pertanyaan)
        for column, value in enumerate(values, 1):
            text_cell(guide, row, column, value).alignment = _WRAP
    for column, width in enumerate(_GUIDE_WIDTHS, 1):
        guide.column_dimensions[get_column_letter(column)].width = width

    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
