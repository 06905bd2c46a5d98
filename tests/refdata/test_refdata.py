"""Reference lists shipped in ckanext.satudatapasuruan.refdata and the `satudata-refdata` commands."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.refdata.cli import satudata_refdata

EU = "http://publications.europa.eu/resource/authority/frequency/"
# Extracted from idn-area-data 4.0.1 (see refdata/data/SOURCES.md).
DESA_COUNT = 365
KECAMATAN = (
    "Purwodadi Tutur Puspo Lumbang Pasrepan Kejayan Wonorejo Purwosari Sukorejo Prigen Pandaan Gempol Beji "
    "Bangil Rembang Kraton Pohjentrek Gondangwetan Winongan Grati Nguling Lekok Rejoso Tosari"
).split()


# Wilayah


def test_regency_has_24_kecamatan_in_domain_order():
    """The 24 kecamatan carry codes 35.14.01 … 35.14.24 with the names the regency uses."""
    rows = refdata.kecamatan()
    assert [e.code for e in rows] == [f"35.14.{n:02d}" for n in range(1, 25)]
    assert [e.name for e in rows] == KECAMATAN
    assert all(e.parent == refdata.REGENCY_CODE for e in rows)


def test_desa_count_and_parents():
    """Every desa/kelurahan hangs under one of the 24 kecamatan and the total is the extracted count."""
    kec = {e.code for e in refdata.kecamatan()}
    rows = refdata.desa()
    assert len(rows) == DESA_COUNT
    assert all(e.parent in kec for e in rows)
    assert all(e.code.startswith(e.parent + ".") for e in rows)
    assert {e.extra["jenis"] for e in rows} == {"desa", "kelurahan"}
    assert all(e.extra["jenis"] == ("kelurahan" if e.code[-4] == "1" else "desa") for e in rows)


def test_wilayah_codes_unique_and_in_regency():
    """Codes are unique, all inside 35.14, and the regency itself is the only root."""
    rows = refdata.entries("wilayah")
    codes = [e.code for e in rows]
    assert len(codes) == len(set(codes)) == 1 + 24 + DESA_COUNT
    assert all(c == "35.14" or c.startswith("35.14.") for c in codes)
    assert [e.code for e in rows if e.parent is None] == ["35.14"]
    assert all(refdata.normalize_wilayah_code(c) == c for c in codes)


def test_desa_of_one_kecamatan():
    """desa() filters by kecamatan, dotted or not, and an unknown kecamatan gives nothing."""
    bangil = refdata.desa("35.14.14")
    assert bangil == refdata.desa("351414")
    assert len(bangil) == 15
    assert "Kalirejo" in {e.name for e in bangil}
    assert refdata.desa("35.14.99") == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("35.14.14.1001", "35.14.14.1001"),
    ("3514141001", "35.14.14.1001"),
    ("3514140001", "35.14.14.0001"),
    (" 351414 ", "35.14.14"),
    ("3514", "35.14"),
    ("35", "35"),
    ("35.14.14.1", None),
    ("35141", None),
    ("35-14", None),
    ("", None),
    (None, None),
    ("٣٥١٤", None),
])
def test_normalize_wilayah_code(text, expected):
    """Dotted and plain Kemendagri codes normalise to the dotted form; other shapes give None."""
    assert refdata.normalize_wilayah_code(text) == expected


def test_lookup_by_code():
    """lookup finds a region by dotted or plain code and returns None for an unknown one."""
    entry = refdata.lookup("wilayah", "3514141014")
    assert entry == refdata.lookup("wilayah", "35.14.14.1014")
    assert (entry.name, entry.level, entry.parent, entry.extra["jenis"]) == (
        "Kalirejo", "desa", "35.14.14", "kelurahan")
    assert refdata.lookup("wilayah", "35.14.14").name == "Bangil"
    assert refdata.lookup("wilayah", "35.75") is None
    assert refdata.lookup("wilayah", "bukan kode") is None
    assert refdata.lookup("urusan", "2.20").name == "Statistik"
    assert refdata.lookup("urusan", "9.99") is None


def test_wilayah_labels():
    """A kecamatan shows its name, a desa "desa, kecamatan", in every language."""
    assert refdata.label("wilayah", "35.14") == "Kabupaten Pasuruan"
    assert refdata.label("wilayah", "35.14.14") == "Bangil"
    assert refdata.label("wilayah", "35.14.14.1014") == "Kalirejo, Bangil"
    assert refdata.label("wilayah", "3514141014", lang="en") == "Kalirejo, Bangil"
    assert refdata.label("wilayah", "35.14.99") == "35.14.99"


def test_labels_in_id_and_en():
    """label gives the Indonesian name, the English label for en/en_GB/en-US, and the code when unknown."""
    assert refdata.label("urusan", "2.16") == "Komunikasi dan Informatika"
    assert refdata.label("urusan", "2.16", lang="en") == "Communication and Informatics"
    assert refdata.label("satuan", "hektare", lang="en_GB") == "Hectares"
    assert refdata.label("frekuensi", "triwulanan", lang="en-US") == "Quarterly"
    assert refdata.label("frekuensi", "triwulanan", lang="id") == "Triwulanan"
    assert refdata.label("satuan", "parsec", lang="en") == "parsec"


def test_unknown_vocabulary_is_an_error():
    """Asking for a list that does not exist is a programming error, not an empty list."""
    with pytest.raises(ValueError, match="unknown vocabulary"):
        refdata.entries("agama")
    with pytest.raises(ValueError):
        refdata.label("agama", "islam")


def test_choices_for_scheming():
    """choices gives value/label pairs in file order, optionally for one level."""
    kec = refdata.choices("wilayah", level="kecamatan")
    assert len(kec) == 24
    assert kec[13] == {"value": "35.14.14", "label": "Bangil"}
    desa = refdata.choices("wilayah", level="desa")
    assert len(desa) == DESA_COUNT
    assert {"value": "35.14.14.1014", "label": "Kalirejo, Bangil"} in desa
    freq = refdata.choices("frekuensi", lang="en")
    assert freq[0] == {"value": "harian", "label": "Daily"}
    assert len(refdata.choices("urusan", level="pilihan")) == 8


def test_entries_are_cached_and_immutable():
    """The loader reads each file once and hands out read-only entries."""
    assert refdata.entries("satuan") is refdata.entries("satuan")
    entry = refdata.entries("satuan")[0]
    with pytest.raises(AttributeError):
        entry.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        entry.extra["x"] = "y"  # type: ignore[index]
    assert hash(entry) == hash(refdata.lookup("satuan", entry.code))


def test_bbox():
    """Bangil lies in the regency's box; Surabaya and the Java Sea do not."""
    assert refdata.in_bbox(112.78, -7.60)
    assert not refdata.in_bbox(112.75, -7.25)
    assert not refdata.in_bbox(113.0, -7.4)


