"""Upload validation: variable specs, file reading (CSV/XLSX, encodings) and every error code."""
from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from ckanext.satudatapasuruan.entry.validation import (
    ERROR_CODES,
    MAX_VALUE_CHARS,
    MESSAGES,
    CellError,
    FileError,
    Validator,
    Variable,
    normalize_wilayah_code,
    open_table,
    parse_variables,
    validate_file,
)

WILAYAH = {"35.14": "Kabupaten Pasuruan", "35.14.14": "Bangil", "35.14.11": "Pandaan",
           "35.14.14.1001": "Desa Contoh"}

VARIABLES = [
    {"alias": "kode_wilayah", "nama": "Kode Wilayah", "tipe_data": "kode_wilayah", "wajib": "true", "kunci": "true"},
    {"alias": "tahun", "nama": "Tahun", "tipe_data": "tahun", "wajib": True, "kunci": "ya"},
    {"alias": "jumlah_penduduk", "nama": "Jumlah Penduduk", "tipe_data": "bilangan_bulat", "satuan": "orang",
     "wajib": "true", "nilai_min": "0", "nilai_maks": ""},
    {"alias": "luas", "nama": "Luas Wilayah", "tipe_data": "desimal", "satuan": "hektare"},
    {"alias": "jenis_kelamin", "nama": "Jenis Kelamin", "tipe_data": "kategori",
     "klasifikasi_isian": "L=Laki-laki\nP=Perempuan"},
    {"alias": "tanggal", "nama": "Tanggal Pendataan", "tipe_data": "tanggal"},
    {"alias": "nama_desa", "nama": "Nama Desa", "tipe_data": "teks"},
    {"alias": "lintang", "nama": "Lintang", "tipe_data": "lintang"},
    {"alias": "bujur", "nama": "Bujur", "tipe_data": "bujur"},
    {"alias": "aktif", "nama": "Aktif", "tipe_data": "ya_tidak"},
]
HEADER = [v["alias"] for v in VARIABLES]
GOOD = ["35.14.14", "2024", "1234", "12,5", "L", "2024-12-31", "Kalirejo", "-7,6", "112,78", "ya"]
GOOD_TYPED = ("35.14.14", 2024, 1234, Decimal("12.5"), "L", dt.date(2024, 12, 31), "Kalirejo", -7.6, 112.78, True)


def csv_file(tmp_path, rows, *, delimiter=";", encoding="utf-8", name="data.csv"):
    text = "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def xlsx_file(tmp_path, rows, *, name="data.xlsx", sheet="Data", before=None):
    workbook = Workbook()
    if before:
        workbook.active.title = before
        ws = workbook.create_sheet(sheet)
    else:
        ws = workbook.active
        ws.title = sheet
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def check(path, variables=VARIABLES, **options):
    options.setdefault("wilayah_codes", WILAYAH)
    return validate_file(path, variables, **options)


def typed_rows(path, variables=VARIABLES, **options):
    options.setdefault("wilayah_codes", WILAYAH)
    with open_table(path) as table:
        validator = Validator(table, variables, **options)
        rows = list(validator.rows())
    return validator, rows


def one_cell(tmp_path, column, value, *, variables=VARIABLES, **options):
    """Validate a CSV whose single data row is GOOD with one cell replaced; returns the validator."""
    row = list(GOOD)
    row[HEADER.index(column)] = value
    return check(csv_file(tmp_path, [HEADER, row]), variables, **options)


def only_error(validator) -> CellError:
    assert validator.error_count == 1, validator.errors
    return validator.errors[0]


# --- variable specs -----------------------------------------------------------------------------------


