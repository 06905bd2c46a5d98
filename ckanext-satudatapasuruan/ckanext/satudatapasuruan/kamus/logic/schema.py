"""Validation schemas of the kamus actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.messages import N_

from .. import config

__all__ = ["LABELS", "MAX_LENGTH", "entry_create", "entry_update", "entry_delete", "entry_show", "entry_list",
           "by_kode", "entry_import"]

v = tk.get_validator

LABELS = {"kode": N_("Kode standar data"), "konsep": N_("Konsep"), "definisi": N_("Definisi"),
          "klasifikasi": N_("Klasifikasi"), "ukuran": N_("Ukuran"), "satuan": N_("Satuan"),
          "dasar_hukum": N_("Dasar hukum"), "note": N_("Catatan perubahan")}
MAX_LENGTH = {"konsep": 200, "definisi": 4000, "klasifikasi": 500, "ukuran": 100, "dasar_hukum": 500, "note": 1000}
_TEXTS = ("konsep", "definisi", "klasifikasi", "ukuran")


def _required(name: str) -> list:
    return [v("satudata_kamus_text")(LABELS[name], MAX_LENGTH[name])]


def _optional(name: str) -> list:
    return [v("satudata_kamus_optional_text")(LABELS[name], MAX_LENGTH[name])]


def entry_create() -> dict:
    schema = {"kode": [v("satudata_kamus_kode")], "satuan": [v("satudata_kamus_satuan")],
              "dasar_hukum": _optional("dasar_hukum"), "note": _optional("note")}
    schema.update({name: _required(name) for name in _TEXTS})
    return schema


def entry_update() -> dict:
    schema = {"kode": [v("satudata_kamus_kode")], "satuan": [v("ignore_missing"), v("satudata_kamus_satuan")],
              "dasar_hukum": [v("ignore_missing"), *_optional("dasar_hukum")], "note": _optional("note"),
              "version": [v("ignore_missing"), v("satudata_kamus_int_range")(1, 10**6)],
              "aktifkan": [v("default")(False), v("boolean_validator")]}
    schema.update({name: [v("ignore_missing"), *_required(name)] for name in _TEXTS})
    return schema


def entry_delete() -> dict:
    return {"kode": [v("satudata_kamus_kode")],
            "note": [v("satudata_kamus_text")(N_("Alasan pensiun"), MAX_LENGTH["note"])]}


def by_kode() -> dict:
    return {"kode": [v("satudata_kamus_kode")]}


def entry_show() -> dict:
    return {"kode": [v("satudata_kamus_kode")],
            "version": [v("ignore_missing"), v("satudata_kamus_int_range")(1, 10**6)]}


def entry_list() -> dict:
    return {"q": [v("default")(""), v("satudata_kamus_optional_text")(N_("Kata pencarian"), 200)],
            "include_retired": [v("default")(False), v("boolean_validator")],
            "limit": [v("default")(config.page_size()), v("satudata_kamus_int_range")(1, 1000)],
            "offset": [v("default")(0), v("satudata_kamus_int_range")(0, 10**9)]}


def entry_import() -> dict:
    return {"entries": [v("satudata_kamus_entries")], "note": _optional("note")}
