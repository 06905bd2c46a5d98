"""Validators of the quality actions (registered by the blanket)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.validators import int_range

from .. import rules
from ..records import Status

__all__ = ["satudata_quality_status", "satudata_quality_manual_status", "satudata_quality_severity",
           "satudata_quality_rule_code", "satudata_quality_int_range", "satudata_quality_comment"]

MAX_COMMENT = 4000


def satudata_quality_status(value: Any) -> str:
    text = str(value or "").strip()
    if text not in {s.value for s in Status}:
        raise tk.Invalid(tk._("Status tidak dikenal: pilih terbuka, dikerjakan atau selesai"))
    return text


def satudata_quality_manual_status(value: Any) -> str:
    """What a person may set: terbuka or dikerjakan; selesai comes only from a rescan that passes."""
    text = satudata_quality_status(value)
    if text == Status.SELESAI.value:
        raise tk.Invalid(tk._("Status selesai diberikan otomatis saat pemindaian ulang lolos: perbaiki metadatanya "
                              "lalu simpan dataset"))
    return text


def satudata_quality_severity(value: Any) -> str:
    text = str(value or "").strip()
    if text not in {s.value for s in rules.Severity}:
        raise tk.Invalid(tk._("Tingkat keparahan tidak dikenal: pilih kritis, tinggi atau sedang"))
    return text


def satudata_quality_rule_code(value: Any) -> str:
    text = str(value or "").strip().upper()
    if rules.get(text) is None:
        raise tk.Invalid(tk._("Aturan mutu tidak dikenal: {code}").format(code=text[:20]))
    return text


satudata_quality_int_range = int_range


def satudata_quality_comment(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise tk.Invalid(tk._("Komentar tidak boleh kosong"))
    if len(text) > MAX_COMMENT:
        raise tk.Invalid(tk._("Komentar paling banyak {max} karakter").format(max=MAX_COMMENT))
    return text
