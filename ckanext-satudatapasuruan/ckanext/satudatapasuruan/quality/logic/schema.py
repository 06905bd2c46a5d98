"""Validation schemas of the quality actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["rule_list", "scan", "ticket_list", "by_id", "ticket_update", "ticket_comment", "kpi"]

v = tk.get_validator


def rule_list() -> dict:
    return {}


def scan() -> dict:
    return {"id": [v("ignore_missing"), v("unicode_safe")],
            "ids": [v("ignore_missing"), v("list_of_strings")],
            "all": [v("default")(False), v("boolean_validator")]}


def open_ticket_datasets() -> dict:
    return {"package_ids": [v("ignore_missing"), v("list_of_strings")]}


def ticket_list() -> dict:
    return {"organization": [v("ignore_missing"), v("unicode_safe")],
            "status": [v("ignore_missing"), v("satudata_quality_status")],
            "severity": [v("ignore_missing"), v("satudata_quality_severity")],
            "rule": [v("ignore_missing"), v("satudata_quality_rule_code")],
            "package": [v("ignore_missing"), v("unicode_safe")],
            "limit": [v("default")(100), v("satudata_quality_int_range")(1, 1000)],
            "offset": [v("default")(0), v("satudata_quality_int_range")(0, 10**9)]}


def by_id() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")]}


def ticket_update() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")],
            "status": [v("ignore_missing"), v("satudata_quality_manual_status")],
            "comment": [v("default")(""), v("unicode_safe"), v("strip_value")]}


def ticket_comment() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")],
            "text": [v("satudata_quality_comment")]}


def kpi() -> dict:
    return {"organization": [v("ignore_missing"), v("unicode_safe")],
            "months": [v("default")(12), v("satudata_quality_int_range")(1, 60)]}
