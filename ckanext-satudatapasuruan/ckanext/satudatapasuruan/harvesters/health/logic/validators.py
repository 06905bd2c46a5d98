"""Validators of the sync-health actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["satudata_harvest_history", "satudata_harvest_flag"]

MAX_HISTORY = 100


def satudata_harvest_history(value: int) -> int:
    """Number of recent runs to list: 1 to 100 (after ``int_validator``, which reports non-numbers itself)."""
    if isinstance(value, int) and not 1 <= value <= MAX_HISTORY:
        raise tk.Invalid(tk._("Jumlah riwayat harus antara 1 dan {max}").format(max=MAX_HISTORY))
    return value


_FLAGS = {"true": True, "1": True, "ya": True, "false": False, "0": False, "tidak": False}


def satudata_harvest_flag(value) -> bool:
    """A strict boolean: true/false, 1/0 or ya/tidak (a typo is an error, not a silent false)."""
    if isinstance(value, bool):
        return value
    flag = _FLAGS.get(str(value).strip().lower())
    if flag is None:
        raise tk.Invalid(tk._("Nilai harus true atau false"))
    return flag
