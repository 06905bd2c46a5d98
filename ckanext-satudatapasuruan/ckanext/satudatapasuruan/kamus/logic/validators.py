"""Validators of the kamus actions (registered by the blanket). Messages name their field, so a form lists
them as they are."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.metadata.logic.validators import satudata_kode_standar_data
from ckanext.satudatapasuruan.validators import blank, int_range, optional_text, text

__all__ = ["satudata_kamus_kode", "satudata_kamus_text", "satudata_kamus_optional_text", "satudata_kamus_satuan",
           "satudata_kamus_int_range", "satudata_kamus_entries"]


def satudata_kamus_kode(value: Any) -> str:
    """Required, in the format of the dataset field ``kode_standar_data`` (its own validator decides)."""
    if blank(value):
        raise tk.Invalid(tk._("Kode standar data wajib diisi"))
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Kode standar data harus berupa teks"))
    return satudata_kode_standar_data(value)


satudata_kamus_text = text
satudata_kamus_optional_text = optional_text


def satudata_kamus_satuan(value: Any) -> str:
    """A code of the reference vocabulary ``satuan`` (the one the dataset field uses)."""
    if blank(value):
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
