"""Fictional records of two regional systems of Kabupaten Pasuruan, generated deterministically from a seed.

* ``sipd``: budget realisation per OPD and year, as BPKAD's SIPD-like system reports it, with the realisation per
  program and kegiatan in ``rincian``.
* ``absensi``: BKPSDM's e-Absensi recap of attendance per unit kerja and month (flat records, so that JSON, CSV
  and XLSX carry the same fields).

Record *i* of a system is always the same for a given seed, whatever the number of records asked for: each record
draws from its own ``random.Random`` seeded by the seed and the record's id. Names, people and amounts are
invented; unit and kecamatan names are those of the regency (kecamatan from ``refdata``).
"""
from __future__ import annotations

import calendar
import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ckanext.satudatapasuruan import refdata

__all__ = ["ID_FIELDS", "SYSTEMS", "Unit", "generate", "make_record", "next_record", "units"]

SYSTEMS = ("sipd", "absensi")
ID_FIELDS = {"sipd": "id", "absensi": "id_rekap"}

# The newest period in the data; fixed (not today) so that the records never depend on the clock.
LATEST_YEAR = 2026
LATEST_MONTH = 11
DATA_END = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)  # no record was posted after this
SIPD_YEARS = tuple(range(LATEST_YEAR, LATEST_YEAR - 6, -1))   # SIPD has been in use since 2021
ABSENSI_MONTHS = 12
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
BANGIL = "35.14.14"  # the regency's offices sit in Bangil

