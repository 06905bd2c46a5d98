"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["MAX_UPLOAD_MB", "MAX_PIXELS", "WEB_TEMPLATE", "PRINT_TEMPLATE", "FONT", "FONT_BOLD", "GHOSTSCRIPT",
           "GALLERY_PAGE_SIZE", "max_upload_bytes", "max_pixels", "web_template", "print_template", "font",
           "font_bold", "ghostscript", "gallery_page_size", "site_url", "storage_path"]

_PREFIX = "ckanext.satudatapasuruan.infographic."
MAX_UPLOAD_MB = _PREFIX + "max_upload_mb"
MAX_PIXELS = _PREFIX + "max_pixels"
WEB_TEMPLATE = _PREFIX + "web_template"
PRINT_TEMPLATE = _PREFIX + "print_template"
FONT = _PREFIX + "font"
FONT_BOLD = _PREFIX + "font_bold"
GHOSTSCRIPT = _PREFIX + "ghostscript"
GALLERY_PAGE_SIZE = _PREFIX + "gallery_page_size"


def max_upload_bytes() -> int:
    return int(tk.config[MAX_UPLOAD_MB]) * 1024 * 1024


def max_pixels() -> int:
    return int(tk.config[MAX_PIXELS])


def web_template() -> str:
    return tk.config[WEB_TEMPLATE]


def print_template() -> str:
    return tk.config[PRINT_TEMPLATE]


def font() -> str:
    return tk.config[FONT] or ""


def font_bold() -> str:
    return tk.config[FONT_BOLD] or ""


def ghostscript() -> str:
    return tk.config[GHOSTSCRIPT] or ""


def gallery_page_size() -> int:
    return max(1, int(tk.config[GALLERY_PAGE_SIZE]))


def site_url() -> str:
    return tk.config["ckan.site_url"].rstrip("/")


def storage_path() -> str:
    return tk.config.get("ckan.storage_path") or ""
