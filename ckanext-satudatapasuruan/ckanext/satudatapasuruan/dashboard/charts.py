"""What a DataStore table can chart, and a chart's data, read through the action API.

Every read goes through ``datastore_search`` with the caller's context, so CKAN's rules (and the workflow's
access classes) decide what is shown: a table nobody may read yields ``None``, never rows.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.formatters import localised_number
from ckan.types import Context

from ckanext.satudatapasuruan import refdata

from . import config
from .model import Aggregation

__all__ = ["NUMERIC_TYPES", "viewer_context", "anonymous_context", "table_fields", "is_numeric", "chart_spec",
           "spec_for", "series", "summary", "format_value", "vocab_label", "unit_of"]

NUMERIC_TYPES = frozenset({"int2", "int4", "int8", "float4", "float8", "numeric", "smallint", "integer", "bigint",
                           "real", "double precision", "money"})
_TEMPORAL_TYPES = frozenset({"date", "timestamp", "timestamptz", "time"})
_TEXT_TYPES = frozenset({"text", "varchar", "char", "bpchar", "citext", "name"})
# Columns that name a period are labels even when stored as numbers (tahun = 2024).
_PERIOD = re.compile(r"(^|[_\s])(tahun|thn|year|periode|period|bulan|month|tanggal|tgl|date|triwulan|semester|"
                     r"kuartal|quarter|minggu|week)($|[_\s])", re.IGNORECASE)
_INTERNAL = "_id"


def viewer_context() -> Context:
    """The current user's context (anonymous outside a request or when not logged in)."""
    try:
        user = tk.current_user.name if tk.current_user.is_authenticated else ""
    except (RuntimeError, AttributeError):
        user = ""
    return {"user": user, "ignore_auth": False}


def anonymous_context() -> Context:
    """What the public may see: used to check that a chart put on a public page is public."""
    return {"user": "", "ignore_auth": False}


def table_fields(resource_id: str, context: Context) -> tuple[list[dict[str, Any]], int] | None:
    """The table's columns (``id``, ``type``, ``label``; ``_id`` left out) and its row count, or None when the
    resource has no DataStore table or the caller may not read it."""
    try:
        result = tk.get_action("datastore_search")(dict(context), {"resource_id": resource_id, "limit": 0})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    fields = []
    for field in result.get("fields", []):
        if field.get("id") == _INTERNAL:
            continue
        info = field.get("info") or {}
        fields.append({"id": field["id"], "type": field.get("type") or "text",
                       "label": info.get("label") or field["id"]})
    return fields, int(result.get("total") or 0)


def _is_period(field: dict[str, Any]) -> bool:
    return bool(_PERIOD.search(field["id"]) or _PERIOD.search(field.get("label") or ""))


def is_numeric(field: dict[str, Any]) -> bool:
    return field.get("type") in NUMERIC_TYPES


def _label_rank(field: dict[str, Any]) -> int:
    if _is_period(field):
        return 0
    if field["type"] in _TEMPORAL_TYPES:
        return 1
    if field["type"] in _TEXT_TYPES:
        return 2
    return 3


def chart_spec(resource_id: str, fields: list[dict[str, Any]], total: int = 0) -> dict[str, Any] | None:
    """The default chart of a table: a period/date/text column as labels, the first numeric column as values.

    :returns: ``label_field``, ``value_field`` (the default), ``label_fields`` and ``value_fields`` (the
        choices, in table order for values and by preference for labels), ``fields`` ({id: field}) and
        ``total``; None when the table has no numeric column or nothing to label it with.
    """
    value_fields = [f for f in fields if is_numeric(f) and not _is_period(f)]
    label_fields = sorted((f for f in fields if f not in value_fields), key=_label_rank)
    if not value_fields or not label_fields:
        return None
    return {"resource_id": resource_id, "label_field": label_fields[0]["id"], "value_field": value_fields[0]["id"],
            "label_fields": [f["id"] for f in label_fields], "value_fields": [f["id"] for f in value_fields],
            "fields": {f["id"]: f for f in fields}, "total": total}


