#!/usr/bin/env python
"""DCAT export benchmark (issue 7): the full catalogue exported page by page through ckanext-dcat.

    .venv/bin/python bench/dcat.py [--datasets 1000 10000] [--jsonld] [--validate SHAPES_DIR] [--port 5081]
                                   [--keep]

For each N in ``--datasets``:

1. (Re)creates the scratch databases ``ckan_satudata_bench_dcat`` and ``datastore_satudata_bench_dcat``
   (config/bench-dcat.ini: the plugins of config/ckan.ini, i.e. ``dcat satudata_dcat`` with the profiles
   ``euro_dcat_ap_3 satudata`` and 100 datasets a page): PostGIS in its own schema and ``unaccent`` as
   deploy/setup.sh does, ``ckan db init`` (core and every enabled plugin's migrations), ``datastore
   set-permissions``.
2. Bulk-loads N synthetic Kabupaten Pasuruan datasets with COPY straight into CKAN's tables (deterministic,
   seed 42; the vocabulary of bench/search.py): type ``dataset`` with every SDI field the profile maps, as
   scheming stores them in ``package.extras`` (urusan, frekuensi, tahun, tingkat_wilayah, kode_wilayah,
   klasifikasi_akses, kontak_*, satuan, konsep, definisi, ukuran, sumber_data, MS-Var variables...), 1-3
   CSV/XLSX/JSON resources, tags, a workflow state. About 5 % are drafts (private), 3 % rahasia (private),
   0.5 % rahasia left public (an inconsistent row: the catalogue's ``-klasifikasi_akses:rahasia`` guard must
   drop it). Then ``ckan satudata-search rebuild``.
3. Starts ``ckan run`` without the reloader (the PID held is the serving process), warms it with page 1, resets
   its VmHWM, then fetches ``/catalog.ttl?page=1..`` in order until a page holds no dataset, timing each
   request. Every page is parsed with rdflib: the ``dcat:Dataset`` nodes over all pages must be exactly the
   public non-rahasia datasets, none repeated.
4. Reports per N: seconds (sum of the page requests), datasets/s, pages, p50/p95/max page ms, first vs last
   page ms (the cost of OFFSET paging), and the server's RSS after the warm-up, its peak during the export
   (VmHWM) and its RSS after. The claim: the peak does not grow with catalogue size (ratio printed).

``--jsonld`` also exports the largest catalogue as ``/catalog.jsonld`` on the same server (its own peak).
``--validate DIR`` validates page 1 of the largest catalogue against the DCAT-AP 3.0.1 SHACL shapes in DIR
(``ckanext.satudatapasuruan.dcat.validation``, strict, recommended shapes as warnings): violations must be 0.

Results: bench/results/dcat-<N>.md, the combined bench/results/dcat.md, and bench/results/dcat.log. The
databases are dropped at the end unless ``--keep``.
"""
from __future__ import annotations

import argparse
import configparser
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import psycopg2
import requests
from benchlib import machine, markdown_table, revision, su_psql
from rdflib import Graph
from rdflib.namespace import DCAT, RDF
from search import ANCHOR, BREAKDOWNS, MONTHS, ORGS, SEED, TOPICS, copy_rows, pct, slug, vacuum

ROOT = Path(__file__).resolve().parents[1]
INI = ROOT / "config" / "bench-dcat.ini"
RESULTS = ROOT / "bench" / "results"
CKAN_CLI = Path(sys.executable).with_name("ckan")
START_TIMEOUT = 120
COLUMNS = ("datasets", "format", "exported", "pages", "seconds", "datasets_per_s", "page_p50_ms", "page_p95_ms",
           "page_max_ms", "first_page_ms", "last_page_ms", "rss_warm_mb", "peak_rss_mb", "rss_after_mb")
RDF_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "xml": "xml"}

# The SDI codes behind bench/search.py's topics: the unit of each topic, the urusan of each organisation.
SATUAN = {"jiwa": "jiwa", "jiwa/km2": "jiwa_per_km2", "persen": "persen", "indeks": "indeks", "keluarga": "keluarga",
          "ton": "ton", "hektar": "hektare", "ekor": "ekor", "liter": "liter", "unit": "unit", "orang": "orang",
          "situs": "unit", "km": "kilometer", "kasus": "kasus", "unit usaha": "usaha", "rupiah": "rupiah",
          "kejadian": "kejadian", "desa": "desa"}
