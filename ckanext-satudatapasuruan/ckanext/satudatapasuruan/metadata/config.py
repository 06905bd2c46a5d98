"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["WEIGHT_WAJIB", "WEIGHT_ANJURAN", "FIELD_WEIGHTS", "completeness_weights"]

WEIGHT_WAJIB = "ckanext.satudatapasuruan.completeness.weight_wajib"
WEIGHT_ANJURAN = "ckanext.satudatapasuruan.completeness.weight_anjuran"
FIELD_WEIGHTS = "ckanext.satudatapasuruan.completeness.field_weights"


def completeness_weights() -> tuple[dict[str, int], dict[str, int]]:
    """(weight per completeness class, weight per field name) from configuration."""
    by_class = {"wajib": tk.config[WEIGHT_WAJIB], "anjuran": tk.config[WEIGHT_ANJURAN]}
    by_field = {}
    for pair in (tk.config[FIELD_WEIGHTS] or "").split():
        name, _sep, weight = pair.partition(":")
        try:
            by_field[name] = int(weight)
        except ValueError as err:
            raise tk.ValidationError({FIELD_WEIGHTS: [f"'{pair}' bukan pasangan kolom:bobot"]}) from err
    return by_class, by_field