class TestVariables:
    def test_from_dict_tolerates_strings_and_missing_keys(self):
        """String booleans and bounds are parsed, missing keys get defaults, the alias is lower-cased."""
        var = Variable.from_dict({"alias": "Jumlah", "tipe_data": "bilangan_bulat", "wajib": "true",
                                  "nilai_min": "0", "nilai_maks": ""})
        assert (var.alias, var.nama, var.wajib, var.kunci) == ("jumlah", "jumlah", True, False)
        assert var.nilai_min == Decimal(0) and var.nilai_maks is None

    def test_key_column_is_required(self):
        """A kunci column counts as required even when wajib is false."""
        assert Variable.from_dict({"alias": "k", "tipe_data": "teks", "kunci": "1"}).required

    def test_categories_parse_codes_and_labels(self):
        """klasifikasi_isian gives (code, label) pairs, one per non-blank line, label optional."""
        var = Variable.from_dict({"alias": "k", "tipe_data": "kategori", "klasifikasi_isian": "L=Laki-laki\r\n\nP"})
        assert var.pilihan == (("L", "Laki-laki"), ("P", ""))

    def test_decimal_comma_bounds(self):
        """Bounds written with a decimal comma are numbers."""
        var = Variable.from_dict({"alias": "x", "tipe_data": "desimal", "nilai_min": "-0,5", "nilai_maks": 50})
        assert (var.nilai_min, var.nilai_maks) == (Decimal("-0.5"), Decimal(50))

    @pytest.mark.parametrize(("spec", "fragment"), [
        ({"alias": "1abc", "tipe_data": "teks"}, "Alias"),
        ({"alias": "", "tipe_data": "teks"}, "Alias"),
        ({"alias": "x", "tipe_data": "angka"}, "Tipe data"),
        ({"alias": "x"}, "Tipe data"),
        ({"alias": "x", "tipe_data": "kategori"}, "klasifikasi isian"),
        ({"alias": "x", "tipe_data": "kategori", "klasifikasi_isian": "A\na"}, "lebih dari sekali"),
        ({"alias": "x", "tipe_data": "kategori", "klasifikasi_isian": "+1=Satu"}, "diawali"),
        ({"alias": "x", "tipe_data": "desimal", "nilai_min": "5", "nilai_maks": "1"}, "lebih besar"),
        ({"alias": "x", "tipe_data": "desimal", "nilai_min": "lima"}, "harus angka"),
        ({"alias": "x", "tipe_data": "tanggal", "nilai_min": "31/12/2024"}, "TTTT-BB-HH"),
        ({"alias": "x", "tipe_data": "teks", "wajib": "mungkin"}, "ya atau tidak"),
    ])
    def test_invalid_spec_raises_indonesian_message(self, spec, fragment):
        """An unusable spec raises ValueError with an Indonesian explanation."""
        with pytest.raises(ValueError, match=fragment):
            Variable.from_dict(spec)

    def test_parse_variables_rejects_ambiguous_names(self):
        """Two variables answering to the same header would make the header ambiguous."""
        with pytest.raises(ValueError, match="lebih dari satu variabel"):
            parse_variables([{"alias": "a", "nama": "B", "tipe_data": "teks"}, {"alias": "b", "tipe_data": "teks"}])

    def test_parse_variables_rejects_empty_list(self):
        """A dataset without variables cannot take uploads."""
        with pytest.raises(ValueError, match="belum memiliki variabel"):
            parse_variables([])


# --- clean files --------------------------------------------------------------------------------------


def test_clean_csv_passes_with_typed_values(tmp_path):
    """A clean semicolon CSV passes every row, typed in variable order."""
    second = ["3514141001", "2023", "0", "7.25", "Perempuan", "01/02/2023", "  Kalirejo Lor ", "-7.61", "112.8", "t"]
    validator, rows = typed_rows(csv_file(tmp_path, [HEADER, GOOD, second]))
    assert validator.ok and validator.row_count == 2
    assert rows == [GOOD_TYPED, ("35.14.14.1001", 2023, 0, Decimal("7.25"), "P", dt.date(2023, 2, 1), "Kalirejo Lor",
                                 -7.61, 112.8, False)]


def test_clean_xlsx_passes_with_typed_values(tmp_path):
    """Excel numbers, date cells and booleans are accepted and typed (12.0 is a whole number)."""
    row = [351414, 2024.0, 1234.0, 12.5, "l", dt.datetime(2024, 12, 31), "Kalirejo", -7.6, 112.78, True]
    validator, rows = typed_rows(xlsx_file(tmp_path, [HEADER, row]))
    assert validator.ok, validator.errors
    assert rows == [GOOD_TYPED]


def test_header_matches_case_insensitively_and_by_name(tmp_path):
    """Headers may be the alias in any case or the variable's name; column order is free."""
    header = ["TAHUN", "Kode Wilayah", "jumlah penduduk", *HEADER[3:]]
    row = [GOOD[1], GOOD[0], *GOOD[2:]]
    validator, rows = typed_rows(csv_file(tmp_path, [header, row]))
    assert validator.ok and rows == [GOOD_TYPED]


