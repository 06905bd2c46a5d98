"""Usage counts in Redis, one hash per UTC day (field ``<package_id>|<kind>``), moved to
``satudata_feedback.usage_daily`` by ``ckan satudata-feedback flush-usage``.

Exactly once: a flush first RENAMEs the day's hash to a batch key with a fresh id (new hits go to a new
hash), adds the batch's counts and the batch id in one database transaction, then deletes the batch key.
Interrupted before the COMMIT: the batch key is still there and the next flush applies it; after the COMMIT but
before the DEL: the batch id is in ``usage_flush`` and the next flush only deletes the key.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from ckan import model
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from ckanext.satudatapasuruan.usage import Kind

from . import records
from .clients import redis_client

__all__ = ["LIVE", "BATCH", "count", "pending", "flush"]

log = logging.getLogger(__name__)

LIVE = "satudata_feedback:usage:"  # + YYYY-MM-DD
BATCH = "satudata_feedback:usage-batch:"  # + YYYY-MM-DD:<uuid>
_TTL = 60 * 60 * 24 * 90  # a portal whose flush never runs does not keep counts in Redis for ever


def count(kind: Kind, package_id: str, day: dt.date | None = None) -> None:
    """One HINCRBY; a Redis failure is logged and never reaches the page."""
    day = day or dt.datetime.utcnow().date()
    key = LIVE + day.isoformat()
    try:
        pipe = redis_client().pipeline()
        pipe.hincrby(key, f"{package_id}|{Kind(kind).value}", 1)
        pipe.expire(key, _TTL)
        pipe.execute()
    except (RedisError, ValueError) as err:
        log.error("usage %s of %s not counted: %s", kind, package_id, err)


def _parse(day: str, fields: dict[bytes | str, bytes | str]) -> list[tuple[str, dt.date, str, int]]:
    out: list[tuple[str, dt.date, str, int]] = []
    try:
        on = dt.date.fromisoformat(day)
    except ValueError:  # not a key of ours
        log.warning("usage hash for day %r ignored", day)
        return out
    for field, value in fields.items():
        field = field.decode() if isinstance(field, bytes) else field
        package_id, _sep, kind = field.rpartition("|")
        try:
            n = int(value)
        except ValueError:
            continue
        if package_id and kind in {k.value for k in Kind} and n > 0:
            out.append((package_id, on, kind, n))
    return out


def pending(package_ids: set[str] | None = None) -> dict[tuple[str, str, str], int]:
    """Counts still in Redis (live and unflushed batches): {(package_id, day, kind): n}. Empty when Redis is
    down."""
    out: dict[tuple[str, str, str], int] = {}
    try:
        conn = redis_client()
        for key in conn.scan_iter(match=LIVE + "*"):
            day = (key.decode() if isinstance(key, bytes) else key)[len(LIVE):]
            for package_id, on, kind, n in _parse(day, conn.hgetall(key)):
                if package_ids is None or package_id in package_ids:
                    out[(package_id, on.isoformat(), kind)] = out.get((package_id, on.isoformat(), kind), 0) + n
        for key in conn.scan_iter(match=BATCH + "*"):
            name = key.decode() if isinstance(key, bytes) else key
            day, _sep, batch = name[len(BATCH):].partition(":")
            if records.batch_applied(name):
                continue
            for package_id, on, kind, n in _parse(day, conn.hgetall(key)):
                if package_ids is None or package_id in package_ids:
                    out[(package_id, on.isoformat(), kind)] = out.get((package_id, on.isoformat(), kind), 0) + n
    except RedisError as err:
        log.error("pending usage counts not read: %s", err)
    return out


def _apply(conn: Any, key: str) -> int:
    """Apply one batch key exactly once; returns the number of hits added."""
    day = key[len(BATCH):].partition(":")[0]
    if not records.batch_applied(key):
        counts = _parse(day, conn.hgetall(key))
        try:
            records.apply_usage(key, counts)
            model.repo.commit()
        except SQLAlchemyError:
            model.Session.rollback()
            raise
        added = sum(c[3] for c in counts)
    else:
        added = 0
    conn.delete(key)
    return added


def flush(today_too: bool = True) -> dict[str, int]:
    """Move every day's counts (today's too unless ``today_too`` is false) from Redis to the table."""
    conn = redis_client()
    added = batches = 0
    # Left over by an interrupted flush: apply (or just delete) them first.
    for key in list(conn.scan_iter(match=BATCH + "*")):
        added += _apply(conn, key.decode() if isinstance(key, bytes) else key)
        batches += 1
    today = dt.datetime.utcnow().date().isoformat()
    for key in list(conn.scan_iter(match=LIVE + "*")):
        name = key.decode() if isinstance(key, bytes) else key
        day = name[len(LIVE):]
        if day == today and not today_too:
            continue
        batch = f"{BATCH}{day}:{uuid.uuid4().hex}"
        try:
            conn.rename(name, batch)
        except RedisError:  # gone meanwhile (another flush took it)
            continue
        added += _apply(conn, batch)
        batches += 1
    return {"batches": batches, "hits": added}
