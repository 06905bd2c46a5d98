#!/usr/bin/env python
"""Upload benchmark of the data-entry plugin (``satudata_entry``): validate and load a file, all or nothing.

    .venv/bin/python bench/upload.py [--rows 10000 100000] [--formats csv xlsx] [--keep] [--fresh] [--profile]

1. Creates the scratch databases ``ckan_satudata_bench_upload`` and ``datastore_satudata_bench_upload``
   (config/bench-upload.ini): ``ckan db init``, ``ckan db upgrade -p satudata_pgsearch`` and
   ``-p satudata_entry``, ``ckan datastore set-permissions`` run as the PostgreSQL superuser. They are
   reused when a kept pair (``--keep``) is found, unless ``--fresh``; dropped at the end unless ``--keep``.
2. Creates an organisation, an editor and one dataset with 12 MS-Var variables of mixed types (key:
   village code + sequence number) through the real actions (``package_create`` with the SDI fields).
3. Generates, for each N, a CSV (as Excel saves it in Indonesia: BOM, ``;``, decimal comma, DD/MM/YYYY)
   and an XLSX (openpyxl write-only, as pandas and OPD applications export) of N valid rows (seed 42).
4. For each N and format, in a fresh child process: one 200-row warm-up upload, then ``satudata_upload_create``
   (mode replace, as the dataset's editor, inline: the background threshold is raised in the ini) timed end to
   end -> seconds, rows/s and the child's peak RSS (``resource.getrusage``); the upload must end ``selesai`` and
   the table must hold exactly N rows (``count(*)``); ``datastore_search``'s total (limit 0) is compared with it
   and a disagreement is reported.
5. Prints a markdown table and writes bench/results/upload.md and bench/results/upload.log.

``--profile`` runs each timed upload under cProfile and prints where the time goes instead (timings are then
inflated by the profiler, so nothing is written to bench/results).
"""
from __future__ import annotations

import argparse
import configparser
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from benchlib import machine, markdown_table, revision, su_psql

ROOT = Path(__file__).resolve().parents[1]
INI = ROOT / "config" / "bench-upload.ini"
RESULTS = ROOT / "bench" / "results"
CKAN_CLI = Path(sys.executable).with_name("ckan")
SEED = 42
WARMUP_ROWS = 200
TARGET_ROWS, TARGET_SECONDS = 100_000, 60.0
COLUMNS = ("rows", "format", "seconds", "rows_per_s", "peak_rss_mb")

ORG = "bench-dinas-kependudukan"
USER = "bench_operator"
DATASET = "bench-fasilitas-desa-2024"
VARIABLES = [
    {"alias": "kode_desa", "nama": "Kode desa/kelurahan", "tipe_data": "kode_wilayah",
     "definisi": "Kode Kemendagri desa/kelurahan", "wajib": "ya", "kunci": "ya"},
    {"alias": "no_urut", "nama": "Nomor urut", "tipe_data": "bilangan_bulat",
     "definisi": "Nomor urut fasilitas di desa", "nilai_min": "1", "wajib": "ya", "kunci": "ya"},
    {"alias": "tahun", "nama": "Tahun", "tipe_data": "tahun", "definisi": "Tahun pendataan", "wajib": "ya",
     "kunci": "tidak"},
    {"alias": "tanggal_catat", "nama": "Tanggal pencatatan", "tipe_data": "tanggal",
     "definisi": "Tanggal pencatatan", "wajib": "ya", "kunci": "tidak"},
    {"alias": "jenis_kelamin", "nama": "Jenis kelamin petugas", "tipe_data": "kategori",
     "definisi": "Jenis kelamin petugas", "klasifikasi_isian": "L=Laki-laki\nP=Perempuan", "wajib": "tidak",
     "kunci": "tidak"},
    {"alias": "jumlah_penduduk", "nama": "Jumlah penduduk dilayani", "tipe_data": "bilangan_bulat",
     "satuan": "jiwa", "definisi": "Jumlah penduduk yang dilayani", "nilai_min": "0", "wajib": "ya",
     "kunci": "tidak"},
    {"alias": "luas_lahan", "nama": "Luas lahan", "tipe_data": "desimal", "satuan": "hektare",
     "definisi": "Luas lahan fasilitas", "nilai_min": "0", "wajib": "tidak", "kunci": "tidak"},
    {"alias": "nama_fasilitas", "nama": "Nama fasilitas", "tipe_data": "teks", "definisi": "Nama fasilitas",
     "wajib": "ya", "kunci": "tidak"},
    {"alias": "lintang", "nama": "Lintang", "tipe_data": "lintang", "definisi": "Lintang lokasi",
     "wajib": "tidak", "kunci": "tidak"},
    {"alias": "bujur", "nama": "Bujur", "tipe_data": "bujur", "definisi": "Bujur lokasi", "wajib": "tidak",
     "kunci": "tidak"},
    {"alias": "aktif", "nama": "Aktif", "tipe_data": "ya_tidak", "definisi": "Fasilitas masih beroperasi",
     "wajib": "tidak", "kunci": "tidak"},
    {"alias": "keterangan", "nama": "Keterangan", "tipe_data": "teks", "definisi": "Catatan petugas",
     "wajib": "tidak", "kunci": "tidak"},
]
HEADER = [v["alias"] for v in VARIABLES]

