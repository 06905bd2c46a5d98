"""Validation schemas of the content pages' actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.messages import N_

__all__ = ["page_create", "page_update", "by_id", "page_list", "attachment_create"]

v = tk.get_validator


def _page(required: bool) -> dict:
    def need(message: str) -> list:
        check = v("satudata_pages_required")(message)
        return [check] if required else [v("ignore_missing"), check]

    def default(value) -> list:
        return [v("default")(value)] if required else [v("ignore_missing")]

    return {
        "slug": [*need(N_("Slug wajib diisi")), v("unicode_safe"), v("satudata_pages_slug")],
        "title": [*need(N_("Judul wajib diisi")), v("unicode_safe"), v("satudata_pages_max_length")(200)],
        "body": [*default(""), v("unicode_safe"), v("satudata_pages_max_length")(200_000)],
        "section": [*need(N_("Bagian wajib dipilih")), v("satudata_pages_section")],
        "order": [*default(0), v("satudata_pages_order")],
        "published": [*default(False), v("boolean_validator")],
    }


def page_create() -> dict:
    return _page(required=True)


def page_update() -> dict:
    return {"id": [v("satudata_pages_required")(N_("Id halaman wajib diisi")), v("unicode_safe")],
            **_page(required=False)}


def by_id() -> dict:
    return {"id": [v("satudata_pages_required")(N_("Id wajib diisi")), v("unicode_safe")]}


def page_list() -> dict:
    return {"section": [v("ignore_missing"), v("satudata_pages_section")],
            "include_unpublished": [v("default")(False), v("boolean_validator")]}


def attachment_create() -> dict:
    return {
        "page_id": [v("satudata_pages_required")(N_("Halaman wajib diisi")), v("unicode_safe")],
        "title": [v("satudata_pages_required")(N_("Judul lampiran wajib diisi")), v("unicode_safe"),
                  v("satudata_pages_max_length")(200)],
        "url": [v("default")(""), v("unicode_safe"), v("satudata_pages_http_url")],
        "upload": [v("ignore_missing")],
        "description": [v("default")(""), v("unicode_safe"), v("satudata_pages_max_length")(2000)],
        "order": [v("default")(0), v("satudata_pages_order")],
    }
