#!/usr/bin/env python
"""Public page benchmark (issue 9): server time of the portal's public pages on a large catalogue.

    .venv/bin/python bench/pages.py [--datasets 10000] [--rounds 30] [--port 5081] [--keep]

1. Builds the scratch catalogue of bench/dcat.py (config/bench-dcat.ini: the plugins of config/ckan.ini, so
   the theme and every public plugin the portal enables): N synthetic Kabupaten Pasuruan SDI datasets by COPY
   (seed 42), then ``ckan satudata-search rebuild``.
2. Starts ``ckan run`` without the reloader (one process, one thread) and, as an anonymous visitor, requests
   each page: 3 warm-ups, then ``--rounds`` timed requests (a different dataset page each round). Pages: the home
   page, Eksplorasi Data with two facet filters and a text query, a dataset page, Data Terbaru, and, when the
   portal serves them, Kalender Rilis (month view) and its iCalendar feed. Every answer must be 200.
3. Each page twice: ``warm``, as visitors meet it while the catalogue stands still (the search engine's
   result cache holds the broad questions the page asks), and ``cold``, with the index generation advanced
   before every request, as happens after any committed dataset change (every cached result expires).
4. Reports p50/p95/max ms per page (round trip on loopback: server time plus well under a millisecond) to
   bench/results/pages-<N>.md and bench/results/pages.md. Target: p95 <= 300 ms for every page on 2 cores,
   warm and cold.

The scratch databases are dropped at the end unless ``--keep``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import dcat
import psycopg2
import requests
from benchlib import machine, markdown_table, revision
from search import pct

RESULTS = dcat.RESULTS
COLUMNS = ("datasets", "page", "path", "cache", "requests", "p50_ms", "p95_ms", "max_ms", "kib")
WARMUP = 3
TARGET_P95_MS = 300


def public_names(url: str, limit: int = 200) -> list[str]:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT name FROM package WHERE state = 'active' AND NOT private AND type = 'dataset' "
                    "ORDER BY name LIMIT %s", (limit,))
        return [r[0] for r in cur.fetchall()]


def facet_filter(url: str) -> str:
    """The most common (urusan, tahun) pair of the public catalogue: a search that returns many results."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("""SELECT extras->>'urusan', extras->>'tahun', count(*) FROM package
                       WHERE state = 'active' AND NOT private AND extras ? 'urusan' AND extras ? 'tahun'
                       GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1""")
        urusan, tahun, _count = cur.fetchone()
    return f"/dataset/?q=penduduk&urusan={urusan}&tahun={tahun}"


def pages(url: str, session: requests.Session, base: str) -> list[tuple[str, list[str]]]:
    """(label, paths per round) of each page to time; optional pages only where the portal serves them."""
    names = public_names(url)
    rng = random.Random(dcat.SEED)
    out = [("beranda", ["/"]), ("eksplorasi data (2 facets + q)", [facet_filter(url)]),
           ("halaman dataset", [f"/dataset/{rng.choice(names)}" for _ in range(64)]),
           ("data terbaru", ["/data-terbaru"])]
    month = dt.date.today().strftime("%Y-%m")
    for label, path in (("kalender rilis (bulan)", f"/kalender-rilis?bulan={month}"),
                        ("kalender rilis .ics", "/kalender-rilis.ics")):
        if session.get(base + path, timeout=60).status_code == 200:
            out.append((label, [path]))
        else:
            dcat.log(f"{path}: not served by this portal's plugins, skipped")
    return out


def advance_generation(url: str) -> None:
    """What any committed catalogue change does: every cached search result of the portal expires."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT nextval('satudata_search.generation')")


def time_page(session: requests.Session, base: str, paths: list[str], rounds: int,
              before_each=None) -> tuple[list[float], int]:
    for i in range(WARMUP):
        session.get(base + paths[i % len(paths)], timeout=60).raise_for_status()
    times, size = [], 0
    for i in range(rounds):
        if before_each:
            before_each()
        t = time.perf_counter()
        response = session.get(base + paths[i % len(paths)], timeout=60)
        times.append((time.perf_counter() - t) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{paths[i % len(paths)]} answered {response.status_code}")
        size = max(size, len(response.content))
    return times, size


def write_results(n: int, rows: list[dict], meta: str) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    slow = [f"{r['page']} ({r['cache']})" for r in rows if float(r["p95_ms"]) > TARGET_P95_MS]
    verdict = (f"Target p95 <= {TARGET_P95_MS} ms: " + ("met on every page." if not slow else
                                                        f"NOT met on {', '.join(slow)}."))
    single = f"# Public page benchmark, {n} datasets\n\n{markdown_table(COLUMNS, rows)}\n\n{verdict}\n\n{meta}\n"
    (RESULTS / f"pages-{n}.md").write_text(single)
    combined = "# Public page benchmark (bench/pages.py)\n\n" + "\n".join(
        p.read_text().split("\n", 2)[2] for p in sorted(RESULTS.glob("pages-*.md")))
    (RESULTS / "pages.md").write_text(combined)
    return single


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--datasets", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--port", type=int, default=5081, help="loopback port (must match ckan.site_url of the ini)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases at the end")
    args = ap.parse_args()
    app = dcat.ini()
    urls = (app["sqlalchemy.url"], app["ckan.datastore.write_url"])
    n = args.datasets
    started, load_start = time.perf_counter(), os.getloadavg()[0]
    try:
        dcat.create_databases(*urls)
        dcat.generate(urls[0], n)
        dcat.rebuild(urls[0], n)
        rows = []
        with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
            server = dcat.Server(args.port, Path(tmp) / "server.log")
            try:
                session = requests.Session()
                for label, paths in pages(urls[0], session, server.url):
                    for cache, before_each in (("warm", None),
                                               ("cold", lambda: advance_generation(urls[0]))):
                        times, size = time_page(session, server.url, paths, args.rounds, before_each)
                        rows.append({"datasets": n, "page": label, "path": paths[0].split("?")[0] + (
                            "?…" if "?" in paths[0] else ""), "cache": cache, "requests": len(times),
                            "p50_ms": f"{pct(times, 50):.0f}", "p95_ms": f"{pct(times, 95):.0f}",
                            "max_ms": f"{max(times):.0f}", "kib": f"{size / 1024:.0f}"})
                        dcat.log(f"{label} ({cache}): p50 {rows[-1]['p50_ms']} ms, p95 {rows[-1]['p95_ms']} ms")
            finally:
                server.stop()
    finally:
        if not args.keep:
            dcat.drop_databases(*(dcat.dbname(u) for u in urls))
    meta = (f"Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; commit {revision()}; machine: {machine()}; "
            f"command: `.venv/bin/python bench/pages.py {' '.join(sys.argv[1:])}`; server `ckan run -r` (single "
            f"process, single thread), anonymous visitor, {WARMUP} warm-ups per page; total runtime "
            f"{time.perf_counter() - started:.0f}s; load average {load_start:.2f} at start, "
            f"{os.getloadavg()[0]:.2f} at end")
    print()
    print(write_results(n, rows, meta))


if __name__ == "__main__":
    main()
