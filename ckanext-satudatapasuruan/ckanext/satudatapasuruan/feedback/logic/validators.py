"""Validators of the feedback actions (registered by the blanket), with Indonesian messages."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.messages import N_

from ..records import CommentStatus, Status

__all__ = ["satudata_feedback_required", "satudata_feedback_email", "satudata_feedback_phone",
           "satudata_feedback_rating", "satudata_feedback_honeypot", "satudata_feedback_status",
           "satudata_feedback_max_length", "satudata_feedback_date", "satudata_feedback_positive_int",
           "satudata_feedback_decision", "satudata_feedback_comment_status"]

_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")

REQUIRED = N_("Wajib diisi")


def satudata_feedback_required(key, data, errors, context) -> None:
    """Present and not only blanks (CKAN's not_empty lets whitespace through)."""
    value = data.get(key)
    if value is tk.missing or value is None or not str(value).strip():
        errors[key].append(tk._(REQUIRED))
        raise tk.StopOnError
    data[key] = str(value).strip()


def satudata_feedback_max_length(length: int):
    def validator(value: Any) -> Any:
        if isinstance(value, str) and len(value) > length:
            raise tk.Invalid(tk._("Paling banyak {n} karakter").format(n=length))
        return value
    return validator


def satudata_feedback_email(value: Any) -> str:
    text = str(value or "").strip()
    if not _EMAIL.match(text) or len(text) > 254:
        raise tk.Invalid(tk._("Alamat e-mail tidak sah, mis. nama@contoh.id"))
    return text


def satudata_feedback_phone(value: Any) -> str:
    text = str(value or "").strip()
    if text and not _PHONE.match(text):
        raise tk.Invalid(tk._("Nomor telepon tidak sah (angka, spasi, +, tanda hubung; 6–20 karakter)"))
    return text


def satudata_feedback_rating(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as err:
        raise tk.Invalid(tk._("Nilai harus berupa angka 1 sampai 5")) from err
    if not 1 <= number <= 5:
        raise tk.Invalid(tk._("Nilai harus antara 1 dan 5"))
    return number


def satudata_feedback_honeypot(value: Any) -> str:
    """The hidden field people never see; a bot that fills it is refused."""
    if value not in (None, "", tk.missing):
        raise tk.Invalid(tk._("Isian terdeteksi sebagai spam dan tidak diproses"))
    return ""


def satudata_feedback_status(value: Any) -> str:
    try:
        return Status(str(value or "").strip()).value
    except ValueError as err:
        raise tk.Invalid(tk._("Status tidak dikenal; pilih diterima, diteruskan, diproses, tersedia atau "
                              "ditolak")) from err


def satudata_feedback_comment_status(value: Any) -> str:
    try:
        return CommentStatus(str(value or "").strip()).value
    except ValueError as err:
        raise tk.Invalid(tk._("Status komentar tidak dikenal; pilih menunggu, disetujui atau ditolak")) from err


def satudata_feedback_decision(value: Any) -> str:
    text = str(value or "").strip()
    if text not in ("setujui", "tolak"):
        raise tk.Invalid(tk._("Keputusan harus 'setujui' atau 'tolak'"))
    return text


def satudata_feedback_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as err:
        raise tk.Invalid(tk._("Tanggal harus berbentuk TTTT-BB-HH, mis. 2026-01-31")) from err


def satudata_feedback_positive_int(high: int):
    def validator(value: Any) -> int:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError) as err:
            raise tk.Invalid(tk._("Harus berupa bilangan bulat")) from err
        if not 1 <= number <= high:
            raise tk.Invalid(tk._("Harus antara {low} dan {high}").format(low=1, high=high))
        return number
    return validator