URUSAN = {
    "dinas-kesehatan": "1.02", "dinas-pendidikan": "1.01", "dinas-sosial": "1.06", "dinas-pertanian": "3.27",
    "dinas-peternakan-dan-kesehatan-hewan": "3.27", "dinas-perikanan": "3.25", "dinas-ketahanan-pangan": "2.09",
    "dinas-kebudayaan-dan-pariwisata": "3.26", "dinas-pekerjaan-umum-dan-penataan-ruang": "1.03",
    "dinas-perumahan-rakyat-dan-kawasan-permukiman": "1.04", "dinas-tenaga-kerja": "2.07",
    "dinas-koperasi-dan-usaha-mikro": "2.17", "dinas-perindustrian-dan-perdagangan": "3.31",
    "dinas-kependudukan-dan-pencatatan-sipil": "2.12", "dinas-perhubungan": "2.15", "dinas-lingkungan-hidup": "2.11",
    "dinas-komunikasi-dan-informatika": "2.16", "dinas-pemberdayaan-masyarakat-dan-desa": "2.13",
    "dinas-pemberdayaan-perempuan-dan-perlindungan-anak": "2.08", "dinas-pemuda-dan-olahraga": "2.19",
    "dinas-perpustakaan-dan-kearsipan": "2.23", "badan-penanggulangan-bencana-daerah": "1.05",
    "badan-pendapatan-daerah": "5.02", "bappelitbangda": "5.01", "satuan-polisi-pamong-praja": "1.05",
}
FREKUENSI = ["tahunan", "tahunan", "tahunan", "semesteran", "triwulanan", "bulanan"]
FORMATS = [("CSV", "text/csv", 45),
           ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 35),
           ("JSON", "application/json", 20)]
CONTACTS = ["Siti Aminah", "Budi Santoso", "Dewi Lestari", "Agus Prasetyo", "Rina Wulandari", "Hendra Kurniawan"]
assert {u for *_, u in TOPICS} <= SATUAN.keys() and ORGS.keys() == URUSAN.keys()

_log_file: TextIO | None = None


def log(msg: str) -> None:
    line = f"[{dt.datetime.now():%H:%M:%S}] {msg}"
    print(line, flush=True)
    if _log_file:
        _log_file.write(line + "\n")
        _log_file.flush()


# --- databases -----------------------------------------------------------------------------------------

def ini() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(INI)
    return parser["app:main"]


def dbname(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0]


