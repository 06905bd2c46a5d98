"""Validators of the workflow's action schemas."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk

from ..machine import Role
from ..records import RequestState

__all__ = ["satudata_workflow_comment_kind", "satudata_workflow_role", "satudata_workflow_note",
           "satudata_workflow_purpose", "satudata_workflow_decision", "satudata_workflow_expiry",
           "satudata_workflow_request_state"]

MIN_PURPOSE = 20
MAX_GRANT_DAYS = 5 * 366
DECISIONS = ("setujui", "tolak")

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


def satudata_workflow_purpose(value: Any) -> str:
    if len(value) < MIN_PURPOSE:
        raise tk.Invalid(tk._("Jelaskan tujuan penggunaan data paling sedikit {n} karakter").format(n=MIN_PURPOSE))
    return value


def satudata_workflow_decision(value: Any) -> str:
    if value not in DECISIONS:
        raise tk.Invalid(tk._("Keputusan harus 'setujui' atau 'tolak'"))
    return value


def satudata_workflow_expiry(value: Any) -> dt.date:
    """A grant's last day: a date after today, at most five years ahead."""
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError as err:
            raise tk.Invalid(tk._("Tanggal berakhir harus berbentuk TTTT-BB-HH")) from err
    today = dt.date.today()
    if day <= today:
        raise tk.Invalid(tk._("Tanggal berakhir harus setelah hari ini"))
    if (day - today).days > MAX_GRANT_DAYS:
        raise tk.Invalid(tk._("Akses paling lama lima tahun"))
    return day


def satudata_workflow_request_state(value: Any) -> str:
    try:
        return RequestState(value).value
    except ValueError as err:
        raise tk.Invalid(tk._("Status permintaan tidak dikenal; pilih salah satu: {states}").format(
            states=", ".join(s.value for s in RequestState))) from err
