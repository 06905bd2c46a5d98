"""Validation of uploaded XLSX/CSV tables against a dataset's MS-Var variables.

Pure Python (openpyxl + charset_normalizer, no CKAN import) so it can run in a worker, a CLI or a test.

    with open_table(path) as table:
        validator = Validator(table, parse_variables(dataset["variabel"]), wilayah_codes=codes)
        for typed_row in validator.rows():    # typed tuples in variable order, streamed
            ...                              # the loader copies them into a temporary table
    if validator.error_count:                # nothing is loaded; validator.errors feeds report.write_report
        ...

Whole-file problems (encoding, empty file, unsupported format, size limits) raise :class:`FileError`;
cell and header problems become :class:`CellError` records. Every user-facing sentence is a template in
:data:`MESSAGES` (Bahasa Indonesia) so it can be translated in one place.

Decisions (the "why" behind the rules):

* Numbers: integers are strict (``"1.234"`` is refused: in Indonesia the dot is a thousands separator, so
  the value is ambiguous); decimals accept one ``,`` or ``.`` as the decimal mark and no thousands separator.
  ``desimal`` becomes :class:`decimal.Decimal` (exact, for a DataStore ``numeric`` column); ``lintang`` and
  ``bujur`` become ``float``; ``tanggal`` becomes :class:`datetime.date` (``.isoformat()`` gives ISO).
* ``ya_tidak``: ``t`` means *tidak* (Indonesian), not *true*.
* Text values are stripped of surrounding whitespace; a text or category value whose first visible character
  is ``= + - @`` is refused (formula injection when the data is later opened in a spreadsheet).
* CSV encoding: a BOM (UTF-8/16/32) wins; UTF-16 without BOM is recognised by its NUL bytes; otherwise the
  file must be valid UTF-8. Anything else is decoded as Windows-1252 (what Excel's plain "CSV" writes on an
  Indonesian Windows) only when charset_normalizer sees a single-byte text encoding and the bytes are valid
  cp1252 without control characters; multi-byte encodings (CJK) and binary data are refused.
* XLSX is opened with openpyxl's reader in read-only mode *without* ``data_only`` so formula cells are visible
  as formulas and refused; the sheet named ``Data`` is read (else the first visible sheet).
"""
from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import math
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

from charset_normalizer import from_bytes
from charset_normalizer.utils import is_multi_byte_encoding
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.constants import SHEET_MAIN_NS

__all__ = [
    "TYPES", "TYPE_LABELS", "NUMERIC_TYPES", "PASURUAN_BBOX", "YEAR_MIN", "YEAR_MAX", "DATE_MIN", "DATE_MAX",
    "MAX_TEXT_LENGTH", "MAX_VALUE_CHARS", "INJECTION_PREFIXES", "YES_WORDS", "NO_WORDS", "DATA_SHEET",
    "MESSAGES", "ERROR_CODES", "Variable", "parse_variables", "CellError", "FileError", "Table", "open_table",
    "Validator", "validate_file", "normalize_wilayah_code", "looks_like_formula", "format_number",
    "describe_choices",
]

# --- vocabulary shared with template.py and report.py ---------------------------------------------

TYPES = ("bilangan_bulat", "desimal", "teks", "tanggal", "tahun", "kategori", "kode_wilayah", "lintang", "bujur",
         "ya_tidak")
TYPE_LABELS = {
    "bilangan_bulat": "Bilangan bulat",
    "desimal": "Angka desimal",
    "teks": "Teks",
    "tanggal": "Tanggal",
    "tahun": "Tahun",
    "kategori": "Kategori (pilih kode)",
    "kode_wilayah": "Kode wilayah Kemendagri",
    "lintang": "Lintang (derajat desimal)",
    "bujur": "Bujur (derajat desimal)",
    "ya_tidak": "Ya/Tidak",
}
# Types whose nilai_min / nilai_maks are numbers.
NUMERIC_TYPES = frozenset({"bilangan_bulat", "desimal", "tahun", "lintang", "bujur"})
# (min_lon, min_lat, max_lon, max_lat): 7°30'–8°30' S, 112°30'–113°30' E (DOMAIN.md, Region codes).
PASURUAN_BBOX = (112.5, -8.5, 113.5, -7.5)
YEAR_MIN, YEAR_MAX = 1900, 2100
DATE_MIN, DATE_MAX = dt.date(YEAR_MIN, 1, 1), dt.date(YEAR_MAX, 12, 31)
MAX_TEXT_LENGTH = 10_000
MAX_VALUE_CHARS = 200
# First visible characters that make a spreadsheet evaluate a cell (OWASP CSV injection); the full-width
# forms are included because some IMEs produce them and Excel accepts them as formula starters.
INJECTION_PREFIXES = frozenset("=+-@＝＋－＠")
YES_WORDS = frozenset({"ya", "y", "iya", "yes", "true", "1"})
NO_WORDS = frozenset({"tidak", "t", "no", "false", "0"})
DATA_SHEET = "Data"
INT64_MAX = 2**63 - 1
DEFAULT_MAX_UNPACKED_BYTES = 512 * 1024 * 1024

def N_(msgid: str) -> str:
    """Marks a message for extraction into the i18n catalogue; translated by :func:`_msg`."""
    return msgid


_translate: Callable[[str], str] = str


def set_translator(gettext: Callable[[str], str]) -> None:
    """Translate messages from now on with ``gettext`` (the CKAN plugin installs ``toolkit._``)."""
    global _translate
    _translate = gettext


def _msg(key: str) -> str:
    return _translate(MESSAGES[key])