def test_missing_optional_column_gives_none(tmp_path):
    """An optional variable absent from the header is None in every row."""
    header = [h for h in HEADER if h != "luas"]
    row = [v for h, v in zip(HEADER, GOOD, strict=True) if h != "luas"]
    validator, rows = typed_rows(csv_file(tmp_path, [header, row]))
    assert validator.ok and rows[0][3] is None


def test_blank_rows_are_skipped_and_numbering_kept(tmp_path):
    """Blank rows (also trailing ones) are skipped but later rows keep the number the user sees."""
    bad = ["35.14.11", *GOOD[1:]]
    bad[2] = "x"
    path = csv_file(tmp_path, [HEADER, GOOD, [""] * 10, [" "] * 10, bad, [""] * 10, [""] * 10])
    validator = check(path)
    assert validator.row_count == 2
    assert (only_error(validator).row, only_error(validator).column) == (5, "jumlah_penduduk")


def test_xlsx_blank_rows_are_skipped_and_numbering_kept(tmp_path):
    """In XLSX too, blank rows are skipped and the reported row is the sheet row."""
    bad = [351414, 2024, "x", None, None, None, None, None, None, None]
    path = xlsx_file(tmp_path, [HEADER, [351414, 2023, 5], [], [None, "  "], bad, [], []])
    validator = check(path)
    assert validator.row_count == 2
    assert (only_error(validator).row, only_error(validator).value) == (5, "x")


def test_xlsx_reads_the_data_sheet_by_name(tmp_path):
    """A workbook whose first sheet is not Data is read from its Data sheet."""
    path = xlsx_file(tmp_path, [HEADER, GOOD], before="Petunjuk")
    assert check(path).ok


def test_xlsx_without_data_sheet_reads_first_visible_sheet(tmp_path):
    """Without a Data sheet, the first visible sheet is read (a hidden one is skipped)."""
    workbook = Workbook()
    hidden = workbook.active
    hidden.title = "Lama"
    hidden.sheet_state = "hidden"
    hidden.append(["bukan", "judul"])
    sheet = workbook.create_sheet("Lembar1")
    for row in (HEADER, GOOD):
        sheet.append(row)
    workbook.active = 1
    path = tmp_path / "lembar.xlsx"
    workbook.save(path)
    assert check(path).ok


def test_renamed_xlsx_is_read_as_xlsx(tmp_path):
    """Magic bytes win over the claimed format: a .csv that is really a workbook is read as XLSX."""
    path = xlsx_file(tmp_path, [HEADER, GOOD], name="data.csv")
    with open_table(path, "csv") as table:
        assert table.fmt == "xlsx"


def test_csv_row_numbers_count_records_not_lines(tmp_path):
    """A quoted value spanning two lines is one row, as a spreadsheet shows it."""
    path = tmp_path / "multi.csv"
    bad = list(GOOD)
    bad[1] = "20x4"
    path.write_text(";".join(HEADER) + "\n" + ";".join(GOOD[:6]) + ';"Kali\nrejo";' + ";".join(GOOD[7:]) + "\n"
                    + ";".join(bad) + "\n", encoding="utf-8")
    assert only_error(check(path)).row == 3


# --- CSV encodings and delimiters ----------------------------------------------------------------------


def test_semicolon_csv_with_decimal_comma(tmp_path):
    """Indonesian Excel exports (';' and decimal comma) are sniffed and parsed."""
    with open_table(csv_file(tmp_path, [HEADER, GOOD], delimiter=";")) as table:
        assert table.delimiter == ";"
    assert check(csv_file(tmp_path, [HEADER, GOOD], delimiter=";")).ok


def test_comma_csv_with_decimal_point(tmp_path):
    """A comma CSV (decimal point, quoted comma values) is sniffed as comma-separated."""
    row = ["35.14.14", "2024", "1234", "12.5", "L", "2024-12-31", '"Kalirejo, Bangil"', "-7.6", "112.78", "ya"]
    path = csv_file(tmp_path, [HEADER, row], delimiter=",")
    with open_table(path) as table:
        assert table.delimiter == ","
    validator, rows = typed_rows(path)
    assert validator.ok and rows[0][6] == "Kalirejo, Bangil"


def test_excel_sep_line_is_honoured(tmp_path):
    """Excel's "sep=;" first line sets the delimiter and is not counted as a row."""
    bad = list(GOOD)
    bad[2] = "-"
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\n" + ";".join(HEADER) + "\n" + ";".join(bad) + "\n", encoding="utf-8")
    assert only_error(check(path)).row == 2


