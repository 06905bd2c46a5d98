#!/usr/bin/env python
"""Search benchmark for the embedded PostgreSQL search engine (plugin ``satudata_pgsearch``).

    .venv/bin/python bench/search.py --datasets 10000 [--fresh] [--rounds 10] [--explain]

1. (Re)creates the scratch database ``ckan_satudata_bench`` (config/bench.ini): reused when
   it already holds exactly N datasets, otherwise dropped and rebuilt with ``ckan db init``
   and ``ckan db upgrade -p satudata_pgsearch``.
2. Bulk-loads N synthetic Kabupaten Pasuruan datasets with COPY straight into CKAN's tables
   (deterministic, seed 42): ~25 organisations, tags, resources, extras, 5 % private.
3. Times ``ckan.lib.search.rebuild(defer_commit=True)`` + commit (what ``ckan search-index
   rebuild`` does) over an emptied index  ->  datasets/s.
4. Times ``package_search`` as an anonymous user for 24 query shapes (text query + three
   facets + one fq, rows=20): warm-up, then --rounds calls per shape  ->  p50 / p95 ms.
5. Times the same text query + filter as one plain SQL statement on the index table (floor).
6. Prints a markdown table and writes bench/results/search-<N>.md and bench/results/search.md.

``--explain`` additionally prints the SQL that engine._plan builds for each shape with
``EXPLAIN (ANALYZE, BUFFERS)``.
"""
from __future__ import annotations

import argparse
import configparser
import csv
import datetime as dt
import io
import json
import os
import random
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import psycopg2.extras
from benchlib import machine, markdown_table, revision, su_psql

ROOT = Path(__file__).resolve().parents[1]
INI = ROOT / "config" / "bench.ini"
RESULTS = ROOT / "bench" / "results"
CKAN_CLI = Path(sys.executable).with_name("ckan")
SEED = 42
# Fixed "today" of the generated catalogue, so the data never depends on the run date.
ANCHOR = dt.datetime(2025, 11, 30, 12, 0, 0)
COLUMNS = ("datasets", "p50_ms", "p95_ms", "sql_p95_ms", "rebuild_per_s")

# --- synthetic catalogue vocabulary ----------------------------------------------------------

ORGS = {
    "dinas-kesehatan": "Dinas Kesehatan",
    "dinas-pendidikan": "Dinas Pendidikan",
    "dinas-sosial": "Dinas Sosial",
    "dinas-pertanian": "Dinas Pertanian",
    "dinas-peternakan-dan-kesehatan-hewan": "Dinas Peternakan dan Kesehatan Hewan",
    "dinas-perikanan": "Dinas Perikanan",
    "dinas-ketahanan-pangan": "Dinas Ketahanan Pangan",
    "dinas-kebudayaan-dan-pariwisata": "Dinas Kebudayaan dan Pariwisata",
    "dinas-pekerjaan-umum-dan-penataan-ruang": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "dinas-perumahan-rakyat-dan-kawasan-permukiman": "Dinas Perumahan Rakyat dan Kawasan Permukiman",
    "dinas-tenaga-kerja": "Dinas Tenaga Kerja",
    "dinas-koperasi-dan-usaha-mikro": "Dinas Koperasi dan Usaha Mikro",
    "dinas-perindustrian-dan-perdagangan": "Dinas Perindustrian dan Perdagangan",
    "dinas-kependudukan-dan-pencatatan-sipil": "Dinas Kependudukan dan Pencatatan Sipil",
    "dinas-perhubungan": "Dinas Perhubungan",
    "dinas-lingkungan-hidup": "Dinas Lingkungan Hidup",
    "dinas-komunikasi-dan-informatika": "Dinas Komunikasi dan Informatika",
    "dinas-pemberdayaan-masyarakat-dan-desa": "Dinas Pemberdayaan Masyarakat dan Desa",
    "dinas-pemberdayaan-perempuan-dan-perlindungan-anak":
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
    "dinas-pemuda-dan-olahraga": "Dinas Pemuda dan Olahraga",
    "dinas-perpustakaan-dan-kearsipan": "Dinas Perpustakaan dan Kearsipan",
    "badan-penanggulangan-bencana-daerah": "Badan Penanggulangan Bencana Daerah",
    "badan-pendapatan-daerah": "Badan Pendapatan Daerah",
    "bappelitbangda": "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
    "satuan-polisi-pamong-praja": "Satuan Polisi Pamong Praja",
}

