"""Planner statistics and dead rows of the index table, kept up as autovacuum would.

Every search is planned from the table's statistics. Without them (a new index, a server with
autovacuum off, or a bulk harvest outpacing autovacuum's one-minute naptime) PostgreSQL guesses the
same selectivity for every key and may drive a lookup by id from ``entity_type=package``, which
every row has: measured at 1,400 datasets, 10 ms instead of 0.1 ms, growing with the catalogue.
So after a transaction that wrote index rows, the engine looks at the table's counters (one cheap
query, at most every ``CHECK_EVERY`` written rows per process) and runs ``ANALYZE`` or ``VACUUM``
past autovacuum's own default thresholds. ``SKIP_LOCKED``: when another process is already at it,
this one does not wait.
"""
from __future__ import annotations

import logging
import threading

import sqlalchemy as sa
from ckan import model

from . import config

__all__ = ["note_written", "maybe_maintain", "needs", "CHECK_EVERY"]

log = logging.getLogger(__name__)

TABLE = "satudata_search.document"
CHECK_EVERY = 100
# PostgreSQL's defaults for autovacuum_{analyze,vacuum}_{threshold,scale_factor} and the insert ones.
ANALYZE_BASE, ANALYZE_SCALE = 50, 0.1
VACUUM_BASE, VACUUM_SCALE = 50, 0.2
INSERT_BASE, INSERT_SCALE = 1000, 0.2

_lock = threading.Lock()
_written = 0
_checked = False  # the first commit with index rows in a process checks at once


def note_written(rows: int) -> None:
    global _written
    with _lock:
        _written += rows


def needs(live: float, dead: int, modified: int, inserted: int, analyzed: bool) -> tuple[bool, bool]:
    """(analyze, vacuum) by autovacuum's rules; a table never analyzed is analyzed at the first check."""
    live = max(live, 0)
    analyze = not analyzed or modified > ANALYZE_BASE + ANALYZE_SCALE * live
    vacuum = dead > VACUUM_BASE + VACUUM_SCALE * live or inserted > INSERT_BASE + INSERT_SCALE * live
    return analyze, vacuum


def maybe_maintain() -> None:
    global _written, _checked
    with _lock:
        if not _written or (_checked and _written < CHECK_EVERY) or not config.auto_maintenance():
            return
        _written, _checked = 0, True
    try:
        with model.meta.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            row = conn.execute(sa.text(
                "SELECT c.reltuples, s.n_dead_tup, s.n_mod_since_analyze, s.n_ins_since_vacuum, "
                "       coalesce(s.last_analyze, s.last_autoanalyze) IS NOT NULL AS analyzed "
                "FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
                "WHERE s.relid = to_regclass(:table)"), {"table": TABLE}).first()
            if row is None:
                return
            analyze, vacuum = needs(row.reltuples, row.n_dead_tup, row.n_mod_since_analyze,
                                    row.n_ins_since_vacuum, row.analyzed)
            if vacuum:
                # VACUUM ANALYZE: dead rows out, GIN pending lists merged, statistics fresh.
                conn.execute(sa.text(f"VACUUM (ANALYZE, SKIP_LOCKED) {TABLE}"))
            elif analyze:
                conn.execute(sa.text(f"ANALYZE (SKIP_LOCKED) {TABLE}"))
            if analyze or vacuum:
                log.debug("search index maintained: analyze=%s vacuum=%s (rows %.0f, dead %s, modified %s)",
                          analyze, vacuum, row.reltuples, row.n_dead_tup, row.n_mod_since_analyze)
    except sa.exc.SQLAlchemyError as err:
        # Maintenance is an optimisation: the write it follows has committed already.
        log.warning("search index maintenance skipped: %s", err)
