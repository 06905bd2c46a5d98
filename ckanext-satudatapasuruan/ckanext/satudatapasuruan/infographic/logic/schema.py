"""Validation schemas of the infographic actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["template_create", "template_update", "by_id", "template_list", "infographic_update"]

v = tk.get_validator


def _design(required: bool) -> dict:
    need = [v("not_empty")] if required else [v("ignore_missing")]
    size = v("satudata_infographic_int_range")
    return {
        "name": [*need, v("unicode_safe"), v("satudata_infographic_template_name")],
        "title": [*need, v("unicode_safe")],
        "layout": [*need, v("satudata_infographic_layout")],
        "width": [*need, size(300, 8000)],
        "height": [*need, size(300, 8000)],
        "web_dpi": ([v("default")(150)] if required else [v("ignore_missing")]) + [size(72, 300)],
        "print_dpi": ([v("default")(300)] if required else [v("ignore_missing")]) + [size(150, 600)],
        "header_text": [*need, v("unicode_safe")],
        "footer_text": ([v("default")("")] if required else [v("ignore_missing")]) + [v("unicode_safe")],
        "header_background": [*need, v("satudata_infographic_colour")],
        "header_color": [*need, v("satudata_infographic_colour")],
        "accent_color": [*need, v("satudata_infographic_colour")],
    }


def template_create() -> dict:
    return _design(required=True)


def template_update() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")], **_design(required=False)}


def by_id() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")]}


def template_list() -> dict:
    return {"approved_only": [v("default")(False), v("boolean_validator")]}


def infographic_update() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")],
            "template": [v("default")(""), v("unicode_safe")]}
