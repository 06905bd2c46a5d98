"""The generated records: deterministic from the seed, consistent in themselves, coded from the reference lists,
and quick to make at benchmark sizes."""
from __future__ import annotations

import time

import pytest

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.harvesters.opdserver import data


@pytest.mark.parametrize("system", data.SYSTEMS)
def test_same_seed_same_records_whatever_the_count(system):
    """A seed gives the same records, and a larger count only appends records; another seed changes them."""
    small = data.generate(system, 40, seed=11)
    assert data.generate(system, 40, seed=11) == small
    assert data.generate(system, 400, seed=11)[:40] == small
    assert data.generate(system, 40, seed=12) != small


@pytest.mark.parametrize("system", data.SYSTEMS)
def test_ten_thousand_records_are_unique_and_quick(system):
    """10,000 records per system have distinct ids, realistic periods, and take only seconds to make."""
    started = time.monotonic()
    records = data.generate(system, 10_000, seed=1)
    assert time.monotonic() - started < 10
    ids = [r[data.ID_FIELDS[system]] for r in records]
    assert len(set(ids)) == 10_000
    assert {r["tahun"] for r in records} <= set(range(2021, data.LATEST_YEAR + 1))


def test_realisasi_is_consistent():
    """SIPD totals are the sums of their rows, percentages follow, codes exist and kegiatan codes are unique."""
    for record in data.generate("sipd", 300, seed=2):
        rows = record["rincian"]
        assert record["id"] == f"{record['kode_skpd']}-{record['tahun']}"
        assert record["pagu_total"] == sum(r["pagu"] for r in rows)
        assert record["realisasi_total"] == sum(r["realisasi"] for r in rows)
        assert all(0 <= r["realisasi"] <= r["pagu"] and abs(r["persentase"] - 100 * r["realisasi"] / r["pagu"]) < .01
                   for r in rows)
        assert refdata.lookup("urusan", record["kode_urusan"])
        assert all(r["kode_kegiatan"].startswith(record["kode_urusan"] + ".") for r in rows)
        assert len({r["kode_kegiatan"] for r in rows}) == len(rows)


def test_kehadiran_is_consistent():
    """Attendance categories add up to staff times working days; the office lies in a kecamatan of the regency."""
    for record in data.generate("absensi", 300, seed=3):
        parts = ("hadir_tepat_waktu", "terlambat", "izin", "sakit", "cuti", "dinas_luar", "tanpa_keterangan")
        assert sum(record[p] for p in parts) == record["jumlah_pegawai"] * record["hari_kerja"]
        assert 15 <= record["hari_kerja"] <= 23
        kecamatan = refdata.lookup("wilayah", record["kode_wilayah"])
        assert kecamatan.level == "kecamatan" and kecamatan.name == record["nama_kecamatan"]
        assert record["tanggal_awal"][:7] == f"{record['tahun']}-{record['bulan']:02d}"


def test_default_records_are_the_opds_newest_period():
    """A few dozen records are the regency's OPDs for the newest year, with the OPD that owns each source."""
    names = {r["nama_skpd"] for r in data.generate("sipd", 50, seed=4)}
    assert {"Badan Pengelolaan Keuangan dan Aset Daerah", "Kecamatan Bangil"} <= names
    assert {r["tahun"] for r in data.generate("sipd", 50, seed=4)} == {data.LATEST_YEAR}
