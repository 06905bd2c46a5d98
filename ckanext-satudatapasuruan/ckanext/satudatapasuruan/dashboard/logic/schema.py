"""Validation schemas of the dashboard actions, and the Indonesian message for each field's error."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.messages import N_

from ..model import Aggregation, ChartType

__all__ = ["TITLE_MAX", "MESSAGES", "indicator_create", "indicator_update", "indicator_id", "indicator_list",
           "indicator_reorder", "source_show"]

v = tk.get_validator
TITLE_MAX = 200

# One clear message per field, whichever core validator refused it.
MESSAGES = {
    "id": N_("Indikator tidak ditemukan"),
    "resource_id": N_("Isikan ID atau alamat (URL) sumber data"),
    "title": N_("Isikan judul indikator (paling banyak 200 karakter)"),
    "label_field": N_("Pilih kolom label (sumbu kategori)"),
    "value_field": N_("Pilih kolom nilai (angka)"),
    "chart_type": N_("Jenis grafik harus batang (bar) atau garis (line)"),
    "aggregation": N_("Agregasi harus tanpa agregasi (none) atau dijumlahkan per label (sum)"),
    "sort_order": N_("Urutan harus bilangan bulat"),
    "limit": N_("Batas harus bilangan bulat positif"),
    "include_data": N_("include_data harus true atau false"),
    "order": N_("Urutan harus berupa daftar ID indikator"),
}


def _message(key: str) -> str:
    # Looked up, then translated: a subscript inside _() would make babel extract the key as a msgid.
    message = MESSAGES[key]
    return tk._(message)


def _max_title(value: Any) -> Any:
    if isinstance(value, str) and len(value) > TITLE_MAX:
        raise tk.Invalid(_message("title"))
    return value


def _id_list(value: Any) -> list[str]:
    """A list of ids, or one string of ids separated by commas or spaces (a form field)."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, (list, tuple)) or not value or not all(isinstance(i, str) and i for i in value):
        raise tk.Invalid(_message("order"))
    return [i.strip() for i in value]


def _fields(required: bool) -> dict[str, list]:
    first = v("not_empty") if required else v("ignore_missing")
    return {
        "resource_id": [first, v("unicode_safe"), v("strip_value")],
        "title": [first, v("unicode_safe"), v("strip_value"), v("not_empty"), _max_title],
        "label_field": [first, v("unicode_safe"), v("strip_value")],
        "value_field": [first, v("unicode_safe"), v("strip_value")],
        "chart_type": [v("default")(ChartType.BAR.value) if required else v("ignore_missing"),
                       v("one_of")([c.value for c in ChartType])],
        "aggregation": [v("default")(Aggregation.NONE.value) if required else v("ignore_missing"),
                        v("one_of")([a.value for a in Aggregation])],
        "sort_order": [v("default")(0) if required else v("ignore_missing"), v("int_validator")],
    }


def indicator_create() -> dict:
    return _fields(required=True)


def indicator_update() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")], **_fields(required=False)}


def indicator_id() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")],
            "include_data": [v("default")(True), v("boolean_validator")]}


def indicator_list() -> dict:
    return {"limit": [v("ignore_missing"), v("natural_number_validator")],
            "include_data": [v("default")(False), v("boolean_validator")]}


def indicator_reorder() -> dict:
    return {"order": [v("not_missing"), _id_list]}


def source_show() -> dict:
    return {"resource_id": [v("not_empty"), v("unicode_safe"), v("strip_value")]}
