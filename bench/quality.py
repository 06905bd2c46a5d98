#!/usr/bin/env python
"""Metadata quality benchmark (issue 10): the full QC scan of a large catalogue and the Monev page built on it.

    .venv/bin/python bench/quality.py [--datasets 10000] [--rounds 30] [--port 5082] [--link-port 5083]
                                      [--link-hosts 8] [--broken 0.05] [--slow 0.01] [--profile FILE] [--keep]

1. Builds the scratch catalogue of bench/dcat.py (its generator and database set-up, reused by import) on its
   own databases ``ckan_satudata_bench_quality`` / ``datastore_satudata_bench_quality`` (config/bench-quality.ini:
   the plugins of config/ckan.ini, Redis db 9, site on :5082): N synthetic SDI datasets by COPY (seed 42). Every
   resource URL is then pointed at a loopback HTTP server the benchmark starts in a child process
   (``http://127.0.0.<11..>:<link-port>/{ok,broken,slow}/<resource id>.<fmt>``, the host by OPD): ``ok``
   answers 200, ``broken`` 404, ``slow`` holds the request 30 s (a timeout for any sane link checker); the share
   of each is chosen by a hash of the resource id (``--broken``, ``--slow``). Then ``ckan satudata-search rebuild``.
2. Times the nightly QC run, each step one CLI process (the CLI's start-up is timed on its own and reported),
   with the CPU it used and the requests the loopback server received: ``ckan satudata-quality nightly`` where
   the plugin has it (links checked and every dataset scanned in one process, overlapped: the first run, which
   opens every ticket), then ``scan --all`` again (the steady state, nothing may change). Before that command:
   ``satudata-quality check-links --all``
   (quality/links.py: every external link checked, results stored, each checked dataset rescanned so its
   MQ-011 ticket opens; run as that click command added to the group while quality/cli.py does not list it),
   then ``ckan satudata-quality scan --all`` (the steady state: every ticket already open, none may change),
   and their total. Without a link checker: the scan twice (first, again). Reports datasets/s and the tickets
   per rule, and checks them: every active dataset scanned, at most one ticket per (dataset, rule), MQ-008
   (stale for its frequency) exactly the datasets an independent computation from the tables finds, MQ-011
   exactly the datasets with a broken or timing-out resource. The link checker's timeout and politeness are
   set for loopback in config/bench-quality.ini (0.5 s, 1000 requests/s per host; resources spread by OPD over
   ``--link-hosts`` loopback addresses).
3. Starts ``ckan run`` without the reloader (one process, one thread) and times ``/capaian-kinerja`` as an
   anonymous visitor, 3 warm-ups then ``--rounds`` requests: ``warm`` (the Monev figure cache filled);
   ``cold (monev)``, the plugin's cache invalidated before every request exactly as its write subscription
   does (``store.bump``: ``INCR satudata_monev:generation`` in the ini's Redis db); ``cold (write)``, as a
   committed dataset change does it, that and the search engine's generation advanced (every cached search
   result of the portal expires too). Every answer must be 200.
4. Writes bench/results/quality-<N>.md and bench/results/quality.md. Targets: scan <= 120 s; Monev page
   p95 <= 500 ms.

``--profile FILE`` runs the first step under cProfile (its time is then not the benchmark's figure) and writes the
stats to FILE (read with ``python -m pstats FILE``). The databases are dropped at the end unless ``--keep``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.server
import json
import os
import resource
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import dcat
import psycopg2
import redis
import requests
from benchlib import machine, markdown_table, revision
from search import pct

INI = dcat.ROOT / "config" / "bench-quality.ini"
dcat.INI = INI  # dcat's database, CLI and server helpers read their ini from this module global
RESULTS = dcat.RESULTS
WARMUP = 3
TARGET_SCAN_S = 120
TARGET_P95_MS = 500
SLOW_HOLD_S = 30
PAGE = "/capaian-kinerja"
SCAN_COLUMNS = ("datasets", "scan", "scanned", "changed", "seconds", "datasets_per_s", "cli_startup_s", "cpu_s",
                "tickets", "datasets_with_tickets", "link_requests")
PAGE_COLUMNS = ("datasets", "page", "cache", "requests", "p50_ms", "p95_ms", "max_ms", "kib")
MONEV_GENERATION = "satudata_monev:generation"  # monev/store.py GENERATION


# --- the loopback link server --------------------------------------------------------------------------

class LinkHandler(http.server.BaseHTTPRequestHandler):
    # Persistent connections, as any real web server keeps them: a thread and a handshake per request made
    # this one-process server the bottleneck of the run, not the checker.
    protocol_version = "HTTP/1.1"
    counts: Counter = Counter()
    lock = threading.Lock()

    def log_message(self, *args) -> None:  # quiet
        pass

    def _answer(self, body: bool) -> None:
        kind = self.path.strip("/").split("/", 1)[0]
        if kind == "_stats":
            data = json.dumps(dict(self.counts)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        with self.lock:
            self.counts[f"{self.command} {kind}"] += 1
        if kind == "slow":
            time.sleep(SLOW_HOLD_S)
        status = 404 if kind in ("broken", "slow") else 200
        data = b"kode_kecamatan;nilai\n35.14.01;1\n" if status == 200 else b"not found\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/csv" if status == 200 else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(False)


def serve_links(port: int, hosts: list[str]) -> None:
    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True
    servers = [Server((host, port), LinkHandler) for host in hosts]
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    servers[0].serve_forever()


class LinkServer:
    """The child process answering on ``port`` of each loopback address in ``hosts`` (127.0.0.0/8 is all
    loopback on Linux): the checker sees several hosts, as it would the OPDs' servers."""

    def __init__(self, port: int, hosts: list[str]):
        self.port, self.hosts = port, hosts
        self.url = f"http://{hosts[0]}:{port}"
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve-links", str(port), "--serve-hosts",
                                      ",".join(hosts)])
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(self.url + "/_stats", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"link server on {self.url} did not start")
                time.sleep(0.2)
        dcat.log(f"link server pid {self.proc.pid} on port {port} of {', '.join(hosts)}")

    def stats(self) -> Counter:
        return Counter(requests.get(self.url + "/_stats", timeout=5).json())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# --- the catalogue -------------------------------------------------------------------------------------

