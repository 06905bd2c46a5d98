"""The IKU (indikator kinerja utama) as data: ``iku.yaml`` shipped in the package, read once.

Each indicator has a code, its name in Indonesian and English, a unit, its yearly targets and their source.
Computed indicators are measured by ``compute``; manual ones are entered by the walidata (``records``).
The walidata's target overrides live in the database and are merged by ``targets_of`` (the shipped value
stays visible beside them).
"""
from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

__all__ = ["Kind", "TargetStatus", "Series", "Iku", "Catalogue", "load", "catalogue", "get", "text"]


class Kind(str, enum.Enum):
    COMPUTED = "computed"
    MANUAL = "manual"


class TargetStatus(str, enum.Enum):
    DITETAPKAN = "ditetapkan"  # a target the figure is judged against
    PERLU_KONFIRMASI = "perlu_konfirmasi"  # garbled in the source: shown, not used until the walidata confirms
    BELUM_DITETAPKAN = "belum_ditetapkan"  # no target for the year


@dataclass(frozen=True)
class Series:
    key: str
    name: Mapping[str, str]
    source: Mapping[str, str]
    targets: Mapping[int, float]


@dataclass(frozen=True)
class Iku:
    code: str
    kind: Kind
    name: Mapping[str, str]
    unit: str
    source: Mapping[str, str]
    targets: Mapping[int, float]
    targets_status: TargetStatus = TargetStatus.DITETAPKAN
    targets_note: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    series: Mapping[str, Series] = field(default_factory=lambda: MappingProxyType({}))
    default_series: str | None = None


@dataclass(frozen=True)
class Catalogue:
    years: tuple[int, ...]
    units: Mapping[str, Mapping[str, str]]
    indicators: tuple[Iku, ...]

    def of_kind(self, kind: Kind) -> tuple[Iku, ...]:
        return tuple(i for i in self.indicators if i.kind is kind)


def _text(value: Any, where: str) -> Mapping[str, str]:
    if not isinstance(value, dict) or not value.get("id"):
        raise ValueError(f"{where}: a text needs at least an Indonesian value (id)")
    return MappingProxyType({str(k): str(v) for k, v in value.items()})


def _targets(value: Any, years: tuple[int, ...], where: str) -> Mapping[int, float]:
    out = {}
    for year, target in (value or {}).items():
        if int(year) not in years:
            raise ValueError(f"{where}: target year {year} is not one of {years}")
        out[int(year)] = float(target)
    return MappingProxyType(out)


def load(text_yaml: str) -> Catalogue:
    """Parse and check an IKU file (raises ValueError on a malformed one)."""
    data = yaml.safe_load(text_yaml) or {}
    years = tuple(int(y) for y in data.get("years") or ())
    if not years:
        raise ValueError("iku: no years")
    units = MappingProxyType({k: _text(v, f"unit {k}") for k, v in (data.get("units") or {}).items()})
    seen: set[str] = set()
    indicators = []
    for raw in data.get("indicators") or ():
        code = str(raw["code"])
        if code in seen:
            raise ValueError(f"iku: {code} twice")
        seen.add(code)
        if raw.get("unit") not in units:
            raise ValueError(f"{code}: unknown unit {raw.get('unit')!r}")
        series = MappingProxyType({
            str(key): Series(str(key), _text(s["name"], f"{code} series {key}"),
                             _text(s["source"], f"{code} series {key}"),
                             _targets(s.get("targets"), years, f"{code} series {key}"))
            for key, s in (raw.get("series") or {}).items()})
        default_series = raw.get("default_series")
        if series and default_series not in series:
            raise ValueError(f"{code}: default_series must name one of its series")
        targets = series[default_series].targets if series else _targets(raw.get("targets"), years, code)
        source = series[default_series].source if series else _text(raw.get("source"), f"{code} source")
        indicators.append(Iku(
            code=code, kind=Kind(raw["kind"]), name=_text(raw.get("name"), f"{code} name"), unit=raw["unit"],
            source=source, targets=targets,
            targets_status=TargetStatus(raw.get("targets_status") or TargetStatus.DITETAPKAN.value),
            targets_note=_text(raw["targets_note"], f"{code} note") if raw.get("targets_note") else
            MappingProxyType({}),
            series=series, default_series=default_series))
    return Catalogue(years=years, units=units, indicators=tuple(indicators))


@cache
def catalogue() -> Catalogue:
    """The shipped ``iku.yaml`` (read through importlib.resources: works from a wheel and a checkout)."""
    return load((resources.files(__package__) / "iku.yaml").read_text(encoding="utf-8"))


def get(code: str) -> Iku | None:
    return next((i for i in catalogue().indicators if i.code == code), None)


def text(value: Mapping[str, str], lang: str) -> str:
    """The value in ``lang`` ("en", "en_GB" …), the Indonesian one otherwise."""
    if lang and lang.lower().startswith("en") and value.get("en"):
        return value["en"]
    return value.get("id", "")