MESSAGES = {
    # cells
    "wajib": N_("Sel ini wajib diisi."),
    "wajib_kunci": N_("Sel ini wajib diisi karena termasuk kolom kunci."),
    "tipe_bilangan_bulat": N_("Harus bilangan bulat tanpa pemisah ribuan dan tanpa desimal, misalnya 1234."),
    "tipe_desimal": N_("Harus angka dengan koma atau titik sebagai pemisah desimal dan tanpa pemisah ribuan, "
                    "misalnya 12,5."),
    "tipe_tahun": N_("Harus tahun empat angka, misalnya 2024."),
    "tipe_tanggal": N_("Harus tanggal berformat TTTT-BB-HH (2024-12-31) atau HH/BB/TTTT (31/12/2024), atau sel "
                    "bertipe Tanggal."),
    "tipe_tanggal_tidak_ada": N_("Tanggal ini tidak ada di kalender."),
    "tipe_tanggal_jam": N_("Tanggal tidak boleh memuat jam."),
    "tipe_ya_tidak": N_("Harus ya atau tidak (boleh juga y/t, 1/0)."),
    "tipe_teks": N_("Harus teks."),
    "tipe_koordinat": N_("Koordinat harus dalam derajat desimal, misalnya -7,65 atau 112,9."),
    "tipe_kode_wilayah": N_("Harus kode wilayah Kemendagri, misalnya 35.14.14 (kecamatan) atau 35.14.14.1001 "
                         "(desa/kelurahan)."),
    "galat_excel": N_("Sel berisi nilai galat Excel {value}."),
    "formula_sel": N_("Sel berisi rumus (formula). Salin lalu tempel sebagai nilai (Tempel Spesial > Nilai)."),
    "formula_teks": N_("Isian tidak boleh diawali tanda =, +, - atau @ karena dapat dijalankan sebagai rumus di "
                    "aplikasi lembar kerja. Hapus tanda tersebut (nomor telepon ditulis 0812..., bukan +62812...); "
                    "kosongkan sel bila tidak ada nilai."),
    "terlalu_panjang": N_("Teks terlalu panjang: {length} karakter, maksimum {max}."),
    "rentang_min": N_("Nilai lebih kecil dari batas minimum {min}."),
    "rentang_maks": N_("Nilai lebih besar dari batas maksimum {max}."),
    "kode_kategori": N_("Bukan salah satu pilihan: {choices}."),
    "kode_wilayah": N_("Kode wilayah {code} tidak ada dalam daftar kode wilayah yang berlaku."),
    "koordinat_lintang": N_("Lintang di luar wilayah Kabupaten Pasuruan (harus antara {min} dan {max})."),
    "koordinat_bujur": N_("Bujur di luar wilayah Kabupaten Pasuruan (harus antara {min} dan {max})."),
    "koordinat_selatan": N_(" Lintang selatan ditulis negatif, misalnya {suggest}."),
    "koordinat_tertukar": N_(" Nilai ini tampaknya tertukar antara lintang dan bujur."),
    "duplikat": N_("Kombinasi kunci ({key}) sudah ada di baris {first}; baris {first} dan {row} ganda."),
    "nilai_tanpa_kolom": N_("Ada isian di kolom {letter} yang tidak memiliki judul kolom."),
    # header
    "kolom_hilang": N_("Kolom wajib tidak ada di baris judul: {columns}. Jangan mengubah atau menghapus judul kolom "
                    "templat."),
    "kolom_asing": N_("Kolom tidak dikenal: {columns}. Hapus kolom tersebut atau gunakan judul kolom sesuai templat."),
    "kolom_ganda": N_("Kolom {column} muncul lebih dari sekali di baris judul."),
    # whole file
    "kosong": N_("Berkas kosong: tidak ada baris judul maupun data."),
    "kosong_data": N_("Berkas hanya berisi baris judul; tidak ada baris data."),
    "encoding": N_("Berkas bukan teks UTF-8 dan pengodean karakternya tidak dapat dipastikan. Di Excel, simpan "
                "ulang lewat Simpan Sebagai > \"CSV UTF-8 (Comma delimited)\", atau unggah berkas .xlsx."),
    "xls": N_("Format .xls (Excel 97-2003) dan berkas Excel berkata sandi tidak didukung. Buka berkas di Excel lalu "
           "Simpan Sebagai \"Excel Workbook (.xlsx)\" tanpa kata sandi."),
    "zip_bukan_xlsx": N_("Berkas ZIP ini bukan lembar kerja .xlsx (misalnya .ods atau .docx). Simpan sebagai .xlsx "
                      "atau .csv."),
    "xlsx_rusak": N_("Berkas .xlsx rusak atau tidak dapat dibaca. Buka di Excel lalu simpan ulang sebagai .xlsx."),
    "csv_rusak": N_("CSV tidak dapat dibaca di baris {row}: tanda kutip atau pemisah kolom tidak sah."),
    "terlalu_besar": N_("Berkas terlalu besar ({size}); batasnya {max}."),
    "terlalu_besar_zip": N_("Isi berkas .xlsx terlalu besar setelah diekstrak ({size}); batasnya {max}."),
    "terlalu_banyak_baris": N_("Berkas memuat lebih dari {max} baris data; pecah menjadi beberapa berkas."),
    # variable specs (ValueError)
    "spec_bukan_objek": N_("Spesifikasi variabel ke-{index} bukan objek."),
    "spec_kosong": N_("Dataset belum memiliki variabel."),
    "spec_alias": N_("Alias variabel \u201c{alias}\u201d tidak sah: gunakan huruf kecil, angka dan garis bawah, "
                  "diawali huruf, paling banyak 63 karakter."),
    "spec_tipe": N_("Tipe data \u201c{tipe}\u201d variabel {alias} tidak dikenal; pilihan: {types}."),
    "spec_boolean": N_("Isian {field} variabel {alias} harus ya atau tidak, bukan \u201c{value}\u201d."),
    "spec_angka": N_("Batas {field} variabel {alias} harus angka, bukan \u201c{value}\u201d."),
    "spec_tanggal": N_("Batas {field} variabel {alias} harus tanggal TTTT-BB-HH, bukan \u201c{value}\u201d."),
    "spec_min_maks": N_("Batas minimum variabel {alias} lebih besar dari batas maksimumnya."),
    "spec_kategori": N_("Variabel kategori {alias} belum memiliki klasifikasi isian (satu baris \u201ckode=label\u201d "
                     "per pilihan)."),
    "spec_kode_ganda": N_("Kode \u201c{code}\u201d muncul lebih dari sekali pada klasifikasi isian variabel {alias}."),
    "spec_kode_formula": N_("Kode \u201c{code}\u201d variabel {alias} tidak boleh diawali =, +, - atau @."),
    "spec_nama_ganda": N_("Alias atau nama \u201c{name}\u201d dipakai oleh lebih dari satu variabel."),
}

