"""Validation schemas of the workflow actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["transition", "comment", "role_change", "role_list", "access_request_create", "access_request_decide",
           "access_request_revoke", "access_request_list"]

_ = tk.get_validator


def transition(note_required: bool = False) -> dict:
    note = [_("satudata_workflow_note"), _("not_empty"), _("unicode_safe")] if note_required \
        else [_("ignore_missing"), _("unicode_safe"), _("satudata_workflow_note")]
    return {"id": [_("not_empty"), _("unicode_safe")], "note": note}


def comment() -> dict:
    return {"id": [_("not_empty"), _("unicode_safe")],
            "note": [_("satudata_workflow_note"), _("not_empty"), _("unicode_safe")],
            "kind": [_("default")("komentar"), _("satudata_workflow_comment_kind")]}


def role_change() -> dict:
    return {"user": [_("not_empty"), _("unicode_safe")],
            "role": [_("not_empty"), _("satudata_workflow_role")],
            "organization": [_("ignore_missing"), _("unicode_safe")]}


def role_list() -> dict:
    return {"user": [_("ignore_missing"), _("unicode_safe")]}


def access_request_create() -> dict:
    return {"id": [_("not_empty"), _("unicode_safe")],
            "purpose": [_("satudata_workflow_note"), _("not_empty"), _("unicode_safe"),
                        _("satudata_workflow_purpose")]}


def access_request_decide() -> dict:
    return {"id": [_("not_empty"), _("unicode_safe")],
            "decision": [_("not_empty"), _("satudata_workflow_decision")],
            "note": [_("ignore_missing"), _("unicode_safe"), _("satudata_workflow_note")],
            "expires": [_("ignore_missing"), _("satudata_workflow_expiry")]}


def access_request_revoke() -> dict:
    return {"id": [_("not_empty"), _("unicode_safe")],
            "note": [_("satudata_workflow_note"), _("not_empty"), _("unicode_safe")]}


def access_request_list() -> dict:
    return {"id": [_("ignore_missing"), _("unicode_safe")],
            "state": [_("ignore_missing"), _("satudata_workflow_request_state")]}