# Urusan, frekuensi, satuan


def test_urusan_codes():
    """Urusan codes are unique, grouped as in Permendagri 90/2019, with English labels."""
    rows = refdata.entries("urusan")
    codes = [e.code for e in rows]
    assert len(codes) == len(set(codes))
    by_group = {}
    for e in rows:
        by_group.setdefault(e.level, []).append(e.code)
    assert by_group["wajib_pelayanan_dasar"] == [f"1.{n:02d}" for n in range(1, 7)]
    assert by_group["wajib_non_pelayanan_dasar"] == [f"2.{n:02d}" for n in range(7, 25)]
    assert by_group["pilihan"] == [f"3.{n:02d}" for n in range(25, 33)]
    assert set(by_group) == set(refdata.URUSAN_KELOMPOK)
    assert all(e.label_en and e.label_en != e.name for e in rows)


def test_frekuensi_maps_to_eu_vocabulary():
    """Every frequency maps to a distinct EU frequency URI, and `bulan` is a month count where given."""
    rows = {e.code: e for e in refdata.entries("frekuensi")}
    expected = {
        "harian": "DAILY", "mingguan": "WEEKLY", "bulanan": "MONTHLY", "triwulanan": "QUARTERLY",
        "semesteran": "BIANNUAL", "tahunan": "ANNUAL", "dua_tahunan": "BIENNIAL", "tiga_tahunan": "TRIENNIAL",
        "lima_tahunan": "QUINQUENNIAL", "sewaktu_waktu": "IRREG",
    }
    assert {c: e.extra["eu_frequency"] for c, e in rows.items()} == {c: EU + v for c, v in expected.items()}
    months = {c: e.extra["bulan"] for c, e in rows.items() if e.extra["bulan"]}
    assert months == {"bulanan": "1", "triwulanan": "3", "semesteran": "6", "tahunan": "12",
                      "dua_tahunan": "24", "tiga_tahunan": "36", "lima_tahunan": "60"}


