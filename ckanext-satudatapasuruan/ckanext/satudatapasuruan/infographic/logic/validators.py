"""Validators of the infographic actions (registered by the blanket)."""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

from ..render import HEX_COLOUR

__all__ = ["satudata_infographic_colour", "satudata_infographic_layout", "satudata_infographic_template_name",
           "satudata_infographic_int_range"]

LAYOUTS = ("portrait", "landscape")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")


def satudata_infographic_colour(value: Any) -> str:
    text = str(value or "").strip()
    if not HEX_COLOUR.match(text):
        raise tk.Invalid(tk._("Warna harus berbentuk #rrggbb, mis. #0b4f6c"))
    return text.lower()


def satudata_infographic_layout(value: Any) -> str:
    if value not in LAYOUTS:
        raise tk.Invalid(tk._("Tata letak harus 'portrait' (tegak) atau 'landscape' (mendatar)"))
    return value


def satudata_infographic_template_name(value: Any) -> str:
    text = str(value or "").strip()
    if not _NAME.match(text):
        raise tk.Invalid(tk._("Nama templat 3–60 karakter: huruf kecil, angka dan tanda hubung"))
    return text


def satudata_infographic_int_range(low: int, high: int):
    def validator(value: Any) -> int:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError) as err:
            raise tk.Invalid(tk._("Harus berupa bilangan bulat")) from err
        if not low <= number <= high:
            raise tk.Invalid(tk._("Harus antara {low} dan {high}").format(low=low, high=high))
        return number
    return validator
