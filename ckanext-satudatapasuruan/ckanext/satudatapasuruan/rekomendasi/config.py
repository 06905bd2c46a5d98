"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import logging
import os

import ckan.plugins.toolkit as tk

from .machine import DOCUMENT_KINDS

__all__ = ["REQUIRED_DOCUMENTS", "MAX_UPLOAD_MB", "DOCUMENT_MAX_UPLOAD_MB", "PEMBINA_ORG", "ISSUER_NAME",
           "LETTERHEAD_ADDRESS", "NUMBER_FORMAT", "STAMP_PAGE", "FONT", "FONT_BOLD", "required_documents",
           "max_upload_mb", "max_upload_bytes", "document_max_upload_mb", "document_max_upload_bytes",
           "pembina_org", "issuer_name", "letterhead_address", "number_format", "stamp_page", "font", "font_bold",
           "site_url", "storage_dir"]

log = logging.getLogger(__name__)

_PREFIX = "ckanext.satudatapasuruan.rekomendasi."
REQUIRED_DOCUMENTS = _PREFIX + "required_documents"
MAX_UPLOAD_MB = _PREFIX + "max_upload_mb"
DOCUMENT_MAX_UPLOAD_MB = _PREFIX + "document_max_upload_mb"
PEMBINA_ORG = _PREFIX + "pembina_org"
ISSUER_NAME = _PREFIX + "issuer_name"
LETTERHEAD_ADDRESS = _PREFIX + "letterhead_address"
NUMBER_FORMAT = _PREFIX + "number_format"
STAMP_PAGE = _PREFIX + "stamp_page"
FONT = _PREFIX + "font"
FONT_BOLD = _PREFIX + "font_bold"


def _list(value) -> list[str]:
    if isinstance(value, str):
        value = value.split()
    return [str(v).strip() for v in value or [] if str(v).strip()]


def required_documents() -> list[str]:
    """The kinds an application must carry before it is submitted (unknown kinds are ignored, and logged)."""
    kinds = []
    for kind in _list(tk.config[REQUIRED_DOCUMENTS]):
        if kind in DOCUMENT_KINDS:
            kinds.append(kind)
        else:
            log.warning("%s: unknown document kind %r ignored", REQUIRED_DOCUMENTS, kind)
    return kinds


def max_upload_mb() -> int:
    return max(1, int(tk.config[MAX_UPLOAD_MB]))


def max_upload_bytes() -> int:
    return max_upload_mb() * 1024 * 1024


def document_max_upload_mb() -> int:
    return max(1, int(tk.config[DOCUMENT_MAX_UPLOAD_MB]))


def document_max_upload_bytes() -> int:
    return document_max_upload_mb() * 1024 * 1024


def pembina_org() -> str:
    return (tk.config[PEMBINA_ORG] or "").strip()


def issuer_name() -> str:
    return tk.config[ISSUER_NAME]


def letterhead_address() -> str:
    return tk.config[LETTERHEAD_ADDRESS] or ""


def number_format() -> str:
    return tk.config[NUMBER_FORMAT]


def stamp_page() -> str:
    return "first" if tk.config[STAMP_PAGE] == "first" else "last"


def font() -> str:
    return tk.config[FONT] or ""


def font_bold() -> str:
    return tk.config[FONT_BOLD] or ""


def site_url() -> str:
    return tk.config["ckan.site_url"].rstrip("/")


def storage_dir(*parts: str) -> str | None:
    """``<ckan.storage_path>/satudata_rekomendasi/<parts>``; None when no storage is configured."""
    root = tk.config.get("ckan.storage_path") or ""
    return os.path.join(root, "satudata_rekomendasi", *parts) if root else None