def test_urusan_maps_to_eu_data_themes():
    """Every urusan names one concept of the EU data-theme table, and the regency's main affairs land where a
    European reader would look for them."""
    themes = {e.code: e.extra["eu_theme"] for e in refdata.entries("urusan")}
    base = "http://publications.europa.eu/resource/authority/data-theme/"
    codes = {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"}
    assert all(t.startswith(base) and t.removeprefix(base) in codes for t in themes.values())
    assert (themes["1.01"], themes["1.02"], themes["2.15"], themes["3.27"]) == (
        base + "EDUC", base + "HEAL", base + "TRAN", base + "AGRI")


def test_satuan_codes_are_slugs():
    """Unit codes are unique lowercase slugs and include the units the portal's standards name."""
    codes = [e.code for e in refdata.entries("satuan")]
    assert len(codes) == len(set(codes))
    assert all(c.isascii() and c == c.lower() and c.replace("_", "").isalnum() for c in codes)
    assert {"orang", "jiwa", "kk", "unit", "rumah_tangga", "persen", "rupiah", "hektare", "ton",
            "kilometer"} <= set(codes)


# Command line


def _write(path: Path, header: str, *lines: str) -> Path:
    path.write_text("\n".join((header, *lines)) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def sources(tmp_path):
    """A tiny idn-area-data release: two kecamatan of 35.14, one of another regency."""
    districts = _write(tmp_path / "districts.csv", "code,regency_code,name",
                       "35.14.01,35.14,Purwodadi", "35.14.14,35.14,Bangil", "35.75.01,35.75,Gadingrejo")
    villages = _write(tmp_path / "villages.csv", "code,district_code,name",
                      "35.14.01.2001,35.14.01,Gerbo", "35.14.14.1014,35.14.14,Kalirejo",
                      '35.14.14.2002,35.14.14,"Raci, Baru"', "35.75.01.1001,35.75.01,Gadingrejo")
    regencies = _write(tmp_path / "regencies.csv", "code,province_code,name", "35.14,35,KABUPATEN PASURUAN")
    return districts, villages, regencies


@pytest.fixture
def output(tmp_path):
    """An existing wilayah.csv with one code that the new release drops and one it renames."""
    return _write(tmp_path / "wilayah.csv", "kode,nama,tingkat,induk,jenis",
                  "35.14,Kabupaten Pasuruan,kabupaten,,", "35.14.01,Purwodadi,kecamatan,35.14,",
                  "35.14.01.2001,Gerbo Lama,desa,35.14.01,desa", "35.14.01.2099,Hilang,desa,35.14.01,desa")


def _run(*args: str):
    return CliRunner().invoke(satudata_refdata, list(args), catch_exceptions=False)


def _update(sources, output, *extra: str):
    districts, villages, _ = sources
    return _run("update-wilayah", "--districts", str(districts), "--villages", str(villages),
                "--output", str(output), *extra)


def test_update_wilayah_rewrites_file_and_reports_diff(sources, output):
    """A good release replaces the file, keeps only the regency, and lists added, removed and renamed codes."""
    result = _update(sources, output)
    assert result.exit_code == 0, result.output
    assert "2 kecamatan, 3 desa/kelurahan (2 desa, 1 kelurahan)" in result.output
    assert "Perubahan: 3 ditambah, 1 dihapus, 1 berganti nama." in result.output
    assert "+ 35.14.14.2002 Raci, Baru" in result.output
    assert "- 35.14.01.2099 Hilang" in result.output
    assert "~ 35.14.01.2001 Gerbo Lama -> Gerbo" in result.output
    with output.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["kode"], r["nama"], r["tingkat"], r["induk"], r["jenis"]) for r in rows] == [
        ("35.14", "Kabupaten Pasuruan", "kabupaten", "", ""),
        ("35.14.01", "Purwodadi", "kecamatan", "35.14", ""),
        ("35.14.14", "Bangil", "kecamatan", "35.14", ""),
        ("35.14.01.2001", "Gerbo", "desa", "35.14.01", "desa"),
        ("35.14.14.1014", "Kalirejo", "desa", "35.14.14", "kelurahan"),
        ("35.14.14.2002", "Raci, Baru", "desa", "35.14.14", "desa"),
    ]
    assert not [p for p in output.parent.iterdir() if p.name.endswith(".tmp")]


