"""Validators of the sync-health actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["satudata_harvest_history"]

MAX_HISTORY = 100


def satudata_harvest_history(value: int) -> int:
    """Number of recent runs to list: 1 to 100 (after ``int_validator``, which reports non-numbers itself)."""
    if isinstance(value, int) and not 1 <= value <= MAX_HISTORY:
        raise tk.Invalid(tk._("Jumlah riwayat harus antara 1 dan {max}").format(max=MAX_HISTORY))
    return value
