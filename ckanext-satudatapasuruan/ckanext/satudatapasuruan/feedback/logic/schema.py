"""Validation schemas of the feedback actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["request_create", "request_show", "request_list", "request_update", "request_stats", "rating_create",
           "rating_summary", "comment_list", "rating_moderate", "usage_show"]

v = tk.get_validator


def _text(length: int, required: bool = True) -> list:
    first = [v("satudata_feedback_required")] if required else [v("default")(""), v("unicode_safe")]
    return [*first, v("unicode_safe"), v("satudata_feedback_max_length")(length)]


def request_create() -> dict:
    return {
        "data": _text(2000),
        "tujuan": _text(2000),
        "nama": _text(200),
        "email": [v("satudata_feedback_required"), v("satudata_feedback_email")],
        "telepon": [v("default")(""), v("satudata_feedback_phone")],
        "organization": [v("default")(""), v("unicode_safe")],
        "situs_web": [v("default")(""), v("satudata_feedback_honeypot")],
    }


def request_show() -> dict:
    return {"nomor": [v("satudata_feedback_required"), v("unicode_safe")]}


def request_list() -> dict:
    return {
        "q": [v("default")(""), v("unicode_safe"), v("satudata_feedback_max_length")(200)],
        "status": [v("ignore_missing"), v("ignore_empty"), v("satudata_feedback_status")],
        "organization": [v("default")(""), v("unicode_safe")],
        "page": [v("default")(1), v("satudata_feedback_positive_int")(100000)],
        "limit": [v("ignore_missing"), v("satudata_feedback_positive_int")(100)],
    }


def request_update() -> dict:
    return {
        "nomor": [v("satudata_feedback_required"), v("unicode_safe")],
        "status": [v("satudata_feedback_required"), v("satudata_feedback_status")],
        "organization": [v("default")(""), v("unicode_safe")],
        "package_id": [v("default")(""), v("unicode_safe")],
        "alasan": _text(2000, required=False),
        "note": _text(2000, required=False),
    }


def request_stats() -> dict:
    return {}


def rating_create() -> dict:
    return {
        "package_id": [v("default")(""), v("unicode_safe")],
        "rating": [v("satudata_feedback_required"), v("satudata_feedback_rating")],
        "comment": _text(2000, required=False),
        "situs_web": [v("default")(""), v("satudata_feedback_honeypot")],
    }


def rating_summary() -> dict:
    return {
        "package_id": [v("default")(""), v("unicode_safe")],
        "organization": [v("default")(""), v("unicode_safe")],
        "portal": [v("default")(False), v("boolean_validator")],
        "by_organization": [v("default")(False), v("boolean_validator")],
    }


def comment_list() -> dict:
    return {
        "package_id": [v("default")(""), v("unicode_safe")],
        "portal": [v("default")(False), v("boolean_validator")],
        "status": [v("default")("disetujui"), v("satudata_feedback_comment_status")],
        "page": [v("default")(1), v("satudata_feedback_positive_int")(100000)],
        "limit": [v("default")(20), v("satudata_feedback_positive_int")(100)],
    }


def rating_moderate() -> dict:
    return {"id": [v("satudata_feedback_required"), v("unicode_safe")],
            "decision": [v("satudata_feedback_required"), v("satudata_feedback_decision")]}


def usage_show() -> dict:
    return {
        "package_id": [v("default")(""), v("unicode_safe")],
        "organization": [v("default")(""), v("unicode_safe")],
        "date_from": [v("default")(""), v("satudata_feedback_date")],
        "date_to": [v("default")(""), v("satudata_feedback_date")],
        "include_pending": [v("default")(True), v("boolean_validator")],
        "by_organization": [v("default")(False), v("boolean_validator")],
        "limit": [v("default")(100), v("satudata_feedback_positive_int")(1000)],
    }
