"""Lifecycle reactions: every saved dataset is scanned by the quality rules at once.

Inline, not a background job: the rules are pure functions over the dict the action already returned
(no package_show, no HTTP), so a scan is a few SQL statements on the ticket table, milliseconds after the
save committed. A job would need a running worker and leave the board stale until it runs. Errors are
logged and rolled back; the user's save is already committed and never fails because of a scan. When the
caller defers its commit (``defer_commit``: a larger transaction is still open), the scan is left to the
nightly run rather than committing someone else's transaction.
"""
from __future__ import annotations

import contextvars
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy.exc import SQLAlchemyError

from . import config
from .scan import scan_package

__all__ = ["get_subscriptions", "dataset_saved", "SENDERS"]

log = logging.getLogger(__name__)

SENDERS = ("package_create", "package_update", "package_patch")
# package_patch ends in package_update (both signal) and returns its very dict: that dict is scanned once.
_last_scanned: contextvars.ContextVar[tuple[str, str, int] | None] = contextvars.ContextVar("satudata_quality_last",
                                                                                     default=None)


def dataset_saved(sender: str, **kwargs: Any) -> None:
    if not config.scan_on_save():
        return
    context = kwargs.get("context") or {}
    pkg = kwargs.get("result")
    if context.get("defer_commit") or not pkg:
        return
    user = context.get("auth_user_obj")
    actor_id = user.id if isinstance(user, model.User) else None
    package_id = pkg if isinstance(pkg, str) else (pkg.get("id") if isinstance(pkg, dict) else None)
    try:
        if isinstance(pkg, str):  # return_id_only: the dataset is read once more
            pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": pkg})
        if not isinstance(pkg, dict) or not pkg.get("id"):
            return
        if pkg.get("type") not in config.dataset_types() or pkg.get("state") == "deleted":
            return
        key = (pkg["id"], str(pkg.get("metadata_modified")), id(pkg))
        if _last_scanned.get() == key:
            return
        scan_package(pkg, actor_id)
        model.repo.commit()
        _last_scanned.set(key)
    except SQLAlchemyError as err:
        model.Session.rollback()
        log.error("quality scan of dataset %s after %s failed: %s", package_id, sender, err)
    except Exception:  # noqa: BLE001 - the receiver runs inside the user's action: nothing may escape to it
        model.Session.rollback()
        log.exception("quality scan of dataset %s after %s failed", package_id, sender)


def get_subscriptions() -> dict[Any, list[Any]]:
    return {tk.signals.action_succeeded: [{"sender": s, "receiver": dataset_saved} for s in SENDERS]}
