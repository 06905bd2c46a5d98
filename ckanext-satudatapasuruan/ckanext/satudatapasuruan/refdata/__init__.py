"""Shared reference data (kode referensi): wilayah, urusan, frekuensi, satuan.

Each vocabulary is a CSV file under ``data/`` (sources and licences in ``data/SOURCES.md``), read once through
``importlib.resources`` so it works from an installed wheel as well as from a checkout. The module imports
nothing from CKAN, so validators, helpers, harvesters and scripts can all use it.

Labels (:func:`label`, :func:`choices`):

* ``id`` gives the Indonesian name, ``en`` (or ``en_GB``, ``en-US``...) the English label, falling back to the
  Indonesian name where a row has none; an unknown code falls back to the code itself.
* ``wilayah`` names are proper names, the same in every language. A kabupaten or kecamatan shows its name
  ("Kabupaten Pasuruan", "Bangil"); a desa/kelurahan shows "<desa>, <kecamatan>" ("Kalirejo, Bangil"),
  because several desa in the regency share a name and only the kecamatan tells them apart.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

__all__ = [
    "BBOX",
    "REGENCY_CODE",
    "URUSAN_KELOMPOK",
    "VOCABULARIES",
    "Entry",
    "choices",
    "bilingual_choices",
    "clear_cache",
    "desa",
    "entries",
    "in_bbox",
    "kecamatan",
    "label",
    "lookup",
    "normalize_wilayah_code",
]

REGENCY_CODE = "35.14"
# (min_lon, min_lat, max_lon, max_lat): 112°30'–113°30' E, 7°30'–8°30' S per the regency's own description.
BBOX = (112.5, -8.5, 113.5, -7.5)

# Column holding the code/name/English label/parent/level per vocabulary; any other column lands in `extra`.
_SPEC: dict[str, dict[str, str | None]] = {
    "wilayah": {"label_en": None, "parent": "induk", "level": "tingkat"},
    "urusan": {"label_en": "label_en", "parent": None, "level": "kelompok"},
    "frekuensi": {"label_en": "label_en", "parent": None, "level": None},
    "satuan": {"label_en": "label_en", "parent": None, "level": None},
}
VOCABULARIES: tuple[str, ...] = tuple(_SPEC)

# Groups of urusan codes (the first digit of the code) in Permendagri 90/2019: slug -> (Indonesian, English).
URUSAN_KELOMPOK: Mapping[str, tuple[str, str]] = MappingProxyType({
    "wajib_pelayanan_dasar": ("Urusan Pemerintahan Wajib yang Berkaitan dengan Pelayanan Dasar",
                              "Mandatory affairs related to basic services"),
    "wajib_non_pelayanan_dasar": ("Urusan Pemerintahan Wajib yang Tidak Berkaitan dengan Pelayanan Dasar",
                                  "Mandatory affairs not related to basic services"),
    "pilihan": ("Urusan Pemerintahan Pilihan", "Optional affairs"),
    "pendukung": ("Unsur Pendukung Urusan Pemerintahan", "Supporting elements of government affairs"),
    "penunjang": ("Unsur Penunjang Urusan Pemerintahan", "Auxiliary elements of government affairs"),
    "pengawasan": ("Unsur Pengawasan Urusan Pemerintahan", "Oversight elements of government affairs"),
    "kewilayahan": ("Unsur Kewilayahan", "Territorial elements"),
    "pemerintahan_umum": ("Unsur Pemerintahan Umum", "General government elements"),
})

_WILAYAH_GROUPS = (2, 2, 2, 4)  # digits per level: provinsi, kabupaten/kota, kecamatan, desa/kelurahan
_DOTTED = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")
_UNDOTTED_LENGTHS = {2, 4, 6, 10}


@dataclass(frozen=True)
class Entry:
    """One row of a vocabulary."""

    code: str
    name: str
    label_en: str
    parent: str | None = None
    level: str | None = None
    # Excluded from eq/hash: a mapping is not hashable, and the code already identifies the row.
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), compare=False)


def _check(vocab: str) -> None:
    if vocab not in _SPEC:
        raise ValueError(f"unknown vocabulary {vocab!r}; expected one of {', '.join(VOCABULARIES)}")


def _read_text(vocab: str) -> str:
    return (resources.files(__name__) / "data" / f"{vocab}.csv").read_text(encoding="utf-8")


@cache
def entries(vocab: str) -> tuple[Entry, ...]:
    """All rows of `vocab` ("wilayah", "urusan", "frekuensi", "satuan"), in file order."""
    _check(vocab)
    spec = _SPEC[vocab]
    used = {"kode", "nama", *(c for c in spec.values() if c)}
    rows = []
    for row in csv.DictReader(io.StringIO(_read_text(vocab))):
        name = row["nama"].strip()
        rows.append(Entry(
            code=row["kode"].strip(),
            name=name,
            label_en=(row.get(spec["label_en"] or "") or "").strip() or name,
            parent=(row.get(spec["parent"] or "") or "").strip() or None,
            level=(row.get(spec["level"] or "") or "").strip() or None,
            extra=MappingProxyType({k: (v or "").strip() for k, v in row.items() if k not in used}),
        ))
    return tuple(rows)


@cache
def _index(vocab: str) -> Mapping[str, Entry]:
    return MappingProxyType({e.code: e for e in entries(vocab)})


def clear_cache() -> None:
    """Forget the loaded files (after `satudata-refdata update-wilayah` rewrote one)."""
    entries.cache_clear()
    _index.cache_clear()
    bilingual_choices.cache_clear()


@cache
def bilingual_choices(vocab: str) -> tuple[dict[str, Any], ...]:
    """Every code of `vocab` with its label in both languages (regions without the regency itself), built once:
    scheming asks for a field's choices on every validation and every page that shows the field. Shared between
    callers, who must not change them (plain dicts: scheming's label helpers want a dict)."""
    return tuple({"value": e.code, "label": {"id": _entry_label(vocab, e, "id"), "en": _entry_label(vocab, e, "en")}}
                 for e in entries(vocab) if not (vocab == "wilayah" and e.level == "kabupaten"))


def normalize_wilayah_code(text: object) -> str | None:
    """Return the dotted Kemendagri form of a region code, or None if `text` does not have its shape.

    Accepts the dotted form ("35.14.14.1001") and the plain digits ("3514141001", "351414") of a provinsi,
    kabupaten/kota, kecamatan or desa code, with surrounding whitespace. Only the shape is checked: use
    :func:`lookup` to know whether the code exists.
    """
    if text is None:
        return None
    value = str(text).strip()
    if _DOTTED.fullmatch(value):
        return value
    if not value.isdigit() or not value.isascii() or len(value) not in _UNDOTTED_LENGTHS:
        return None
    parts, start = [], 0
    for size in _WILAYAH_GROUPS:
        if start >= len(value):
            break
        parts.append(value[start:start + size])
        start += size
    return ".".join(parts)


def lookup(vocab: str, code: str) -> Entry | None:
    """The entry for `code` in `vocab`, or None. Wilayah codes may be given without dots."""
    _check(vocab)
    if vocab == "wilayah":
        code = normalize_wilayah_code(code) or ""
    return _index(vocab).get((code or "").strip())


def _is_en(lang: str | None) -> bool:
    return (lang or "").lower().replace("-", "_").split("_")[0] == "en"


def _entry_label(vocab: str, entry: Entry, lang: str) -> str:
    if vocab == "wilayah":
        if entry.level == "desa" and entry.parent:
            parent = _index(vocab).get(entry.parent)
            if parent is not None:
                return f"{entry.name}, {parent.name}"
        return entry.name
    return entry.label_en if _is_en(lang) else entry.name


def label(vocab: str, code: str, lang: str = "id") -> str:
    """Display label of `code` in `lang` ("id" or "en"); the code itself when it is unknown."""
    entry = lookup(vocab, code)
    if entry is None:
        return code
    return _entry_label(vocab, entry, lang)


def choices(vocab: str, lang: str = "id", level: str | None = None) -> list[dict[str, str]]:
    """``[{"value": code, "label": ...}]`` in file order, optionally only one level, for scheming choices."""
    return [
        {"value": e.code, "label": _entry_label(vocab, e, lang)}
        for e in entries(vocab)
        if level is None or e.level == level
    ]


def kecamatan() -> tuple[Entry, ...]:
    """The regency's kecamatan, in code order."""
    return tuple(e for e in entries("wilayah") if e.level == "kecamatan")


def desa(kecamatan_code: str | None = None) -> tuple[Entry, ...]:
    """The regency's desa/kelurahan, optionally only those of one kecamatan (dotted or plain code)."""
    rows = (e for e in entries("wilayah") if e.level == "desa")
    if kecamatan_code is None:
        return tuple(rows)
    parent = normalize_wilayah_code(kecamatan_code)
    return tuple(e for e in rows if e.parent == parent)


def in_bbox(lon: float, lat: float) -> bool:
    """Whether a WGS84 point lies in the regency's bounding box; a point outside is not in the regency."""
    min_lon, min_lat, max_lon, max_lat = BBOX
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat
