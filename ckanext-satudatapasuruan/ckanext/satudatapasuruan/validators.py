"""Validator factories shared by the plugins' action schemas.

CKAN registers validators by name, one plugin each: every plugin keeps its own registered name (e.g.
``satudata_kamus_int_range``) and binds it to the factory here, so the rule and its message live once."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["int_range"]


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