def point_links(url: str, hosts: list[str], port: int, broken: float, slow: float) -> dict[str, int]:
    """Every resource URL onto the loopback server: the host by its dataset's OPD, the kind (ok, broken,
    slow) by a hash of the resource's id."""
    b, s = round(broken * 10000), round((broken + slow) * 10000)
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(f"""
            WITH kinds AS (
                SELECT id, CASE WHEN h < {b} THEN 'broken' WHEN h < {s} THEN 'slow' ELSE 'ok' END AS kind
                FROM (SELECT id, (get_byte(decode(md5(id), 'hex'), 0) * 256
                                  + get_byte(decode(md5(id), 'hex'), 1)) %% 10000 AS h FROM resource) hashed)
            UPDATE resource r SET url = 'http://' || (%s::text[])[1 + get_byte(decode(md5(p.owner_org), 'hex'), 2)
                                                                 %% %s] || ':' || %s || '/' || k.kind || '/'
                                        || r.id || '.' || lower(r.format)
            FROM kinds k, package p WHERE k.id = r.id AND p.id = r.package_id""", (hosts, len(hosts), str(port)))
        cur.execute("SELECT split_part(split_part(url, '/', 4), '/', 1), count(*), count(DISTINCT package_id) "
                    "FROM resource GROUP BY 1")
        out = {}
        for kind, resources, packages in cur.fetchall():
            out[kind] = resources
            out[f"{kind}_datasets"] = packages
        conn.commit()
    dcat.vacuum(url, ["resource"])
    dcat.log(f"resource URLs on port {port} of {', '.join(hosts)}: {out}")
    return out


def scan_targets(url: str) -> int:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM package WHERE state = 'active' AND type = 'dataset'")
        return cur.fetchone()[0]


# --- the scan ------------------------------------------------------------------------------------------

def cli_startup() -> float:
    """The CKAN CLI's start-up with every plugin loaded (paid once per scan)."""
    t = time.perf_counter()
    dcat.ckan_cli("satudata-quality", "--help")
    return time.perf_counter() - t