# title, organisation, topic tags, unit
TOPICS = [
    ("Jumlah Penduduk", "dinas-kependudukan-dan-pencatatan-sipil", ["kependudukan", "demografi"], "jiwa"),
    ("Kepadatan Penduduk", "dinas-kependudukan-dan-pencatatan-sipil", ["kependudukan", "demografi"], "jiwa/km2"),
    ("Jumlah Kelahiran", "dinas-kependudukan-dan-pencatatan-sipil", ["kependudukan", "kesehatan-ibu-dan-anak"], "jiwa"),
    ("Kepemilikan Akta Kelahiran", "dinas-kependudukan-dan-pencatatan-sipil",
     ["kependudukan", "administrasi"], "persen"),
    ("Angka Kemiskinan", "bappelitbangda", ["kemiskinan", "kesejahteraan"], "persen"),
    ("Indeks Pembangunan Manusia", "bappelitbangda", ["ipm", "pembangunan"], "indeks"),
    ("Penerima Bantuan Sosial", "dinas-sosial", ["bantuan-sosial", "kemiskinan"], "keluarga"),
    ("Penyandang Disabilitas", "dinas-sosial", ["disabilitas", "kesejahteraan"], "jiwa"),
    ("Produksi Padi", "dinas-pertanian", ["pertanian", "padi", "pangan"], "ton"),
    ("Luas Panen Padi", "dinas-pertanian", ["pertanian", "padi"], "hektar"),
    ("Produksi Jagung", "dinas-pertanian", ["pertanian", "palawija"], "ton"),
    ("Produksi Tebu", "dinas-pertanian", ["perkebunan", "tebu"], "ton"),
    ("Populasi Sapi Perah", "dinas-peternakan-dan-kesehatan-hewan", ["peternakan", "sapi-perah"], "ekor"),
    ("Produksi Susu Segar", "dinas-peternakan-dan-kesehatan-hewan", ["peternakan", "susu"], "liter"),
    ("Produksi Perikanan Budidaya", "dinas-perikanan", ["perikanan", "tambak"], "ton"),
    ("Ketersediaan Pangan Pokok", "dinas-ketahanan-pangan", ["pangan", "ketahanan-pangan"], "ton"),
    ("Jumlah Sekolah", "dinas-pendidikan", ["pendidikan", "sekolah"], "unit"),
    ("Jumlah Guru", "dinas-pendidikan", ["pendidikan", "guru"], "orang"),
    ("Jumlah Murid", "dinas-pendidikan", ["pendidikan", "siswa"], "orang"),
    ("Angka Partisipasi Sekolah", "dinas-pendidikan", ["pendidikan", "sdgs"], "persen"),
    ("Kunjungan Wisatawan", "dinas-kebudayaan-dan-pariwisata", ["pariwisata", "wisatawan"], "orang"),
    ("Jumlah Hotel dan Penginapan", "dinas-kebudayaan-dan-pariwisata", ["pariwisata", "akomodasi"], "unit"),
    ("Cagar Budaya", "dinas-kebudayaan-dan-pariwisata", ["kebudayaan"], "situs"),
    ("Panjang Jalan", "dinas-pekerjaan-umum-dan-penataan-ruang", ["infrastruktur", "jalan"], "km"),
    ("Kondisi Jalan Kabupaten", "dinas-pekerjaan-umum-dan-penataan-ruang", ["infrastruktur", "jalan"], "km"),
    ("Jaringan Irigasi", "dinas-pekerjaan-umum-dan-penataan-ruang", ["infrastruktur", "irigasi"], "km"),
    ("Rumah Tidak Layak Huni", "dinas-perumahan-rakyat-dan-kawasan-permukiman",
     ["perumahan", "rtlh", "kemiskinan"], "unit"),
    ("Akses Air Minum Layak", "dinas-perumahan-rakyat-dan-kawasan-permukiman", ["air-bersih", "sanitasi"], "persen"),
    ("Akses Sanitasi Layak", "dinas-perumahan-rakyat-dan-kawasan-permukiman", ["sanitasi", "sdgs"], "persen"),
    ("Tenaga Kesehatan", "dinas-kesehatan", ["kesehatan", "tenaga-kesehatan"], "orang"),
    ("Jumlah Puskesmas", "dinas-kesehatan", ["kesehatan", "puskesmas", "fasilitas-kesehatan"], "unit"),
    ("Prevalensi Stunting", "dinas-kesehatan", ["kesehatan", "stunting", "gizi"], "persen"),
    ("Cakupan Imunisasi Dasar Lengkap", "dinas-kesehatan", ["kesehatan", "imunisasi"], "persen"),
    ("Kasus Demam Berdarah Dengue", "dinas-kesehatan", ["kesehatan", "penyakit-menular"], "kasus"),
    ("Pencari Kerja Terdaftar", "dinas-tenaga-kerja", ["ketenagakerjaan", "pengangguran"], "orang"),
    ("Tingkat Pengangguran Terbuka", "dinas-tenaga-kerja", ["ketenagakerjaan", "pengangguran"], "persen"),
    ("Jumlah UMKM", "dinas-koperasi-dan-usaha-mikro", ["umkm", "ekonomi"], "unit usaha"),
    ("Koperasi Aktif", "dinas-koperasi-dan-usaha-mikro", ["koperasi", "ekonomi"], "unit"),
    ("Industri Kecil dan Menengah", "dinas-perindustrian-dan-perdagangan", ["industri", "ekonomi"], "unit usaha"),
    ("Jumlah Pasar Tradisional", "dinas-perindustrian-dan-perdagangan", ["perdagangan", "pasar"], "unit"),
    ("Realisasi Pendapatan Asli Daerah", "badan-pendapatan-daerah", ["keuangan-daerah", "pajak"], "rupiah"),
    ("Jumlah Kendaraan Bermotor", "dinas-perhubungan", ["transportasi", "kendaraan"], "unit"),
    ("Volume Sampah Terangkut", "dinas-lingkungan-hidup", ["lingkungan", "sampah"], "ton"),
    ("Kejadian Bencana Alam", "badan-penanggulangan-bencana-daerah", ["bencana", "banjir"], "kejadian"),
    ("Kasus Kekerasan terhadap Perempuan dan Anak", "dinas-pemberdayaan-perempuan-dan-perlindungan-anak",
     ["perlindungan-anak", "gender"], "kasus"),
    ("Status Desa Mandiri", "dinas-pemberdayaan-masyarakat-dan-desa", ["desa", "pembangunan"], "desa"),
    ("Menara Telekomunikasi", "dinas-komunikasi-dan-informatika", ["telekomunikasi", "internet"], "unit"),
    ("Pengunjung Perpustakaan", "dinas-perpustakaan-dan-kearsipan", ["perpustakaan", "literasi"], "orang"),
    ("Atlet Berprestasi", "dinas-pemuda-dan-olahraga", ["olahraga", "pemuda"], "orang"),
    ("Penegakan Peraturan Daerah", "satuan-polisi-pamong-praja", ["ketertiban", "perda"], "kasus"),
]

