"""Visits of the public Monev dashboard, counted in Redis and moved to ``visit_monthly`` by
``ckan satudata-monev flush-visits``.

A visit is one client (a salted daily SHA-256 of its address: no address is kept) seeing /capaian-kinerja,
repeated views within ``visit_window`` minutes counted once. Counting happens after the response was sent
(``call_on_close``): two Redis commands, never in the page's way, a failure only logged.

Exactly once, as the usage counts of the feedback plugin: a flush RENAMEs a month's counter to a batch key
with a fresh id (new visits go to a new counter), adds it and the batch id in one transaction, then deletes
the batch key. Interrupted before the COMMIT: the next flush applies the batch; after it: it only deletes it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid

from ckan import model
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from . import config, records
from .store import PREFIX, client

__all__ = ["LIVE", "BATCH", "SEEN", "client_key", "count", "pending", "flush", "by_month"]

log = logging.getLogger(__name__)

LIVE = PREFIX + "visits:"  # + YYYY-MM
BATCH = PREFIX + "visits-batch:"  # + YYYY-MM:<uuid>
SEEN = PREFIX + "seen:"  # + client key
_TTL = 60 * 60 * 24 * 400  # a portal whose flush never runs does not keep counters for ever


def client_key(address: str, day: dt.date) -> str:
    raw = f"{config.client_salt()}|{day.isoformat()}|{address or '-'}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def count(address: str, now: dt.datetime | None = None) -> bool:
    """Count a view by the client at ``address``; True when it started a new visit."""
    now = now or dt.datetime.utcnow()
    try:
        conn = client()
        if not conn.set(SEEN + client_key(address, now.date()), "1", nx=True, ex=config.visit_window() * 60):
            return False
        key = LIVE + now.strftime("%Y-%m")
        pipe = conn.pipeline()
        pipe.incr(key)
        pipe.expire(key, _TTL)
        pipe.execute()
    except RedisError as err:
        log.error("monev visit not counted: %s", err)
        return False
    return True


def _month(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return None


def _name(key: bytes | str) -> str:
    return key.decode() if isinstance(key, bytes) else key


def pending() -> dict[dt.date, int]:
    """Visits still in Redis (live counters and unapplied batches) per month. Empty when Redis is down."""
    out: dict[dt.date, int] = {}
    try:
        conn = client()
        for key in conn.scan_iter(match=LIVE + "*"):
            month = _month(_name(key)[len(LIVE):])
            value = conn.get(key)
            if month and value:
                out[month] = out.get(month, 0) + int(value)
        for key in conn.scan_iter(match=BATCH + "*"):
            name = _name(key)
            month = _month(name[len(BATCH):].partition(":")[0])
            value = conn.get(key)
            if month and value and not records.batch_applied(name):
                out[month] = out.get(month, 0) + int(value)
    except RedisError as err:
        log.error("pending monev visits not read: %s", err)
    return out


def _apply(conn, batch: str) -> int:
    month = _month(batch[len(BATCH):].partition(":")[0])
    added = 0
    if not records.batch_applied(batch):
        value = int(conn.get(batch) or 0)
        try:
            records.apply_visits(batch, {month: value} if month and value else {}, dt.datetime.utcnow())
            model.repo.commit()
        except SQLAlchemyError:
            model.Session.rollback()
            raise
        added = value
    conn.delete(batch)
    return added


def flush() -> dict[str, int]:
    """Move every month's counter from Redis to the table."""
    conn = client()
    added = batches = 0
    for key in list(conn.scan_iter(match=BATCH + "*")):  # left by an interrupted flush
        added += _apply(conn, _name(key))
        batches += 1
    for key in list(conn.scan_iter(match=LIVE + "*")):
        name = _name(key)
        batch = f"{BATCH}{name[len(LIVE):]}:{uuid.uuid4().hex}"
        try:
            conn.rename(name, batch)
        except RedisError:  # gone meanwhile (another flush took it)
            continue
        added += _apply(conn, batch)
        batches += 1
    return {"batches": batches, "visits": added}


def by_month(year: int) -> dict[dt.date, int]:
    """Flushed and pending visits of the year's months."""
    out = records.visits_by_month(year)
    for month, n in pending().items():
        if month.year == year:
            out[month] = out.get(month, 0) + n
    return out
