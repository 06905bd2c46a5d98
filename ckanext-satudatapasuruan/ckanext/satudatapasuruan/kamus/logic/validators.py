"""Validators of the kamus actions (registered by the blanket). Messages name their field, so a form lists
them as they are."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.metadata.logic.validators import satudata_kode_standar_data
from ckanext.satudatapasuruan.validators import int_range

__all__ = ["satudata_kamus_kode", "satudata_kamus_text", "satudata_kamus_optional_text", "satudata_kamus_satuan",
           "satudata_kamus_int_range", "satudata_kamus_entries"]


def _blank(value: Any) -> bool:
    return value is missing or value is None or (isinstance(value, str) and not value.strip())


def satudata_kamus_kode(value: Any) -> str:
    """Required, in the format of the dataset field ``kode_standar_data`` (its own validator decides)."""
    if _blank(value):
        raise tk.Invalid(tk._("Kode standar data wajib diisi"))
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Kode standar data harus berupa teks"))
    return satudata_kode_standar_data(value)


def _text(value: Any, label: str, max_length: int) -> str:
    if not isinstance(value, str):
        raise tk.Invalid(tk._("{label} harus berupa teks").format(label=tk._(label)))
    text = value.strip()
    if len(text) > max_length:
        raise tk.Invalid(tk._("{label} paling banyak {max} karakter").format(label=tk._(label), max=max_length))
    return text


def satudata_kamus_text(label: str, max_length: int):
    """Required text of at most ``max_length`` characters; ``label`` is a msgid naming the field."""
    def validator(value: Any) -> str:
        if _blank(value):
            raise tk.Invalid(tk._("{label} wajib diisi").format(label=tk._(label)))
        return _text(value, label, max_length)
    return validator


def satudata_kamus_optional_text(label: str, max_length: int):
    def validator(value: Any) -> str:
        if value is missing or value is None:
            return ""
        return _text(value, label, max_length)
    return validator


def satudata_kamus_satuan(value: Any) -> str:
    """A code of the reference vocabulary ``satuan`` (the one the dataset field uses)."""
    if _blank(value):
        raise tk.Invalid(tk._("Satuan wajib diisi"))
    code = str(value).strip()
    if refdata.lookup("satuan", code) is None:
        raise tk.Invalid(tk._("Satuan \u201c{value}\u201d tidak ada dalam daftar satuan baku").format(value=code[:40]))
    return code


satudata_kamus_int_range = int_range


def satudata_kamus_entries(value: Any) -> list[dict[str, Any]]:
    """The rows of an import: a non-empty list of objects."""
    if not isinstance(value, list) or not value:
        raise tk.Invalid(tk._("Sertakan daftar entri (paling sedikit satu)"))
    if not all(isinstance(item, dict) for item in value):
        raise tk.Invalid(tk._("Setiap entri harus berupa objek dengan kolom kode, konsep, definisi, klasifikasi, "
                              "ukuran dan satuan"))
    return value
