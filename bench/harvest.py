#!/usr/bin/env python
"""Harvest benchmark of the OPD application harvester (``satudata_opd``) on ckanext-harvest's real queue.

    .venv/bin/python bench/harvest.py [--records 1000 10000] [--fetch-consumers 2] [--changed 0.01]
                                      [--trusted 1000] [--keep] [--profile]

For each N in ``--records``:

1. (Re)creates the scratch databases ``ckan_satudata_bench_harvest`` and ``datastore_satudata_bench_harvest``
   (config/bench-harvest.ini): ``ckan db init``, ``db upgrade`` of satudata_pgsearch, activity, harvest,
   satudata_harvest and satudata_workflow, ``datastore set-permissions`` as the PostgreSQL superuser.
2. Starts the loopback OPD application server (``python -m ckanext.satudatapasuruan.harvesters.opdserver
   --records N``) in a child process and registers the shipped BPKAD SIPD source
   (``harvesters/sources/bpkad-realisasi-anggaran.json``: bearer token, 100 records a page, every record a
   dataset plus its rincian rows in a DataStore table) through ``harvest_source_create`` for its OPD.
3. Starts the consumers as a deployment does: ``ckan harvester gather-consumer`` and ``--fetch-consumers``
   ``ckan harvester fetch-consumer`` processes, on the Redis db of the ini (purged first).
4. Runs, each as ``harvest_job_create`` (onto the gather queue) until every object of the job is COMPLETE or
   ERROR, then ``harvest_jobs_run`` marks it Finished: a full harvest (every record new: drafts, the default
   policy), a no-change re-harvest (every page a 304), and a re-harvest with ``--changed`` of the records
   changed at the server. The wall time runs from ``harvest_job_create`` to Finished; gather is the job's
   gather_started..gather_finished, import is gather_finished..the last object's import_finished (the
   fetch consumers start on the first object only once gather has queued them all). Peak RSS is each
   consumer's high-water mark (VmHWM, reset before each run).
5. With ``--trusted N``, the same first harvest of N records again on fresh databases with the source allowed
   to publish directly (``satudata_harvest_policy_set``): datasets pass through the workflow to ``terbit``.

Checks after each run: no gather or object errors, the expected number of added/updated objects, and after the
first run exactly N active datasets and N DataStore tables. Results: bench/results/harvest-<N>.md (one table
per N), the combined bench/results/harvest.md, and bench/results/harvest.log.

``--profile`` runs the first harvest in this process instead (queue.gather_stage and fetch_and_import_stages,
as tests/harvesters/opd/test_harvest.py does) under pyinstrument and prints where the time goes; it writes
no results.
"""
from __future__ import annotations

import argparse
import configparser
import cProfile
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from benchlib import machine, markdown_table, revision, su_psql

ROOT = Path(__file__).resolve().parents[1]
INI = ROOT / "config" / "bench-harvest.ini"
RESULTS = ROOT / "bench" / "results"
CKAN_CLI = Path(sys.executable).with_name("ckan")
SOURCE = "bpkad-realisasi-anggaran"
SYSTEM = "sipd"
TOKEN = "bench-sipd-token"
SEED = 42
TARGET_RECORDS, TARGET_FULL_S, TARGET_NOCHANGE_S = 10_000, 300.0, 60.0
COLUMNS = ("records", "run", "policy", "seconds", "records_per_s", "gather_s", "import_s", "imported",
           "consumer_cpu_ms_per_imported", "consumer_peak_rss_mb", "gather_peak_rss_mb")
MIGRATIONS = ("satudata_pgsearch", "activity", "harvest", "satudata_harvest", "satudata_workflow")
PENDING = ("WAITING", "FETCH", "IMPORT")

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