def test_utf8_with_bom(tmp_path):
    """UTF-8 with a BOM (Excel's "CSV UTF-8") reads the first header cleanly."""
    path = csv_file(tmp_path, [HEADER, GOOD], encoding="utf-8-sig")
    with open_table(path) as table:
        assert table.header[0] == "kode_wilayah"
    assert check(path).ok


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_decoded(tmp_path, encoding):
    """UTF-16 (with or without BOM) and UTF-32 files are decoded, accents intact."""
    row = list(GOOD)
    row[6] = "Kafé Müller"
    validator, rows = typed_rows(csv_file(tmp_path, [HEADER, row], encoding=encoding))
    assert validator.ok and rows[0][6] == "Kafé Müller"


def test_cp1252_is_decoded(tmp_path):
    """A legacy Windows-1252 CSV (plain "CSV" from Excel) is decoded, é and ü intact."""
    row = list(GOOD)
    row[6] = "Kafé Müller “baru”"
    path = csv_file(tmp_path, [HEADER, row], encoding="cp1252")
    with open_table(path) as table:
        assert table.encoding == "cp1252"
    validator, rows = typed_rows(path)
    assert validator.ok and rows[0][6] == "Kafé Müller “baru”"


@pytest.mark.parametrize("encoding", ["shift_jis", "gbk"])
def test_multibyte_legacy_encoding_is_refused(tmp_path, encoding):
    """A CJK legacy encoding is refused with the "not UTF-8" message instead of being guessed."""
    row = list(GOOD)
    row[6] = "日本語のテキスト" if encoding == "shift_jis" else "中文字符测试数据"
    with pytest.raises(FileError, match="bukan teks UTF-8") as err:
        open_table(csv_file(tmp_path, [HEADER, row], encoding=encoding))
    assert err.value.code == "encoding"


def test_binary_file_is_refused(tmp_path):
    """Binary bytes are refused as an encoding problem, not parsed as text."""
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(FileError) as err:
        open_table(path)
    assert err.value.code == "encoding"


# --- whole-file errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n;;;\r\n"])
def test_empty_file(tmp_path, content):
    """An empty (or blank-only) file is refused as empty."""
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(FileError, match="Berkas kosong") as err:
        open_table(path)
    assert err.value.code == "kosong"


def test_header_only_csv(tmp_path):
    """A header without data rows is refused with its own message."""
    with pytest.raises(FileError, match="hanya berisi baris judul") as err:
        open_table(csv_file(tmp_path, [HEADER, [""] * 10]))
    assert err.value.code == "kosong"


def test_header_only_and_empty_xlsx(tmp_path):
    """The same empty/header-only rules apply to workbooks."""
    with pytest.raises(FileError, match="hanya berisi baris judul"):
        open_table(xlsx_file(tmp_path, [HEADER], name="h.xlsx"))
    with pytest.raises(FileError, match="Berkas kosong"):
        open_table(xlsx_file(tmp_path, [], name="e.xlsx"))


def test_xls_is_refused(tmp_path):
    """An Excel 97-2003 (OLE) file is refused with the advice to save as .xlsx."""
    path = tmp_path / "lama.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(FileError, match=r"\.xlsx") as err:
        open_table(path, "xlsx")
    assert err.value.code == "format"


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    """An ODS/DOCX (a zip without xl/workbook.xml) is refused as the wrong format."""
    path = tmp_path / "data.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(FileError, match="bukan lembar kerja") as err:
        open_table(path)
    assert err.value.code == "format"


def test_corrupt_xlsx_is_refused(tmp_path):
    """A damaged workbook gives a clear "rusak" message, not a traceback."""
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(FileError, match="rusak") as err:
        open_table(path)
    assert err.value.code == "format"


def test_xlsx_claimed_but_text_is_refused(tmp_path):
    """A text file uploaded as XLSX is refused rather than parsed as CSV."""
    with pytest.raises(FileError, match="rusak"):
        open_table(csv_file(tmp_path, [HEADER, GOOD]), "xlsx")


