"""Validation schemas of the Monev actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.messages import N_

from . import validators as mv

__all__ = ["LABELS", "show", "export", "target_update", "target_series", "manual_update", "manual_delete",
           "challenge_create", "challenge_update", "challenge_delete", "audit_list"]

v = tk.get_validator

LABELS = {"value": N_("Nilai"), "target": N_("Target"), "source": N_("Sumber"), "measured_on": N_("Tanggal data"),
          "note": N_("Catatan"), "tantangan": N_("Tantangan"), "tindak_lanjut": N_("Tindak lanjut")}


def show() -> dict:
    return {"year": [v("ignore_missing"), mv.satudata_monev_year]}


def export() -> dict:
    return {"year": [v("ignore_missing"), mv.satudata_monev_year], "format": [mv.satudata_monev_format]}


def target_update() -> dict:
    return {"code": [mv.satudata_monev_code()], "year": [mv.satudata_monev_year],
            "value": [mv.satudata_monev_number(LABELS["target"], required=False)],
            "note": [mv.satudata_monev_optional_text(LABELS["note"], 1000)]}


def target_series() -> dict:
    return {"code": [mv.satudata_monev_code()], "series": [v("not_empty"), v("unicode_safe")]}


def manual_update() -> dict:
    return {"code": [mv.satudata_monev_code("manual")], "year": [mv.satudata_monev_year],
            "value": [mv.satudata_monev_number(LABELS["value"])],
            "source": [mv.satudata_monev_text(LABELS["source"], 500)],
            "measured_on": [mv.satudata_monev_date(LABELS["measured_on"])],
            "note": [mv.satudata_monev_optional_text(LABELS["note"], 1000)]}


def manual_delete() -> dict:
    return {"code": [mv.satudata_monev_code("manual")], "year": [mv.satudata_monev_year]}


def challenge_create() -> dict:
    return {"year": [mv.satudata_monev_year], "tantangan": [mv.satudata_monev_text(LABELS["tantangan"], 4000)],
            "tindak_lanjut": [mv.satudata_monev_text(LABELS["tindak_lanjut"], 4000)]}


def challenge_update() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")], **challenge_create()}


def challenge_delete() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")]}


def audit_list() -> dict:
    return {"kind": [v("ignore_missing"), v("unicode_safe"), v("one_of")(["target", "manual", "tantangan"])],
            "ref": [v("ignore_missing"), v("unicode_safe")],
            "limit": [v("default")(100), v("int_validator"), v("limit_to_configured_maximum")("", 1000)]}