# (urusan, nama, singkatan, kecamatan of the office): the regency's perangkat daerah, codes in the SIPD style.
_OPD = (
    ("4.01", "Sekretariat Daerah", "SETDA", BANGIL),
    ("4.02", "Sekretariat DPRD", "SETWAN", BANGIL),
    ("6.01", "Inspektorat Daerah", "INSPEKTORAT", BANGIL),
    ("5.01", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", "BAPPELITBANGDA", BANGIL),
    ("5.02", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", BANGIL),
    ("5.02", "Badan Pendapatan Daerah", "BAPENDA", BANGIL),
    ("5.03", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", BANGIL),
    ("1.01", "Dinas Pendidikan", "DINDIK", BANGIL),
    ("1.02", "Dinas Kesehatan", "DINKES", BANGIL),
    ("1.02", "RSUD Bangil", "RSUD BANGIL", BANGIL),
    ("1.02", "RSUD Grati", "RSUD GRATI", "35.14.20"),
    ("1.03", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", BANGIL),
    ("1.04", "Dinas Perumahan Rakyat dan Kawasan Permukiman", "DPRKP", BANGIL),
    ("1.05", "Satuan Polisi Pamong Praja", "SATPOL PP", BANGIL),
    ("1.05", "Badan Penanggulangan Bencana Daerah", "BPBD", BANGIL),
    ("1.06", "Dinas Sosial", "DINSOS", BANGIL),
    ("2.07", "Dinas Tenaga Kerja", "DISNAKER", BANGIL),
    ("2.08", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", BANGIL),
    ("2.09", "Dinas Ketahanan Pangan", "DKP", BANGIL),
    ("2.11", "Dinas Lingkungan Hidup", "DLH", BANGIL),
    ("2.12", "Dinas Kependudukan dan Pencatatan Sipil", "DISPENDUKCAPIL", BANGIL),
    ("2.13", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", BANGIL),
    ("2.14", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "DPPKB", BANGIL),
    ("2.15", "Dinas Perhubungan", "DISHUB", BANGIL),
    ("2.16", "Dinas Komunikasi dan Informatika", "DISKOMINFO", BANGIL),
    ("2.17", "Dinas Koperasi dan Usaha Mikro", "DISKOPUM", BANGIL),
    ("2.18", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", BANGIL),
    ("2.19", "Dinas Kepemudaan dan Olahraga", "DISPORA", BANGIL),
    ("2.23", "Dinas Perpustakaan dan Kearsipan", "DISPUSIP", BANGIL),
    ("3.25", "Dinas Perikanan", "DISKAN", BANGIL),
    ("3.26", "Dinas Pariwisata", "DISPAR", BANGIL),
    ("3.27", "Dinas Pertanian", "DISTAN", BANGIL),
    ("3.30", "Dinas Perindustrian dan Perdagangan", "DISPERINDAG", BANGIL),
    ("8.01", "Badan Kesatuan Bangsa dan Politik", "BAKESBANGPOL", BANGIL),
)

# Permendagri 90/2019: program 01 of every bidang urusan and its kegiatan are the same for each OPD.
_PENUNJANG = "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota"
_KEGIATAN_PENUNJANG = (
    ("2.01", "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah"),
    ("2.02", "Administrasi Keuangan Perangkat Daerah"),
    ("2.03", "Administrasi Barang Milik Daerah pada Perangkat Daerah"),
    ("2.05", "Administrasi Kepegawaian Perangkat Daerah"),
    ("2.06", "Administrasi Umum Perangkat Daerah"),
    ("2.07", "Pengadaan Barang Milik Daerah Penunjang Urusan Pemerintah Daerah"),
    ("2.08", "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah"),
    ("2.09", "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah"),
)
_PROGRAM_TEKNIS = {
    "1.01": ("Program Pengelolaan Pendidikan", ("Pengelolaan Pendidikan Sekolah Dasar",
                                                 "Pengelolaan Pendidikan Sekolah Menengah Pertama")),
    "1.02": ("Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
             ("Penyediaan Fasilitas Pelayanan Kesehatan", "Penyediaan Layanan Kesehatan untuk UKM dan UKP")),
    "1.03": ("Program Penyelenggaraan Jalan", ("Penyelenggaraan Jalan Kabupaten/Kota",)),
    "2.12": ("Program Pendaftaran Penduduk", ("Pelayanan Pendaftaran Penduduk",)),
    "2.16": ("Program Aplikasi Informatika", ("Pengelolaan Nama Domain dan Sub Domain",
                                              "Pengelolaan e-Government di Lingkup Pemerintah Daerah")),
    "3.27": ("Program Penyediaan dan Pengembangan Sarana Pertanian", ("Pengelolaan Sumber Daya Genetik",)),
    "7.01": ("Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
             ("Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan",)),
}
_NAMA_DEPAN = ("Agus", "Ahmad", "Ani", "Bambang", "Budi", "Dewi", "Dwi", "Eko", "Endah", "Fitri", "Hadi", "Indah",
               "Joko", "Lilik", "Nur", "Rina", "Siti", "Sri", "Sugeng", "Tri", "Wahyu", "Yuli")
_NAMA_BELAKANG = ("Santoso", "Wibowo", "Rahayu", "Prasetyo", "Lestari", "Hidayat", "Susanti", "Kurniawan",
                  "Setiawan", "Wulandari", "Handayani", "Saputra")


@dataclass(frozen=True)
class Unit:
    """An OPD or a sub-unit (UPT, sekolah) with its SIPD-style code."""

    kode: str
    nama: str
    singkatan: str
    urusan: str
    kode_wilayah: str  # the kecamatan its office is in


def units() -> Iterator[Unit]:
    """Every unit, endless: the OPDs, the 24 kecamatan, a puskesmas per kecamatan, then schools per desa."""
    serial: dict[str, int] = {}

    def code(urusan: str) -> str:
        serial[urusan] = serial.get(urusan, 0) + 1
        return f"{urusan}.0.00.0.00.{serial[urusan]:02d}"

    for urusan, nama, singkatan, wilayah in _OPD:
        yield Unit(code(urusan), nama, singkatan, urusan, wilayah)
    kecamatan = refdata.kecamatan()
    for kec in kecamatan:
        yield Unit(f"7.01.0.00.0.00.{kec.code[-2:]}", f"Kecamatan {kec.name}", f"KEC. {kec.name.upper()}", "7.01",
                   kec.code)
    dinkes, dindik = "1.02.0.00.0.00.01", "1.01.0.00.0.00.01"
    for n, kec in enumerate(kecamatan, 1):
        yield Unit(f"{dinkes}.{n:04d}", f"UPT Puskesmas {kec.name}", f"PKM {kec.name.upper()}", "1.02", kec.code)
    desa = refdata.desa()
    n = 0
    for k in itertools.count(1):
        for village in desa:
            n += 1
            yield Unit(f"{dindik}.{n:04d}", f"SD Negeri {village.name} {k}", f"SDN {village.name.upper()} {k}",
                       "1.01", village.parent or "")


def _periods(system: str) -> tuple[tuple[int, int], ...]:
    if system == "sipd":
        return tuple((year, 12) for year in SIPD_YEARS)
    months = []
    year, month = LATEST_YEAR, LATEST_MONTH
    for _ in range(ABSENSI_MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return tuple(months)


def _keys(system: str) -> Iterator[tuple[Unit, int, int]]:
    """(unit, year, month) in generation order: blocks of OPD-sized unit groups, newest period first, so that a
    few dozen records are the OPDs' newest period and ten thousand still stay within a realistic time range."""
    block = len(_OPD) + len(refdata.kecamatan())
    source = units()
    while True:
        group = list(itertools.islice(source, block))
        for year, month in _periods(system):
            for unit in group:
                yield unit, year, month


def generate(system: str, count: int, seed: int) -> list[dict[str, Any]]:
    """The first `count` records of `system`, in generation order."""
    return [make_record(system, unit, year, month, seed)
            for unit, year, month in itertools.islice(_keys(system), count)]


def next_record(system: str, taken: set[str], seed: int) -> dict[str, Any]:
    """The first generated record whose id is not in `taken` (for adding a record to a running server)."""
    for unit, year, month in _keys(system):
        if _record_id(system, unit, year, month) not in taken:
            return make_record(system, unit, year, month, seed)
    raise AssertionError("unreachable: the key sequence is endless")


def _record_id(system: str, unit: Unit, year: int, month: int) -> str:
    return f"{unit.kode}-{year}" if system == "sipd" else f"{year}{month:02d}-{unit.kode}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_NAMA_DEPAN)} {rng.choice(_NAMA_BELAKANG)}"


def _email(prefix: str, unit: Unit) -> str:
    slug = "".join(ch for ch in unit.singkatan.lower() if ch.isalnum())
    return f"{prefix}.{slug}@pasuruankab.test"


def _timestamp(rng: random.Random, year: int, month: int) -> str:
    """When the period's figures were last posted: a few days after its end, never after the data's 'today'."""
    last = dt.datetime(year, month, calendar.monthrange(year, month)[1], tzinfo=dt.timezone.utc)
    when = last + dt.timedelta(days=rng.randint(1, 10), seconds=rng.randint(0, 86399))
    return min(when, DATA_END - dt.timedelta(seconds=rng.randint(1, 86399))).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_record(system: str, unit: Unit, year: int, month: int, seed: int) -> dict[str, Any]:
    """One record of `system` for `unit` and period, the same for the same seed."""
    rid = _record_id(system, unit, year, month)
    rng = random.Random(f"{seed}:{system}:{rid}")
    person = _person(random.Random(f"{seed}:{unit.kode}"))  # the same officer every period
    if system == "sipd":
        return _realisasi(rid, unit, year, rng, person)
    return _kehadiran(rid, unit, year, month, rng, person)


def _realisasi(rid: str, unit: Unit, year: int, rng: random.Random, person: str) -> dict[str, Any]:
    current = year == LATEST_YEAR
    # The current year is reported up to the end of the latest month; earlier years are closed.
    posisi = dt.date(year, LATEST_MONTH, 30) if current else dt.date(year, 12, 31)
    share = (0.55, 0.9) if current else (0.82, 0.99)
    kegiatan = [(f"{unit.urusan}.01", _PENUNJANG, f"{unit.urusan}.01.{kode}", nama)
                for kode, nama in sorted(rng.sample(_KEGIATAN_PENUNJANG, rng.randint(4, 6)))]
    program, teknis = _PROGRAM_TEKNIS.get(unit.urusan, (
        f"Program Penyelenggaraan Urusan {refdata.label('urusan', unit.urusan)}",
        ("Koordinasi dan Pelaksanaan Kegiatan Teknis", "Pembinaan dan Pengawasan")))
    kegiatan += [(f"{unit.urusan}.02", program, f"{unit.urusan}.02.2.{n:02d}", nama)
                 for n, nama in enumerate(teknis, 1)]
    rincian = []
    for kode_program, nama_program, kode_kegiatan, nama_kegiatan in kegiatan:
        pagu = rng.randint(50, 5000) * 1_000_000
        realisasi = round(pagu * rng.uniform(*share), -3)
        rincian.append({"kode_program": kode_program, "nama_program": nama_program, "kode_kegiatan": kode_kegiatan,
                        "nama_kegiatan": nama_kegiatan, "pagu": pagu, "realisasi": int(realisasi),
                        "persentase": round(realisasi * 100 / pagu, 2)})
    pagu_total = sum(r["pagu"] for r in rincian)
    realisasi_total = sum(r["realisasi"] for r in rincian)
    return {
        "id": rid,
        "kode_skpd": unit.kode,
        "nama_skpd": unit.nama,
        "singkatan_skpd": unit.singkatan,
        "kode_urusan": unit.urusan,
        "nama_urusan": refdata.label("urusan", unit.urusan),
        "tahun": year,
        "periode": "TAHUNAN",
        "posisi_per": posisi.isoformat(),
        "pagu_total": pagu_total,
        "realisasi_total": realisasi_total,
        "persentase_realisasi": round(realisasi_total * 100 / pagu_total, 2),
        "sifat_data": "TERBUKA",
        "uraian": (f"Realisasi belanja {unit.nama} Tahun Anggaran {year} menurut program dan kegiatan, posisi per "
                   f"{posisi.day} {BULAN[posisi.month - 1]} {year}. Data fiktif untuk demonstrasi."),
        "pejabat_penatausahaan": {"nama": person, "jabatan": "Pejabat Penatausahaan Keuangan",
                                  "email": _email("keuangan", unit)},
        "rincian": rincian,
        "updated_at": _timestamp(rng, posisi.year, posisi.month),
    }


def _kehadiran(rid: str, unit: Unit, year: int, month: int, rng: random.Random, person: str) -> dict[str, Any]:
    days = calendar.monthrange(year, month)[1]
    weekdays = sum(1 for d in range(1, days + 1) if dt.date(year, month, d).weekday() < 5)
    hari_kerja = weekdays - rng.randint(0, 2)  # national holidays, invented
    pegawai = rng.randint(8, 40) if unit.kode.count(".") > 6 else rng.randint(25, 220)  # sub-units are small
    total = pegawai * hari_kerja
    counts = {key: int(total * rng.uniform(low, high)) for key, low, high in (
        ("terlambat", 0.02, 0.08), ("izin", 0.0, 0.02), ("sakit", 0.0, 0.02), ("cuti", 0.0, 0.03),
        ("dinas_luar", 0.01, 0.05), ("tanpa_keterangan", 0.0, 0.01))}
    tepat = total - sum(counts.values())
    kecamatan = refdata.lookup("wilayah", unit.kode_wilayah)
    return {
        "id_rekap": rid,
        "kode_unit_kerja": unit.kode,
        "nama_unit_kerja": unit.nama,
        "kode_wilayah": unit.kode_wilayah,
        "nama_kecamatan": kecamatan.name if kecamatan else "",
        "tahun": year,
        "bulan": month,
        "nama_bulan": BULAN[month - 1],
        "tanggal_awal": dt.date(year, month, 1).isoformat(),
        "tanggal_akhir": dt.date(year, month, days).isoformat(),
        "hari_kerja": hari_kerja,
        "jumlah_pegawai": pegawai,
        "hadir_tepat_waktu": tepat,
        **counts,
        "persentase_kehadiran": round((tepat + counts["terlambat"] + counts["dinas_luar"]) * 100 / total, 2),
        "nama_operator": person,
        "email_operator": _email("kepegawaian", unit),
        "updated_at": _timestamp(rng, year, month),
    }
