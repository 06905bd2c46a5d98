"""Redis for the Monev plugin: a fail-fast client, and the cache of computed figures with its generation.

The cache holds language-free figures (codes, numbers, statuses) under the current *generation*; any dataset
change bumps the generation (``subscriptions``), which orphans every cached entry at once (they expire by
their TTL). Redis down: figures are computed on every request and the failure is logged, never shown.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
import redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from . import config

__all__ = ["PREFIX", "client", "cached", "bump"]

log = logging.getLogger(__name__)

PREFIX = "satudata_monev:"
GENERATION = PREFIX + "generation"
CACHE = PREFIX + "cache:"
_CLIENTS: dict[str, redis.Redis] = {}


def client() -> redis.Redis:
    """A client of ``ckan.redis.url`` with half-second timeouts and no retries: a Redis outage costs a page a
    moment at most (CKAN's own client retries for seconds)."""
    url = tk.config.get("ckan.redis.url") or "redis://localhost:6379/0"
    conn = _CLIENTS.get(url)
    if conn is None:
        conn = _CLIENTS[url] = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5,
                                                    retry=Retry(NoBackoff(), 0))
    return conn


def cached(kind: str, key: str, compute: Callable[[], Any]) -> Any:
    """The cached value of ``kind``/``key`` in this generation, else ``compute()`` stored for the TTL."""
    ttl = config.cache_ttl()
    if not ttl:
        return compute()
    try:
        conn = client()
        name = f"{CACHE}{kind}:{int(conn.get(GENERATION) or 0)}:{key}"
        raw = conn.get(name)
    except RedisError as err:
        log.error("monev cache not read: %s", err)
        return compute()
    if raw is not None:
        return json.loads(raw)
    value = compute()
    try:
        conn.set(name, json.dumps(value, default=str), ex=ttl)
    except RedisError as err:
        log.error("monev cache not written: %s", err)
    return value


def bump() -> None:
    """Invalidate every cached figure (a dataset changed)."""
    try:
        client().incr(GENERATION)
    except RedisError as err:
        log.error("monev cache not invalidated: %s", err)