TAGS = sorted({t for _, _, tags, _ in TOPICS for t in tags} | {
    "statistik-sektoral", "satu-data", "open-data", "kecamatan", "kabupaten-pasuruan", "tahunan",
    "bulanan", "spasial", "anggaran", "rpjmd", "spm", "lansia", "anak", "perempuan", "ekonomi-kreatif",
})
KECAMATAN = ["Purwodadi", "Tutur", "Puspo", "Lumbang", "Pasrepan", "Kejayan", "Wonorejo", "Purwosari",
             "Sukorejo", "Prigen", "Pandaan", "Gempol", "Beji", "Bangil", "Rembang", "Kraton", "Pohjentrek",
             "Gondangwetan", "Winongan", "Grati", "Nguling", "Lekok", "Rejoso", "Tosari"]
BREAKDOWNS = ["", "", "", "Menurut Jenis Kelamin", "Menurut Kelompok Umur", "per Desa/Kelurahan",
              "per Bulan", "Menurut Kategori", "Semester I", "Semester II"]
FREQUENCIES = ["Tahunan", "Tahunan", "Semesteran", "Triwulanan", "Bulanan"]
FORMATS = [("CSV", "text/csv", 35), ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 30),
           ("PDF", "application/pdf", 15), ("JSON", "application/json", 12), ("GeoJSON", "application/geo+json", 8)]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]