def test_update_wilayah_takes_regency_name_from_regencies_file(sources, tmp_path):
    """With --regencies a new file gets the regency's name, in Title Case when the source is in capitals."""
    target = tmp_path / "baru.csv"
    result = _update(sources, target, "--regencies", str(sources[2]))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").splitlines()[1] == "35.14,Kabupaten Pasuruan,kabupaten,,"


def test_update_wilayah_dry_run_writes_nothing(sources, output):
    """--dry-run shows the changes and leaves the file as it was."""
    before = output.read_bytes()
    result = _update(sources, output, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "1 berganti nama" in result.output
    assert output.read_bytes() == before


def _refused(result, output: Path, before: bytes, message: str) -> None:
    assert result.exit_code != 0
    assert message in result.output
    assert "wilayah.csv tidak diubah" in result.output
    assert output.read_bytes() == before
    assert not [p for p in output.parent.iterdir() if p.name.endswith(".tmp")]


def test_update_wilayah_refuses_missing_column(sources, output, tmp_path):
    """A villages file without district_code is refused and the file stays untouched."""
    before = output.read_bytes()
    bad = _write(tmp_path / "villages_bad.csv", "code,name", "35.14.01.2001,Gerbo")
    result = _run("update-wilayah", "--districts", str(sources[0]), "--villages", str(bad),
                  "--output", str(output))
    _refused(result, output, before, "tidak memiliki kolom wajib: district_code")


def test_update_wilayah_refuses_empty_file(sources, output, tmp_path):
    """An empty districts file is refused like a missing column."""
    before = output.read_bytes()
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    result = _run("update-wilayah", "--districts", str(empty), "--villages", str(sources[1]),
                  "--output", str(output))
    _refused(result, output, before, "tidak memiliki kolom wajib: code, regency_code, name")


def test_update_wilayah_refuses_zero_kecamatan(sources, output):
    """A release without kecamatan for the regency is refused and the file stays untouched."""
    before = output.read_bytes()
    result = _update(sources, output, "--regency", "35.15")
    _refused(result, output, before, "Tidak ada kecamatan untuk kabupaten 35.15")


def test_update_wilayah_refuses_zero_desa(sources, output, tmp_path):
    """Kecamatan without any desa/kelurahan are refused too."""
    before = output.read_bytes()
    villages = _write(tmp_path / "villages_other.csv", "code,district_code,name", "35.75.01.1001,35.75.01,X")
    result = _run("update-wilayah", "--districts", str(sources[0]), "--villages", str(villages),
                  "--output", str(output))
    _refused(result, output, before, "Tidak ada desa/kelurahan")


@pytest.mark.parametrize(("line", "message"), [
    ("35.14.01.201,35.14.01,Pendek", "Kode desa/kelurahan tidak valid"),
    ("35.14.14.2001,35.14.01,Salah Induk", "Kode desa/kelurahan tidak valid"),
    ("35.14.01.2001,35.14.01,Ganda", "Kode desa/kelurahan ganda"),
    ("35.14.01.2002,35.14.01,", "tidak bernama"),
])
def test_update_wilayah_refuses_bad_village_rows(sources, output, tmp_path, line, message):
    """Malformed, misplaced, duplicate or unnamed village rows are refused."""
    before = output.read_bytes()
    villages = _write(tmp_path / "villages_bad.csv", "code,district_code,name",
                      "35.14.01.2001,35.14.01,Gerbo", line)
    result = _run("update-wilayah", "--districts", str(sources[0]), "--villages", str(villages),
                  "--output", str(output))
    _refused(result, output, before, message)


@pytest.mark.parametrize(("line", "message"), [
    ("35.14.1,35.14,Pendek", "Kode kecamatan tidak valid"),
    ("35.14.01,35.14,Ganda", "Kode kecamatan ganda"),
    ("35.14.02,35.14,", "tidak bernama"),
])
def test_update_wilayah_refuses_bad_district_rows(sources, output, tmp_path, line, message):
    """Malformed, duplicate or unnamed kecamatan rows are refused."""
    before = output.read_bytes()
    districts = _write(tmp_path / "districts_bad.csv", "code,regency_code,name", "35.14.01,35.14,Purwodadi", line)
    result = _run("update-wilayah", "--districts", str(districts), "--villages", str(sources[1]),
                  "--output", str(output))
    _refused(result, output, before, message)


def test_update_wilayah_refuses_bad_regency_code(sources, output):
    """--regency must be a kabupaten/kota code."""
    before = output.read_bytes()
    result = _update(sources, output, "--regency", "35.14.14")
    _refused(result, output, before, "Kode kabupaten tidak valid")


def test_update_wilayah_needs_regency_name(sources, tmp_path):
    """Without --regencies and without an old file naming the regency, the command refuses."""
    target = tmp_path / "kosong.csv"
    result = _update(sources, target)
    assert result.exit_code != 0
    assert "berikan --regencies" in result.output
    assert not target.exists()


def test_update_wilayah_refuses_regency_missing_from_regencies_file(sources, output, tmp_path):
    """A regencies file that lacks the regency is refused."""
    before = output.read_bytes()
    regencies = _write(tmp_path / "regencies_other.csv", "code,province_code,name", "35.75,35,Kota Pasuruan")
    result = _update(sources, output, "--regencies", str(regencies))
    _refused(result, output, before, "Kabupaten 35.14 tidak ada di")


def test_shipped_file_is_what_the_command_builds(tmp_path):
    """Rebuilding from the shipped file's own rows reproduces it byte for byte (format is stable)."""
    rows = refdata.entries("wilayah")
    districts = _write(tmp_path / "d.csv", "code,regency_code,name",
                       *(f"{e.code},{e.parent},{e.name}" for e in rows if e.level == "kecamatan"))
    villages = _write(tmp_path / "v.csv", "code,district_code,name",
                      *(f"{e.code},{e.parent},{e.name}" for e in rows if e.level == "desa"))
    shipped = Path(str(refdata.resources.files(refdata.__name__) / "data" / "wilayah.csv"))
    target = tmp_path / "wilayah.csv"
    target.write_bytes(shipped.read_bytes())
    result = _run("update-wilayah", "--districts", str(districts), "--villages", str(villages),
                  "--output", str(target))
    assert result.exit_code == 0, result.output
    assert "Perubahan: 0 ditambah, 0 dihapus, 0 berganti nama." in result.output
    assert target.read_bytes() == shipped.read_bytes()


def test_show_prints_counts():
    """`show` prints one line per list with its size."""
    result = _run("show")
    assert result.exit_code == 0, result.output
    assert f"wilayah: {1 + 24 + DESA_COUNT} entri (kabupaten 1, kecamatan 24, desa {DESA_COUNT})" in result.output
    assert "frekuensi: 10 entri" in result.output
    assert "urusan: 43 entri" in result.output