# The link checker's command when satudata_quality's CLI group does not list it yet (quality/links.py defines
# it; cli.py registers it): the same click command, added to the same group before the CLI starts.
CHECK_LINKS_WRAPPER = """import sys
from ckan.cli.cli import ckan
from ckanext.satudatapasuruan.quality.cli import quality
from ckanext.satudatapasuruan.quality.links import check_links
quality.add_command(check_links)
sys.argv[0] = "ckan"
ckan()
"""


def link_checker() -> tuple[list[str] | None, str]:
    """(the command prefix that runs ``satudata-quality check-links``, how) or (None, why not)."""
    if "check-links" in dcat.ckan_cli("satudata-quality", "--help"):
        return [str(dcat.CKAN_CLI)], "`ckan satudata-quality check-links --all`"
    try:
        from ckanext.satudatapasuruan.quality import links  # noqa: F401
    except ImportError:
        return None, "satudata_quality has no link checker"
    return [sys.executable, "-c", CHECK_LINKS_WRAPPER], ("`satudata-quality check-links --all` of quality/links.py "
                                                         "(not yet registered in quality/cli.py: run as that click "
                                                         "command added to the `satudata-quality` group)")


def run_cli(prefix: list[str], args: list[str], profile: str | None = None) -> tuple[float, float, list[str]]:
    """(wall s, CPU s of the child, its output lines)."""
    cmd = [*prefix, "-c", str(INI), *args]
    if profile:
        cmd = [sys.executable, "-m", "cProfile", "-o", profile, *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=dcat.ROOT)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode})")
    if proc.stderr.strip():
        dcat.log(f"{' '.join(args)} stderr (last lines): {proc.stderr.strip().splitlines()[-3:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, proc.stdout.strip().splitlines()


def scan_counts(lines: list[str]) -> tuple[int, int]:
    """(datasets scanned, those whose tickets opened, reopened or closed) from ``scan``'s output."""
    items = [line for line in lines[:-1] if ": " in line]
    return len(items), sum(1 for line in items if not line.endswith(": tidak berubah"))


def link_counts(lines: list[str]) -> tuple[int, int]:
    """(datasets checked and rescanned, those whose tickets changed) from ``check-links``'s output."""
    items = [line for line in lines[:-1] if not line.startswith(" ") and ": " in line and " tautan, " in line]
    return len(items), sum(1 for line in items if "; " in line)


def tickets(url: str) -> tuple[list[tuple[str, str, str, int, int]], int, int, int]:
    """(rule, severity, status, tickets, datasets) rows; total tickets; datasets with one; duplicates."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT rule_code, severity, status, count(*), count(DISTINCT package_id) "
                    "FROM satudata_quality.ticket GROUP BY 1, 2, 3 ORDER BY 1, 3")
        rows = cur.fetchall()
        cur.execute("SELECT count(*), count(DISTINCT package_id) FROM satudata_quality.ticket")
        total, datasets = cur.fetchone()
        cur.execute("SELECT count(*) FROM (SELECT 1 FROM satudata_quality.ticket GROUP BY package_id, rule_code "
                    "HAVING count(*) > 1) d")
        duplicates = cur.fetchone()[0]
    return rows, total, datasets, duplicates


def expected_stale(url: str, now: dt.datetime) -> int:
    """MQ-008 computed independently: active datasets older than their frequency's allowance."""
    from ckanext.satudatapasuruan.quality.rules import MAX_AGE
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT extras->>'frekuensi', metadata_modified FROM package "
                    "WHERE state = 'active' AND type = 'dataset'")
        return sum(1 for freq, modified in cur.fetchall()
                   if freq in MAX_AGE and now - modified > MAX_AGE[freq])


def link_tickets(url: str) -> tuple[list[str], int, int]:
    """(link rule codes, datasets with a broken/slow resource, those of them with a link-rule ticket)."""
    codes = [code for code in rules_list() if code == "MQ-011"]  # quality/links.py's rule
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(DISTINCT package_id) FROM resource WHERE state = 'active' AND "
                    "(url LIKE '%%/broken/%%' OR url LIKE '%%/slow/%%')")
        bad = cur.fetchone()[0]
        ticketed = 0
        if codes:
            cur.execute("SELECT count(DISTINCT r.package_id) FROM resource r JOIN satudata_quality.ticket t "
                        "ON t.package_id = r.package_id AND t.rule_code = ANY(%s) WHERE r.state = 'active' AND "
                        "(r.url LIKE '%%/broken/%%' OR r.url LIKE '%%/slow/%%')", (codes,))
            ticketed = cur.fetchone()[0]
    return codes, bad, ticketed