def test_max_bytes(tmp_path):
    """A file over max_bytes is refused before reading; at the limit it is read."""
    path = csv_file(tmp_path, [HEADER, GOOD])
    size = path.stat().st_size
    with pytest.raises(FileError, match="terlalu besar") as err:
        open_table(path, max_bytes=size - 1)
    assert err.value.code == "terlalu_besar"
    open_table(path, max_bytes=size).close()


def test_max_unpacked_bytes(tmp_path):
    """A workbook that unpacks beyond the limit (zip bomb) is refused."""
    path = xlsx_file(tmp_path, [HEADER, GOOD])
    with pytest.raises(FileError, match="diekstrak") as err:
        open_table(path, max_unpacked_bytes=1000)
    assert err.value.code == "terlalu_besar"


def test_max_rows(tmp_path):
    """More data rows than max_rows raise FileError; exactly max_rows is fine."""
    path = csv_file(tmp_path, [HEADER, GOOD, ["35.14.11", *GOOD[1:]]])
    assert check(path, max_rows=2).ok
    with pytest.raises(FileError, match="lebih dari 1 baris") as err:
        check(path, max_rows=1)
    assert err.value.code == "terlalu_besar"


# --- header errors ------------------------------------------------------------------------------------


def test_missing_required_column_reported_once(tmp_path):
    """A missing required column is one error on row 1, not one per row; other cells are still checked."""
    header = [h for h in HEADER if h != "jumlah_penduduk"]
    rows = [[f"35.14.{n}", *(v for h, v in zip(HEADER, GOOD, strict=True) if h not in ("jumlah_penduduk",
                                                                                      "kode_wilayah"))]
            for n in ("11", "14", "99")]
    validator, typed = typed_rows(csv_file(tmp_path, [header, *rows]))
    assert typed == []
    assert [(e.row, e.column, e.code) for e in validator.errors] == [
        (1, "jumlah_penduduk", "kolom_hilang"), (4, "kode_wilayah", "kode_tidak_dikenal")]


def test_unknown_columns_reported_once(tmp_path):
    """Extra columns are refused in one error on row 1 listing them all."""
    path = csv_file(tmp_path, [[*HEADER, "catatan", "Lainnya"], [*GOOD, "a", "b"], ["35.14.11", *GOOD[1:], "c", ""]])
    error = only_error(check(path))
    assert (error.row, error.code) == (1, "kolom_asing")
    assert "catatan, Lainnya" in error.reason


def test_duplicate_column(tmp_path):
    """The same variable twice in the header (alias and name) is refused."""
    error = only_error(check(csv_file(tmp_path, [[*HEADER, "Tahun"], [*GOOD, "2024"]])))
    assert (error.row, error.column, error.code) == (1, "Tahun", "kolom_ganda")


def test_value_under_untitled_column(tmp_path):
    """A value in a column without a header is refused on its row; an empty one is ignored."""
    path = csv_file(tmp_path, [[*HEADER, "", ""], [*GOOD, "", ""], [*GOOD[:1], "2023", *GOOD[2:], "", "x"]])
    error = only_error(check(path))
    assert (error.row, error.column, error.code, error.value) == (3, "L", "kolom_asing", "x")


# --- cell errors, each with its good case ----------------------------------------------------------------


def test_required_value(tmp_path):
    """A blank required cell (also whitespace) is "wajib"; filled, it passes."""
    error = only_error(one_cell(tmp_path, "jumlah_penduduk", "  "))
    assert (error.row, error.column, error.code) == (2, "jumlah_penduduk", "wajib")
    assert one_cell(tmp_path, "jumlah_penduduk", "0").ok


def test_optional_value_may_be_blank(tmp_path):
    """A blank optional cell is None."""
    validator, rows = typed_rows(csv_file(tmp_path, [HEADER, [*GOOD[:3], "", *GOOD[4:]]]))
    assert validator.ok and rows[0][3] is None


