"""Template helpers of the workflow plugin."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["satudata_workflow", "satudata_workflow_history", "satudata_revision", "satudata_access_requests",
           "satudata_may_read_data"]


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def satudata_workflow(package_id: str) -> dict[str, Any] | None:
    """The dataset's state and the caller's open transitions, or None when not theirs to see."""
    try:
        return tk.get_action("satudata_workflow_show")(_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def satudata_workflow_history(package_id: str) -> list[dict[str, Any]] | None:
    """The audit trail for members and reviewers, None for everyone else."""
    try:
        return tk.get_action("satudata_workflow_history")(_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def satudata_revision(package_id: str) -> dict[str, Any] | None:
    """The dataset's latest revision (with its differences) for reviewers, else None."""
    try:
        return tk.get_action("satudata_revision_show")(_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def satudata_access_requests(package_id: str) -> list[dict[str, Any]]:
    """Access requests of a dataset, for its OPD and the walidata; empty for everyone else."""
    try:
        return tk.get_action("satudata_access_request_list")(_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return []


def satudata_may_read_data(package_id: str) -> bool:
    from ckan import model

    from .access import may_read_data

    package = model.Package.get(package_id)
    user = tk.current_user if isinstance(tk.current_user, model.User) else None
    return package is not None and may_read_data(user, package)
