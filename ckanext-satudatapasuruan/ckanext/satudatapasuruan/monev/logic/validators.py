"""Validators of the Monev actions (registered by the blanket). Messages name their field, so a form lists
them as they are."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.validators import blank, optional_text, text

from .. import iku

__all__ = ["satudata_monev_year", "satudata_monev_code", "satudata_monev_number", "satudata_monev_date",
           "satudata_monev_text", "satudata_monev_optional_text", "satudata_monev_format"]

YEARS = (2000, 2100)


def satudata_monev_year(value: Any) -> int:
    if blank(value):
        raise tk.Invalid(tk._("Tahun wajib diisi"))
    try:
        year = int(str(value).strip())
    except ValueError:
        raise tk.Invalid(tk._("Tahun harus berupa angka empat digit")) from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise tk.Invalid(tk._("Tahun harus antara {first} dan {last}").format(first=YEARS[0], last=YEARS[1]))
    return year


def satudata_monev_code(kind: str | None = None):
    """An IKU code of ``iku.yaml`` (of the given kind: ``computed`` or ``manual``)."""
    def validator(value: Any) -> str:
        if blank(value):
            raise tk.Invalid(tk._("Kode IKU wajib diisi"))
        found = iku.get(str(value).strip())
        if found is None:
            raise tk.Invalid(tk._("Kode IKU tidak dikenal: {code}").format(code=str(value)[:40]))
        if kind == "manual" and found.kind is not iku.Kind.MANUAL:
            raise tk.Invalid(tk._("IKU {code} dihitung oleh portal dan tidak dapat diinput").format(code=found.code))
        return found.code
    return validator


def satudata_monev_number(label: str, required: bool = True):
    """A number (a decimal comma accepted) of at least 0; blank allowed when not ``required``."""
    def validator(value: Any) -> float | None:
        if blank(value):
            if required:
                raise tk.Invalid(tk._("{label} wajib diisi").format(label=tk._(label)))
            return None
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise tk.Invalid(tk._("{label} harus berupa angka").format(label=tk._(label))) from None
        if not number.is_finite() or number < 0:
            raise tk.Invalid(tk._("{label} tidak boleh negatif").format(label=tk._(label)))
        if number > Decimal(10) ** 12:
            raise tk.Invalid(tk._("{label} terlalu besar").format(label=tk._(label)))
        return float(number)
    return validator


def satudata_monev_date(label: str):
    def validator(value: Any) -> dt.date:
        if blank(value):
            raise tk.Invalid(tk._("{label} wajib diisi").format(label=tk._(label)))
        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise tk.Invalid(tk._("{label} harus berupa tanggal (TTTT-BB-HH)").format(label=tk._(label))) from None
        if day > dt.date.today() + dt.timedelta(days=1):
            raise tk.Invalid(tk._("{label} tidak boleh di masa depan").format(label=tk._(label)))
        return day
    return validator


satudata_monev_text = text
satudata_monev_optional_text = optional_text


def satudata_monev_format(value: Any) -> str:
    text = "json" if blank(value) else str(value).strip().lower()
    if text not in ("json", "csv"):
        raise tk.Invalid(tk._("Format ekspor harus csv atau json"))
    return text