@pytest.mark.parametrize(("column", "bad", "good", "typed"), [
    ("jumlah_penduduk", "1.234", "1234", 1234),
    ("jumlah_penduduk", "12,0", "+12", 12),
    ("jumlah_penduduk", "dua", "0012", 12),
    ("luas", "1.234,5", "1234,5", Decimal("1234.5")),
    ("luas", "12.5%", "12.5", Decimal("12.5")),
    ("luas", "abc", "-5", Decimal(-5)),
    ("luas", "1 000", "1e3", Decimal("1e3")),
    ("tahun", "24", "2024", 2024),
    ("tanggal", "12-31-2024", "31/12/2024", dt.date(2024, 12, 31)),
    ("tanggal", "31/02/2024", "1/2/2024", dt.date(2024, 2, 1)),
    ("tanggal", "2024/12/31", "2024-02-29", dt.date(2024, 2, 29)),
    ("aktif", "mungkin", "TIDAK", False),
    ("aktif", "2", "y", True),
    ("kode_wilayah", "35-14-14", "351414", "35.14.14"),
    ("kode_wilayah", "35.14.1", "3514141001", "35.14.14.1001"),
    ("lintang", "7°39'S", "-7.65", -7.65),
])
def test_type_errors(tmp_path, column, bad, good, typed):
    """A value of the wrong form is "tipe" on its cell; the right form passes typed."""
    error = only_error(one_cell(tmp_path, column, bad))
    assert (error.row, error.column, error.value, error.code) == (2, column, bad, "tipe")
    validator, rows = typed_rows(csv_file(tmp_path, [HEADER, [good if h == column else v
                                                              for h, v in zip(HEADER, GOOD, strict=True)]]))
    assert validator.ok, validator.errors
    assert rows[0][HEADER.index(column)] == typed


def test_xlsx_cell_type_errors(tmp_path):
    """Excel cells of the wrong kind are refused: fractional integer, number as date, date as year, error value."""
    row = [351414, dt.datetime(2024, 1, 1), 12.5, None, None, 45000, None, None, None, "#N/A"]
    validator = check(xlsx_file(tmp_path, [HEADER, row]))
    assert [(e.column, e.code) for e in validator.errors] == [
        ("tahun", "tipe"), ("jumlah_penduduk", "tipe"), ("tanggal", "tipe"), ("aktif", "tipe")]
    assert "#N/A" in validator.errors[-1].reason


def test_date_with_time_is_refused(tmp_path):
    """A date cell carrying a time of day is refused rather than silently truncated."""
    row = [351414, 2024, 5, None, None, dt.datetime(2024, 1, 1, 13, 30)]
    assert only_error(check(xlsx_file(tmp_path, [HEADER, row]))).reason == MESSAGES["tipe_tanggal_jam"]


@pytest.mark.parametrize(("column", "bad", "good"), [
    ("jumlah_penduduk", "-1", "0"),
    ("tahun", "1899", "1900"),
    ("tahun", "2101", "2100"),
    ("tanggal", "1899-12-31", "1900-01-01"),
])
def test_range_errors(tmp_path, column, bad, good):
    """Values outside nilai_min/nilai_maks (or the year/date limits) are "rentang"; the limit itself passes."""
    error = only_error(one_cell(tmp_path, column, bad))
    assert (error.column, error.code) == (column, "rentang")
    assert one_cell(tmp_path, column, good).ok


def test_range_from_spec_bounds(tmp_path):
    """nilai_min/nilai_maks from the spec are inclusive bounds for decimals and dates."""
    variables = [{"alias": "persen", "tipe_data": "desimal", "nilai_min": "0", "nilai_maks": "100"},
                 {"alias": "tgl", "tipe_data": "tanggal", "nilai_min": "2024-01-01", "nilai_maks": "2024-12-31"}]
    path = csv_file(tmp_path, [["persen", "tgl"], ["100", "2024-12-31"], ["100,01", "2025-01-01"]])
    validator = check(path, variables)
    assert [(e.row, e.column, e.code) for e in validator.errors] == [(3, "persen", "rentang"), (3, "tgl", "rentang")]
    assert "100" in validator.errors[0].reason and "2024-12-31" in validator.errors[1].reason


def test_category_code_and_label(tmp_path):
    """A category accepts its code or label in any case, normalised to the code; anything else is refused."""
    validator, rows = typed_rows(csv_file(tmp_path, [HEADER, [*GOOD[:4], "laki-LAKI", *GOOD[5:]],
                                                     ["35.14.11", *GOOD[1:4], "p", *GOOD[5:]]]))
    assert validator.ok and [r[4] for r in rows] == ["L", "P"]
    error = only_error(one_cell(tmp_path, "jenis_kelamin", "X"))
    assert error.code == "kode_tidak_dikenal" and "L (Laki-laki), P (Perempuan)" in error.reason


def test_unknown_region_code(tmp_path):
    """A well-formed region code missing from the list is "kode_tidak_dikenal"."""
    error = only_error(one_cell(tmp_path, "kode_wilayah", "35.75.01"))
    assert (error.code, error.value) == ("kode_tidak_dikenal", "35.75.01")
    assert one_cell(tmp_path, "kode_wilayah", "3514").ok


