"""The uptime heartbeat: ask the portal's status action and record whether it answered (``ckan
satudata-monev heartbeat``, run by cron every few minutes)."""
from __future__ import annotations

import datetime as dt
import time
from typing import Any

import requests
from ckan import model
from sqlalchemy.exc import SQLAlchemyError

from . import config, records

__all__ = ["check"]


def check(now: dt.datetime | None = None, url: str | None = None) -> dict[str, Any]:
    """One heartbeat: up when the address answers HTTP 200 with ``"success": true`` within the timeout."""
    now = now or dt.datetime.utcnow()
    url = url or config.heartbeat_url()
    started = time.monotonic()
    status_code = None
    error = None
    ok = False
    try:
        response = requests.get(url, timeout=config.heartbeat_timeout())
        status_code = response.status_code
        try:
            ok = response.status_code == 200 and response.json().get("success") is True
        except ValueError:
            error = "not JSON"
        if not ok and error is None:
            error = f"HTTP {response.status_code}"
    except requests.RequestException as err:
        error = str(err)[:500]
    latency = int((time.monotonic() - started) * 1000)
    try:
        records.add_beat(now, ok, status_code, latency, error)
        model.repo.commit()
    except SQLAlchemyError:
        model.Session.rollback()
        raise
    return {"checked_at": now.isoformat(), "ok": ok, "status_code": status_code, "latency_ms": latency,
            "error": error}
