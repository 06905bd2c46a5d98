"""Template helpers of the calendar plugin (the home page, the calendar pages, the dataset page)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import config

__all__ = ["satudata_calendar_upcoming", "satudata_release_schedule", "satudata_release_may_schedule"]


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def satudata_calendar_upcoming(limit: int = 5) -> list[dict[str, Any]]:
    """The next releases (from today, not yet published) the current user may see, soonest first."""
    entries = tk.get_action("satudata_calendar_entry_list")(_context(), {"start": config.today().isoformat(),
                                                                         "limit": 1000})
    return [e for e in entries if not e["published"]][: max(0, int(limit))]


def satudata_release_schedule(package_id: str) -> dict[str, Any] | None:
    """The dataset's pending scheduled release, for those who may see the dataset; else None."""
    try:
        found = tk.get_action("satudata_release_schedule_show")(_context(), {"id": package_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    return found if found and found["state"] == "terjadwal" else None


def satudata_release_may_schedule(package_id: str) -> bool:
    """Whether the current user (the walidata) may schedule this dataset's release now (it is OPD-verified)."""
    try:
        tk.check_access("satudata_release_schedule", _context(), {"id": package_id})
        state = tk.get_action("satudata_workflow_show")(_context(), {"id": package_id})["state"]
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return False
    return state == "diverifikasi_opd"
