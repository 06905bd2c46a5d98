"""Picking a kamus entry into a dataset: the pure part (what is filled, what differs).

A dataset says where its standar data come from in ``standar_data_asal``: ``kamus`` (taken from the kamus
entry of its ``kode_standar_data``), ``salin`` (copied by hand) or ``manual`` (written by the OPD). Saved with
``kamus``, its *empty* standar fields are filled from the entry; filled ones are kept, so a dataset keeps the
version it copied until someone picks the entry again (the form's picker replaces the fields) or empties them.
"""
from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from .records import STANDAR

__all__ = ["Origin", "ORIGIN_FIELD", "KODE_FIELD", "PICK_KEY", "normalise_kode", "blank", "fill", "same",
           "matching_version"]

ORIGIN_FIELD = "standar_data_asal"
KODE_FIELD = "kode_standar_data"
# The form's picker without JavaScript: a select posted with the dataset form (never stored).
PICK_KEY = "kamus_pilih"


class Origin(str, enum.Enum):
    KAMUS = "kamus"
    SALIN = "salin"
    MANUAL = "manual"


def normalise_kode(value: Any) -> str:
    return value.strip().upper() if isinstance(value, str) else ""


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def fill(data: Mapping[str, Any], entry: Mapping[str, Any], overwrite: bool) -> dict[str, Any]:
    """``data`` with its standar fields taken from ``entry``: the empty ones, or all with ``overwrite``."""
    out = dict(data)
    for name in STANDAR:
        if overwrite or blank(out.get(name)):
            out[name] = entry[name]
    return out


def _plain(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def same(a: Any, b: Any) -> bool:
    """Equal texts up to spacing and letter case (a re-typed definition is not a different one)."""
    return _plain(a) == _plain(b)


def matching_version(data: Mapping[str, Any], versions: list[Mapping[str, Any]]) -> int | None:
    """The newest version whose standar data the dataset carries (its non-empty fields all equal)."""
    filled = [n for n in STANDAR if not blank(data.get(n))]
    if not filled:
        return None
    for version in sorted(versions, key=lambda v: v["version"], reverse=True):
        if all(same(data.get(n), version[n]) for n in filled):
            return version["version"]
    return None
