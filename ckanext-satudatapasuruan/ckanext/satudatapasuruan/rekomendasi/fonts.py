"""The TrueType fonts of the letter and the stamp, registered with reportlab once per process."""
from __future__ import annotations

import logging
import os

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

__all__ = ["Fonts", "fonts"]

log = logging.getLogger(__name__)

_registered: dict[str, str] = {}


def _register(path: str, fallback: str) -> str:
    """The reportlab name of the font at ``path``; ``fallback`` (a standard PDF font) when it cannot be read."""
    if not path:
        return fallback
    if path in _registered:
        return _registered[path]
    name = fallback
    if os.path.isfile(path):
        candidate = "Satudata-" + os.path.splitext(os.path.basename(path))[0]
        try:
            pdfmetrics.registerFont(TTFont(candidate, path))
            name = candidate
        except (TTFError, OSError, ValueError) as err:
            log.warning("font %s unusable, %s instead: %s", path, fallback, err)
    _registered[path] = name
    return name


class Fonts:
    def __init__(self, regular: str, bold: str) -> None:
        self.regular = _register(regular, "Helvetica")
        self.bold = _register(bold, "Helvetica-Bold")


def fonts(regular: str, bold: str) -> Fonts:
    return Fonts(regular, bold)
