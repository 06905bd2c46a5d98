"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import ckan.plugins.toolkit as tk

__all__ = ["REMINDER_DAYS", "REMIND_OVERDUE", "EARLY_DAYS", "TIMEZONE", "IMPORT_MAX_ROWS", "IMPORT_MAX_MB",
           "reminder_days", "remind_overdue", "early_days", "timezone", "import_max_rows", "import_max_bytes",
           "site_url", "today", "local_date"]

_PREFIX = "ckanext.satudatapasuruan.calendar."
REMINDER_DAYS = _PREFIX + "reminder_days"
REMIND_OVERDUE = _PREFIX + "remind_overdue"
EARLY_DAYS = _PREFIX + "early_days"
TIMEZONE = _PREFIX + "timezone"
IMPORT_MAX_ROWS = _PREFIX + "import_max_rows"
IMPORT_MAX_MB = _PREFIX + "import_max_mb"


def reminder_days() -> int:
    return max(0, int(tk.config[REMINDER_DAYS]))


def remind_overdue() -> bool:
    return bool(tk.config[REMIND_OVERDUE])


def early_days() -> int:
    return max(0, int(tk.config[EARLY_DAYS]))


def timezone() -> ZoneInfo:
    try:
        return ZoneInfo(tk.config[TIMEZONE] or "Asia/Jakarta")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Jakarta")


def import_max_rows() -> int:
    return max(1, int(tk.config[IMPORT_MAX_ROWS]))


def import_max_bytes() -> int:
    return max(1, int(tk.config[IMPORT_MAX_MB])) * 1024 * 1024


def site_url() -> str:
    return tk.config["ckan.site_url"].rstrip("/")


def today() -> dt.date:
    """Today in the calendar's time zone (WIB)."""
    return dt.datetime.now(timezone()).date()


def local_date(utc_naive: dt.datetime) -> dt.date:
    """The local (WIB) date of a naive UTC timestamp as CKAN and the workflow store them."""
    return utc_naive.replace(tzinfo=dt.timezone.utc).astimezone(timezone()).date()
