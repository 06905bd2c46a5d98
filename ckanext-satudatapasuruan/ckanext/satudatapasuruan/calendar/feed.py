"""The calendar as iCalendar (RFC 5545), built with the ``icalendar`` library.

One all-day VEVENT per entry the viewer may see: UID ``<entry id>@<site host>`` (stable across edits and
postponements), DTSTAMP the entry's last change, SEQUENCE its change counter, SUMMARY, DESCRIPTION, URL,
CATEGORIES (the sektor). A deleted entry simply leaves the feed (subscribed calendars drop it).
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlparse

import icalendar

from . import config

__all__ = ["PRODID", "uid", "build"]

PRODID = "-//Portal Satu Data Kabupaten Pasuruan//Kalender Rilis//ID"


def uid(entry_id: str) -> str:
    host = urlparse(config.site_url()).hostname or "satudata.local"
    return f"{entry_id}@{host}"


def _utc(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.timezone.utc)


def _url(entry: dict[str, Any]) -> str:
    if entry.get("dataset"):
        return entry["dataset"]["url"]
    return f"{config.site_url()}/kalender-rilis/daftar?bulan={entry['scheduled_date'][:7]}#entri-{entry['id']}"


def _description(entry: dict[str, Any], labels: dict[str, str]) -> str:
    lines = [f"{labels['opd']}: {entry['organization']['title']}",
             f"{labels['sektor']}: {entry['urusan']} {entry['urusan_label']}",
             f"{labels['periode']}: {entry['period']}",
             f"{labels['status']}: {entry['status_label']}"]
    for item in entry.get("history") or []:
        if item["action"] == "postpone":
            lines.append(labels["ditunda"].format(old=item["old_date"], new=item["new_date"], reason=item["reason"]))
    if entry.get("dataset"):
        lines.append(f"{labels['dataset']}: {entry['dataset']['title']}")
    if entry.get("notes"):
        lines.extend(["", entry["notes"]])
    return "\n".join(lines)


def build(entries: list[dict[str, Any]], name: str, labels: dict[str, str]) -> bytes:
    """``entries`` as presented to the viewer (with history); ``labels`` the translated field names."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(config.timezone()))
    for entry in entries:
        event = icalendar.Event()
        day = dt.date.fromisoformat(entry["scheduled_date"])
        event.add("uid", uid(entry["id"]))
        event.add("dtstamp", _utc(entry["updated"]))
        event.add("created", _utc(entry["created"]))
        event.add("last-modified", _utc(entry["updated"]))
        event.add("sequence", entry["sequence"])
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", f"{entry['title']} ({entry['period']}) \u2013 {entry['organization']['title']}")
        event.add("description", _description(entry, labels))
        event.add("url", _url(entry))
        event.add("categories", [entry["urusan_label"]])
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