def test_region_codes_may_be_a_set(tmp_path):
    """wilayah_codes may be any container of dotted codes."""
    assert one_cell(tmp_path, "kode_wilayah", "351411", wilayah_codes={"35.14.11"}).ok


def test_normalize_wilayah_code():
    """Undotted Kemendagri codes gain their dots; other text is not a code."""
    assert normalize_wilayah_code("3514141001") == "35.14.14.1001"
    assert normalize_wilayah_code(" 35.14.14 ") == "35.14.14"
    assert normalize_wilayah_code("35141") is None


@pytest.mark.parametrize(("column", "bad", "hint"), [
    ("lintang", "-9", ""),
    ("lintang", "7.65", "negatif"),
    ("lintang", "112.7", "tertukar"),
    ("bujur", "110", ""),
    ("bujur", "-7.7", "tertukar"),
])
def test_coordinates_outside_the_regency(tmp_path, column, bad, hint):
    """Coordinates outside the Kabupaten Pasuruan box are "koordinat", with a hint for sign or swap mistakes."""
    error = only_error(one_cell(tmp_path, column, bad))
    assert (error.column, error.code) == (column, "koordinat")
    assert "Kabupaten Pasuruan" in error.reason and hint in error.reason


def test_coordinate_box_edges_and_custom_box(tmp_path):
    """The box is inclusive, and the caller may pass another one."""
    assert one_cell(tmp_path, "lintang", "-8,5").ok
    assert one_cell(tmp_path, "bujur", "113.5").ok
    assert one_cell(tmp_path, "bujur", "112,78", bbox=(112.0, -8.0, 112.5, -7.0)).errors[0].code == "koordinat"


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil","klik")', "+1", "-2+3", "@SUM(A1:A2)",
                                   " \t=1+1", "\r=1", "-", "＝1"])
def test_formula_injection_in_text(tmp_path, value):
    """Text starting with = + - @ (after whitespace, tab or CR too) is refused as "formula"."""
    path = tmp_path / "inj.csv"
    row = [*GOOD[:6], value, *GOOD[7:]]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([HEADER, row])
    error = only_error(check(path))
    assert (error.column, error.code) == ("nama_desa", "formula")
    assert error.value == value


def test_formula_injection_in_category(tmp_path):
    """A category value starting with = is refused as "formula", not just as an unknown code."""
    assert only_error(one_cell(tmp_path, "jenis_kelamin", "=L")).code == "formula"


def test_formula_text_in_number_column(tmp_path):
    """"=1+1" typed in a number column is reported as a formula; "-5" there is a number."""
    assert only_error(one_cell(tmp_path, "jumlah_penduduk", "=1+1")).code == "formula"
    validator, rows = typed_rows(csv_file(tmp_path, [HEADER, [*GOOD[:3], "-5", *GOOD[4:]]]))
    assert validator.ok and rows[0][3] == Decimal(-5)


def test_formula_cells_in_xlsx(tmp_path):
    """Real formula cells are refused in any column, with the formula shown as the value."""
    row = [351414, "=2000+24", "=SUM(1,2)", None, None, None, '=HYPERLINK("http://evil","x")']
    validator = check(xlsx_file(tmp_path, [HEADER, row]))
    assert [(e.column, e.code, e.value) for e in validator.errors] == [
        ("tahun", "formula", "=2000+24"), ("jumlah_penduduk", "formula", "=SUM(1,2)"),
        ("nama_desa", "formula", '=HYPERLINK("http://evil","x")')]


def test_text_too_long(tmp_path):
    """Text over max_text_length is "terlalu_panjang"; at the limit it passes."""
    error = only_error(one_cell(tmp_path, "nama_desa", "a" * 11, max_text_length=10))
    assert error.code == "terlalu_panjang" and "11" in error.reason
    assert one_cell(tmp_path, "nama_desa", "a" * 10, max_text_length=10).ok


def test_duplicate_keys_name_both_rows(tmp_path):
    """A repeated key combination is "duplikat" on the later row, naming both rows; other keys pass."""
    rows = [HEADER, GOOD, ["35.14.14", "2023", *GOOD[2:]], ["351414", *GOOD[1:]]]
    error = only_error(check(csv_file(tmp_path, rows)))
    assert (error.row, error.column, error.code) == (4, "kode_wilayah, tahun", "duplikat")
    assert "baris 2" in error.reason and "4" in error.reason
    assert "kode_wilayah=35.14.14" in error.reason and "tahun=2024" in error.reason


