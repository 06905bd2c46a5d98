"""One run of the calendar's periodic job (``ckan satudata-calendar tick``, from cron or a systemd timer):
scheduled releases first (so a release due now also fulfils its entry), then publications that sent no
signal, then reminders. Every part is idempotent: running it twice does nothing more."""
from __future__ import annotations

import datetime as dt
from typing import Any

from . import embargo, publication, reminders

__all__ = ["run"]


def run(now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or dt.datetime.utcnow()
    released = embargo.run_due(now)
    synced = publication.sync()
    sent = reminders.run()
    return {"released": released, "synced": synced, "reminders": sent}
