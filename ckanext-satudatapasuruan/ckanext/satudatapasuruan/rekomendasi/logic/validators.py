"""Validators of the rekomendasi and document actions (registered by the blanket), with Indonesian messages."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError

from ckanext.satudatapasuruan.validators import int_range

from .. import register
from ..machine import DOCUMENT_KINDS, Jalur, Outcome, Status
from ..records import DocumentStatus

__all__ = ["satudata_rekomendasi_required", "satudata_rekomendasi_max_length", "satudata_rekomendasi_status",
           "satudata_rekomendasi_kind", "satudata_rekomendasi_jalur", "satudata_rekomendasi_outcome",
           "satudata_rekomendasi_http_url", "satudata_rekomendasi_int_range", "satudata_rekomendasi_sort",
           "satudata_document_kind", "satudata_document_code", "satudata_document_status",
           "satudata_document_page"]

_KIND = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")


def satudata_rekomendasi_required(message: str):
    """Refuse a missing or blank value with ``message`` (an Indonesian msgid, translated when raised) and stop
    there, so that the field's other checks do not pile their messages on top; strips a text."""
    def validator(key: Any, data: dict[Any, Any], errors: dict[Any, Any], context: Any) -> None:
        value = data.get(key)
        if value is tk.missing or value is None or (isinstance(value, str) and not value.strip()):
            errors[key].append(tk._(message))
            raise StopOnError
        if isinstance(value, str):
            data[key] = value.strip()
    return validator


def satudata_rekomendasi_max_length(length: int):
    def validator(value: Any) -> Any:
        if not isinstance(value, str):
            raise tk.Invalid(tk._("Harus berupa teks"))
        value = value.strip()
        if len(value) > length:
            raise tk.Invalid(tk._("Paling panjang {n} karakter").format(n=length))
        return value
    return validator


def _choice(value: Any, allowed: list[str], message: str) -> str:
    text = str(value or "").strip()
    if text not in allowed:
        raise tk.Invalid(tk._(message).format(allowed=", ".join(allowed)))
    return text


def satudata_rekomendasi_status(value: Any) -> str:
    return _choice(value, [s.value for s in Status], "Status tidak dikenal; pilih salah satu dari: {allowed}")


def satudata_rekomendasi_kind(value: Any) -> str:
    return _choice(value, list(DOCUMENT_KINDS), "Jenis dokumen tidak dikenal; pilih salah satu dari: {allowed}")


def satudata_rekomendasi_jalur(value: Any) -> str:
    return _choice(value, [j.value for j in Jalur], "Jalur pengajuan tidak dikenal; pilih salah satu dari: {allowed}")


def satudata_rekomendasi_outcome(value: Any) -> str:
    return _choice(value, [o.value for o in Outcome], "Hasil tidak dikenal; pilih salah satu dari: {allowed}")


def satudata_rekomendasi_sort(value: Any) -> str:
    return _choice(value, ["terbaru", "terlama"], "Urutan tidak dikenal; pilih salah satu dari: {allowed}")


def satudata_rekomendasi_http_url(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in text) \
            or len(text) > 1000:
        raise tk.Invalid(tk._("Tautan harus alamat web lengkap yang diawali http:// atau https://"))
    return text


satudata_rekomendasi_int_range = int_range


def satudata_document_kind(value: Any) -> str:
    text = str(value or "").strip()
    if not _KIND.match(text):
        raise tk.Invalid(tk._("Jenis dokumen 1\u201350 karakter: huruf kecil, angka, garis bawah atau tanda hubung "
                              "(mis. rekomendasi_statistik)"))
    return text


def satudata_document_code(value: Any) -> str:
    """A register code as typed (case, spaces and hyphens ignored); an impossible code is simply not found."""
    return register.normalize_code(value)


def satudata_document_status(value: Any) -> str:
    return _choice(value, [s.value for s in DocumentStatus], "Status dokumen tidak dikenal; pilih salah satu dari: "
                                                              "{allowed}")


def satudata_document_page(value: Any) -> str:
    return _choice(value, ["first", "last"], "Halaman stempel tidak dikenal; pilih salah satu dari: {allowed}")