# --- streaming, limits, bookkeeping ---------------------------------------------------------------------


def test_ten_thousand_rows_with_one_bad_row(tmp_path):
    """In a 10,000-row workbook with one bad cell, exactly that row, column and value are reported."""
    no_keys = [{**v, "kunci": False} for v in VARIABLES]
    rows = [HEADER]
    for i in range(10_000):
        rows.append([f"35.14.{14 if i % 2 else 11}", 2000 + i % 50, i, i / 4, "LP"[i % 2], dt.date(2024, 1, 1),
                     f"Desa {i}", -7.6, 112.8, bool(i % 2)])
    rows[7_001][2] = "tujuh"  # the data row on spreadsheet row 7002
    validator = check(xlsx_file(tmp_path, rows), no_keys)
    assert validator.row_count == 10_000
    error = only_error(validator)
    assert (error.row, error.column, error.value, error.code) == (7_002, "jumlah_penduduk", "tujuh", "tipe")


def test_rows_stop_being_yielded_after_the_first_error(tmp_path):
    """Rows before the first error are yielded; after it rows are still checked but not yielded."""
    rows = [HEADER, GOOD, ["35.14.11", *GOOD[1:]], ["35.14", "2024", "x", *GOOD[3:]], ["35.14.14.1001", *GOOD[1:]],
            ["35.14", "2023", "x", *GOOD[3:]]]
    validator, typed = typed_rows(csv_file(tmp_path, rows))
    assert len(typed) == 2 and validator.row_count == 5 and validator.error_count == 2


def test_max_errors_keeps_counting(tmp_path):
    """Only max_errors errors are stored, but error_count counts them all."""
    rows = [HEADER] + [[f"35.14.{n:02d}", *GOOD[1:]] for n in range(1, 31)]
    validator = check(csv_file(tmp_path, rows), max_errors=5)
    assert (len(validator.errors), validator.error_count) == (5, 28)


def test_error_value_is_truncated(tmp_path):
    """The reported value is cut to MAX_VALUE_CHARS characters."""
    error = only_error(one_cell(tmp_path, "jumlah_penduduk", "9" * 300 + "x"))
    assert len(error.value) == MAX_VALUE_CHARS


def test_huge_integer_is_a_range_error(tmp_path):
    """An integer beyond 64 bits (even thousands of digits long) is "rentang", not a crash."""
    assert only_error(one_cell(tmp_path, "jumlah_penduduk", "9" * 5000)).code == "rentang"
    assert only_error(one_cell(tmp_path, "jumlah_penduduk", str(2**63))).code == "rentang"
    assert one_cell(tmp_path, "jumlah_penduduk", str(2**63 - 1)).ok


def test_rows_run_once(tmp_path):
    """A validator streams its table once; a second run is a programming error."""
    with open_table(csv_file(tmp_path, [HEADER, GOOD])) as table:
        validator = Validator(table, VARIABLES, wilayah_codes=WILAYAH)
        list(validator.rows())
        with pytest.raises(RuntimeError):
            list(validator.rows())


def test_region_variable_needs_codes(tmp_path):
    """A kode_wilayah variable without wilayah_codes is a caller error."""
    with open_table(csv_file(tmp_path, [HEADER, GOOD])) as table, pytest.raises(ValueError):
        Validator(table, VARIABLES)


def test_messages_and_codes():
    """Every message is a non-empty string and every code the module emits is declared."""
    assert all(isinstance(m, str) and m for m in MESSAGES.values())
    assert {"tipe", "wajib", "rentang", "kode_tidak_dikenal", "formula", "duplikat", "kolom_hilang", "kolom_asing",
            "koordinat", "encoding", "kosong", "terlalu_besar"} <= ERROR_CODES


def test_module_does_not_import_ckan():
    """The entry modules import without CKAN, so they run in workers and scripts."""
    code = ("import sys, ckanext.satudatapasuruan.entry.validation, ckanext.satudatapasuruan.entry.report, "
            "ckanext.satudatapasuruan.entry.template; "
            "print(any(m == 'ckan' or m.startswith('ckan.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
