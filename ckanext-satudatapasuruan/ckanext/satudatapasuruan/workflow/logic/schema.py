"""Validation schemas of the workflow actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["transition", "comment", "role_change", "role_list", "access_request_create", "access_request_decide",
           "access_request_revoke", "access_request_list", "harvest_policy_set", "harvest_land"]

v = tk.get_validator


def transition(note_required: bool = False) -> dict:
    note = [v("satudata_workflow_note"), v("not_empty"), v("unicode_safe")] if note_required \
        else [v("ignore_missing"), v("unicode_safe"), v("satudata_workflow_note")]
    return {"id": [v("not_empty"), v("unicode_safe")], "note": note}


def comment() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")],
            "note": [v("satudata_workflow_note"), v("not_empty"), v("unicode_safe")],
            "kind": [v("default")("komentar"), v("satudata_workflow_comment_kind")]}


def role_change() -> dict:
    return {"user": [v("not_empty"), v("unicode_safe")],
            "role": [v("not_empty"), v("satudata_workflow_role")],
            "organization": [v("ignore_missing"), v("unicode_safe")]}


def role_list() -> dict:
    return {"user": [v("ignore_missing"), v("unicode_safe")]}


def access_request_create() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")],
            "purpose": [v("satudata_workflow_note"), v("not_empty"), v("unicode_safe"),
                        v("satudata_workflow_purpose")]}


def access_request_decide() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")],
            "decision": [v("not_empty"), v("satudata_workflow_decision")],
            "note": [v("ignore_missing"), v("unicode_safe"), v("satudata_workflow_note")],
            "expires": [v("ignore_missing"), v("satudata_workflow_expiry")]}


def access_request_revoke() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")],
            "note": [v("satudata_workflow_note"), v("not_empty"), v("unicode_safe")]}


def access_request_list() -> dict:
    return {"id": [v("ignore_missing"), v("unicode_safe")],
            "state": [v("ignore_missing"), v("satudata_workflow_request_state")]}


def harvest_policy_set() -> dict:
    return {"source_id": [v("not_empty"), v("unicode_safe")],
            "publish_directly": [v("not_missing"), v("boolean_validator")]}


def harvest_land() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")], "source_id": [v("not_empty"), v("unicode_safe")]}
