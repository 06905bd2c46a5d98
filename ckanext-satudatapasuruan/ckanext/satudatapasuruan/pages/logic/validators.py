"""Validators of the content pages' actions (registered by the blanket), with Indonesian messages."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError

from ..records import SECTIONS

__all__ = ["satudata_pages_slug", "satudata_pages_section", "satudata_pages_order", "satudata_pages_required",
           "satudata_pages_max_length", "satudata_pages_http_url"]

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
# Addresses the plugin's own views use under /halaman/.
RESERVED_SLUGS = ("kelola",)


def satudata_pages_slug(value: Any) -> str:
    text = str(value or "").strip()
    if not _SLUG.match(text) or "--" in text:
        raise tk.Invalid(tk._("Slug 1–100 karakter: huruf kecil, angka dan tanda hubung (mis. panduan-api)"))
    if text in RESERVED_SLUGS:
        raise tk.Invalid(tk._("Slug \u201c{slug}\u201d dipakai oleh portal; pilih slug lain").format(slug=text))
    return text


def satudata_pages_section(value: Any) -> str:
    text = str(value or "").strip()
    if text not in SECTIONS:
        raise tk.Invalid(tk._("Bagian harus salah satu dari: {sections}").format(sections=", ".join(SECTIONS)))
    return text


def satudata_pages_order(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as err:
        raise tk.Invalid(tk._("Urutan harus berupa bilangan bulat")) from err
    if not -9999 <= number <= 9999:
        raise tk.Invalid(tk._("Urutan harus antara -9999 dan 9999"))
    return number


def satudata_pages_required(message: str):
    """Refuse a missing or blank value with ``message`` (an Indonesian msgid, translated when raised) and
    stop there, so that the field's other checks do not pile their messages on top."""
    def validator(key: Any, data: dict[Any, Any], errors: dict[Any, Any], context: Any) -> None:
        value = data.get(key)
        if value is tk.missing or value is None or (isinstance(value, str) and not value.strip()):
            errors[key].append(tk._(message))
            raise StopOnError
        if isinstance(value, str):
            data[key] = value.strip()
    return validator


def satudata_pages_max_length(length: int):
    def validator(value: Any) -> Any:
        if isinstance(value, str) and len(value) > length:
            raise tk.Invalid(tk._("Paling panjang {n} karakter").format(n=length))
        return value
    return validator


def satudata_pages_http_url(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in text):
        raise tk.Invalid(tk._("Tautan harus alamat web lengkap yang diawali http:// atau https://"))
    return text
