"""Template helpers of the kamus plugin (registered by the blanket)."""
from __future__ import annotations

from . import records

__all__ = ["satudata_kamus_choices"]


def satudata_kamus_choices() -> list[dict[str, str]]:
    """``[{kode, konsep}]`` of every active entry, for the dataset form's picker."""
    return records.active_choices()
