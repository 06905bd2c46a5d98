"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["PAGE_SIZE", "FILL_ON_SAVE", "page_size", "fill_on_save"]

_PREFIX = "ckanext.satudatapasuruan.kamus."
PAGE_SIZE = _PREFIX + "page_size"
FILL_ON_SAVE = _PREFIX + "fill_on_save"


def page_size() -> int:
    return min(1000, max(1, int(tk.config[PAGE_SIZE])))


def fill_on_save() -> bool:
    return tk.asbool(tk.config[FILL_ON_SAVE])
