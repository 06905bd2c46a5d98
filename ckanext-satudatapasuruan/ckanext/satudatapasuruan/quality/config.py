"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["SCAN_ON_SAVE", "DATASET_TYPES", "KPI_DAYS", "scan_on_save", "dataset_types", "kpi_days"]

_PREFIX = "ckanext.satudatapasuruan.quality."
SCAN_ON_SAVE = _PREFIX + "scan_on_save"
DATASET_TYPES = _PREFIX + "dataset_types"
KPI_DAYS = _PREFIX + "kpi_days"


def scan_on_save() -> bool:
    return tk.asbool(tk.config[SCAN_ON_SAVE])


def dataset_types() -> list[str]:
    value = tk.config[DATASET_TYPES]
    return value.split() if isinstance(value, str) else list(value or [])


def kpi_days() -> int:
    return max(1, int(tk.config[KPI_DAYS]))
