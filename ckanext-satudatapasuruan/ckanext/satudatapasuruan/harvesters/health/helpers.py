"""Template helpers of the sync-health pages."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.satudatapasuruan.messages import N_

from ...workflow import roles
from . import config

__all__ = ["satudata_harvest_local_time", "satudata_harvest_duration", "satudata_harvest_frequency",
           "satudata_harvest_badge", "organizations_available"]

_FREQUENCIES = {
    "MANUAL": N_("Manual"), "ALWAYS": N_("Terus-menerus"), "DAILY": N_("Harian, pukul {time}"),
    "WEEKLY": N_("Mingguan, Senin pukul {time}"), "BIWEEKLY": N_("Dua mingguan, Senin pukul {time}"),
    "MONTHLY": N_("Bulanan, tanggal 1 pukul {time}"),
}
_BADGES = {"succeeded": "success", "partial": "warning", "failed": "danger", "running": "info", "aborted": "secondary",
           "never": "secondary"}


def satudata_harvest_local_time(iso: str | None) -> str:
    """An ISO timestamp of the API on the portal's clock, e.g. ``01-12-2026 00:00 WIB``."""
    if not iso:
        return "\u2013"
    return dt.datetime.fromisoformat(iso).astimezone(config.timezone()).strftime("%d-%m-%Y %H:%M %Z")


def satudata_harvest_duration(seconds: int | None) -> str:
    if seconds is None:
        return "\u2013"
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [tk._("{n} jam").format(n=hours)] if hours else []
    parts += [tk._("{n} menit").format(n=minutes)] if minutes else []
    return " ".join(parts + ([tk._("{n} detik").format(n=secs)] if secs or not parts else []))


def satudata_harvest_frequency(frequency: str) -> str:
    return tk._(_FREQUENCIES.get(frequency, frequency)).format(time=config.run_at().strftime("%H:%M"))


def satudata_harvest_badge(status: str) -> str:
    """The Bootstrap colour of a run or source status."""
    return _BADGES.get(status, "secondary")


@tk.chained_helper
def organizations_available(next_helper, permission: str = "manage_group", include_dataset_count: bool = False,
                            include_member_count: bool = False, user: str | None = None) -> list[dict[str, Any]]:
    """On ckanext-harvest's source form, the walidata picks any OPD as the source's owner (it manages every OPD's
    sources, see ``harvesters/logic/auth.py``); everywhere else CKAN's own list."""
    orgs = next_helper(permission, include_dataset_count, include_member_count, user)
    if permission != "create_dataset" or user is not None or tk.request is None:
        return orgs
    # The source form is served by the "harvest" dataset-type blueprint (ckanext-harvest's own is "harvester").
    if getattr(tk.request, "blueprint", None) not in ("harvest", "harvester") or not tk.current_user.is_authenticated:
        return orgs
    if not roles.is_walidata(model.User.get(tk.current_user.id)):
        return orgs
    return tk.get_action("organization_list")({}, {"all_fields": True, "limit": 1000})
