"""Validation schemas of the workflow actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["transition", "comment", "role_change", "role_list"]

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
