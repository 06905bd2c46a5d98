"""Validator factories shared by the plugins' action schemas.

CKAN registers validators by name, one plugin each: every plugin keeps its own registered name (e.g.
``satudata_kamus_int_range``) and binds it to the factory here, so the rule and its message live once."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

__all__ = ["blank", "int_range", "text", "optional_text"]


def blank(value: Any) -> bool:
    """Missing, None, or only whitespace."""
    return value is missing or value is None or (isinstance(value, str) and not value.strip())


def int_range(low: int, high: int) -> Callable[[Any], int]:
    """A whole number from ``low`` to ``high`` inclusive (a string of digits is accepted, as forms send)."""
    def validator(value: Any) -> int:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError) as err:
            raise tk.Invalid(tk._("Harus berupa bilangan bulat")) from err
        if not low <= number <= high:
            raise tk.Invalid(tk._("Harus antara {low} dan {high}").format(low=low, high=high))
        return number
    return validator


def _text(value: Any, label: str, max_length: int, squeeze: bool) -> str:
    if not isinstance(value, str):
        raise tk.Invalid(tk._("{label} harus berupa teks").format(label=tk._(label)))
    # squeeze: runs of whitespace in short one-line fields become one space (names typed or pasted)
    text = " ".join(value.split()) if squeeze and max_length <= 500 else value.strip()
    if len(text) > max_length:
        raise tk.Invalid(tk._("{label} paling banyak {max} karakter").format(label=tk._(label), max=max_length))
    return text


def text(label: str, max_length: int, *, squeeze: bool = False) -> Callable[[Any], str]:
    """Required text of at most ``max_length`` characters; ``label`` is a msgid naming the field."""
    def validator(value: Any) -> str:
        if blank(value):
            raise tk.Invalid(tk._("{label} wajib diisi").format(label=tk._(label)))
        return _text(value, label, max_length, squeeze)
    return validator


def optional_text(label: str, max_length: int, *, squeeze: bool = False) -> Callable[[Any], str]:
    """As ``text``, and an absent value is the empty string."""
    def validator(value: Any) -> str:
        if value is missing or value is None:
            return ""
        return _text(value, label, max_length, squeeze)
    return validator
