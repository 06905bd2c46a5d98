"""Validators of the workflow's action schemas."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ..machine import Role

__all__ = ["satudata_workflow_comment_kind", "satudata_workflow_role", "satudata_workflow_note"]

COMMENT_KINDS = ("komentar", "rekomendasi")


def satudata_workflow_note(value: Any) -> Any:
    """Strip a note, so that one of blanks counts as missing (``not_empty`` then refuses it)."""
    return value.strip() if isinstance(value, str) else value


def satudata_workflow_comment_kind(value: Any) -> str:
    if value not in COMMENT_KINDS:
        raise tk.Invalid(tk._("Jenis catatan harus 'komentar' atau 'rekomendasi'"))
    return value


def satudata_workflow_role(value: Any) -> str:
    try:
        return Role(value).value
    except ValueError as err:
        raise tk.Invalid(tk._("Peran tidak dikenal; pilih salah satu: {roles}").format(
            roles=", ".join(r.value for r in Role))) from err