def create_databases(catalogue: str, datastore: str, owner: str) -> None:
    for name in (catalogue, datastore):
        su_psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        su_psql(f'CREATE DATABASE "{name}" OWNER "{owner}" ENCODING \'UTF8\' TEMPLATE template0')
    su_psql("CREATE SCHEMA IF NOT EXISTS postgis AUTHORIZATION ckan_satudata; "
            "CREATE EXTENSION IF NOT EXISTS postgis SCHEMA postgis; CREATE EXTENSION IF NOT EXISTS unaccent;",
            db=catalogue)
    # CKAN's DataStore creates its "nested" type on first use; two fetch consumers racing to do it on a fresh
    # database make one fail (DuplicateObject) and the consumer exit. Made here as CKAN would make it.
    su_psql('CREATE TYPE "nested" AS (json json, extra text); ALTER TYPE "nested" OWNER TO "ckan_satudata"',
            db=datastore)
    ckan_cli("db", "init")
    for plugin in MIGRATIONS:
        ckan_cli("db", "upgrade", "-p", plugin)
    su_psql(script=ckan_cli("datastore", "set-permissions"))
    log(f"created {catalogue} and {datastore}: db init, db upgrade -p {', -p '.join(MIGRATIONS)}, "
        "datastore set-permissions")


def drop_databases(*names: str) -> None:
    for name in names:
        su_psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    log(f"dropped {', '.join(names)}")


# --- processes --------------------------------------------------------------------------------------------