EXTRA_SENTENCES = [
    "Data ini dihimpun oleh {org} sebagai bagian dari penyelenggaraan Satu Data Indonesia di Kabupaten Pasuruan.",
    "Satuan yang digunakan adalah {unit} dan angka disajikan per {wilayah_low}.",
    "Sumber data berasal dari laporan rutin {org} yang diverifikasi oleh walidata setiap periode {freq_low}.",
    "Data dapat dimanfaatkan untuk perencanaan pembangunan daerah, penyusunan RPJMD dan evaluasi program.",
    "Pembaruan terakhir dilakukan pada bulan {month} {next_year}.",
    "Angka tahun {year} bersifat sementara dan dapat berubah setelah validasi lebih lanjut.",
    "Cakupan wilayah meliputi seluruh desa dan kelurahan di {wilayah}.",
    "Metodologi pengumpulan data mengikuti standar Badan Pusat Statistik dan pedoman kementerian terkait.",
]

# Query shapes: text query + one fq (every shape also asks for the three facets).
QUERIES = [
    ("penduduk", "res_format:CSV"),
    ("penduduk bangil", "metadata_modified:[NOW-5YEAR TO *]"),
    ("kemiskinan", "organization:bappelitbangda"),
    ("produksi padi", "res_format:XLSX"),
    ("sekolah", "organization:dinas-pendidikan"),
    ("kunjungan wisatawan", "metadata_modified:[NOW-5YEAR TO *]"),
    ("panjang jalan", "res_format:GeoJSON"),
    ("rumah tidak layak huni", "organization:dinas-perumahan-rakyat-dan-kawasan-permukiman"),
    ("tenaga kesehatan", "organization:dinas-kesehatan"),
    ("pencari kerja", "res_format:CSV"),
    ("umkm", "tags:ekonomi"),
    ("puskesmas", "metadata_modified:[NOW-5YEAR TO *]"),
    ("stunting", "res_format:PDF"),
    ("kependudukan", "license_id:cc-by"),
    ("pandaan", "organization:dinas-kesehatan"),
    ("tosari 2020", "res_format:JSON"),
    ("sapi perah", "tags:peternakan"),
    ("tebu", "metadata_modified:[NOW-5YEAR TO *]"),
    ("guru", "res_format:CSV"),
    ("bencana banjir", "organization:badan-penanggulangan-bencana-daerah"),
    ("pasar tradisional", "res_format:XLSX"),
    ("jumlah", "res_format:CSV"),
    ("sampah", "license_id:odc-odbl"),
    ("data kabupaten pasuruan", "metadata_modified:[NOW-5YEAR TO *]"),
]
FACETS = ["organization", "tags", "res_format"]


def log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", flush=True)


# --- database -------------------------------------------------------------------------------

def bench_url() -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(INI)
    return parser["app:main"]["sqlalchemy.url"]


def dbname(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0]


