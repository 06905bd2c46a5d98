"""Typed values of index fields: dates (with Solr date math), numbers, booleans."""
from __future__ import annotations

import datetime as dt
import math
import re

from ckan.lib.search.common import SearchQueryError
from dateutil.parser import ParserError, isoparse
from dateutil.parser import parse as parse_loose
from dateutil.relativedelta import relativedelta

__all__ = ["date_key", "solr_date", "parse_query_date", "to_number", "to_bool"]

_UNITS = {
    "YEAR": "years", "MONTH": "months", "DAY": "days", "DATE": "days", "HOUR": "hours",
    "MINUTE": "minutes", "SECOND": "seconds", "MILLI": "microseconds", "MILLISECOND": "microseconds",
}
_MATH = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)")


def _to_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _parse(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return _to_utc(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value).strip()
    try:
        return _to_utc(isoparse(text))
    except (ValueError, OverflowError):
        return _to_utc(parse_loose(text))


def date_key(value) -> str:
    """Fixed-width UTC form used for comparisons and sorting inside the index."""
    return _parse(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def solr_date(value) -> str:
    """The form Solr returns for a stored date: milliseconds, trailing zeros trimmed."""
    d = _parse(value)
    base = d.strftime("%Y-%m-%dT%H:%M:%S")
    ms = d.microsecond // 1000
    if ms:
        base += f".{ms:03d}".rstrip("0")
    return base + "Z"


def parse_query_date(text: str, now: dt.datetime | None = None) -> str:
    """A date in a query (ISO, ``NOW`` and date math like ``NOW-1DAY/DAY``) as an index key."""
    text = text.strip().strip('"')
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    if text.upper().startswith("NOW"):
        base, rest = now, text[3:]
    else:
        m = re.match(r"^(\d{4}-\d{2}-\d{2}(?:T[\d:.]+)?Z?)(.*)$", text)
        if not m:
            raise SearchQueryError(f"Tanggal tidak valid dalam kueri: {text!r}")
        try:
            base = _parse(m.group(1))
        except (ValueError, OverflowError, ParserError) as err:
            raise SearchQueryError(f"Tanggal tidak valid dalam kueri: {text!r}") from err
        rest = m.group(2)
    rest = rest.upper()
    pos = 0
    while pos < len(rest):
        m = _MATH.match(rest, pos)
        if not m:
            raise SearchQueryError(f"Aritmetika tanggal tidak valid: {text!r}")
        pos = m.end()
        if m.group(4):
            unit = m.group(4).rstrip("S")
            if unit not in _UNITS:
                raise SearchQueryError(f"Satuan waktu tidak dikenal: {m.group(4)}")
            base = _round(base, unit)
        else:
            unit = m.group(3).rstrip("S")
            if unit not in _UNITS:
                raise SearchQueryError(f"Satuan waktu tidak dikenal: {m.group(3)}")
            amount = int(m.group(2)) * (1000 if unit.startswith("MILLI") else 1)
            delta = relativedelta(**{_UNITS[unit]: amount})
            try:
                base = base + delta if m.group(1) == "+" else base - delta
            except (OverflowError, ValueError) as err:
                raise SearchQueryError(f"Tanggal di luar jangkauan: {text!r}") from err
    return base.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _round(d: dt.datetime, unit: str) -> dt.datetime:
    if unit == "YEAR":
        return d.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "MONTH":
        return d.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit in ("DAY", "DATE"):
        return d.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "HOUR":
        return d.replace(minute=0, second=0, microsecond=0)
    if unit == "MINUTE":
        return d.replace(second=0, microsecond=0)
    if unit == "SECOND":
        return d.replace(microsecond=0)
    return d


def to_number(value) -> float | int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        number = value
    else:
        text = str(value).strip()
        try:
            number = int(text)
        except ValueError:
            number = float(text)
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


def to_bool(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "true" if str(value).strip().lower() in ("true", "t", "1", "yes", "on") else "false"