# --- the Monev page ------------------------------------------------------------------------------------

def time_page(session: requests.Session, base: str, rounds: int, before_each=None) -> tuple[list[float], int]:
    for _ in range(WARMUP):
        if before_each:
            before_each()
        session.get(base + PAGE, timeout=600).raise_for_status()
    times, size = [], 0
    for _ in range(rounds):
        if before_each:
            before_each()
        t = time.perf_counter()
        response = session.get(base + PAGE, timeout=600)
        times.append((time.perf_counter() - t) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{PAGE} answered {response.status_code}")
        size = max(size, len(response.content))
    return times, size


# --- report --------------------------------------------------------------------------------------------

def write_results(n: int, scan_rows: list[dict], rule_rows: list[dict], page_rows: list[dict], notes: list[str],
                  meta: str) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    slow = [f"{r['page']} ({r['cache']}) p95 {r['p95_ms']} ms" for r in page_rows
            if float(r["p95_ms"]) > TARGET_P95_MS]
    worst = max(float(r["seconds"]) for r in scan_rows)
    verdict = (f"Target scan <= {TARGET_SCAN_S} s: {'met' if worst <= TARGET_SCAN_S else 'NOT met'} "
               f"({', '.join(r['scan'] + ' ' + r['seconds'] + ' s' for r in scan_rows)}). "
               f"Target Monev page p95 <= {TARGET_P95_MS} ms: "
               + ("met, warm and cold." if not slow else f"NOT met on {', '.join(slow)}."))
    single = (f"# Metadata quality benchmark, {n} datasets\n\n"
              f"Nightly QC run (each step one `ckan` process):\n\n"
              f"{markdown_table(SCAN_COLUMNS, scan_rows)}\n\n"
              f"Tickets after the scan, per rule:\n\n"
              f"{markdown_table(('rule', 'severity', 'status', 'tickets', 'datasets'), rule_rows)}\n\n"
              f"Monev page (`{PAGE}`), anonymous:\n\n{markdown_table(PAGE_COLUMNS, page_rows)}\n\n{verdict}\n\n"
              + "".join(f"- {note}\n" for note in notes) + f"\n{meta}\n")
    (RESULTS / f"quality-{n}.md").write_text(single)
    combined = "# Metadata quality benchmark (bench/quality.py)\n\n" + "\n".join(
        f"## {p.stem.split('-', 1)[1]} datasets\n\n" + p.read_text().split("\n", 2)[2]
        for p in sorted(RESULTS.glob("quality-*.md"), key=lambda p: int(p.stem.split("-", 1)[1])))
    (RESULTS / "quality.md").write_text(combined)
    return single


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--datasets", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--port", type=int, default=5082, help="loopback port (must match ckan.site_url of the ini)")
    ap.add_argument("--link-port", type=int, default=5083, help="port of the loopback server the resources link to")
    ap.add_argument("--broken", type=float, default=0.05, help="share of resource links answering 404")
    ap.add_argument("--slow", type=float, default=0.01, help=f"share held {SLOW_HOLD_S} s (timeouts)")
    ap.add_argument("--profile", metavar="FILE", help="run the scan under cProfile, stats to FILE")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases at the end")
    ap.add_argument("--link-hosts", type=int, default=8, help="loopback addresses the resources spread over "
                    "(127.0.0.11, .12, …; by OPD)")
    ap.add_argument("--serve-links", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--serve-hosts", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_links:
        serve_links(args.serve_links, args.serve_hosts.split(","))
        return
    app = dcat.ini()
    if app["ckan.site_url"].rstrip("/") != f"http://127.0.0.1:{args.port}":
        raise SystemExit(f"ckan.site_url of {INI.name} is {app['ckan.site_url']}; it must match --port")
    urls = (app["sqlalchemy.url"], app["ckan.datastore.write_url"])
    cache = redis.Redis.from_url(app["ckan.redis.url"])
    n = args.datasets
    started, load_start = time.perf_counter(), os.getloadavg()[0]
    notes: list[str] = []
    links = LinkServer(args.link_port, [f"127.0.0.{11 + i}" for i in range(args.link_hosts)])
    try:
        dcat.create_databases(*urls)
        classes = dcat.generate(urls[0], n)
        kinds = point_links(urls[0], links.hosts, links.port, args.broken, args.slow)
        rebuild_s = dcat.rebuild(urls[0], n)
        cache.delete(*cache.keys("satudata_monev:*") or ["-"])
        targets = scan_targets(urls[0])
        linked = sum(kinds.get(k, 0) for k in ("ok", "broken", "slow"))
        notes.append(f"catalogue: {n} datasets ({dict(classes)}), {targets} scanned (active, type dataset: drafts "
                     f"and private ones included); index rebuild {rebuild_s:.0f} s; {linked} resources on the "
                     f"loopback server: {kinds.get('ok', 0)} answering "
                     f"200, {kinds.get('broken', 0)} 404 ({kinds.get('broken_datasets', 0)} datasets), "
                     f"{kinds.get('slow', 0)} held {SLOW_HOLD_S} s ({kinds.get('slow_datasets', 0)} datasets)")

        # -- the nightly run: link checks (when the plugin has them), then the scan
        startup = cli_startup()
        checker, how = link_checker()
        dcat.log(f"CLI start-up {startup:.1f} s; link checker: {how}; {targets} datasets")
        scan_rows: list[dict] = []
        load_scan = os.getloadavg()[0]

        def step(label: str, prefix: list[str], cli_args: list[str], profile: str | None = None) -> None:
            stats_before = links.stats()
            seconds, cpu, lines = run_cli(prefix, cli_args, profile)
            requests_made = sum((links.stats() - stats_before).values())
            done, changed = (link_counts if cli_args[1] == "check-links" else scan_counts)(lines)
            _rows, total, with_tickets, _dup = tickets(urls[0])
            scan_rows.append({"datasets": n, "scan": label, "scanned": done, "changed": changed,
                              "seconds": f"{seconds:.1f}", "datasets_per_s": f"{done / seconds:.0f}",
                              "cli_startup_s": f"{startup:.1f}", "cpu_s": f"{cpu:.1f}", "tickets": total,
                              "datasets_with_tickets": with_tickets, "link_requests": requests_made})
            dcat.log(f"{label}: {lines[-1] if lines else ''!r}: {seconds:.1f} s wall, {cpu:.1f} s CPU, {changed} "
                     f"datasets changed, {total} tickets, {requests_made} link requests")

        scan_started = dt.datetime.utcnow()
        nightly = "nightly" in dcat.ckan_cli("satudata-quality", "--help")
        if nightly:
            # The nightly run as deploy/cron runs it: links checked and every dataset scanned in one process (the
            # scan overlapping the link checks); on this first run it opens every ticket. Then the steady state.
            step("nightly", [str(dcat.CKAN_CLI)], ["satudata-quality", "nightly"], args.profile)
            step("scan --all (again)", [str(dcat.CKAN_CLI)], ["satudata-quality", "scan", "--all"])
        elif checker:
            step("check-links --all", checker, ["satudata-quality", "check-links", "--all"], args.profile)
            step("scan --all", [str(dcat.CKAN_CLI)], ["satudata-quality", "scan", "--all"])
            first, second = scan_rows
            scan_rows.append({**{k: "" for k in SCAN_COLUMNS}, "datasets": n, "scan": "nightly total",
                              "seconds": f"{float(first['seconds']) + float(second['seconds']):.1f}",
                              "cpu_s": f"{float(first['cpu_s']) + float(second['cpu_s']):.1f}",
                              "tickets": second["tickets"], "datasets_with_tickets": second["datasets_with_tickets"],
                              "link_requests": first["link_requests"] + second["link_requests"]})
            scan_rows[-1]["datasets_per_s"] = f"{targets / float(scan_rows[-1]['seconds']):.0f}"
            scan_rows[-1]["scanned"] = targets
        else:
            step("scan --all (first)", [str(dcat.CKAN_CLI)], ["satudata-quality", "scan", "--all"], args.profile)
            step("scan --all (again)", [str(dcat.CKAN_CLI)], ["satudata-quality", "scan", "--all"])
        load_scan_end = os.getloadavg()[0]
        rows, total, with_tickets, duplicates = tickets(urls[0])
        stale = expected_stale(urls[0], scan_started)
        codes, bad, ticketed = link_tickets(urls[0])
        by_rule = Counter()
        for code, _sev, _status, count, _datasets in rows:
            by_rule[code] += count
        problems = []
        scans = [r for r in scan_rows if r["scan"].startswith(("scan", "nightly"))]
        if any(r["scanned"] != targets for r in scans):
            problems.append(f"scanned {[r['scanned'] for r in scans]}, expected {targets} each")
        if nightly:
            if scans[-1]["changed"]:
                problems.append(f"the scan after the nightly run changed the tickets of {scans[-1]['changed']} "
                                f"datasets (expected 0)")
        elif checker:
            # check-links rescans only the datasets whose links turned broken (or working): on this first run,
            # exactly those with a broken or slow resource
            linked = next(r for r in scan_rows if r["scan"].startswith("check-links"))
            if linked["scanned"] != bad:
                problems.append(f"check-links rescanned {linked['scanned']} datasets, expected the {bad} whose "
                                f"links are broken")
        elif scans[-1]["changed"]:
            problems.append(f"the last scan changed the tickets of {scans[-1]['changed']} datasets (expected 0)")
        if duplicates:
            problems.append(f"{duplicates} (dataset, rule) pairs with more than one ticket")
        if by_rule.get("MQ-008", 0) != stale:
            problems.append(f"MQ-008 tickets {by_rule.get('MQ-008', 0)}, independently computed {stale}")
        if (checker or nightly) and ticketed != bad:
            problems.append(f"{bad} datasets with broken/slow links, {ticketed} with a link ticket")
        check = ("checks passed" if not problems else "CHECKS FAILED: " + "; ".join(problems))
        dcat.log(check)
        profiled = f"the first step under cProfile ({args.profile}): times not comparable; " if args.profile else ""
        link_options = (f"link checker options in config/bench-quality.ini for the loopback server: link_timeout "
                        f"{app.get('ckanext.satudatapasuruan.quality.link_timeout')} s, link_rate_per_host "
                        f"{app.get('ckanext.satudatapasuruan.quality.link_rate_per_host')}/s (deployed defaults: "
                        f"10 s, 1/s), link_recheck_hours "
                        f"{app.get('ckanext.satudatapasuruan.quality.link_recheck_hours')}; resources spread over "
                        f"{len(links.hosts)} loopback hosts by OPD (the checker works one request at a time per "
                        f"host, keeping its connection, up to 16 hosts at once)")
        if nightly:
            notes.append(f"nightly run as deploy/cron runs it: `ckan satudata-quality nightly`, one process that "
                         f"checks every external link and scans every dataset once, each as soon as the hosts of "
                         f"its links are done (on this first run it opens every ticket); then `ckan "
                         f"satudata-quality scan --all` again (the steady state: changed must be 0); {link_options}")
            notes.append(f"link rule {', '.join(codes)}: {ticketed} of the {bad} datasets with a broken (404) or "
                         f"timing-out resource ticketed")
        elif checker:
            notes.append(f"nightly run as deploy/cron would run it: {how} (checks every external link, stores the "
                         f"results, then rescans the datasets whose links turned broken or working, so their MQ-011 "
                         f"tickets open at once), then `ckan satudata-quality scan --all` (every dataset; on this "
                         f"first run it opens the other rules' tickets). Link "
                         f"checker options in config/bench-quality.ini for the loopback server: link_timeout "
                         f"{app.get('ckanext.satudatapasuruan.quality.link_timeout')} s, link_rate_per_host "
                         f"{app.get('ckanext.satudatapasuruan.quality.link_rate_per_host')}/s (deployed defaults: "
                         f"10 s, 1/s), link_recheck_hours "
                         f"{app.get('ckanext.satudatapasuruan.quality.link_recheck_hours')}; resources spread over "
                         f"{len(links.hosts)} loopback hosts by OPD (the checker works one request at a time per "
                         f"host, a few hosts at once)")
            notes.append(f"link rule {', '.join(codes)}: {ticketed} of the {bad} datasets with a broken (404) or "
                         f"timing-out resource ticketed")
        else:
            notes.append(f"{how}: first = the scan of a catalogue without tickets, again = the same catalogue "
                         f"scanned again at once (the nightly steady state; changed must be 0); the loopback server "
                         f"received {sum(r['link_requests'] for r in scan_rows)} requests; none of the {bad} "
                         f"datasets with a broken or timing-out resource was ticketed for it")
        notes.append(f"{profiled}seconds: wall time of each whole command, CLI start-up ({startup:.1f} s) included; "
                     f"load average {load_scan:.2f} at the start, {load_scan_end:.2f} at the end; {check}: every "
                     f"active dataset scanned, one ticket per (dataset, rule) at most, MQ-008 = {stale} datasets "
                     f"stale for their frequency as computed from the tables")
        rule_rows = [{"rule": code, "severity": sev, "status": status, "tickets": count, "datasets": datasets}
                     for code, sev, status, count, datasets in rows]

        # -- the Monev page
        def bump_monev() -> None:
            cache.incr(MONEV_GENERATION)

        def bump_write() -> None:
            cache.incr(MONEV_GENERATION)
            with psycopg2.connect(urls[0]) as conn, conn.cursor() as cur:
                cur.execute("SELECT nextval('satudata_search.generation')")

        page_rows = []
        with tempfile.TemporaryDirectory(prefix="bench-quality-") as tmp:
            server = dcat.Server(args.port, Path(tmp) / "server.log")
            try:
                session = requests.Session()
                for label, before_each in (("warm", None), ("cold (monev)", bump_monev),
                                           ("cold (write)", bump_write)):
                    times, size = time_page(session, server.url, args.rounds, before_each)
                    page_rows.append({"datasets": n, "page": "capaian kinerja", "cache": label,
                                      "requests": len(times), "p50_ms": f"{pct(times, 50):.0f}",
                                      "p95_ms": f"{pct(times, 95):.0f}", "max_ms": f"{max(times):.0f}",
                                      "kib": f"{size / 1024:.0f}"})
                    dcat.log(f"{PAGE} ({label}): p50 {page_rows[-1]['p50_ms']} ms, p95 {page_rows[-1]['p95_ms']} "
                             f"ms, max {page_rows[-1]['max_ms']} ms")
                notes.append(f"server RSS after the page rounds {server.rss():.0f} MiB (peak {server.peak():.0f})")
            finally:
                server.stop()
        notes.append(f"cold (monev): `INCR {MONEV_GENERATION}` in Redis db {app['ckan.redis.url'].rsplit('/', 1)[1]} "
                     "before every request, what monev's write subscription (store.bump) does after any successful "
                     "write action; cold (write): that and `nextval('satudata_search.generation')`, as a committed "
                     "dataset change also expires the search engine's result cache")
    finally:
        links.stop()
        if not args.keep:
            dcat.drop_databases(*(dcat.dbname(u) for u in urls))
            cache.delete(*cache.keys("satudata_monev:*") or ["-"])
    meta = (f"Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; commit {revision()}; machine: {machine()}; "
            f"command: `.venv/bin/python bench/quality.py {' '.join(sys.argv[1:])}`; each QC step one `ckan` CLI "
            f"process; server `ckan run -r` (single process, single thread), anonymous visitor, {WARMUP} warm-ups per "
            f"series; total runtime {time.perf_counter() - started:.0f}s; load average {load_start:.2f} at start, "
            f"{os.getloadavg()[0]:.2f} at end (2 cores shared)")
    print()
    print(write_results(n, scan_rows, rule_rows, page_rows, notes, meta))


def rules_list() -> list[str]:
    """The rule codes the plugin registers (MQ-011 lives in quality/links.py, where there is one)."""
    from ckanext.satudatapasuruan.quality import rules
    try:
        from ckanext.satudatapasuruan.quality import links  # noqa: F401
    except ImportError:
        pass
    return sorted(rules.RULES)


if __name__ == "__main__":
    main()
