"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["ROW_LIMIT", "TABLE_ROWS", "HOME_LIMIT", "row_limit", "table_rows", "home_limit"]

ROW_LIMIT = "ckanext.satudatapasuruan.dashboard.row_limit"
TABLE_ROWS = "ckanext.satudatapasuruan.dashboard.table_rows"
HOME_LIMIT = "ckanext.satudatapasuruan.dashboard.home_limit"


def row_limit() -> int:
    return max(1, tk.config[ROW_LIMIT])


def table_rows() -> int:
    return max(1, tk.config[TABLE_ROWS])


def home_limit() -> int:
    return max(0, tk.config[HOME_LIMIT])