_log_file: TextIO | None = None


def log(msg: str) -> None:
    line = f"[{dt.datetime.now():%H:%M:%S}] {msg}"
    print(line, flush=True)
    if _log_file:
        _log_file.write(line + "\n")
        _log_file.flush()


# --- databases --------------------------------------------------------------------------------------------

def ini_urls() -> tuple[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(INI)
    app = parser["app:main"]
    return app["sqlalchemy.url"], app["ckan.datastore.write_url"]


def dbname(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0]


def ckan_cli(*args: str) -> str:
    proc = subprocess.run([str(CKAN_CLI), "-c", str(INI), *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"ckan {' '.join(args)} failed ({proc.returncode})")
    return proc.stdout


def databases_ready(catalogue: str, datastore: str) -> bool:
    """Both scratch databases exist, migrated, with the DataStore permissions set."""
    names = su_psql(f"SELECT datname FROM pg_database WHERE datname IN ('{catalogue}', '{datastore}')").split()
    if sorted(names) != sorted([catalogue, datastore]):
        return False
    return (su_psql("SELECT to_regclass('satudata.upload') IS NOT NULL", db=catalogue) == "t"
            and su_psql("SELECT to_regclass('public._table_metadata') IS NOT NULL", db=datastore) == "t")


def create_databases(catalogue: str, datastore: str, owner: str) -> None:
    for name in (catalogue, datastore):
        log(f"creating database {name}")
        su_psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        su_psql(f'CREATE DATABASE "{name}" OWNER "{owner}" ENCODING \'UTF8\' TEMPLATE template0')
    log("ckan db init; db upgrade -p satudata_pgsearch, -p satudata_entry")
    ckan_cli("db", "init")
    ckan_cli("db", "upgrade", "-p", "satudata_pgsearch")
    ckan_cli("db", "upgrade", "-p", "satudata_entry")
    log("ckan datastore set-permissions | psql (superuser)")
    su_psql(script=ckan_cli("datastore", "set-permissions"))


def drop_databases(*names: str) -> None:
    for name in names:
        su_psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    log(f"dropped {', '.join(names)}")


# --- catalogue objects --------------------------------------------------------------------------------------

def load_app():
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    return make_app(load_config(str(INI)))._wsgi_app


def dataset_dict(org_id: str) -> dict[str, Any]:
    """A dataset with every SDI field filled validly (as tests/metadata/conftest.py::complete_dataset)."""
    return {
        "name": DATASET,
        "title": "Fasilitas Pelayanan per Desa/Kelurahan 2024 (uji beban)",
        "notes": "Daftar fasilitas pelayanan menurut desa/kelurahan, dibuat oleh bench/upload.py.",
        "owner_org": org_id,
        "urusan": "2.12",
        "tag_string": "penduduk,kependudukan",
        "konsep": "Fasilitas pelayanan",
        "definisi": "Tempat pelayanan masyarakat yang dikelola pemerintah daerah.",
        "klasifikasi": "Menurut desa/kelurahan",
        "ukuran": "Jumlah",
        "satuan": "unit",
        "kode_standar_data": "SP00055.00.00",
        "frekuensi": "tahunan",
        "tahun": "2024",
        "tingkat_wilayah": "kecamatan",
        "kode_wilayah": [f"35.14.{n:02d}" for n in range(1, 25)],
        "klasifikasi_akses": "terbuka",
        "data_prioritas": "tidak",
        "sumber_data": "Dinas Kependudukan dan Pencatatan Sipil",
        "cara_pengumpulan": "kompilasi_administrasi",
        "kontak_nama": "Siti Aminah",
        "kontak_email": "data@dispendukcapil.pasuruankab.go.id",
        "variabel": VARIABLES,
        "indikator": [{"nama": "Rasio penduduk per fasilitas", "dibangun_dari": "jumlah_penduduk",
                       "satuan": "jiwa", "komposit": "ya"}],
    }


def ensure_catalogue() -> None:
    """Organisation, editor and dataset, created through the actions (reused when already there)."""
    from ckan import model
    from ckan.plugins import toolkit as tk

    site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    try:
        tk.get_action("user_show")(dict(site), {"id": USER})
    except tk.ObjectNotFound:
        tk.get_action("user_create")(dict(site), {"name": USER, "email": f"{USER}@pasuruankab.test",
                                                  "password": "bench-operator-password"})
    try:
        org = tk.get_action("organization_show")(dict(site), {"id": ORG})
    except tk.ObjectNotFound:
        org = tk.get_action("organization_create")(dict(site), {
            "name": ORG, "title": "Dinas Kependudukan dan Pencatatan Sipil (uji beban)",
            "users": [{"name": USER, "capacity": "editor"}]})
    try:
        pkg = tk.get_action("package_show")(dict(site), {"id": DATASET})
        if [v["alias"] for v in pkg.get("variabel") or []] != HEADER:
            raise SystemExit(f"{DATASET} exists with other variables; run with --fresh")
        log(f"reusing dataset {DATASET}")
    except tk.ObjectNotFound:
        pkg = tk.get_action("package_create")({"user": USER}, dataset_dict(org["id"]))
        log(f"created dataset {DATASET} ({len(pkg['variabel'])} variables) in {ORG}, editor {USER}")
    model.Session.remove()


# --- files ------------------------------------------------------------------------------------------------

def village_codes() -> list[str]:
    from ckanext.satudatapasuruan import refdata
    return [e.code for e in refdata.entries("wilayah") if e.code.count(".") == 3]


def generate_rows(count: int, codes: list[str]):
    """N valid rows; the key (village, sequence number within the village) is unique."""
    rnd = random.Random(SEED)
    start = dt.date(2024, 1, 1)
    for i in range(count):
        yield [
            codes[i % len(codes)],
            i // len(codes) + 1,
            2024,
            start + dt.timedelta(days=i % 366),
            rnd.choice("LP"),
            rnd.randint(0, 250_000),
            round(rnd.uniform(0, 5000), 2),
            f"Fasilitas {rnd.choice(['Sehat', 'Makmur', 'Sejahtera', 'Mandiri'])} {i + 1}",
            round(rnd.uniform(-8.2, -7.55), 6),
            round(rnd.uniform(112.6, 113.1), 6),
            rnd.choice(["ya", "tidak"]),
            rnd.choice(["", "", "", "catatan lapangan", "perlu verifikasi ulang"]),
        ]


def write_csv(path: Path, count: int, codes: list[str]) -> None:
    """As Excel saves "CSV UTF-8" on an Indonesian Windows: BOM, semicolons, decimal comma, DD/MM/YYYY."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write(";".join(HEADER) + "\r\n")
        for row in generate_rows(count, codes):
            row[3] = row[3].strftime("%d/%m/%Y")
            for i in (6, 8, 9):
                row[i] = str(row[i]).replace(".", ",")
            fh.write(";".join(str(v) for v in row) + "\r\n")


def write_xlsx(path: Path, count: int, codes: list[str]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(HEADER)
    for row in generate_rows(count, codes):
        sheet.append([v if v != "" else None for v in row])
    workbook.save(path)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


# --- one measurement (child process) ------------------------------------------------------------------------

def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def upload_file(path: Path) -> dict[str, Any]:
    from ckan import model
    from ckan.plugins import toolkit as tk
    from werkzeug.datastructures import FileStorage

    with path.open("rb") as fh:
        record = tk.get_action("satudata_upload_create")({"user": USER}, {
            "id": DATASET, "mode": "replace", "upload": FileStorage(fh, filename=path.name)})
    model.Session.remove()
    return record


def child(path: Path, warmup: Path, rows: int, profile: bool) -> None:
    """Warm up, time one upload, check the table; print the figures as one JSON line."""
    import cProfile
    import io
    import pstats

    import sqlalchemy as sa
    from ckan.plugins import toolkit as tk
    from ckanext.datastore.backend.postgres import get_write_engine

    from ckanext.satudatapasuruan.entry import uploads

    app = load_app()
    with app.test_request_context():
        record = upload_file(warmup)
        if record["state"] != "selesai":
            raise SystemExit(f"warm-up upload ended {record['state']}: {record['message']} {record['errors'][:3]}")
        rss_before = maxrss_mib()

        # State changes (memeriksa -> memuat -> selesai) split the time into phases.
        marks: list[tuple[str, float]] = []
        update = uploads.update

        def timed_update(upload_id: str, **values: Any) -> None:
            if "state" in values:
                marks.append((uploads.State(values["state"]).value, time.perf_counter()))
            update(upload_id, **values)

        uploads.update = timed_update
        profiler = cProfile.Profile() if profile else None
        cpu = time.process_time()
        started = time.perf_counter()
        try:
            if profiler:
                profiler.enable()
            record = upload_file(path)
            if profiler:
                profiler.disable()
        finally:
            uploads.update = update
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        peak = maxrss_mib()

        if record["state"] != "selesai" or record["rows_total"] != rows:
            raise SystemExit(f"upload ended {record['state']} with {record['rows_total']} rows: {record['message']} "
                             f"{record['errors'][:3]}")
        total = tk.get_action("datastore_search")({"user": USER}, {"resource_id": record["resource_id"],
                                                                   "limit": 0})["total"]
        # datastore_search without filters answers from the DataStore's row-count cache (_table_stats); the
        # table itself is counted too, so a stale cache shows as a disagreement rather than a wrong count.
        with get_write_engine().connect() as conn:
            counted = conn.execute(sa.text(f'SELECT count(*) FROM "{record["resource_id"]}"')).scalar()
    # save+record (until memeriksa), validate+stage (until memuat), load (until selesai), finish (resource_patch)
    names = {"memeriksa": "save", "memuat": "validate", "selesai": "load"}
    phases, last = {}, started
    for state, at in marks:
        phases[names.get(state, state)] = round(at - last, 2)
        last = at
    phases["finish"] = round(started + seconds - last, 2)
    out = {"rows": rows, "seconds": seconds, "cpu_seconds": cpu, "rss_before_mib": rss_before,
           "peak_rss_mib": peak, "datastore_total": total, "counted": counted, "phases": phases}
    if profiler:
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).strip_dirs()
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
        out["profile"] = text.getvalue()
    print(json.dumps(out))


def run_child(path: Path, warmup: Path, rows: int, profile: bool) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(path), "--warmup", str(warmup), "--rows", str(rows)]
    proc = subprocess.run(cmd + (["--profile"] if profile else []), capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        sys.stderr.write(proc.stderr[-5000:] + proc.stdout[-2000:])
        raise SystemExit(f"measurement of {path.name} failed ({proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- report -------------------------------------------------------------------------------------------------

def table(rows: list[dict[str, Any]]) -> str:
    return markdown_table(COLUMNS, rows)


def notes(results: list[dict[str, Any]]) -> list[str]:
    """Target check and memory growth from the smallest to the largest file, per format."""
    out = []
    for r in results:
        if r["rows"] == TARGET_ROWS:
            verdict = "met" if r["seconds"] <= TARGET_SECONDS else "MISSED"
            out.append(f"Target {TARGET_ROWS:,} rows in <= {TARGET_SECONDS:.0f} s, {r['format']}: "
                       f"{r['seconds']:.1f} s, {verdict}.")
    stale = [f"{r['rows']:,} {r['format']} (total {r['datastore_total']:,})" for r in results
             if r["datastore_total"] != r["rows"]]
    if stale:
        out.append("Every table held exactly its N rows (count(*)), but `datastore_search` (limit 0) reported a "
                   f"stale total after: {', '.join(stale)}. The loader writes with plain SQL and does not clear "
                   "the DataStore's cached row count (`_table_stats`).")
    for fmt in dict.fromkeys(r["format"] for r in results):
        runs = sorted((r for r in results if r["format"] == fmt), key=lambda r: r["rows"])
        if len(runs) > 1:
            small, big = runs[0], runs[-1]
            grow = (big["peak_rss_mib"] - big["rss_before_mib"]) - (small["peak_rss_mib"] - small["rss_before_mib"])
            out.append(f"Memory, {fmt}: peak RSS {small['peak_rss_mib']:.0f} MiB at {small['rows']:,} rows, "
                       f"{big['peak_rss_mib']:.0f} MiB at {big['rows']:,} rows (x{big['rows'] // small['rows']} "
                       f"rows, x{big['peak_rss_mib'] / small['peak_rss_mib']:.2f} peak RSS; growth during the "
                       f"timed upload {grow:+.0f} MiB more at {big['rows']:,}).")
    return out


# --- main ---------------------------------------------------------------------------------------------------

def main() -> None:
    global _log_file
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000], help="file sizes (data rows)")
    ap.add_argument("--formats", nargs="+", choices=sorted(WRITERS), default=["csv", "xlsx"])
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases (reused by the next run)")
    ap.add_argument("--fresh", action="store_true", help="recreate the scratch databases even if kept ones exist")
    ap.add_argument("--profile", action="store_true", help="profile each timed upload; writes no results")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--warmup", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.warmup, args.rows[0], args.profile)

    started = time.perf_counter()
    load_start = os.getloadavg()
    if not args.profile:
        RESULTS.mkdir(parents=True, exist_ok=True)
        _log_file = (RESULTS / "upload.log").open("w")
    rev = revision()
    catalogue_url, datastore_url = ini_urls()
    catalogue, datastore = dbname(catalogue_url), dbname(datastore_url)
    owner = catalogue_url.split("//", 1)[1].split(":", 1)[0]
    log(f"load average at start {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}")

    if not args.fresh and databases_ready(catalogue, datastore):
        log(f"reusing {catalogue} and {datastore}; migrating")
        ckan_cli("db", "upgrade", "-p", "satudata_pgsearch")
        ckan_cli("db", "upgrade", "-p", "satudata_entry")
    else:
        create_databases(catalogue, datastore, owner)
    app = load_app()
    with app.test_request_context():
        ensure_catalogue()

    workdir = Path(tempfile.mkdtemp(prefix="satudata-bench-upload-"))
    results = []
    try:
        codes = village_codes()
        files: dict[tuple[int, str], Path] = {}
        warmups: dict[str, Path] = {}
        for fmt in args.formats:
            warmups[fmt] = workdir / f"warmup.{fmt}"
            WRITERS[fmt](warmups[fmt], WARMUP_ROWS, codes)
            for n in args.rows:
                path = files[n, fmt] = workdir / f"data-{n}.{fmt}"
                t = time.perf_counter()
                WRITERS[fmt](path, n, codes)
                log(f"generated {path.name}: {n:,} rows x {len(HEADER)} columns, "
                    f"{path.stat().st_size / 1e6:.1f} MB, in {time.perf_counter() - t:.1f} s")

        for n in args.rows:
            for fmt in args.formats:
                log(f"uploading {n:,} rows, {fmt}")
                r = run_child(files[n, fmt], warmups[fmt], n, args.profile)
                if r["counted"] != n:
                    raise SystemExit(f"the DataStore table holds {r['counted']} rows, expected {n}")
                r.update(format=fmt, rows_per_s=f"{n / r['seconds']:.0f}")
                results.append(r)
                log(f"  {r['seconds']:.1f} s ({r['rows_per_s']} rows/s), CPU {r['cpu_seconds']:.1f} s in the "
                    f"client; phases {r['phases']}; peak RSS {r['peak_rss_mib']:.0f} MiB "
                    f"({r['rss_before_mib']:.0f} before the timed upload); table holds {r['counted']:,} rows")
                if r["datastore_total"] != n:
                    log(f"  WARNING: datastore_search reports total {r['datastore_total']:,}, the table holds "
                        f"{n:,}: the DataStore's cached row count (_table_stats) was not cleared by the load")
                if args.profile:
                    print(r["profile"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        from ckan import model
        model.Session.remove()
        model.meta.engine.dispose()
        if not args.keep:
            drop_databases(catalogue, datastore)

    rows = [dict(r, seconds=f"{r['seconds']:.1f}", peak_rss_mb=f"{r['peak_rss_mib']:.0f}") for r in results]
    load_end = os.getloadavg()
    meta = (f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; commit {rev}; machine: {machine()}; "
            f"command: `.venv/bin/python bench/upload.py {' '.join(sys.argv[1:])}`; "
            f"total runtime {time.perf_counter() - started:.0f}s; load average (1/5/15 min) "
            f"{' '.join(f'{x:.2f}' for x in load_start)} at start, {' '.join(f'{x:.2f}' for x in load_end)} at end")
    report = (f"# Upload benchmark (bench/upload.py)\n\n{len(HEADER)}-column file, validated against the "
              "dataset's MS-Var variables and loaded into its DataStore table (mode replace), "
              "`satudata_upload_create` end to end; peak RSS of the uploading process.\n\n"
              f"{table(rows)}\n\n" + "".join(f"- {line}\n" for line in notes(results)) + f"- {meta}\n")
    print()
    print(report)
    if _log_file:
        _log_file.write("\n" + report)
    if not args.profile:
        (RESULTS / "upload.md").write_text(report)
        log(f"wrote {RESULTS / 'upload.md'}")


if __name__ == "__main__":
    main()