def ckan_cli(*args: str) -> None:
    proc = subprocess.run([str(CKAN_CLI), "-c", str(INI), *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"ckan {' '.join(args)} failed ({proc.returncode})")


def current_size(url: str) -> int | None:
    """Number of datasets in the bench database, None when it is missing or not initialised."""
    if su_psql(f"SELECT 1 FROM pg_database WHERE datname = '{dbname(url)}'") != "1":
        return None
    try:
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute("SELECT to_regclass('satudata_search.document') IS NOT NULL")
            if not cur.fetchone()[0]:
                return None
            cur.execute("SELECT count(*) FROM package WHERE type = 'dataset'")
            return cur.fetchone()[0]
    except psycopg2.Error:
        return None


def create_database(url: str) -> None:
    name = dbname(url)
    user = url.split("//", 1)[1].split(":", 1)[0]
    log(f"recreating database {name}")
    su_psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    su_psql(f'CREATE DATABASE "{name}" OWNER "{user}" ENCODING \'UTF8\' TEMPLATE template0')
    su_psql("CREATE EXTENSION IF NOT EXISTS unaccent", db=name)
    log("ckan db init")
    ckan_cli("db", "init")
    log("ckan db upgrade -p satudata_pgsearch")
    ckan_cli("db", "upgrade", "-p", "satudata_pgsearch")


# --- data generation ------------------------------------------------------------------------

def _csv_value(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    if v == "":
        raise ValueError("empty strings would load as NULL; use None")
    return v


def copy_rows(cur, table: str, columns: list[str], rows) -> int:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    n = 0
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        n += 1
    buf.seek(0)
    cur.copy_expert(f'COPY {table} ({", ".join(columns)}) FROM STDIN WITH (FORMAT csv)', buf)
    return n


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def generate(url: str, n: int) -> None:
    rng = random.Random(SEED)

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    fmt_names = [f for f, _, _ in FORMATS]
    fmt_weights = [w for _, _, w in FORMATS]
    mimetypes = {f: m for f, m, _ in FORMATS}

    org_ids = {name: new_id() for name in ORGS}
    tag_ids = {name: new_id() for name in TAGS}
    groups, packages, members, package_tags, resources = [], [], [], [], []
    for name, title in ORGS.items():
        groups.append((org_ids[name], name, title, "organization",
                       f"{title} Kabupaten Pasuruan, produsen data sektoral.", None,
                       ANCHOR - dt.timedelta(days=3650), True, "approved", "active", {}))

    names: set[str] = set()
    for _ in range(n):
        topic, org, topic_tags, unit = rng.choice(TOPICS)
        breakdown = rng.choice(BREAKDOWNS)
        year = rng.randint(2015, 2025)
        if rng.random() < 0.1:
            wilayah = "Kabupaten Pasuruan"
        else:
            wilayah = "Kecamatan " + rng.choice(KECAMATAN)
        title = " ".join(p for p in (topic, breakdown, "di" if wilayah.startswith("Kec") else "", wilayah,
                                     "Tahun", str(year)) if p)
        base = slug(f"{topic} {breakdown} {wilayah.replace('Kecamatan ', '')} {year}")[:90]
        name, k = base, 1
        while name in names:
            k += 1
            name = f"{base}-{k}"
        names.add(name)
        freq = rng.choice(FREQUENCIES)
        fields = {"org": ORGS[org], "unit": unit, "wilayah": wilayah, "wilayah_low": "desa/kelurahan"
                  if wilayah.startswith("Kec") else "kecamatan", "freq_low": freq.lower(),
                  "month": rng.choice(MONTHS), "year": year, "next_year": year + 1}
        first = f"Data {topic.lower()} {breakdown.lower() + ' ' if breakdown else ''}di {wilayah} tahun {year}."
        notes = " ".join([first] + [s.format(**fields) for s in rng.sample(EXTRA_SENTENCES, rng.randint(1, 3))])
        created = min(dt.datetime(min(year + 1, 2025), 1, 1) + dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60)),
                      ANCHOR - dt.timedelta(days=30))
        modified = min(created + dt.timedelta(minutes=rng.randint(0, 500 * 24 * 60)), ANCHOR)
        pid = new_id()
        private = rng.random() < 0.05
        license_id = "cc-by" if rng.random() < 0.7 else "odc-odbl"
        extras = {"frekuensi": freq, "satuan": unit, "tahun": str(year), "wilayah": wilayah,
                  "sumber": ORGS[org]}
        packages.append((pid, name, title, "1.0", f"https://satudata.pasuruankab.go.id/dataset/{name}",
                         ORGS[org], "walidata@pasuruankab.go.id", "Walidata Kabupaten Pasuruan",
                         "satudata@pasuruankab.go.id", notes, license_id, "dataset", org_ids[org], None,
                         created, modified, private, "active", extras))
        members.append((new_id(), "package", pid, "organization", org_ids[org], "active"))
        want = rng.randint(2, 5)
        tags = list(dict.fromkeys(topic_tags[:want]))
        while len(tags) < want:
            t = rng.choice(TAGS)
            if t not in tags:
                tags.append(t)
        for t in tags:
            package_tags.append((new_id(), pid, tag_ids[t], "active"))
        for pos in range(rng.randint(1, 3)):
            fmt = rng.choices(fmt_names, fmt_weights)[0]
            rid = new_id()
            label = ["Tabel", "Lampiran", "Peta", "Rekapitulasi"][pos if fmt != "GeoJSON" else 2]
            resources.append((
                rid, pid, f"https://satudata.pasuruankab.go.id/dataset/{pid}/resource/{rid}/download/"
                f"{name[:60]}.{fmt.lower()}", fmt, f"{label} {topic.lower()} {wilayah} tahun {year} ({fmt}).",
                None, pos, f"{label} {title}", None, mimetypes[fmt], None, rng.randint(2_000, 5_000_000),
                created, modified, modified, None, None, None, None, "active"))

    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        t = time.perf_counter()
        copy_rows(cur, '"group"', ["id", "name", "title", "type", "description", "image_url", "created",
                                   "is_organization", "approval_status", "state", "extras"], groups)
        copy_rows(cur, "tag", ["id", "name", "vocabulary_id"], [(tag_ids[t], t, None) for t in TAGS])
        copy_rows(cur, "package", ["id", "name", "title", "version", "url", "author", "author_email",
                                   "maintainer", "maintainer_email", "notes", "license_id", "type",
                                   "owner_org", "creator_user_id", "metadata_created", "metadata_modified",
                                   "private", "state", "extras"], packages)
        copy_rows(cur, "member", ["id", "table_name", "table_id", "capacity", "group_id", "state"], members)
        copy_rows(cur, "package_tag", ["id", "package_id", "tag_id", "state"], package_tags)
        copy_rows(cur, "resource", ["id", "package_id", "url", "format", "description", "hash", "position",
                                    "name", "resource_type", "mimetype", "mimetype_inner", "size", "created",
                                    "last_modified", "metadata_modified", "cache_url", "cache_last_updated",
                                    "url_type", "extras", "state"], resources)
        conn.commit()
        log(f"loaded {len(packages)} datasets, {len(resources)} resources, {len(package_tags)} tags, "
            f"{len(groups)} organisations in {time.perf_counter() - t:.1f}s")
    vacuum(url, ["package", "resource", "package_tag", "member", "tag", '"group"'])


