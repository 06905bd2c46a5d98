"""Search result cache, valid for one index generation.

The embedded engine's counterpart of Solr's query-result cache, which Solr drops at every commit: the
home page, the organisation sidebar and Data Terbaru ask the same broad questions of the whole catalogue on
every request, each a scan of every document (hundreds of milliseconds at 10,000 datasets).

Correctness rests on the index generation, a PostgreSQL sequence (migration 0008):

- a transaction that wrote index rows marks its session; after its commit the generation is advanced
  on a separate connection (``nextval`` is not transactional, so advancing *before* the commit would let
  a reader cache pre-commit results under the new generation);
- a search reads the generation in the statement it sends first anyway, and a cached result is served only
  for the same generation (and the same sequence: one recreated by a migration has a new OID);
- a session holding uncommitted index writes neither reads nor fills the cache (it must see its own writes);
- a result is also dropped after a time-to-live, in case a process died between a commit and the advance.

The key is the statement and its parameters, which hold the caller's permission labels: a result is never
served to someone who could not have run the same search. Entries hold the statement's JSON as text and
are decoded per hit, so callers may change what they get.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from typing import Any

import sqlalchemy as sa
from ckan import model

from . import config

__all__ = ["GENERATION", "GENERATION_SQL", "Key", "mark_written", "written", "get", "put", "advance", "clear"]

log = logging.getLogger(__name__)

GENERATION = "satudata_search.generation"
# (sequence OID, last value): both NULL before migration 0008, when nothing is cached.
GENERATION_SQL = (f"to_regclass('{GENERATION}')::oid::bigint, "
                  f"coalesce(pg_sequence_last_value(to_regclass('{GENERATION}')), 0)")
_WRITTEN = "satudata_search_written"
# Broad pages only: a 100-dataset DCAT page of full documents is not worth the memory.
MAX_ROWS = 50

Key = tuple[str, int, int]
_lock = threading.Lock()
_entries: OrderedDict[Key, tuple[float, tuple[Any, str, str]]] = OrderedDict()


def mark_written(session: sa.orm.Session) -> None:
    session.info[_WRITTEN] = True


def written(session: sa.orm.Session) -> bool:
    return bool(session.info.get(_WRITTEN))


def key(sql: str, params: dict[str, Any], oid: int | None, generation: int | None) -> Key | None:
    if oid is None or generation is None or config.cache_size() <= 0:
        return None
    digest = hashlib.blake2b(repr((sql, sorted(params.items()))).encode(), digest_size=20).hexdigest()
    return digest, oid, generation


def get(cache_key: Key | None) -> tuple[Any, str, str] | None:
    if cache_key is None:
        return None
    with _lock:
        entry = _entries.get(cache_key)
        if entry is None:
            return None
        stored_at, value = entry
        if time.monotonic() - stored_at > config.cache_ttl():
            del _entries[cache_key]
            return None
        _entries.move_to_end(cache_key)
        return value


def put(cache_key: Key | None, value: tuple[Any, str, str], rows: int) -> None:
    if cache_key is None or rows > MAX_ROWS:
        return
    size = config.cache_size()
    with _lock:
        _entries[cache_key] = (time.monotonic(), value)
        _entries.move_to_end(cache_key)
        while len(_entries) > size:
            _entries.popitem(last=False)


def clear() -> None:
    with _lock:
        _entries.clear()


def advance(session: sa.orm.Session) -> None:
    """After a commit that wrote index rows: a new generation, so every process's cached results expire."""
    if session.in_nested_transaction() or not session.info.pop(_WRITTEN, False):
        return  # a savepoint was released: the writes are not committed yet
    with _lock:
        _entries.clear()  # this process's entries are stale anyway
    try:
        with model.meta.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f"SELECT nextval(to_regclass('{GENERATION}')) "
                                 f"WHERE to_regclass('{GENERATION}') IS NOT NULL"))
    except sa.exc.SQLAlchemyError as err:
        # The write has committed; other processes catch up when their entries' time-to-live ends.
        log.warning("search index generation not advanced: %s", err)
