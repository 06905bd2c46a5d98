"""Who is asking, without keeping who they are: a salted daily hash of the client's address, and the
Redis-backed rate limits keyed by it. No raw address is stored anywhere."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging

import ckan.plugins.toolkit as tk
import redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from . import config

__all__ = ["RateLimited", "redis_client", "CONTEXT_KEY", "client_key", "hit", "first_today", "seconds_to_midnight"]

log = logging.getLogger(__name__)

# Views may pass the key in the action context (``context[CONTEXT_KEY]``); otherwise it is computed from the
# current request, and outside requests (CLI, jobs) every caller shares the key of the local machine.
CONTEXT_KEY = "satudata_client_key"
_PREFIX = "satudata_feedback:rl:"


_CLIENTS: dict[str, redis.Redis] = {}


def redis_client() -> redis.Redis:
    """A client of ``ckan.redis.url`` that fails fast: no retries and half-second timeouts, so that a Redis
    outage costs a page at most a moment (CKAN's own client retries with backoff for seconds)."""
    url = tk.config.get("ckan.redis.url") or "redis://localhost:6379/0"
    client = _CLIENTS.get(url)
    if client is None:
        client = _CLIENTS[url] = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5,
                                                      retry=Retry(NoBackoff(), 0))
    return client


class RateLimited(tk.ValidationError):
    """A rate limit was hit: a validation error (409 over CKAN's API, turned into 429 by the plugin's
    after-request hook, like the plugin's own pages)."""

    def __init__(self, message: str, retry_after: int = 3600):
        super().__init__({"batas": [message]})
        self.retry_after = retry_after
        try:
            tk.g.satudata_rate_limited = retry_after
        except (RuntimeError, AttributeError):  # outside a request
            pass


def _address() -> str:
    try:
        return tk.request.remote_addr or "-"
    except (RuntimeError, AttributeError):  # no request: CLI, jobs, tests calling actions directly
        return "lokal"


def client_key(context: dict | None = None, day: dt.date | None = None) -> str:
    """A 32-hex-digit SHA-256 of the salt, the (UTC) day and the client's address."""
    if context and context.get(CONTEXT_KEY):
        return str(context[CONTEXT_KEY])
    day = day or dt.datetime.utcnow().date()
    raw = f"{config.client_salt()}|{day.isoformat()}|{_address()}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def seconds_to_midnight(now: dt.datetime | None = None) -> int:
    now = now or dt.datetime.utcnow()
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())
    return max(1, int((tomorrow - now).total_seconds()))


def hit(bucket: str, client: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt in a fixed window; False once ``limit`` is passed. Redis down: allowed (logged)."""
    key = f"{_PREFIX}{bucket}:{client}"
    try:
        pipe = redis_client().pipeline()
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        count = pipe.execute()[0]
    except RedisError as err:
        log.error("feedback rate limit not checked: %s", err)
        return True
    return int(count) <= limit


def first_today(bucket: str, client: str, target: str) -> bool:
    """True the first time today for this client and target (one rating per dataset and day)."""
    key = f"{_PREFIX}{bucket}:{client}:{target}:{dt.datetime.utcnow().date().isoformat()}"
    try:
        return bool(redis_client().set(key, "1", nx=True, ex=seconds_to_midnight()))
    except RedisError as err:
        log.error("feedback daily limit not checked: %s", err)
        return True