def spec_for(resource_id: str, context: Context | None = None) -> dict[str, Any] | None:
    """:py:func:`chart_spec` of a resource's DataStore table as the caller (default: the viewer) sees it."""
    if not resource_id:
        return None
    found = table_fields(resource_id, context or viewer_context())
    return chart_spec(resource_id, *found) if found else None


def _number(value: Any) -> float | int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(value)  # Decimal (numeric columns) and numeric strings alike
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and abs(number) < 2 ** 53 else number


def _label(value: Any) -> str:
    if value is None or value == "":
        return tk._("(kosong)")
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()
    text = str(value)
    # DataStore gives dates as timestamps at midnight: show the date alone.
    return text[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00", text) else text


def series(resource_id: str, label_field: str, value_field: str, context: Context,
           aggregation: str = Aggregation.NONE.value, limit: int | None = None) -> dict[str, Any] | None:
    """The chart's points read with ``context``: ``labels``, ``values``, ``total`` (rows in the table),
    ``rows_read``, ``truncated`` (the table has more rows than were read) and the columns' titles
    ``label_title`` / ``value_title`` (data dictionary labels); None when unreadable.

    With ``sum`` the rows sharing a label are added up (labels in order of first appearance)."""
    limit = limit or config.row_limit()
    try:
        result = tk.get_action("datastore_search")(dict(context), {
            "resource_id": resource_id, "fields": [label_field, value_field], "limit": limit, "sort": _INTERNAL})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    records = result.get("records", [])
    points: list[tuple[str, float | int | None]] = [(_label(r.get(label_field)), _number(r.get(value_field)))
                                                    for r in records]
    if aggregation == Aggregation.SUM.value:
        sums: dict[str, float | int] = {}
        for label, value in points:
            sums[label] = sums.get(label, 0) + (value or 0)
        points = [(label, _number(total)) for label, total in sums.items()]
    total = int(result.get("total") or len(records))
    titles = {f["id"]: (f.get("info") or {}).get("label") or f["id"] for f in result.get("fields", [])}
    return {"labels": [p[0] for p in points], "values": [p[1] for p in points], "total": total,
            "rows_read": len(records), "truncated": total > len(records),
            "label_title": titles.get(label_field, label_field), "value_title": titles.get(value_field, value_field)}


def format_value(value: float | int | None) -> str:
    """A number as the portal's locale writes it (1.250,5 in Indonesian); an empty cell as a dash."""
    if value is None:
        return "–"
    return localised_number(value)


def summary(data: dict[str, Any]) -> str:
    """One sentence for the figure's caption: how many points, the highest and the lowest."""
    points = [(label, value) for label, value in zip(data["labels"], data["values"], strict=False)
              if value is not None]
    if not points:
        return tk._("Tidak ada nilai untuk ditampilkan.")
    high = max(points, key=lambda p: p[1])
    low = min(points, key=lambda p: p[1])
    text = tk._("{count} titik data; tertinggi {high} ({high_label}), terendah {low} ({low_label}).").format(
        count=len(data["labels"]), high=format_value(high[1]), high_label=high[0],
        low=format_value(low[1]), low_label=low[0])
    if data.get("truncated"):
        text += " " + tk._("Grafik memuat {read} baris pertama dari {total} baris.").format(
            read=data["rows_read"], total=data["total"])
    return text


def vocab_label(vocab: str, code: str) -> str:
    """A reference-data code's label in the page's language (the code itself when unknown)."""
    if not code:
        return ""
    try:
        lang = tk.h.lang() or "id"
    except (RuntimeError, TypeError, AttributeError):
        lang = "id"
    try:
        return refdata.label(vocab, code, lang)
    except (KeyError, ValueError):
        return code


def unit_of(pkg: dict[str, Any] | None, value_field: str) -> str:
    """The value column's unit: its MS-Var entry in the dataset (``variabel`` with that ``alias``), else the
    dataset's own ``satuan``; empty when neither says."""
    if not pkg:
        return ""
    code = next((v.get("satuan") for v in pkg.get("variabel") or [] if v.get("alias") == value_field
                 and v.get("satuan")), None) or pkg.get("satuan") or ""
    return vocab_label("satuan", code)
