"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["PAGE_SIZE", "IMPORT_MAX_ROWS", "IMPORT_MAX_MB", "page_size", "import_max_rows", "import_max_bytes"]

_PREFIX = "ckanext.satudatapasuruan.daftardata."
PAGE_SIZE = _PREFIX + "page_size"
IMPORT_MAX_ROWS = _PREFIX + "import_max_rows"
IMPORT_MAX_MB = _PREFIX + "import_max_mb"


def page_size() -> int:
    return min(1000, max(1, int(tk.config[PAGE_SIZE])))


def import_max_rows() -> int:
    return max(1, int(tk.config[IMPORT_MAX_ROWS]))


def import_max_bytes() -> int:
    return max(1, int(tk.config[IMPORT_MAX_MB])) * 1024 * 1024
