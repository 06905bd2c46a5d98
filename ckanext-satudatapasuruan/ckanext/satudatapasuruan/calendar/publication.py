"""Which publication of a linked dataset fulfils which entry.

A publication is a ``publish`` (first release) or ``revision_publish`` (new data in a published dataset)
event of the workflow's audit trail, read through ``satudata_workflow_history``. It fulfils the **earliest**
open entry of the dataset whose date is at most ``early_days`` after it; one publication fulfils one entry,
so a quarterly dataset's four entries need four releases.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from . import config, records

__all__ = ["PUBLISH_ACTIONS", "publications", "fulfil", "backfill", "sync"]

log = logging.getLogger(__name__)

PUBLISH_ACTIONS = ("publish", "revision_publish")


def publications(package_id: str) -> list[dt.datetime]:
    """The dataset's publication times (UTC), oldest first."""
    try:
        history = tk.get_action("satudata_workflow_history")({"ignore_auth": True}, {"id": package_id})
    except tk.ObjectNotFound:
        return []
    return [dt.datetime.fromisoformat(e["created"]) for e in history if e["action"] in PUBLISH_ACTIONS]


def _window_opens(row: dict[str, Any]) -> dt.date:
    return row["scheduled_date"] - dt.timedelta(days=config.early_days())


def fulfil(package_id: str, when: dt.datetime) -> str | None:
    """Mark the entry this publication fulfils; returns its id (None: no open entry is due near it)."""
    day = config.local_date(when)
    for row in records.open_entries_for_package(package_id):
        if day >= _window_opens(row):
            records.set_published(row["id"], when)
            records.add_event(row["id"], "publish", None, None, None, None)
            return row["id"]
    return None


def backfill(row: dict[str, Any]) -> dt.datetime | None:
    """For an entry just linked to a dataset: the earliest publication in its window that no other entry of
    the dataset already counts."""
    if not row.get("package_id"):
        return None
    used = {r["published_at"] for r in records.entries(package_id=row["package_id"]) if r["published_at"]}
    opens = _window_opens(row)
    for when in publications(row["package_id"]):
        if when not in used and config.local_date(when) >= opens:
            return when
    return None


def sync() -> int:
    """Catch publications that sent no signal (harvesters publish through the workflow's own function): every
    open linked entry whose window has opened gets its publication. Returns how many entries changed."""
    today = config.today()
    changed = 0
    rows = model.Session.execute(records.entry.select().where(
        records.entry.c.state == "active", records.entry.c.published_at.is_(None),
        records.entry.c.package_id.isnot(None))).mappings().all()
    for row in rows:
        row = dict(row)
        if _window_opens(row) > today:
            continue
        when = backfill(row)
        if when is not None:
            records.set_published(row["id"], when)
            records.add_event(row["id"], "publish", None, None, None, None)
            changed += 1
    if changed:
        model.repo.commit()
    return changed
