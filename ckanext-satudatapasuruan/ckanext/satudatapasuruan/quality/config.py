"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["SCAN_ON_SAVE", "DATASET_TYPES", "KPI_DAYS", "GATE_ENABLED", "GATE_MIN_COMPLETENESS", "GATE_DATASET_TYPES",
           "scan_on_save", "dataset_types", "gate_dataset_types", "kpi_days", "gate_enabled", "gate_min_completeness"]

_PREFIX = "ckanext.satudatapasuruan.quality."
SCAN_ON_SAVE = _PREFIX + "scan_on_save"
DATASET_TYPES = _PREFIX + "dataset_types"
KPI_DAYS = _PREFIX + "kpi_days"
GATE_ENABLED = _PREFIX + "publish_gate.enabled"
GATE_MIN_COMPLETENESS = _PREFIX + "publish_gate.min_completeness"
GATE_DATASET_TYPES = _PREFIX + "publish_gate.dataset_types"


def scan_on_save() -> bool:
    return tk.asbool(tk.config[SCAN_ON_SAVE])


def _types(key: str) -> list[str]:
    value = tk.config[key]
    return value.split() if isinstance(value, str) else list(value or [])


def dataset_types() -> list[str]:
    return _types(DATASET_TYPES)


def gate_dataset_types() -> list[str]:
    return _types(GATE_DATASET_TYPES)


def kpi_days() -> int:
    return max(1, int(tk.config[KPI_DAYS]))


def gate_enabled() -> bool:
    return tk.asbool(tk.config[GATE_ENABLED])


def gate_min_completeness() -> int:
    return min(100, max(0, int(tk.config[GATE_MIN_COMPLETENESS])))
