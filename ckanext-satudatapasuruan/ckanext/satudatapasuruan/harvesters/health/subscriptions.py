"""Reactions to CKAN signals: a harvest source saved (form, API, ``harvest_source_*``) gets its next run on
the schedule's boundary at once, not only at the next scheduler tick."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types

from . import schedule

__all__ = ["get_subscriptions", "source_saved"]


def get_subscriptions() -> types.SignalMapping:
    # harvest_source_create/update/patch save through package_create/update, which also serve the forms.
    return {tk.signals.action_succeeded: [{"sender": "package_create", "receiver": source_saved},
                                          {"sender": "package_update", "receiver": source_saved}]}


def source_saved(sender: str, **kwargs: Any) -> None:
    result, context = kwargs.get("result"), kwargs.get("context") or {}
    if not isinstance(result, dict) or result.get("type") != "harvest" or context.get("defer_commit"):
        return
    schedule.align(result["id"])
