"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk
import tzlocal

__all__ = ["RUN_AT", "SCHEDULE_INTERVAL", "FAILURE_MAIL_AFTER", "HISTORY_SIZE", "ERROR_LIMIT", "KPI_GRACE_HOURS",
           "run_at", "schedule_interval", "failure_mail_after", "history_size", "error_limit", "kpi_grace",
           "timezone"]

RUN_AT = "ckanext.satudatapasuruan.harvest.run_at"
SCHEDULE_INTERVAL = "ckanext.satudatapasuruan.harvest.schedule_interval"
FAILURE_MAIL_AFTER = "ckanext.satudatapasuruan.harvest.failure_mail_after"
HISTORY_SIZE = "ckanext.satudatapasuruan.harvest.history_size"
ERROR_LIMIT = "ckanext.satudatapasuruan.harvest.error_limit"
KPI_GRACE_HOURS = "ckanext.satudatapasuruan.harvest.kpi_grace_hours"


def run_at() -> dt.time:
    value = str(tk.config[RUN_AT]).strip()
    try:
        return dt.time.fromisoformat(value).replace(second=0, microsecond=0)
    except ValueError as err:
        raise ValueError(f"{RUN_AT} must be a time of day HH:MM, not {value!r}") from err


def schedule_interval() -> int:
    return max(1, tk.config[SCHEDULE_INTERVAL])


def failure_mail_after() -> int:
    return max(0, tk.config[FAILURE_MAIL_AFTER])


def history_size() -> int:
    return max(1, tk.config[HISTORY_SIZE])


def error_limit() -> int:
    return max(1, tk.config[ERROR_LIMIT])


def kpi_grace() -> dt.timedelta:
    return dt.timedelta(hours=max(0, tk.config[KPI_GRACE_HOURS]))


def timezone() -> dt.tzinfo:
    """The portal's clock: ``ckan.display_timezone`` (``server`` = the machine's zone)."""
    name = tk.config.get("ckan.display_timezone") or "UTC"
    return tzlocal.get_localzone() if name == "server" else ZoneInfo(name)
