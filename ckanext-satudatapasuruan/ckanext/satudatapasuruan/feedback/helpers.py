"""Template helpers of the feedback plugin (the dataset page's usage line and rating panel, status labels)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import notify
from .records import Status

__all__ = ["satudata_feedback_usage", "satudata_feedback_rating_summary", "satudata_feedback_comments",
           "satudata_feedback_may_rate", "satudata_feedback_status_label", "satudata_feedback_statuses"]


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def satudata_feedback_usage(package_id: str) -> dict[str, int] | None:
    """{view, download, scan} of a dataset the current user may see (all days, pending counts too), else None."""
    try:
        result = tk.get_action("satudata_usage_show")(_context(), {"package_id": package_id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    return result["totals"]


def satudata_feedback_rating_summary(package_id: str | None = None) -> dict[str, Any] | None:
    """The rating summary of a dataset the user may see (or of the portal with no id), else None."""
    data = {"package_id": package_id} if package_id else {"portal": True}
    try:
        return tk.get_action("satudata_rating_summary")(_context(), data)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def satudata_feedback_comments(package_id: str, limit: int = 5) -> list[dict[str, Any]]:
    """The newest approved comments of a dataset the user may see."""
    try:
        return tk.get_action("satudata_rating_comment_list")(_context(), {"package_id": package_id,
                                                                          "limit": int(limit)})["results"]
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return []


def satudata_feedback_may_rate(pkg: dict[str, Any]) -> bool:
    """Only datasets open to the public get the rating form (never a private or rahasia one)."""
    return bool(pkg) and not pkg.get("private") and pkg.get("state", "active") == "active"


def satudata_feedback_status_label(status: str) -> str:
    try:
        return tk._(notify.STATUS_LABELS[Status(status)])
    except ValueError:
        return status


def satudata_feedback_statuses() -> list[tuple[str, str]]:
    return [(s.value, tk._(notify.STATUS_LABELS[s])) for s in Status]
