"""Validators of the infographic actions (registered by the blanket)."""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.validators import int_range

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


satudata_infographic_int_range = int_range