def rss_peak_mib(pid: int) -> float:
    """The process's resident set high-water mark (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far (/proc/PID/stat, clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_rss_peak(pid: int) -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0), so each run has its own peak.
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        pass


class Consumers:
    """``ckan harvester gather-consumer`` and N ``fetch-consumer`` processes, logging to files."""

    def __init__(self, fetchers: int, logdir: Path):
        self.fetchers, self.logdir = fetchers, logdir
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        ckan_cli("harvester", "purge-queues")
        names = ["gather-consumer"] + [f"fetch-consumer-{i}" for i in range(1, self.fetchers + 1)]
        for name in names:
            out = (self.logdir / f"{name}.log").open("w")
            command = name.rsplit("-", 1)[0] if name.startswith("fetch") else name
            self.procs[name] = subprocess.Popen([str(CKAN_CLI), "-c", str(INI), "harvester", command],
                                                stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        time.sleep(8)  # loading CKAN and the plugins
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise SystemExit(f"{name} exited ({proc.returncode}): {(self.logdir / f'{name}.log').read_text()}")

    def reset_peaks(self) -> None:
        for proc in self.procs.values():
            reset_rss_peak(proc.pid)

    def peaks(self) -> dict[str, float]:
        return {name: rss_peak_mib(proc.pid) for name, proc in self.procs.items()}

    def cpu(self) -> float:
        return sum(cpu_seconds(proc.pid) for proc in self.procs.values())

    def check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                tail = (self.logdir / f"{name}.log").read_text()[-3000:]
                raise SystemExit(f"{name} died ({proc.returncode}):\n{tail}")

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs = {}


# --- catalogue ------------------------------------------------------------------------------------------

def load_app():
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    return make_app(load_config(str(INI)))._wsgi_app


def site() -> dict[str, Any]:
    from ckan.plugins import toolkit as tk
    return {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}


def register_source(server_url: str, trusted: bool) -> dict[str, Any]:
    from ckan.plugins import toolkit as tk

    from ckanext.satudatapasuruan.harvesters import sources

    owner = sources.definition(SOURCE)["owner_org"]
    tk.get_action("organization_create")(site(), {"name": owner, "title": "Badan Pengelolaan Keuangan dan Aset "
                                                                          "Daerah (uji beban)"})
    source = tk.get_action("harvest_source_create")(site(), sources.load(SOURCE, server_url, {"BPKAD_TOKEN": TOKEN}))
    if trusted:
        tk.get_action("satudata_harvest_policy_set")(site(), {"source_id": source["id"], "publish_directly": True})
    return source


def job_row(job_id: str) -> dict[str, Any]:
    import sqlalchemy as sa
    from ckan import model

    model.Session.expire_all()
    return dict(model.Session.execute(sa.text(
        "SELECT status, created, gather_started, gather_finished, finished FROM harvest_job WHERE id = :id"),
        {"id": job_id}).mappings().one())


def object_counts(job_id: str) -> dict[str, int]:
    import sqlalchemy as sa
    from ckan import model

    rows = model.Session.execute(sa.text(
        "SELECT coalesce(state, '') || '/' || coalesce(report_status, ''), count(*) FROM harvest_object "
        "WHERE harvest_job_id = :id GROUP BY 1"), {"id": job_id}).all()
    model.Session.commit()
    return dict(rows)


def run_job(source_id: str, consumers: Consumers, timeout: float) -> dict[str, Any]:
    """One job through the real queue: created and sent to gather, then polled until every object is done."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.plugins import toolkit as tk

    consumers.reset_peaks()
    cpu = consumers.cpu()
    started = time.perf_counter()
    job = tk.get_action("harvest_job_create")(site(), {"source_id": source_id, "run": True})
    model.Session.remove()
    counted = 0.0
    while True:
        time.sleep(0.25)
        consumers.check_alive()
        row = job_row(job["id"])
        # Counting scans harvest_object (content included; no statistics without autovacuum): at most once a
        # second, which keeps the benchmark's own load on PostgreSQL small (~15 ms a count at 10,000 objects).
        if row["gather_finished"] is not None and time.perf_counter() - counted >= 1.0:
            counted = time.perf_counter()
            counts = object_counts(job["id"])
            if not any(key.split("/")[0] in PENDING for key in counts):
                break
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"job {job['id']} still running after {timeout:.0f} s: {object_counts(job['id'])}")
    done = time.perf_counter()
    cpu = consumers.cpu() - cpu
    tk.get_action("harvest_jobs_run")(site(), {"source_id": source_id})
    model.Session.remove()
    row = job_row(job["id"])
    if row["status"] != "Finished":
        raise SystemExit(f"job {job['id']} is {row['status']} after harvest_jobs_run")
    last_import = model.Session.execute(sa.text(
        "SELECT max(import_finished), min(fetch_started) FROM harvest_object WHERE harvest_job_id = :id"),
        {"id": job["id"]}).one()
    per_object = model.Session.execute(sa.text(
        "SELECT avg(extract(epoch FROM import_finished - fetch_started)) FROM harvest_object "
        "WHERE harvest_job_id = :id AND import_finished IS NOT NULL"), {"id": job["id"]}).scalar()
    gather_errors = [r[0] for r in model.Session.execute(sa.text(
        "SELECT message FROM harvest_gather_error WHERE harvest_job_id = :id"), {"id": job["id"]})]
    object_errors = [r[0] for r in model.Session.execute(sa.text(
        "SELECT e.message FROM harvest_object_error e JOIN harvest_object o ON o.id = e.harvest_object_id "
        "WHERE o.harvest_job_id = :id LIMIT 5"), {"id": job["id"]})]
    model.Session.commit()
    peaks = consumers.peaks()
    gather = (row["gather_finished"] - row["gather_started"]).total_seconds()
    imported = (last_import[0] - row["gather_finished"]).total_seconds() if last_import[0] else 0.0
    return {"job_id": job["id"], "seconds": done - started, "consumer_cpu_s": cpu, "gather_s": gather,
            "import_s": imported,
            "queue_wait_s": (row["gather_started"] - row["created"]).total_seconds(),
            "per_object_s": float(per_object or 0.0), "counts": object_counts(job["id"]),
            "gather_errors": gather_errors, "object_errors": object_errors,
            "gather_peak_rss_mib": peaks.pop("gather-consumer"), "fetch_peak_rss_mib": max(peaks.values())}


