"""Validators of the calendar actions (registered by the blanket); messages in Bahasa Indonesia."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.navl.dictization_functions import StopOnError, missing

from ckanext.satudatapasuruan import refdata

from .. import config
from ..status import Status

__all__ = ["satudata_calendar_required", "satudata_calendar_date", "satudata_calendar_datetime",
           "satudata_calendar_org", "satudata_calendar_urusan", "satudata_calendar_text",
           "satudata_calendar_status", "satudata_calendar_month", "satudata_calendar_int"]

YEAR_MIN, YEAR_MAX = 2000, 2100
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def satudata_calendar_required(message: str):
    """Like ``not_empty``, with the field's own Indonesian message."""
    def validator(key, data, errors, context):
        value = data.get(key)
        if value is missing or value is None or (isinstance(value, str) and not value.strip()):
            errors[key].append(tk._(message))
            raise StopOnError
    return validator


def _year_ok(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise tk.Invalid(tk._("Tahun harus antara {low} dan {high}").format(low=YEAR_MIN, high=YEAR_MAX))


def satudata_calendar_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        _year_ok(value.year)
        return value
    match = _DATE.match(str(value or "").strip())
    if not match:
        raise tk.Invalid(tk._("Tanggal harus berformat TTTT-BB-HH, mis. 2026-03-31"))
    year, month, day = (int(g) for g in match.groups())
    _year_ok(year)
    try:
        return dt.date(year, month, day)
    except ValueError as err:
        raise tk.Invalid(tk._("Tanggal ini tidak ada di kalender")) from err


def satudata_calendar_datetime(value: Any) -> dt.datetime:
    """A date-time, local (WIB) unless it carries an offset; returned as naive UTC."""
    if not isinstance(value, dt.datetime):
        text = str(value or "").strip().replace(" ", "T", 1)
        try:
            value = dt.datetime.fromisoformat(text) if "T" in text else None
        except ValueError:
            value = None
        if value is None:
            raise tk.Invalid(tk._("Waktu harus berformat TTTT-BB-HH JJ:MM (WIB), mis. 2026-03-31 09:00"))
    _year_ok(value.year)
    if value.tzinfo is None:
        value = value.replace(tzinfo=config.timezone())
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None)


def satudata_calendar_org(value: Any) -> str:
    group = model.Group.get(str(value or "").strip())
    if group is None or not group.is_organization or group.state != "active":
        raise tk.Invalid(tk._("OPD tidak ditemukan"))
    return group.id


def satudata_calendar_urusan(value: Any) -> str:
    code = str(value or "").strip()
    if refdata.lookup("urusan", code) is None:
        raise tk.Invalid(tk._("Sektor (urusan) {code} tidak dikenal; gunakan kode Permendagri 90/2019, "
                              "mis. 2.12").format(code=code))
    return code


def satudata_calendar_text(max_length: int):
    def validator(value: Any) -> str:
        text = " ".join(str(value or "").split()) if max_length <= 300 else str(value or "").strip()
        if len(text) > max_length:
            raise tk.Invalid(tk._("Paling banyak {max} karakter").format(max=max_length))
        return text
    return validator


def satudata_calendar_status(value: Any) -> str:
    text = str(value or "").strip()
    if text not in {s.value for s in Status}:
        raise tk.Invalid(tk._("Status harus salah satu dari: {choices}").format(
            choices=", ".join(s.value for s in Status)))
    return text


def satudata_calendar_month(value: Any) -> dt.date:
    """``YYYY-MM`` -> the first day of that month."""
    match = _MONTH.match(str(value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise tk.Invalid(tk._("Bulan harus berformat TTTT-BB, mis. 2026-03"))
    _year_ok(int(match.group(1)))
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def satudata_calendar_int(low: int, high: int):
    def validator(value: Any) -> int:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError) as err:
            raise tk.Invalid(tk._("Harus berupa bilangan bulat")) from err
        if not low <= number <= high:
            raise tk.Invalid(tk._("Harus antara {low} dan {high}").format(low=low, high=high))
        return number
    return validator
