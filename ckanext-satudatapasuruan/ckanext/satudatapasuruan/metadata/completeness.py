"""Metadata completeness: the share (0-100) of weighted SDI fields that are filled and valid.

A schema marks the fields that count with ``completeness: wajib`` (required by the SDI
metadata rules) or ``completeness: anjuran`` (recommended); repeating fields can name
``completeness_subfields`` that every entry must fill.  Weights come from configuration.
The same function scores a dataset on save (validator) and lists what is missing on its page.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Score", "score", "band", "BANDS"]

# Facet bands of the score, lowest first: (label, lowest score in the band).
BANDS = (("0-49", 0), ("50-79", 50), ("80-99", 80), ("100", 100))
# Form fields whose value CKAN stores under another key (package_show has `tags`, not `tag_string`).
_STORED_AS = {"tag_string": "tags"}


@dataclass(frozen=True)
class Score:
    percent: int
    missing: tuple[dict[str, Any], ...]  # the schema fields that are empty or invalid


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip()) and value.strip() not in ("[]", "{}")
    if isinstance(value, (list, tuple, dict)):
        return bool(value)
    return True


def _field_filled(field: Mapping[str, Any], value: Any) -> bool:
    if not _filled(value):
        return False
    subfields = field.get("completeness_subfields")
    if subfields and isinstance(value, list):
        return all(isinstance(item, Mapping) and all(_filled(item.get(s)) for s in subfields) for item in value)
    return True


def score(fields: Iterable[Mapping[str, Any]], data: Mapping[str, Any], *,
          by_class: Mapping[str, int], by_field: Mapping[str, int],
          invalid: Iterable[str] = ()) -> Score:
    """Score ``data`` (a dataset dict) against the schema ``fields``.

    ``invalid`` names fields that carry validation errors: they count as missing."""
    invalid = set(invalid)
    total = earned = 0
    missing = []
    for field in fields:
        kind = field.get("completeness")
        if not kind:
            continue
        name = field["field_name"]
        weight = by_field.get(name, by_class.get(kind, 0))
        if weight <= 0:
            continue
        total += weight
        value = data.get(name)
        if not _filled(value) and name in _STORED_AS:
            value = data.get(_STORED_AS[name])
        if name not in invalid and _field_filled(field, value):
            earned += weight
        else:
            missing.append(field)
    percent = 100 if total == 0 else int(100 * earned // total)
    return Score(percent, tuple(missing))


def band(percent: int) -> str:
    label = BANDS[0][0]
    for name, low in BANDS:
        if percent >= low:
            label = name
    return label