def vacuum(url: str, tables: list[str]) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        for table in tables:
            cur.execute(f"VACUUM ANALYZE {table}")
    conn.close()


# --- measurements ---------------------------------------------------------------------------

def pct(values: list[float], p: float) -> float:
    data = sorted(values)
    k = (len(data) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def load_app():
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    return make_app(load_config(str(INI)))._wsgi_app


def check_seam() -> None:
    import ckan.lib.search.common as common
    from ckan.lib.search import make_connection as search_make_connection

    from ckanext.satudatapasuruan.pgsearch.engine import PgSearchConnection
    for conn in (common.make_connection(), search_make_connection()):
        if not isinstance(conn, PgSearchConnection):
            raise SystemExit(f"search seam not installed: make_connection() gave {conn!r}")


def check_package_show(url: str) -> None:
    from ckan import model
    from ckan.logic import get_action
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT name FROM package WHERE NOT private ORDER BY name LIMIT 1")
        name = cur.fetchone()[0]
    pkg = get_action("package_show")({"user": ""}, {"id": name})
    model.Session.remove()
    assert pkg["organization"]["name"] in ORGS and pkg["resources"] and pkg["tags"], pkg
    log(f"package_show ok: {pkg['name']!r} ({pkg['organization']['name']}, {len(pkg['resources'])} resources, "
        f"{len(pkg['tags'])} tags, extras {[e['key'] for e in pkg['extras']]})")


def rebuild(url: str, n: int) -> float:
    """Time `ckan satudata-search rebuild` (one worker per core) over an emptied index."""
    from ckan import model
    from ckan.lib import search
    search.clear_all()
    model.Session.commit()
    model.Session.remove()
    vacuum(url, ["satudata_search.document"])
    log("rebuilding the search index (ckan satudata-search rebuild)")
    t = time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(INI), "satudata-search", "rebuild"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM satudata_search.document")
        indexed = cur.fetchone()[0]
    if indexed != n:
        raise SystemExit(f"index holds {indexed} documents, expected {n}")
    log(f"rebuild: {n} datasets in {elapsed:.1f}s = {n / elapsed:.1f} datasets/s")
    # What autovacuum would do soon after a bulk load: statistics + flush GIN pending lists.
    vacuum(url, ["satudata_search.document"])
    return n / elapsed


def search_data_dict(q: str, fq: str) -> dict:
    return {"q": q, "fq": fq, "facet.field": list(FACETS), "rows": 20}


def bench_package_search(rounds: int) -> tuple[list[float], list[float], dict]:
    from ckan import model
    from ckan.logic import get_action

    from ckanext.satudatapasuruan.pgsearch import engine

    engine_times: list[float] = []
    original = engine.PgSearchConnection.search

    def timed_search(self, *args, **kwargs):
        t = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            engine_times.append((time.perf_counter() - t) * 1000)

    action = get_action("package_search")
    counts = {}
    public = action({"user": ""}, {"q": "", "rows": 0})["count"]
    model.Session.remove()
    expected = model.Session.query(model.Package).filter_by(private=False, state="active").count()
    model.Session.remove()
    if public != expected:
        raise SystemExit(f"anonymous package_search sees {public} datasets, expected {expected} public ones")
    engine.PgSearchConnection.search = timed_search
    try:
        for q, fq in QUERIES:  # warm-up, and the hit counts for the report
            for _ in range(2):
                res = action({"user": ""}, search_data_dict(q, fq))
                model.Session.remove()
            counts[(q, fq)] = res["count"]
        engine_times.clear()
        times = []
        for _ in range(rounds):
            for q, fq in QUERIES:
                t = time.perf_counter()
                action({"user": ""}, search_data_dict(q, fq))
                times.append((time.perf_counter() - t) * 1000)
                model.Session.remove()
    finally:
        engine.PgSearchConnection.search = original
    return times, engine_times, counts


def floor_sql(q: str, fq: str, hot_columns: bool) -> tuple[str, dict]:
    """The text query and its filters as one hand-written statement (no facets, no stored docs).

    The visibility filters CKAN adds go to the index's own columns when the table has them
    (migration 0002), else to ``terms`` like the fq.
    """
    from ckanext.satudatapasuruan.pgsearch import analysis, values
    from ckanext.satudatapasuruan.pgsearch.compiler import CFG
    tsq = " & ".join(t for t in (analysis.tsquery_word(w) for w in q.split()) if t)
    visibility = {"site_id": "satudata_pasuruan", "state": "active", "capacity": "public"}
    terms: dict[str, list[str]] = {}
    where = [f"tsv @@ to_tsquery({CFG}, %(tsq)s)"]
    if hot_columns:
        where += [f"{k} = '{v}'" for k, v in visibility.items()]
        where.append("permission_labels @> '{public}'::text[]")
    else:
        terms.update({k: [v] for k, v in visibility.items()}, permission_labels=["public"])
    params = {"tsq": tsq}
    field, _, value = fq.partition(":")
    m = re.match(r"^\[(\S+) TO \*\]$", value)
    if m:
        params["vars"] = json.dumps({"lo": values.parse_query_date(m.group(1))})
        where.append(f"jsonb_path_exists(terms -> '{field}', '$[*] ? (@ >= $lo)', %(vars)s::jsonb)")
    else:
        terms[field] = [value]
    if terms:
        params["terms"] = json.dumps(terms)
        where.append("terms @> %(terms)s::jsonb")
    sql = (f"SELECT count(*) OVER (), index_id FROM satudata_search.document WHERE {' AND '.join(where)} "
           f"ORDER BY ts_rank('{{0.2,0.3,0.6,1.0}}', tsv, to_tsquery({CFG}, %(tsq)s)) DESC LIMIT 20")
    return sql, params


def bench_sql(url: str, rounds: int) -> list[float]:
    times = []
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'satudata_search' "
                    "AND table_name = 'document' AND column_name = 'capacity'")
        hot = cur.fetchone()[0] == 1
        stmts = [floor_sql(q, fq, hot) for q, fq in QUERIES]
        for sql, params in stmts:
            cur.execute(sql, params)
            cur.fetchall()
        for _ in range(rounds):
            for sql, params in stmts:
                t = time.perf_counter()
                cur.execute(sql, params)
                cur.fetchall()
                times.append((time.perf_counter() - t) * 1000)
    return times