def ckan_cli(*args: str) -> str:
    proc = subprocess.run([str(CKAN_CLI), "-c", str(INI), *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"ckan {' '.join(args)} failed ({proc.returncode})")
    return proc.stdout


def create_databases(catalogue_url: str, datastore_url: str) -> None:
    owner = catalogue_url.split("//", 1)[1].split(":", 1)[0]
    catalogue, datastore = dbname(catalogue_url), dbname(datastore_url)
    for name in (catalogue, datastore):
        su_psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        su_psql(f'CREATE DATABASE "{name}" OWNER "{owner}" ENCODING \'UTF8\' TEMPLATE template0')
    su_psql(f"CREATE SCHEMA IF NOT EXISTS postgis AUTHORIZATION {owner}; "
            "CREATE EXTENSION IF NOT EXISTS postgis SCHEMA postgis; CREATE EXTENSION IF NOT EXISTS unaccent;",
            db=catalogue)
    ckan_cli("db", "init")  # core + the migrations of every plugin in ckan.plugins
    su_psql(script=ckan_cli("datastore", "set-permissions"), db=datastore)
    log(f"created {catalogue} and {datastore}: db init (all plugins), datastore set-permissions")


def drop_databases(*names: str) -> None:
    for name in names:
        su_psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    log(f"dropped {', '.join(names)}")


# --- data generation -----------------------------------------------------------------------------------

def kecamatan() -> list[tuple[str, str]]:
    from ckanext.satudatapasuruan import refdata
    return [(e.code, e.name) for e in refdata.kecamatan()]


def variables(unit: str, topic: str, level: str) -> list[dict[str, str]]:
    """MS-Var as the schema stores it: a key column for the area (or year), the measure."""
    key = ({"alias": "kode_kecamatan", "nama": "Kecamatan", "tipe_data": "kode_wilayah",
            "definisi": "Kode kecamatan (Kemendagri)", "wajib": "ya", "kunci": "ya"} if level == "kecamatan" else
           {"alias": "tahun", "nama": "Tahun", "tipe_data": "bilangan_bulat", "definisi": "Tahun pencatatan",
            "wajib": "ya", "kunci": "ya"})
    measure = {"alias": slug(topic).replace("-", "_")[:40], "nama": topic, "tipe_data": "bilangan_desimal",
               "satuan": unit, "definisi": f"{topic} menurut wilayah", "nilai_min": "0", "wajib": "ya",
               "kunci": "tidak"}
    return [key, measure]


def generate(url: str, n: int) -> dict[str, int]:
    """COPY N datasets into the catalogue; returns the counts of each visibility class."""
    rng = random.Random(SEED)

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    fmt_names, fmt_weights = [f for f, _, _ in FORMATS], [w for _, _, w in FORMATS]
    mimetypes = {f: m for f, m, _ in FORMATS}
    kec = kecamatan()
    org_ids = {name: new_id() for name in ORGS}
    tag_names = sorted({t for _, _, tags, _ in TOPICS for t in tags} | {"satu-data", "statistik-sektoral"})
    tag_ids = {name: new_id() for name in tag_names}
    groups = [(org_ids[name], name, title, "organization", f"{title} Kabupaten Pasuruan, produsen data sektoral.",
               None, ANCHOR - dt.timedelta(days=3650), True, "approved", "active", {})
              for name, title in ORGS.items()]
    packages, members, package_tags, resources, states = [], [], [], [], []
    classes: Counter = Counter()
    names: set[str] = set()
    for i in range(n):
        topic, org, topic_tags, unit = rng.choice(TOPICS)
        breakdown = rng.choice(BREAKDOWNS)
        year = rng.randint(2015, 2025)
        if rng.random() < 0.15:
            level, codes, wilayah = "kabupaten", ["35.14"], "Kabupaten Pasuruan"
        else:
            picked = rng.sample(kec, rng.choice([1, 1, 1, 2, 3]))
            level, codes = "kecamatan", sorted(c for c, _ in picked)
            wilayah = "Kecamatan " + ", ".join(name for _, name in picked)
        title = " ".join(p for p in (topic, breakdown, "di", wilayah, "Tahun", str(year)) if p)
        base = slug(f"{topic} {breakdown} {wilayah.replace('Kecamatan ', '')} {year}")[:90]
        name, k = base, 1
        while name in names:
            k += 1
            name = f"{base}-{k}"
        names.add(name)
        created = min(dt.datetime(min(year + 1, 2025), 1, 1)
                      + dt.timedelta(seconds=rng.randint(0, 365 * 86400), microseconds=rng.randint(0, 999_999)),
                      ANCHOR - dt.timedelta(days=30))
        # Clamped at the anchor, each still a distinct instant with microseconds, as CKAN's own timestamps are:
        # a whole-second metadata_modified never matches its index copy (CKAN compares 22 characters), so
        # package_show would re-validate those datasets every time (no catalogue CKAN writes has them).
        modified = min(created + dt.timedelta(seconds=rng.randint(0, 500 * 86400),
                                              microseconds=rng.randint(0, 999_999)),
                       ANCHOR - dt.timedelta(microseconds=1 + i % 999_999))
        roll = rng.random()
        if roll < 0.05:
            cls, private, akses, state = "draft", True, "terbuka", rng.choice(["draft", "diajukan"])
        elif roll < 0.08:
            cls, private, akses, state = "rahasia", True, "rahasia", "terbit"
        elif roll < 0.085:
            cls, private, akses, state = "rahasia_public", False, "rahasia", "terbit"
        else:
            cls, private, state = "public", False, "terbit"
            akses = "terbatas" if rng.random() < 0.1 else "terbuka"
        classes[cls] += 1
        contact = rng.choice(CONTACTS)
        freq = rng.choice(FREKUENSI)
        notes = (f"Data {topic.lower()} {breakdown.lower() + ' ' if breakdown else ''}di {wilayah} tahun {year}. "
                 f"Dihimpun oleh {ORGS[org]} sebagai bagian dari Satu Data Indonesia di Kabupaten Pasuruan; "
                 f"pembaruan terakhir bulan {rng.choice(MONTHS)} {year + 1}.")
        extras = {
            "urusan": URUSAN[org], "konsep": topic, "definisi": f"{topic} yang tercatat di {wilayah}.",
            "klasifikasi": breakdown or "Menurut wilayah", "ukuran": "Jumlah" if unit != "persen" else "Persentase",
            "satuan": SATUAN[unit], "frekuensi": freq, "tahun": str(year), "tingkat_wilayah": level,
            "kode_wilayah": json.dumps(codes), "klasifikasi_akses": akses, "data_prioritas": "tidak",
            "sumber_data": ORGS[org], "cara_pengumpulan": "kompilasi_administrasi", "kontak_nama": contact,
            "kontak_email": f"{slug(contact).replace('-', '.')}@pasuruankab.go.id",
            "variabel": json.dumps(variables(SATUAN[unit], topic, level), ensure_ascii=False),
            "kelengkapan_metadata": "90",
        }
        pid = new_id()
        packages.append((pid, name, title, None, None, None, None, None, None, notes,
                         "cc-by" if rng.random() < 0.7 else "odc-odbl", "dataset", org_ids[org], None, created,
                         modified, private, "active", extras))
        members.append((new_id(), "package", pid, "organization", org_ids[org], "active"))
        states.append((pid, state, modified, modified if state == "terbit" else None))
        for t in list(dict.fromkeys(topic_tags + ["satu-data"])):
            package_tags.append((new_id(), pid, tag_ids[t], "active"))
        for pos in range(rng.randint(1, 3)):
            fmt = rng.choices(fmt_names, fmt_weights)[0]
            rid = new_id()
            label = ["Tabel", "Lampiran", "Rekapitulasi"][pos]
            resources.append((
                rid, pid, f"https://satudata.pasuruankab.go.id/dataset/{pid}/resource/{rid}/download/"
                f"{name[:60]}.{fmt.lower()}", fmt, f"{label} {topic.lower()} {wilayah} tahun {year} ({fmt}).",
                None, pos, f"{label} {title}", None, mimetypes[fmt], None, rng.randint(2_000, 5_000_000),
                created, modified, modified, None, None, None, None, "active"))

    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        t = time.perf_counter()
        copy_rows(cur, '"group"', ["id", "name", "title", "type", "description", "image_url", "created",
                                   "is_organization", "approval_status", "state", "extras"], groups)
        copy_rows(cur, "tag", ["id", "name", "vocabulary_id"], [(tag_ids[t], t, None) for t in tag_names])
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
        copy_rows(cur, "satudata_workflow.dataset_state", ["package_id", "state", "updated", "published"], states)
        conn.commit()
        log(f"loaded {len(packages)} datasets ({dict(classes)}), {len(resources)} resources, "
            f"{len(package_tags)} tags, {len(groups)} organisations in {time.perf_counter() - t:.1f}s")
    vacuum(url, ["package", "resource", "package_tag", "member", "tag", '"group"', "satudata_workflow.dataset_state"])
    return dict(classes)


def expected_ids(url: str) -> set[str]:
    """What the catalogue must export, straight from the tables."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM package WHERE state = 'active' AND NOT private AND type IN ('dataset', "
                    "'geospasial') AND coalesce(extras ->> 'klasifikasi_akses', '') <> 'rahasia'")
        return {r[0] for r in cur.fetchall()}


def rebuild(url: str, n: int) -> float:
    log("rebuilding the search index (ckan satudata-search rebuild)")
    t = time.perf_counter()
    ckan_cli("satudata-search", "rebuild")
    elapsed = time.perf_counter() - t
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM satudata_search.document")
        indexed = cur.fetchone()[0]
    if indexed != n:
        raise SystemExit(f"index holds {indexed} documents, expected {n}")
    vacuum(url, ["satudata_search.document"])
    log(f"rebuild: {n} datasets in {elapsed:.1f}s = {n / elapsed:.1f} datasets/s")
    return elapsed


# --- the server ----------------------------------------------------------------------------------------

def proc_status_mib(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_rss_peak(pid: int) -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0): the export gets its own peak.
    Path(f"/proc/{pid}/clear_refs").write_text("5")


class Server:
    """``ckan run`` without the reloader (so the child is the serving process), single-threaded."""

    def __init__(self, port: int, log_path: Path):
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        with open(log_path, "wb") as out:
            self.proc = subprocess.Popen([str(CKAN_CLI), "-c", str(INI), "run", "-H", "127.0.0.1", "-p", str(port),
                                          "-r"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"ckan run exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                if requests.get(self.url + "/api/3/action/status_show", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"ckan run did not answer on {self.url} in {START_TIMEOUT}s:\n{self.tail()}")
            time.sleep(0.3)
        log(f"server pid {self.proc.pid} on {self.url}, RSS {self.rss():.0f} MiB")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss(self) -> float:
        return proc_status_mib(self.pid, "VmRSS")

    def peak(self) -> float:
        return proc_status_mib(self.pid, "VmHWM")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# --- the export ----------------------------------------------------------------------------------------

@dataclass
class Export:
    fmt: str
    times_ms: list[float] = field(default_factory=list)  # every non-empty page, in order
    counts: list[int] = field(default_factory=list)
    bytes: int = 0
    ids: set[str] = field(default_factory=set)
    repeats: int = 0
    rss_warm: float = 0.0
    peak: float = 0.0
    rss_after: float = 0.0
    rss_by_page: list[float] = field(default_factory=list)
    first_graph: Graph | None = None

    @property
    def exported(self) -> int:
        return sum(self.counts)


def fetch_page(session: requests.Session, server: Server, fmt: str, page: int) -> tuple[float, bytes]:
    t = time.perf_counter()
    resp = session.get(f"{server.url}/catalog.{fmt}", params={"page": page}, timeout=600)
    elapsed = (time.perf_counter() - t) * 1000
    if resp.status_code != 200:
        raise SystemExit(f"/catalog.{fmt}?page={page}: HTTP {resp.status_code}\n{resp.text[:2000]}\n{server.tail()}")
    return elapsed, resp.content


def datasets_in(body: bytes, fmt: str) -> tuple[Graph, list[str]]:
    graph = Graph().parse(data=body, format=RDF_FORMATS[fmt])
    return graph, [str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)]


def export(server: Server, fmt: str, keep_first: bool = False) -> Export:
    session = requests.Session()
    warm_ms, body = fetch_page(session, server, fmt, 1)
    datasets_in(body, fmt)
    result = Export(fmt, rss_warm=server.rss())
    log(f"{fmt}: warm-up page 1 in {warm_ms:.0f} ms; RSS {result.rss_warm:.0f} MiB (VmHWM {server.peak():.0f} "
        "MiB since start, reset now)")
    reset_rss_peak(server.pid)
    page = 1
    while True:
        elapsed, body = fetch_page(session, server, fmt, page)
        graph, subjects = datasets_in(body, fmt)
        if not subjects:
            break
        result.times_ms.append(elapsed)
        result.counts.append(len(subjects))
        result.bytes += len(body)
        result.repeats += sum(1 for s in subjects if s in result.ids)
        result.ids.update(subjects)
        result.rss_by_page.append(server.rss())
        if page == 1 and keep_first:
            result.first_graph = graph
        if page % 20 == 0:
            log(f"{fmt}: page {page}: {elapsed:.0f} ms, {len(subjects)} datasets, RSS {result.rss_by_page[-1]:.0f} "
                f"MiB, peak {server.peak():.0f} MiB")
        page += 1
    result.peak = server.peak()
    result.rss_after = server.rss()
    session.close()
    return result


def check(result: Export, expected: set[str]) -> None:
    exported = {uri.rstrip("/").rsplit("/", 1)[-1] for uri in result.ids}
    if result.repeats or exported != expected or result.exported != len(expected):
        raise SystemExit(f"{result.fmt}: exported {result.exported} dataset nodes ({len(exported)} distinct, "
                         f"{result.repeats} repeated), expected {len(expected)}; missing "
                         f"{sorted(expected - exported)[:5]}, unexpected {sorted(exported - expected)[:5]}")


def row(n: int, result: Export) -> dict[str, str]:
    seconds = sum(result.times_ms) / 1000
    return {"datasets": n, "format": result.fmt, "exported": result.exported, "pages": len(result.times_ms),
            "seconds": f"{seconds:.1f}", "datasets_per_s": f"{result.exported / seconds:.0f}",
            "page_p50_ms": f"{pct(result.times_ms, 50):.0f}", "page_p95_ms": f"{pct(result.times_ms, 95):.0f}",
            "page_max_ms": f"{max(result.times_ms):.0f}", "first_page_ms": f"{result.times_ms[0]:.0f}",
            "last_page_ms": f"{result.times_ms[-1]:.0f}", "rss_warm_mb": f"{result.rss_warm:.0f}",
            "peak_rss_mb": f"{result.peak:.0f}", "rss_after_mb": f"{result.rss_after:.0f}"}


def validate_page(graph: Graph, shapes: str) -> str:
    from ckanext.satudatapasuruan.dcat.validation import validate
    t = time.perf_counter()
    report = validate(graph, shapes)
    for (severity, path, message), count in report.details.most_common(8):
        log(f"  {severity} x{count}: {path} {message}")
    for message in report.messages[:10]:
        log(f"  violation: {message}")
    summary = (f"SHACL (DCAT-AP 3.0.1, strict, recommended shapes as warnings) on page 1 "
               f"({len(graph)} triples): {report.violations} violations, {report.warnings} warnings, "
               f"{report.infos} infos ({time.perf_counter() - t:.0f}s)")
    log(summary)
    if report.violations:
        raise SystemExit(summary)
    return summary


# --- report --------------------------------------------------------------------------------------------

def write_results(n: int, rows: list[dict], notes: list[str], meta: str) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    single = (f"# DCAT export benchmark, {n} datasets\n\n{markdown_table(COLUMNS, rows)}\n\n"
              + "".join(f"- {note}\n" for note in notes) + f"\n{meta}\n")
    (RESULTS / f"dcat-{n}.md").write_text(single)
    # Combined table: every row of every per-N file, then the peak-memory ratio of the ttl exports.
    found, metas = [], []
    for path in RESULTS.glob("dcat-*.md"):
        text = path.read_text()
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == len(COLUMNS) and cells[0].isdigit():
                found.append(dict(zip(COLUMNS, cells, strict=True)))
        size = int(path.stem.split("-")[1])
        metas.extend((size, ln.removeprefix("- ")) for ln in text.splitlines() if ln.startswith(("Run ", "- ")))
    found.sort(key=lambda r: (int(r["datasets"]), r["format"] != "ttl", r["format"]))
    metas.sort(key=lambda m: m[0])
    ttl = [r for r in found if r["format"] == "ttl"]
    ratio = ""
    if len(ttl) > 1:
        lo, hi = ttl[0], ttl[-1]
        ratio = (f"Peak server RSS, {hi['datasets']} vs {lo['datasets']} datasets (ttl): {hi['peak_rss_mb']} / "
                 f"{lo['peak_rss_mb']} MiB = {float(hi['peak_rss_mb']) / float(lo['peak_rss_mb']):.2f}; "
                 f"first/last page ms {lo['first_page_ms']}/{lo['last_page_ms']} vs "
                 f"{hi['first_page_ms']}/{hi['last_page_ms']}.\n\n")
    combined = ("# DCAT export benchmark (bench/dcat.py)\n\n" + markdown_table(COLUMNS, found) + "\n\n" + ratio
                + "\n".join(f"- {size}: {m}" for size, m in metas) + "\n")
    (RESULTS / "dcat.md").write_text(combined)
    return single


def run_size(n: int, args, urls: tuple[str, str], largest: bool) -> None:
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    create_databases(*urls)
    classes = generate(urls[0], n)
    rebuild_s = rebuild(urls[0], n)
    expected = expected_ids(urls[0])
    log(f"expected in the catalogue: {len(expected)} of {n} (public, not rahasia)")
    notes = [f"catalogue: {n} datasets = {classes.get('public', 0)} public (exported), {classes.get('draft', 0)} "
             f"drafts (private), {classes.get('rahasia', 0)} rahasia (private), {classes.get('rahasia_public', 0)} "
             f"rahasia left public (dropped by the catalogue's guard); index rebuild {rebuild_s:.0f}s"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-dcat-") as tmp:
        server = Server(args.port, Path(tmp) / "server.log")
        try:
            formats = ["ttl"] + (["jsonld"] if args.jsonld and largest else [])
            for fmt in formats:
                result = export(server, fmt, keep_first=bool(args.validate and largest and fmt == "ttl"))
                check(result, expected)
                rows.append(row(n, result))
                log(f"{fmt}: {result.exported} datasets in {len(result.times_ms)} pages, "
                    f"{sum(result.times_ms) / 1000:.1f}s, {result.bytes / 2**20:.1f} MiB of {fmt}; RSS warm "
                    f"{result.rss_warm:.0f}, peak {result.peak:.0f}, after {result.rss_after:.0f} MiB; RSS after "
                    f"page 1 / middle / last: {result.rss_by_page[0]:.0f} / "
                    f"{result.rss_by_page[len(result.rss_by_page) // 2]:.0f} / {result.rss_by_page[-1]:.0f} MiB")
                notes.append(f"{fmt}: {result.bytes / 2**20:.1f} MiB over {len(result.times_ms)} pages; server RSS "
                             f"after page 1 / middle / last page: {result.rss_by_page[0]:.0f} / "
                             f"{result.rss_by_page[len(result.rss_by_page) // 2]:.0f} / "
                             f"{result.rss_by_page[-1]:.0f} MiB")
                if result.first_graph is not None:
                    notes.append(validate_page(result.first_graph, args.validate))
        finally:
            server.stop()
            log(f"server pid {server.pid} stopped")
    total = time.perf_counter() - started
    meta = (f"Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; commit {revision()}; machine: {machine()}; "
            f"command: `.venv/bin/python bench/dcat.py {' '.join(sys.argv[1:])}`; server `ckan run -r` "
            f"(single process, single thread), 100 datasets a page, profiles euro_dcat_ap_3 satudata; seconds = sum "
            f"of the page requests (client-side rdflib parsing excluded); total runtime {total:.0f}s; load average "
            f"{load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end")
    print()
    print(write_results(n, rows, notes, meta))


def main() -> None:
    global _log_file
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--datasets", type=int, nargs="+", default=[1000, 10000], help="catalogue sizes")
    ap.add_argument("--jsonld", action="store_true", help="also export the largest catalogue as JSON-LD")
    ap.add_argument("--validate", metavar="SHAPES_DIR", help="SHACL-validate page 1 of the largest catalogue")
    ap.add_argument("--port", type=int, default=5081, help="loopback port (must match ckan.site_url of the ini)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases at the end")
    args = ap.parse_args()
    app = ini()
    site_url = app["ckan.site_url"].rstrip("/")
    if site_url != f"http://127.0.0.1:{args.port}":
        raise SystemExit(f"ckan.site_url of {INI.name} is {site_url}; dataset URIs need it to match --port")
    urls = (app["sqlalchemy.url"], app["ckan.datastore.write_url"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    _log_file = open(RESULTS / "dcat.log", "a")
    log(f"=== bench/dcat.py {' '.join(sys.argv[1:])}")
    sizes = sorted(args.datasets)
    try:
        for n in sizes:
            run_size(n, args, urls, largest=n == sizes[-1])
    finally:
        if not args.keep:
            drop_databases(*(dbname(u) for u in urls))
        _log_file.close()


if __name__ == "__main__":
    main()