# Machine codes carried by CellError.code and FileError.code.
ERROR_CODES = frozenset({
    "tipe", "wajib", "rentang", "kode_tidak_dikenal", "formula", "duplikat", "kolom_hilang", "kolom_asing",
    "kolom_ganda", "koordinat", "terlalu_panjang", "encoding", "kosong", "terlalu_besar", "format",
})

_ALIAS_RE = re.compile(r"[a-z][a-z0-9_]{0,62}")
_INT_RE = re.compile(r"[+-]?[0-9]+")
_DEC_RE = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DMY_DATE_RE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_WILAYAH_DOTTED_RE = re.compile(r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?")
_WILAYAH_DIGITS_RE = re.compile(r"[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MIDNIGHT = dt.time(0, 0)


def format_number(value: Any) -> str:
    """A number as Indonesians write it (decimal comma)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def _fmt_bytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would evaluate ``text`` (first visible character is = + - @)."""
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in INJECTION_PREFIXES


def normalize_wilayah_code(value: str) -> str | None:
    """``35.14.14`` or ``351414`` -> ``35.14.14``; None when the text is not a Kemendagri code."""
    value = value.strip()
    if _WILAYAH_DOTTED_RE.fullmatch(value):
        return value
    if _WILAYAH_DIGITS_RE.fullmatch(value):
        parts = [value[:2], value[2:4], value[4:6], value[6:]]
        return ".".join(p for p in parts if p)
    return None


# --- variables ----------------------------------------------------------------------------------------

_TRUE_SPEC = frozenset({"true", "ya", "y", "yes", "1", "on", "benar"})
_FALSE_SPEC = frozenset({"false", "tidak", "t", "no", "0", "off", "salah", ""})


def _spec_bool(value: Any, field: str, alias: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float):
        return bool(value)
    text = str(value).strip().casefold()
    if text in _TRUE_SPEC:
        return True
    if text in _FALSE_SPEC:
        return False
    raise ValueError(_msg("spec_boolean").format(field=field, alias=alias, value=value))


def _spec_bound(value: Any, field: str, alias: str, tipe: str) -> Decimal | dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if tipe == "tanggal":
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(_msg("spec_tanggal").format(field=field, alias=alias, value=value)) from None
    if tipe not in NUMERIC_TYPES:
        return None  # bounds only mean something for numbers and dates
    if isinstance(value, bool):
        raise ValueError(_msg("spec_angka").format(field=field, alias=alias, value=value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value))
    text = str(value).strip()
    if not _DEC_RE.fullmatch(text):
        raise ValueError(_msg("spec_angka").format(field=field, alias=alias, value=value))
    return Decimal(text.replace(",", "."))


def _parse_choices(text: Any, alias: str) -> tuple[tuple[str, str], ...]:
    choices: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in str(text or "").splitlines():
        if not line.strip():
            continue
        code, _, label = line.partition("=")
        code, label = code.strip(), label.strip()
        if not code:
            continue
        if code[0] in INJECTION_PREFIXES:
            raise ValueError(_msg("spec_kode_formula").format(code=code, alias=alias))
        if code.casefold() in seen:
            raise ValueError(_msg("spec_kode_ganda").format(code=code, alias=alias))
        seen.add(code.casefold())
        choices.append((code, label))
    return tuple(choices)


@dataclasses.dataclass(frozen=True)
class Variable:
    """One MS-Var variable: a column of the dataset's DataStore table."""

    alias: str
    nama: str
    tipe_data: str
    satuan: str = ""
    wajib: bool = False
    kunci: bool = False
    nilai_min: Decimal | dt.date | None = None
    nilai_maks: Decimal | dt.date | None = None
    pilihan: tuple[tuple[str, str], ...] = ()  # (code, label) from klasifikasi_isian
    definisi: str = ""
    kalimat_pertanyaan: str = ""

    @property
    def required(self) -> bool:
        """A key column must be filled too: a blank cannot identify a row."""
        return self.wajib or self.kunci

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Variable:
        """Parse one ``variabel`` entry; raises ValueError with an Indonesian message when it is unusable."""
        raw_alias = str(data.get("alias") or "").strip()
        alias = raw_alias.lower()
        if not _ALIAS_RE.fullmatch(alias):
            raise ValueError(_msg("spec_alias").format(alias=raw_alias))
        tipe = str(data.get("tipe_data") or "").strip().lower()
        if tipe not in TYPES:
            raise ValueError(_msg("spec_tipe").format(tipe=tipe, alias=alias, types=", ".join(TYPES)))
        nilai_min = _spec_bound(data.get("nilai_min"), "minimum", alias, tipe)
        nilai_maks = _spec_bound(data.get("nilai_maks"), "maksimum", alias, tipe)
        if nilai_min is not None and nilai_maks is not None and nilai_min > nilai_maks:
            raise ValueError(_msg("spec_min_maks").format(alias=alias))
        pilihan: tuple[tuple[str, str], ...] = ()
        if tipe == "kategori":
            pilihan = _parse_choices(data.get("klasifikasi_isian"), alias)
            if not pilihan:
                raise ValueError(_msg("spec_kategori").format(alias=alias))
        return cls(
            alias=alias,
            nama=str(data.get("nama") or "").strip() or alias,
            tipe_data=tipe,
            satuan=str(data.get("satuan") or "").strip(),
            wajib=_spec_bool(data.get("wajib"), "wajib", alias),
            kunci=_spec_bool(data.get("kunci"), "kunci", alias),
            nilai_min=nilai_min,
            nilai_maks=nilai_maks,
            pilihan=pilihan,
            definisi=str(data.get("definisi") or "").strip(),
            kalimat_pertanyaan=str(data.get("kalimat_pertanyaan") or "").strip(),
        )


def _header_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse_variables(specs: Iterable[Mapping[str, Any] | Variable]) -> list[Variable]:
    """Parse the dataset's ``variabel`` list; aliases and names must identify one variable each."""
    variables: list[Variable] = []
    for index, spec in enumerate(specs, 1):
        if isinstance(spec, Variable):
            variables.append(spec)
        elif isinstance(spec, Mapping):
            variables.append(Variable.from_dict(spec))
        else:
            raise ValueError(_msg("spec_bukan_objek").format(index=index))
    if not variables:
        raise ValueError(_msg("spec_kosong"))
    owner: dict[str, str] = {}
    for var in variables:
        for name in {_header_key(var.alias), _header_key(var.nama)}:
            if owner.setdefault(name, var.alias) != var.alias:
                raise ValueError(_msg("spec_nama_ganda").format(name=name))
    return variables


# --- errors -------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class CellError:
    """One problem the user must fix: where (row as seen in the spreadsheet, column header), what, why."""

    row: int
    column: str
    value: str
    reason: str
    code: str


class FileError(Exception):
    """The file as a whole cannot be read (encoding, empty, format, size); ``message`` is Indonesian."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class _Reject(Exception):
    """Raised by a cell converter; becomes a CellError."""

    def __init__(self, code: str, reason: str):
        self.code = code
        self.reason = reason


class _Marker:
    """A cell that is not a value: shown by its text, refused by every converter."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text!r})"


class _Formula(_Marker):
    __slots__ = ()


class _ExcelError(_Marker):
    __slots__ = ()


def _display(value: Any) -> str:
    """The raw cell as text for reports (CellError.value), at most MAX_VALUE_CHARS characters."""
    if value is None:
        text = ""
    elif value.__class__ is str:
        text = value
    elif isinstance(value, _Marker):
        text = value.text
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == _MIDNIGHT else value.isoformat(sep=" ")
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "\u2026"
    return text


# --- tables -------------------------------------------------------------------------------------------


class Table:
    """A header row and the non-blank data rows under it, streamed once.

    Iterating yields ``(row_number, cells)``: the row number as the user sees it in the spreadsheet (the header
    is usually row 1) and the raw cells (CSV: ``str``; XLSX: ``str``/``int``/``float``/``bool``/``datetime``,
    or a marker for formula and error cells), indexed like :attr:`header`; :attr:`header_row` is the header's
    row number. Use as a context manager.
    """

    def __init__(self, fmt: str, rows: Iterator[tuple[int, list[Any]]], close: Callable[[], None], *,
                 encoding: str | None = None, delimiter: str | None = None):
        self.fmt = fmt
        self.encoding = encoding
        self.delimiter = delimiter
        self._rows = rows
        self._close = close
        self._started = False
        try:
            first = next(rows, None)
            if first is None:
                raise FileError("kosong", _msg("kosong"))
            self.header_row, cells = first
            header = [_display(v).strip() for v in cells]
            while header and not header[-1]:
                header.pop()
            self.header: list[str] = header
            self._first = next(rows, None)
            if self._first is None:
                raise FileError("kosong", _msg("kosong_data"))
        except BaseException:
            close()
            raise

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        if self._started:
            raise RuntimeError("a Table can be iterated only once")
        self._started = True
        if self._first is not None:
            yield self._first
        yield from self._rows

    def close(self) -> None:
        self._close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def open_table(path: str | os.PathLike[str], fmt: str | None = None, *, max_bytes: int | None = None,
               max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES) -> Table:
    """Open an uploaded CSV or XLSX file and read its header.

    ``fmt`` ("csv"/"xlsx") is the format the user claimed; the file's magic bytes win (a renamed .xlsx is read
    as XLSX, an .xls is refused). Raises FileError for unreadable, empty, header-only or oversized files.
    """
    if fmt not in (None, "csv", "xlsx"):
        raise ValueError(f"unsupported format {fmt!r}")
    size = os.path.getsize(path)
    if max_bytes is not None and size > max_bytes:
        raise FileError("terlalu_besar", _msg("terlalu_besar").format(size=_fmt_bytes(size),
                                                                          max=_fmt_bytes(max_bytes)))
    if size == 0:
        raise FileError("kosong", _msg("kosong"))
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(_OLE_MAGIC):
        raise FileError("format", _msg("xls"))
    if magic.startswith(_ZIP_MAGIC):
        return _open_xlsx(path, max_unpacked_bytes)
    if fmt == "xlsx":
        raise FileError("format", _msg("xlsx_rusak"))
    return _open_csv(path)


# CSV ---------------------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHUNK = 1 << 20
_SAMPLE = 1 << 16


def _decodes(path: str | os.PathLike[str], encoding: str) -> bool:
    """Whether the whole file decodes strictly (streamed, so memory stays flat)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _encoding_error() -> FileError:
    return FileError("encoding", _msg("encoding"))


def _detect_encoding(path: str | os.PathLike[str]) -> str:
    with open(path, "rb") as fh:
        head = fh.read(_SAMPLE)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            if _decodes(path, encoding):
                return encoding
            raise _encoding_error()
    if b"\x00" in head:
        # UTF-16 without BOM: ASCII characters leave NUL bytes on one side of every pair.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        encoding = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else ""
        if encoding and _decodes(path, encoding):
            text = head[: len(head) // 2 * 2].decode(encoding, "ignore")
            if not _CONTROL_RE.search(text):
                return encoding
        raise _encoding_error()
    if _decodes(path, "utf-8"):
        return "utf-8"
    # Not UTF-8: give the detector the lines that carry non-ASCII bytes, not just the (ASCII) start.
    sample = bytearray()
    with open(path, "rb") as fh:
        for line in fh:
            if not line.isascii():
                sample += line
                if len(sample) >= _SAMPLE:
                    break
    best = from_bytes(bytes(sample)).best()
    if best is None or is_multi_byte_encoding(best.encoding) or not _decodes(path, "cp1252"):
        raise _encoding_error()
    if _CONTROL_RE.search(bytes(sample).decode("cp1252")):
        raise _encoding_error()
    return "cp1252"


_DELIMITERS = (";", ",", "\t")


def _sniff_delimiter(sample: str) -> str:
    """Pick the delimiter whose parse of the first lines gives the widest consistent header."""
    lines = sample.splitlines()
    if len(lines) > 1 and len(sample) >= _SAMPLE:
        lines.pop()  # cut off mid-line
    # Fallback for one-column files: the most frequent candidate (a row of ";;;" is blank, not a value).
    best, best_score = max(_DELIMITERS, key=lambda d: (sample.count(d), d == ",")), (-1, -1)
    for delimiter in _DELIMITERS:
        try:
            records = [r for r in csv.reader(lines[:50], delimiter=delimiter) if "".join(r).strip()]
        except csv.Error:
            continue
        if not records:
            continue
        width = len(records[0])
        score = (sum(len(r) == width for r in records), width)
        if width > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def _open_csv(path: str | os.PathLike[str]) -> Table:
    encoding = _detect_encoding(path)
    fh = open(path, encoding=encoding, newline="")  # closed by the Table
    try:
        sample = fh.read(_SAMPLE)
        fh.seek(0)
        skip_sep_line = False
        match = re.match(r"sep=(.)\r?\n", sample)
        if match:  # Excel's "sep=;" hint line: Excel hides it, so do we
            delimiter, skip_sep_line = match.group(1), True
        else:
            delimiter = _sniff_delimiter(sample)
    except BaseException:
        fh.close()
        raise

    def rows() -> Iterator[tuple[int, list[Any]]]:
        reader = csv.reader(fh, delimiter=delimiter)
        number = 0
        try:
            if skip_sep_line:
                next(reader, None)
            for number, record in enumerate(reader, 1):
                if "".join(record).strip():
                    yield number, record
        except csv.Error:
            raise FileError("format", _msg("csv_rusak").format(row=number + 1)) from None
        except UnicodeDecodeError:
            raise _encoding_error() from None

    return Table("csv", rows(), fh.close, encoding=encoding, delimiter=delimiter)


# XLSX --------------------------------------------------------------------------------------------------

_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
_CELL_TAG = f"{{{SHEET_MAIN_NS}}}c"
_VALUE_TAG = f"{{{SHEET_MAIN_NS}}}v"
_FORMULA_TAG = f"{{{SHEET_MAIN_NS}}}f"
_INLINE_TAG = f"{{{SHEET_MAIN_NS}}}is"
_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
_SHEET_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
_XLSX_ERRORS = (zipfile.BadZipFile, zlib.error, ParseError, InvalidFileException, KeyError, ValueError, TypeError,
                IndexError, AttributeError, EOFError, OSError)


def _open_xlsx(path: str | os.PathLike[str], max_unpacked_bytes: int) -> Table:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise FileError("format", _msg("xlsx_rusak")) from None
    if "xl/workbook.xml" not in names:
        raise FileError("format", _msg("zip_bukan_xlsx"))
    if unpacked > max_unpacked_bytes:  # zip bomb guard: shared strings are held in memory
        raise FileError("terlalu_besar", _msg("terlalu_besar_zip").format(size=_fmt_bytes(unpacked),
                                                                              max=_fmt_bytes(max_unpacked_bytes)))
    # A file object, not the path: openpyxl would refuse a workbook uploaded under another extension.
    handle = open(path, "rb")  # closed with the table
    try:
        # openpyxl's reader, step by step, in read-only mode and without data_only (formula cells keep their
        # formula, so they can be refused). load_workbook() would also size every sheet, a full extra parse
        # of any sheet that lacks a <dimension> (openpyxl's own write-only output, for one).
        reader = ExcelReader(handle, read_only=True, data_only=False, keep_links=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [(sheet, rel.target) for sheet, rel in reader.parser.find_sheets()
                  if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    except _XLSX_ERRORS:
        handle.close()
        raise FileError("format", _msg("xlsx_rusak")) from None

    def close() -> None:
        reader.archive.close()
        handle.close()

    try:
        if not sheets:
            raise FileError("kosong", _msg("kosong"))
        chosen = next((s for s in sheets if s[0].name.strip().casefold() == DATA_SHEET.casefold()), None)
        chosen = chosen or next((s for s in sheets if s[0].state in (None, "visible")), sheets[0])
        rows = _xlsx_rows(reader, chosen[1])
    except BaseException:
        close()
        raise
    return Table("xlsx", rows, close)


def _xlsx_rows(reader: ExcelReader, sheet_path: str) -> Iterator[tuple[int, list[Any]]]:
    """Stream a worksheet's non-blank rows.

    openpyxl has loaded the shared strings, the date styles and the epoch; the cell loop is ours because
    openpyxl builds a dict (and a cell object) per cell, which costs more than the validation itself. It relies
    on the workbook's private ``_date_formats``/``_timedelta_formats`` (openpyxl 3.1).
    """
    workbook = reader.wb
    shared = reader.shared_strings
    date_styles = workbook._date_formats
    timedelta_styles = workbook._timedelta_formats
    epoch = workbook.epoch
    is_date: dict[str, bool] = {}
    column_of: dict[str, int] = {}
    source = reader.archive.open(sheet_path)
    try:
        sheet_data = None
        row_counter = 0
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == _SHEET_DATA_TAG:
                    sheet_data = element
                continue
            if element.tag != _ROW_TAG:
                continue
            r = element.get("r")
            row_counter = int(float(r)) if r else row_counter + 1
            values: list[Any] = []
            column = 0
            for cell in element:
                if cell.tag != _CELL_TAG:
                    continue
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    column = column_of.get(letters) or column_of.setdefault(letters,
                                                                            column_index_from_string(letters))
                else:
                    column += 1
                kind = cell.get("t")
                text = formula = inline = None
                if len(cell) == 1 and cell[0].tag == _VALUE_TAG:  # the common case, without a loop
                    text = cell[0].text
                else:
                    for child in cell:
                        tag = child.tag
                        if tag == _VALUE_TAG:
                            text = child.text
                        elif tag == _FORMULA_TAG:
                            formula = child
                        elif tag == _INLINE_TAG:
                            inline = child
                if formula is not None:
                    # Cells sharing another cell's formula carry no text of their own.
                    value: Any = _Formula("=" + formula.text if formula.text else "(rumus)")
                elif kind is None or kind == "n":
                    if text is None:
                        continue
                    value = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
                    style = cell.get("s")
                    if style:
                        date = is_date.get(style)
                        if date is None:
                            date = is_date[style] = int(style) in date_styles
                        if date:
                            try:
                                value = from_excel(value, epoch, timedelta=int(style) in timedelta_styles)
                            except (OverflowError, ValueError):
                                value = _ExcelError("#VALUE!")
                elif kind == "s":
                    if text is None:
                        continue
                    value = shared[int(text)]
                elif kind == "inlineStr":
                    if inline is None:
                        continue
                    parts = list(inline)
                    if len(parts) == 1 and parts[0].tag == _TEXT_TAG:
                        value = parts[0].text or ""
                    else:  # rich text runs
                        value = Text.from_tree(inline).content or ""
                elif kind == "str":
                    value = text or ""
                elif kind == "b":
                    if text is None:
                        continue
                    value = text.strip() in ("1", "true")
                elif kind == "e":
                    value = _ExcelError(text or "#N/A")
                elif kind == "d":
                    if text is None:
                        continue
                    value = from_ISO8601(text)
                else:
                    value = text
                if value is None or (value.__class__ is str and not value.strip()):
                    continue
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                values[column - 1] = value
            element.clear()
            if sheet_data is not None:
                # Drop the parsed row from the tree so memory stays flat in the number of rows.
                sheet_data.clear()
            if values:
                yield row_counter, values
    except _XLSX_ERRORS:
        raise FileError("format", _msg("xlsx_rusak")) from None
    finally:
        source.close()


# --- cell converters ----------------------------------------------------------------------------------


def _other(value: Any, message_key: str) -> _Reject:
    """The rejection for a cell of an unexpected Python type (formula, Excel error, wrong cell type)."""
    if value.__class__ is _Formula:
        return _Reject("formula", _msg("formula_sel"))
    if value.__class__ is _ExcelError:
        return _Reject("tipe", _msg("galat_excel").format(value=value.text))
    return _Reject("tipe", _msg(message_key))


def _bounds_check(var: Variable) -> Callable[[Any], None] | None:
    low, high = var.nilai_min, var.nilai_maks
    if low is None and high is None:
        return None
    show = (lambda d: d.isoformat()) if var.tipe_data == "tanggal" else format_number

    def check(value: Any) -> None:
        if low is not None and value < low:
            raise _Reject("rentang", _msg("rentang_min").format(min=show(low)))
        if high is not None and value > high:
            raise _Reject("rentang", _msg("rentang_maks").format(max=show(high)))

    return check


def _with_bounds(convert: Callable[[Any], Any], var: Variable) -> Callable[[Any], Any]:
    check = _bounds_check(var)
    if check is None:
        return convert

    def bounded(value: Any) -> Any:
        result = convert(value)
        check(result)
        return result

    return bounded


def _to_int(value: Any) -> int:
    cls = value.__class__
    if cls is int:
        result = value
    elif cls is float:
        if not value.is_integer():
            raise _Reject("tipe", _msg("tipe_bilangan_bulat"))
        result = int(value)
    elif cls is str:
        if not _INT_RE.fullmatch(value):
            if value[0] in INJECTION_PREFIXES and value[0] not in "+-":
                raise _Reject("formula", _msg("formula_teks"))
            raise _Reject("tipe", _msg("tipe_bilangan_bulat"))
        if len(value) > 20:  # beyond int64 anyway; int() refuses very long digit strings
            raise _Reject("rentang", _msg("rentang_maks").format(max=INT64_MAX))
        result = int(value)
    else:
        raise _other(value, "tipe_bilangan_bulat")
    if -INT64_MAX <= result <= INT64_MAX:
        return result
    raise _Reject("rentang", _msg("rentang_maks").format(max=INT64_MAX))


def _number_parser(cast: Callable[[Any], Any], message_key: str) -> Callable[[Any], Any]:
    """A parser for decimal numbers: Excel numbers, or text with a decimal comma or point."""

    def parse(value: Any) -> Any:
        cls = value.__class__
        if cls is float:
            if not math.isfinite(value):
                raise _Reject("tipe", _msg(message_key))
            return cast(value)
        if cls is int:
            return cast(value)
        if cls is str:
            if _DEC_RE.fullmatch(value):
                return cast(value.replace(",", "."))
            if value[0] in INJECTION_PREFIXES and value[0] not in "+-":
                raise _Reject("formula", _msg("formula_teks"))
            raise _Reject("tipe", _msg(message_key))
        raise _other(value, message_key)

    return parse


def _to_decimal(value: Any) -> Decimal:
    # repr() of a float is its shortest round-trip form: 0.1 stays Decimal("0.1"), not 0.1000000000000000055...
    try:
        return Decimal(repr(value) if value.__class__ is float else value)
    except InvalidOperation:
        raise _Reject("tipe", _msg("tipe_desimal")) from None


def _make_year(var: Variable) -> Callable[[Any], int]:
    low = max(YEAR_MIN, var.nilai_min) if var.nilai_min is not None else YEAR_MIN
    high = min(YEAR_MAX, var.nilai_maks) if var.nilai_maks is not None else YEAR_MAX

    def convert(value: Any) -> int:
        cls = value.__class__
        if cls is int:
            year = value
        elif cls is float and value.is_integer():
            year = int(value)
        elif cls is str and len(value) == 4 and value.isascii() and value.isdigit():
            year = int(value)
        elif cls is str or cls is float:
            raise _Reject("tipe", _msg("tipe_tahun"))
        else:
            raise _other(value, "tipe_tahun")
        if year < low:
            raise _Reject("rentang", _msg("rentang_min").format(min=low))
        if year > high:
            raise _Reject("rentang", _msg("rentang_maks").format(max=high))
        return year

    return convert


def _to_date(value: Any) -> dt.date:
    cls = value.__class__
    if cls is dt.datetime:
        if value.time() != _MIDNIGHT:
            raise _Reject("tipe", _msg("tipe_tanggal_jam"))
        result = value.date()
    elif cls is dt.date:
        result = value
    elif cls is str:
        match = _ISO_DATE_RE.fullmatch(value)
        if match:
            year, month, day = match.groups()
        else:
            match = _DMY_DATE_RE.fullmatch(value)
            if not match:
                raise _Reject("tipe", _msg("tipe_tanggal"))
            day, month, year = match.groups()
        try:
            result = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise _Reject("tipe", _msg("tipe_tanggal_tidak_ada")) from None
    else:
        raise _other(value, "tipe_tanggal")
    if result < DATE_MIN:
        raise _Reject("rentang", _msg("rentang_min").format(min=DATE_MIN.isoformat()))
    if result > DATE_MAX:
        raise _Reject("rentang", _msg("rentang_maks").format(max=DATE_MAX.isoformat()))
    return result


def _to_bool(value: Any) -> bool:
    cls = value.__class__
    if cls is bool:
        return value
    if cls is int or cls is float:
        if value in (0, 1):
            return bool(value)
        raise _Reject("tipe", _msg("tipe_ya_tidak"))
    if cls is str:
        word = value.casefold()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise _Reject("tipe", _msg("tipe_ya_tidak"))
    raise _other(value, "tipe_ya_tidak")


def _cell_text(value: Any) -> str:
    """A non-text Excel cell as the text the user sees (numbers without a trailing .0)."""
    cls = value.__class__
    if cls is int:
        return str(value)
    if cls is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if cls is bool:
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date | dt.time):
        return _display(value)
    raise _other(value, "tipe_teks")


def _make_text(max_length: int) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if value.__class__ is not str:
            value = _cell_text(value)
        if value[0] in INJECTION_PREFIXES:
            raise _Reject("formula", _msg("formula_teks"))
        if len(value) > max_length:
            raise _Reject("terlalu_panjang", _msg("terlalu_panjang").format(length=len(value), max=max_length))
        return value

    return convert


def describe_choices(pilihan: Sequence[tuple[str, str]], limit: int = 20) -> str:
    """``L (Laki-laki), P (Perempuan)`` for messages, cut after ``limit`` choices."""
    shown = ", ".join(f"{code} ({label})" if label else code for code, label in pilihan[:limit])
    return shown + (", \u2026" if len(pilihan) > limit else "")


def _make_category(var: Variable) -> Callable[[Any], str]:
    lookup: dict[str, str] = {}
    for code, label in var.pilihan:  # labels first so that a code always wins over an equal label
        if label:
            lookup.setdefault(label.casefold(), code)
    for code, _ in var.pilihan:
        lookup[code.casefold()] = code
    shown = describe_choices(var.pilihan)

    def convert(value: Any) -> str:
        if value.__class__ is not str:
            value = _cell_text(value)
        if value[0] in INJECTION_PREFIXES:
            raise _Reject("formula", _msg("formula_teks"))
        code = lookup.get(value.casefold())
        if code is None:
            raise _Reject("kode_tidak_dikenal", _msg("kode_kategori").format(choices=shown))
        return code

    return convert


def _make_wilayah(codes: Container[str]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        cls = value.__class__
        if cls is float and value.is_integer():
            value = str(int(value))
        elif cls is int or cls is float:
            value = repr(value) if cls is float else str(value)
        elif cls is not str:
            raise _other(value, "tipe_kode_wilayah")
        code = normalize_wilayah_code(value)
        if code is None:
            raise _Reject("tipe", _msg("tipe_kode_wilayah"))
        if code not in codes:
            raise _Reject("kode_tidak_dikenal", _msg("kode_wilayah").format(code=code))
        return code

    return convert


def _make_coordinate(var: Variable, bbox: tuple[float, float, float, float]) -> Callable[[Any], float]:
    min_lon, min_lat, max_lon, max_lat = bbox
    latitude = var.tipe_data == "lintang"
    low, high = (min_lat, max_lat) if latitude else (min_lon, max_lon)
    other_low, other_high = (min_lon, max_lon) if latitude else (min_lat, max_lat)
    message = _msg("koordinat_lintang" if latitude else "koordinat_bujur").format(
        min=format_number(low), max=format_number(high))
    parse = _number_parser(float, "tipe_koordinat")

    def convert(value: Any) -> float:
        number = parse(value)
        if low <= number <= high:
            return number
        reason = message
        if latitude and low <= -number <= high:
            reason += _msg("koordinat_selatan").format(suggest=format_number(-number))
        elif other_low <= number <= other_high:
            reason += _msg("koordinat_tertukar")
        raise _Reject("koordinat", reason)

    return convert


def _converter(var: Variable, *, wilayah_codes: Container[str] | None, bbox: tuple[float, float, float, float],
               max_text_length: int) -> Callable[[Any], Any]:
    tipe = var.tipe_data
    if tipe == "bilangan_bulat":
        return _with_bounds(_to_int, var)
    if tipe == "desimal":
        return _with_bounds(_number_parser(_to_decimal, "tipe_desimal"), var)
    if tipe == "tahun":
        return _make_year(var)
    if tipe == "tanggal":
        return _with_bounds(_to_date, var)
    if tipe == "ya_tidak":
        return _to_bool
    if tipe == "teks":
        return _make_text(max_text_length)
    if tipe == "kategori":
        return _make_category(var)
    if tipe == "kode_wilayah":
        if wilayah_codes is None:
            raise ValueError(f"variable {var.alias!r} is kode_wilayah: pass wilayah_codes")
        return _make_wilayah(wilayah_codes)
    if tipe in ("lintang", "bujur"):
        return _with_bounds(_make_coordinate(var, bbox), var)
    raise AssertionError(tipe)  # Variable.from_dict admits only TYPES


# --- validator ----------------------------------------------------------------------------------------


class Validator:
    """Validates a :class:`Table` row by row against the variables.

    The header is checked at construction (``errors`` may already hold header problems, on row
    ``table.header_row``); :meth:`rows` then streams the data rows, yielding one typed tuple per valid row in
    variable order until the first error (none at all after a header problem). After an error the remaining
    rows are still checked, so the report is complete, but no longer yielded: the caller discards the load
    anyway. Missing optional columns give ``None``. ``errors`` keeps the first ``max_errors`` problems;
    ``error_count`` counts all of them.
    """

    def __init__(self, table: Table, variables: Sequence[Variable | Mapping[str, Any]], *,
                 wilayah_codes: Mapping[str, str] | Container[str] | None = None,
                 bbox: tuple[float, float, float, float] = PASURUAN_BBOX, max_errors: int = 1000,
                 max_rows: int | None = None, max_text_length: int = MAX_TEXT_LENGTH):
        min_lon, min_lat, max_lon, max_lat = bbox
        if not (min_lon < max_lon and min_lat < max_lat):
            raise ValueError(f"invalid bbox {bbox!r}")
        self.table = table
        self.variables = parse_variables(variables)
        self.max_errors = max_errors
        self.max_rows = max_rows
        self.errors: list[CellError] = []
        self.error_count = 0
        self.row_count = 0
        self._converters = [_converter(v, wilayah_codes=wilayah_codes, bbox=bbox, max_text_length=max_text_length)
                            for v in self.variables]
        self._started = False
        self._positions = self._match_header()

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def _add(self, row: int, column: str, value: Any, code: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < self.max_errors:
            self.errors.append(CellError(row=row, column=column, value=_display(value), reason=reason, code=code))

    def _match_header(self) -> list[int | None]:
        """Position of each variable's column in the file (None when absent)."""
        by_name: dict[str, int] = {}
        for index, var in enumerate(self.variables):
            by_name[_header_key(var.alias)] = index
            by_name[_header_key(var.nama)] = index
        positions: list[int | None] = [None] * len(self.variables)
        unknown: list[str] = []
        row = self.table.header_row
        for position, text in enumerate(self.table.header):
            if not text:
                continue
            index = by_name.get(_header_key(text))
            if index is None:
                unknown.append(text)
            elif positions[index] is not None:
                self._add(row, text, text, "kolom_ganda", _msg("kolom_ganda").format(column=text))
            else:
                positions[index] = position
        missing = [v.alias for v, p in zip(self.variables, positions, strict=True) if p is None and v.required]
        if missing:
            columns = ", ".join(missing)
            self._add(row, columns, "", "kolom_hilang", _msg("kolom_hilang").format(columns=columns))
        if unknown:
            columns = ", ".join(unknown)
            self._add(row, columns, columns, "kolom_asing", _msg("kolom_asing").format(columns=columns))
        return positions

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Typed rows in variable order; raises FileError when ``max_rows`` is exceeded."""
        if self._started:
            raise RuntimeError("Validator.rows() can run only once")
        self._started = True
        # Rows are checked even after header problems (against the columns that did match), so one report
        # lists everything to fix; a missing column adds no per-row noise since it is simply not in the plan.
        header = self.table.header
        width = len(header)
        unnamed = [p for p, text in enumerate(header) if not text]
        plan = []
        for index, (var, position) in enumerate(zip(self.variables, self._positions, strict=True)):
            if position is not None:
                wajib = _msg("wajib") if var.wajib else _msg("wajib_kunci")
                plan.append((index, position, self._converters[index], var.required, header[position], wajib))
        key_indexes = [i for i, v in enumerate(self.variables) if v.kunci]
        key_label = ", ".join(self.variables[i].alias for i in key_indexes)
        seen_keys: dict[tuple[Any, ...], int] = {}
        empty = [None] * len(self.variables)
        max_rows = self.max_rows
        add = self._add

        for number, cells in self.table:
            self.row_count += 1
            if max_rows is not None and self.row_count > max_rows:
                raise FileError("terlalu_besar", _msg("terlalu_banyak_baris").format(max=max_rows))
            size = len(cells)
            out = empty.copy()
            bad = False
            for index, position, convert, required, label, wajib in plan:
                raw = cells[position] if position < size else None
                if raw is None:
                    value = None
                elif raw.__class__ is str:
                    value = raw.strip() or None
                else:
                    value = raw
                if value is None:
                    if required:
                        add(number, label, "", "wajib", wajib)
                        bad = True
                    continue
                try:
                    out[index] = convert(value)
                except _Reject as err:
                    add(number, label, raw, err.code, err.reason)
                    bad = True
            if size > width or unnamed:
                for position in [*unnamed, *range(width, size)]:
                    raw = cells[position] if position < size else None
                    if raw is not None and (raw.__class__ is not str or raw.strip()):
                        letter = get_column_letter(position + 1)
                        add(number, letter, raw, "kolom_asing", _msg("nilai_tanpa_kolom").format(letter=letter))
                        bad = True
            if key_indexes:
                key = tuple(out[i] for i in key_indexes)
                if None not in key:
                    first = seen_keys.setdefault(key, number)
                    if first != number:
                        shown = ", ".join(f"{self.variables[i].alias}={_display(k)}" for i, k in zip(
                            key_indexes, key, strict=True))
                        add(number, key_label, "; ".join(_display(k) for k in key), "duplikat",
                            _msg("duplikat").format(key=shown, first=first, row=number))
                        bad = True
            if not bad and not self.error_count:
                yield tuple(out)

    def run(self) -> Validator:
        """Validate every row without keeping them (a dry run); returns self."""
        for _ in self.rows():
            pass
        return self


def validate_file(path: str | os.PathLike[str], variables: Sequence[Variable | Mapping[str, Any]], *,
                  fmt: str | None = None, max_bytes: int | None = None, **options: Any) -> Validator:
    """Open, validate and close a file without loading it; FileError propagates. Options go to Validator."""
    with open_table(path, fmt, max_bytes=max_bytes) as table:
        return Validator(table, variables, **options).run()

