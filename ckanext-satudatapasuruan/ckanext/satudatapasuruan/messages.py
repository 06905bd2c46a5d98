"""Message helpers shared by the plugins."""
from __future__ import annotations

__all__ = ["N_"]


def N_(msgid: str) -> str:
    """Marks a msgid for extraction (babel's default keywords); translated where it is shown."""
    return msgid
