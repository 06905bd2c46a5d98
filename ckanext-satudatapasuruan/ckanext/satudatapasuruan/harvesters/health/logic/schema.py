"""Validation schemas of the sync-health actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["health_show", "health_list", "kpi"]

v = tk.get_validator


def health_show() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")],
            "history": [v("ignore_missing"), v("int_validator"), v("satudata_harvest_history")]}


def health_list() -> dict:
    return {}


def kpi() -> dict:
    return {"include_datasets": [v("default")(False), v("satudata_harvest_flag")]}