def explain(url: str) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of the SQL engine._plan builds for each shape."""
    from ckan import model
    from ckan.logic import get_action

    from ckanext.satudatapasuruan.pgsearch import engine

    plans = []
    original = engine._plan

    def capture(q, params):
        plan = original(q, params)
        plans.append(plan)
        return plan

    engine._plan = capture
    try:
        for q, fq in QUERIES:
            get_action("package_search")({"user": ""}, search_data_dict(q, fq))
            model.Session.remove()
    finally:
        engine._plan = original
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        for (q, fq), plan in zip(QUERIES, plans, strict=True):
            print(f"\n===== q={q!r} fq={fq!r}")
            print(cur.mogrify(plan.sql, plan.params).decode())
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + plan.sql, plan.params)
            print("\n".join(r[0] for r in cur.fetchall()))


# --- report ---------------------------------------------------------------------------------

def table(rows) -> str:
    return markdown_table(COLUMNS, rows)


def write_results(row: dict, meta: str) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    single = f"# Search benchmark, {row['datasets']} datasets\n\n{table([row])}\n\n{meta}\n"
    (RESULTS / f"search-{row['datasets']}.md").write_text(single)
    # Combined table: one row per N, rebuilt from the per-N files.
    rows, metas = [], []
    for path in RESULTS.glob("search-*.md"):
        text = path.read_text()
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == len(COLUMNS) and cells[0].isdigit():
                rows.append((int(cells[0]), dict(zip(COLUMNS, cells, strict=True))))
        metas.extend((int(path.stem.split("-")[1]), ln) for ln in text.splitlines() if ln.startswith("Run "))
    rows.sort(key=lambda r: r[0])
    metas.sort()
    combined = ("# Search benchmark (bench/search.py)\n\n" + table([r for _, r in rows]) + "\n\n"
                + "\n".join(f"- {n}: {m}" for n, m in metas) + "\n")
    (RESULTS / "search.md").write_text(combined)
    return single


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--datasets", type=int, required=True, help="number of datasets N")
    ap.add_argument("--fresh", action="store_true", help="recreate the database even if it holds N datasets")
    ap.add_argument("--rounds", type=int, default=10, help="timed calls per query shape (default 10)")
    ap.add_argument("--explain", action="store_true", help="also print EXPLAIN ANALYZE of each shape's SQL")
    args = ap.parse_args()
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    rev = revision()
    url = bench_url()
    n = args.datasets

    size = None if args.fresh else current_size(url)
    if size == n:
        log(f"reusing {dbname(url)} ({n} datasets); migrating the index schema")
        ckan_cli("db", "upgrade", "-p", "satudata_pgsearch")
    else:
        create_database(url)
        generate(url, n)

    app = load_app()
    with app.test_request_context():
        check_seam()
        check_package_show(url)
        rebuild_rate = rebuild(url, n)
        log(f"package_search: {len(QUERIES)} shapes x {args.rounds} rounds")
        times, engine_times, counts = bench_package_search(args.rounds)
        log(f"plain SQL: {len(QUERIES)} shapes x {args.rounds} rounds")
        sql_times = bench_sql(url, args.rounds)
        if args.explain:
            explain(url)

    for (q, fq), c in counts.items():
        print(f"  hits {c:>7}  q={q!r} fq={fq!r}")
    print(f"  engine (PgSearchConnection.search) p50 {pct(engine_times, 50):.1f} ms, "
          f"p95 {pct(engine_times, 95):.1f} ms; package_search max {max(times):.1f} ms; "
          f"sql p50 {pct(sql_times, 50):.1f} ms")
    row = {"datasets": n, "p50_ms": f"{pct(times, 50):.1f}", "p95_ms": f"{pct(times, 95):.1f}",
           "sql_p95_ms": f"{pct(sql_times, 95):.1f}", "rebuild_per_s": f"{rebuild_rate:.1f}"}
    total = time.perf_counter() - started
    meta = (f"Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; commit {rev}; machine: {machine()}; "
            f"command: `.venv/bin/python bench/search.py {' '.join(sys.argv[1:])}`; "
            f"{len(times)} package_search calls ({len(QUERIES)} shapes x {args.rounds}); "
            f"total runtime {total:.0f}s; load average {load_start:.2f} at start, "
            f"{os.getloadavg()[0]:.2f} at end")
    print()
    print(write_results(row, meta))


if __name__ == "__main__":
    main()
