"""One OPD application record -> an SDI dataset dict, by the source's mapping (pure, golden-file tested)."""
from __future__ import annotations

import datetime as dt
import string
from typing import Any

import ckan.plugins.toolkit as tk

from ...messages import N_
from ..base import RecordError
from .config import OpdConfig, Rule

__all__ = ["get_path", "resolve", "convert", "rows_of", "MISSING"]

MISSING = object()
_FORMATTER = string.Formatter()


def get_path(record: Any, path: str) -> Any:
    """``a.b.0.c`` in nested dicts and lists; MISSING when any step is absent."""
    value = record
    for step in path.split(".") if path else []:
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return MISSING
    return value


def _missing(target: str, path: str, guid: str) -> RecordError:
    return RecordError(tk._("Rekaman {guid}: kolom sumber '{path}' (untuk {target}) tidak ada; periksa apakah "
                            "kolom itu diganti namanya di sumber").format(guid=guid, path=path, target=target))


def _template(target: str, template: str, record: dict[str, Any], guid: str) -> str:
    parts = []
    for literal, name, spec, conversion in _FORMATTER.parse(template):
        parts.append(literal)
        if name is None:
            continue
        value = get_path(record, name)
        if value is MISSING or value is None:
            raise _missing(target, name, guid)
        value = _FORMATTER.convert_field(value, conversion) if conversion else value
        parts.append(format(value, spec or ""))
    return "".join(parts)


def resolve(target: str, rule: Rule, record: dict[str, Any], guid: str) -> Any:
    if rule.template is not None:
        value = _template(target, rule.template, record, guid)
    elif rule.path is not None:
        value = get_path(record, rule.path)
        if value is MISSING or value in (None, ""):
            if rule.default is not None:
                value = rule.default
            elif rule.required:
                raise _missing(target, rule.path, guid)
            else:
                return MISSING
    else:
        value = rule.value
    if rule.mapping is not None:
        key = str(value)
        if key not in rule.mapping:
            raise RecordError(tk._("Rekaman {guid}: nilai '{value}' untuk {target} tidak ada di padanan nilai "
                                   "(map) konfigurasi").format(guid=guid, value=value, target=target))
        value = rule.mapping[key]
    if target == "tag_string" and isinstance(value, list):
        value = ",".join(str(v) for v in value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value


def convert(record: dict[str, Any], config: OpdConfig, guid: str) -> dict[str, Any]:
    """The dataset dict (no ``owner_org`` or ``name``: the harvester sets them)."""
    dataset: dict[str, Any] = {}
    for target, rule in config.mapping.items():
        value = resolve(target, rule, record, guid)
        if value is not MISSING:
            dataset[target] = value
    resources = []
    for spec in config.resources:
        resource = {k: resolve(f"resources.{k}", rule, record, guid) for k, rule in spec.items()}
        resources.append({k: v for k, v in resource.items() if v is not MISSING})
    dataset["resources"] = resources
    return dataset


def rows_of(record: dict[str, Any], config: OpdConfig, guid: str) -> list[dict[str, Any]]:
    """The DataStore rows a record carries, checked for the declared key (whole record or nothing)."""
    spec = config.datastore
    if spec is None:
        return []
    rows = get_path(record, spec.rows_path)
    if rows is MISSING or not isinstance(rows, list):
        raise _missing("datastore", spec.rows_path, guid)
    columns = [f["id"] for f in spec.fields]
    keys: set[tuple[Any, ...]] = set()
    out = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise RecordError(tk._("Rekaman {guid}: baris data ke-{n} bukan objek").format(guid=guid, n=number))
        key = tuple(row.get(k) for k in spec.primary_key)
        if any(v in (None, "") for v in key):
            raise RecordError(tk._("Rekaman {guid}: baris data ke-{n} tidak memiliki kunci {key}").format(
                guid=guid, n=number, key=", ".join(spec.primary_key)))
        if key in keys:
            raise RecordError(tk._("Rekaman {guid}: kunci {key} = {value} muncul lebih dari sekali pada baris "
                                   "data").format(guid=guid, key=", ".join(spec.primary_key),
                                                  value=", ".join(map(str, key))))
        keys.add(key)
        for f in spec.fields:
            if not _fits(row.get(f["id"]), f["type"]):
                raise RecordError(tk._("Rekaman {guid}: baris data ke-{n}, kolom {column}: nilai '{value}' bukan "
                                       "{type}").format(guid=guid, n=number, column=f["id"], value=row.get(f["id"]),
                                                        type=tk._(_TYPE_LABELS.get(f["type"], f["type"]))))
        out.append({c: row.get(c) for c in columns})
    return out


_TYPE_LABELS = {"int": N_("bilangan bulat"), "int4": N_("bilangan bulat"), "int8": N_("bilangan bulat"),
                "numeric": N_("angka"), "float8": N_("angka"), "bool": N_("benar/salah"),
                "date": N_("tanggal (YYYY-MM-DD)"), "timestamp": N_("waktu (ISO 8601)")}


def _fits(value: Any, kind: str) -> bool:
    """Whether the DataStore will take the value for a column of this type (checked before any write)."""
    if value in (None, ""):
        return True
    try:
        if kind in ("int", "int4", "int8"):
            if isinstance(value, bool) or float(value) != int(float(value)):
                return False
            bound = 2 ** 63 if kind == "int8" else 2 ** 31  # the DataStore's int is PostgreSQL's int4
            return -bound <= int(float(value)) < bound
        if kind in ("numeric", "float8"):
            return not isinstance(value, bool) and float(value) == float(value)
        if kind == "bool":
            return isinstance(value, bool) or str(value).lower() in ("true", "false", "1", "0")
        if kind == "date":
            dt.date.fromisoformat(str(value)[:10])
        elif kind == "timestamp":
            dt.datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return False
    return True