def catalogue_counts() -> tuple[int, int, dict[str, int]]:
    """Active datasets, DataStore tables, and datasets per workflow state."""
    import sqlalchemy as sa
    from ckan import model
    from ckanext.datastore.backend.postgres import get_write_engine

    datasets = model.Session.execute(sa.text(
        "SELECT count(*) FROM package WHERE type = 'dataset' AND state = 'active'")).scalar()
    states = dict(model.Session.execute(sa.text(
        "SELECT coalesce(s.state, '?'), count(*) FROM package p LEFT JOIN satudata_workflow.dataset_state s "
        "ON s.package_id = p.id WHERE p.type = 'dataset' GROUP BY 1")).all())
    model.Session.commit()
    with get_write_engine().connect() as conn:
        tables = conn.execute(sa.text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^[0-9a-f-]{36}$'")).scalar()
    return datasets, tables, states


def change_records(server, share: float) -> int:
    """Change `share` of the server's records (their realisation figures and posting time); how many."""
    records = server.records(SYSTEM)
    chosen = random.Random(SEED).sample(records, max(1, round(len(records) * share)))
    for record in chosen:
        rincian = [dict(r, realisasi=r["realisasi"] + 1000) for r in record["rincian"]]
        server.change(SYSTEM, record["id"], rincian=rincian,
                      realisasi_total=sum(r["realisasi"] for r in rincian))
    return len(chosen)


def expect(result: dict[str, Any], label: str, **statuses: int) -> None:
    wanted = {f"COMPLETE/{k.replace('_', ' ')}": v for k, v in statuses.items() if v}
    if result["gather_errors"] or result["object_errors"] or result["counts"] != wanted:
        raise SystemExit(f"{label}: expected {wanted}, got {result['counts']}; gather errors "
                         f"{result['gather_errors'][:3]}; object errors {result['object_errors']}")


# --- one size ---------------------------------------------------------------------------------------------

def bench_size(records: int, args: argparse.Namespace, trusted: bool, logdir: Path) -> list[dict[str, Any]]:
    from ckanext.satudatapasuruan.harvesters.opdserver.testing import ServerProcess

    catalogue_url, datastore_url = ini_urls()
    catalogue, datastore = dbname(catalogue_url), dbname(datastore_url)
    create_databases(catalogue, datastore, catalogue_url.split("//", 1)[1].split(":", 1)[0])
    policy = "terbit (trusted)" if trusted else "draf"
    results: list[dict[str, Any]] = []
    timeout = max(600.0, records * 0.5)
    t = time.perf_counter()
    server = ServerProcess(records=records, token=TOKEN, startup_timeout=600).start()
    consumers = Consumers(args.fetch_consumers, logdir)
    try:
        log(f"OPD server with {records:,} records per system at {server.url} (started in "
            f"{time.perf_counter() - t:.1f} s)")
        app = load_app()
        with app.test_request_context():
            source = register_source(server.url, trusted)
            consumers.start()
            log(f"source {source['name']} ({policy}); gather-consumer + {args.fetch_consumers} fetch-consumer(s)")

            def one(run: str, **statuses: int) -> dict[str, Any]:
                result = run_job(source["id"], consumers, timeout)
                expect(result, f"{records:,} {run}", **statuses)
                imported = sum(statuses.values())
                result.update(records=records, run=run, policy=policy, imported=imported)
                log(f"  {run}: {result['seconds']:.1f} s ({records / result['seconds']:.0f} records/s); gather "
                    f"{result['gather_s']:.1f} s, import {result['import_s']:.1f} s, {imported:,} imported "
                    f"({result['per_object_s'] * 1000:.0f} ms per object in a consumer, consumers' CPU "
                    f"{result['consumer_cpu_s']:.1f} s); peak RSS fetch "
                    f"{result['fetch_peak_rss_mib']:.0f} MiB, gather {result['gather_peak_rss_mib']:.0f} MiB")
                results.append(result)
                return result

            one("full", added=records)
            datasets, tables, states = catalogue_counts()
            log(f"  catalogue: {datasets:,} active datasets, {tables:,} DataStore tables, states {states}")
            if datasets != records or tables != records:
                raise SystemExit(f"expected {records} datasets and tables, found {datasets} and {tables}")
            results[-1]["states"] = states
            if not trusted:
                one("no change")
                if args.changed:
                    changed = change_records(server, args.changed)
                    one(f"{changed / records:.0%} changed", updated=changed)
    finally:
        consumers.stop()
        server.stop()
        from ckan import model
        model.Session.remove()
        model.meta.engine.dispose()
        if not args.keep:
            drop_databases(catalogue, datastore)
    return results


def profile_size(records: int, stats: str | None = None) -> None:
    """The first harvest in-process (the test suite's way) under pyinstrument, or cProfile into ``stats``
    (read with ``python -m pstats``: the flat per-function view the call tree hides)."""
    from ckan.plugins import toolkit as tk
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject

    from ckanext.satudatapasuruan.harvesters.opd.harvester import OpdHarvester
    from ckanext.satudatapasuruan.harvesters.opdserver.testing import ServerProcess

    catalogue_url, datastore_url = ini_urls()
    create_databases(dbname(catalogue_url), dbname(datastore_url), catalogue_url.split("//", 1)[1].split(":")[0])
    with ServerProcess(records=records, token=TOKEN, startup_timeout=600) as server:
        app = load_app()
        with app.test_request_context():
            source = register_source(server.url, False)
            job = HarvestJob.get(tk.get_action("harvest_job_create")(site(), {"source_id": source["id"],
                                                                              "run": False})["id"])
            job.status = "Running"
            job.save()
            harvester = OpdHarvester()
            if stats:
                profiler = cProfile.Profile()
            else:
                from pyinstrument import Profiler
                profiler = Profiler()
            profiler.enable() if stats else profiler.start()
            t = time.perf_counter()
            ids = queue.gather_stage(harvester, job) or []
            gathered = time.perf_counter()
            for obj_id in ids:
                queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
            profiler.disable() if stats else profiler.stop()
            log(f"in-process, profiled: gather {gathered - t:.1f} s, import {time.perf_counter() - gathered:.1f} s "
                f"for {len(ids):,} objects")
            if stats:
                profiler.dump_stats(stats)
                log(f"cProfile stats in {stats}")
            else:
                print(profiler.output_text(unicode=True, color=False, show_all=False))


# --- report -------------------------------------------------------------------------------------------------

def notes(results: list[dict[str, Any]]) -> list[str]:
    out = []
    for r in results:
        if r["records"] != TARGET_RECORDS or "trusted" in r["policy"]:
            continue
        if r["run"] == "full":
            verdict = "met" if r["seconds"] <= TARGET_FULL_S else "MISSED"
            out.append(f"Target {TARGET_RECORDS:,} records in <= {TARGET_FULL_S / 60:.0f} minutes: "
                       f"{r['seconds']:.0f} s, {verdict}.")
        if r["run"] == "no change":
            verdict = "met" if r["seconds"] <= TARGET_NOCHANGE_S else "MISSED"
            out.append(f"Target no-change re-harvest of {TARGET_RECORDS:,} in <= {TARGET_NOCHANGE_S:.0f} s: "
                       f"{r['seconds']:.1f} s, {verdict}.")
    for r in results:
        if r["run"] == "full" and r.get("states"):
            out.append(f"{r['records']:,} records, {r['policy']}: datasets by workflow state after the first run "
                       f"{r['states']}.")
    return out


def report(results: list[dict[str, Any]], meta: str, fetchers: int) -> str:
    rows = [dict(r, seconds=f"{r['seconds']:.1f}", records_per_s=f"{r['records'] / r['seconds']:.0f}",
                 gather_s=f"{r['gather_s']:.1f}", import_s=f"{r['import_s']:.1f}",
                 consumer_cpu_ms_per_imported=f"{r['consumer_cpu_s'] * 1000 / r['imported']:.0f}"
                 if r["imported"] else "-",
                 consumer_peak_rss_mb=f"{r['fetch_peak_rss_mib']:.0f}",
                 gather_peak_rss_mb=f"{r['gather_peak_rss_mib']:.0f}") for r in results]
    return ("# Harvest benchmark (bench/harvest.py)\n\n"
            f"The shipped BPKAD SIPD source (`harvesters/sources/{SOURCE}.json`: JSON, bearer token, 100 records a "
            "page; each record one SDI dataset plus its 6-8 rincian rows upserted into a DataStore table) "
            "harvested from the loopback OPD server (a child process) through ckanext-harvest's real queue: "
            f"`harvest_job_create` -> `ckan harvester gather-consumer` -> {fetchers} `ckan harvester "
            "fetch-consumer` processes (Redis) -> `harvest_jobs_run`. Seconds: from `harvest_job_create` until "
            "every object of the job is done; records/s = listed records / seconds; gather and import are the "
            "job's and objects' own timestamps; consumer CPU is the user+system time of the gather and fetch "
            "consumers during the run per imported record (PostgreSQL's own CPU not included: the figure that "
            "does not depend on what else the machine runs); peak RSS is the high-water mark of the busiest "
            "fetch consumer and of the gather consumer during the run.\n\n"
            f"{markdown_table(COLUMNS, rows)}\n\n" + "".join(f"- {line}\n" for line in notes(results))
            + f"- {meta}\n")


# --- main ---------------------------------------------------------------------------------------------------

def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (a background run is immune to Ctrl-C) unwinds like Ctrl-C: consumers, server and databases go."""
    raise KeyboardInterrupt


def main() -> None:
    global _log_file
    signal.signal(signal.SIGTERM, _terminate)
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--records", type=int, nargs="+", default=[1000, 10_000], help="records of the source")
    ap.add_argument("--fetch-consumers", type=int, default=2, help="fetch-consumer processes")
    ap.add_argument("--changed", type=float, default=0.01, help="share changed before the third run (0: none)")
    ap.add_argument("--trusted", type=int, nargs="*", default=[1000],
                    help="sizes also harvested once with a trusted (publish-directly) source")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases of the last size")
    ap.add_argument("--profile", action="store_true", help="profile one in-process harvest; writes no results")
    ap.add_argument("--profile-stats", metavar="FILE", help="with --profile: cProfile stats into FILE instead")
    args = ap.parse_args()
    if args.profile:
        return profile_size(args.records[0], args.profile_stats)

    started = time.perf_counter()
    load_start = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    _log_file = (RESULTS / "harvest.log").open("w")
    rev = revision()
    log(f"load average at start {' '.join(f'{x:.2f}' for x in load_start)}")
    logdir = Path(tempfile.mkdtemp(prefix="satudata-bench-harvest-"))
    results: list[dict[str, Any]] = []

    def write(n: int) -> None:
        """bench/results/harvest-<N>.md as soon as a size is done, and harvest.md with every size so far."""
        load_end = os.getloadavg()
        meta = (f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; commit {rev}; machine: {machine()}; "
                f"command: `.venv/bin/python bench/harvest.py {' '.join(sys.argv[1:])}`; runtime so far "
                f"{time.perf_counter() - started:.0f} s; load average (1/5/15 min) "
                f"{' '.join(f'{x:.2f}' for x in load_start)} at start, {' '.join(f'{x:.2f}' for x in load_end)} now")
        (RESULTS / f"harvest-{n}.md").write_text(report([r for r in results if r["records"] == n], meta,
                                                        args.fetch_consumers))
        text = report(results, meta, args.fetch_consumers)
        (RESULTS / "harvest.md").write_text(text)
        _log_file.write("\n" + text)
        log(f"wrote {RESULTS / f'harvest-{n}.md'} and harvest.md")

    sizes = [(n, False) for n in args.records] + [(n, True) for n in args.trusted or []]
    for i, (n, trusted) in enumerate(sizes):
        log(f"--- {n:,} records, " + ("trusted source (publish directly)" if trusted else "drafts (default policy)"))
        results += bench_size(n, args, trusted, logdir)
        if all(m != n for m, _ in sizes[i + 1:]):
            write(n)
    print()
    print(report(results, "", args.fetch_consumers))


if __name__ == "__main__":
    main()
