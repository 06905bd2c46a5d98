"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["MAX_UPLOAD_MB", "ALLOWED_EXTENSIONS", "UPLOAD_TO", "max_upload_mb", "max_upload_bytes",
           "allowed_extensions"]

_PREFIX = "ckanext.satudatapasuruan.pages."
MAX_UPLOAD_MB = _PREFIX + "max_upload_mb"
ALLOWED_EXTENSIONS = _PREFIX + "allowed_extensions"

# The uploader's object type: files go to <ckan.storage_path>/storage/uploads/satudata_pages/.
UPLOAD_TO = "satudata_pages"


def max_upload_mb() -> int:
    return max(1, int(tk.config[MAX_UPLOAD_MB]))


def max_upload_bytes() -> int:
    return max_upload_mb() * 1024 * 1024


def allowed_extensions() -> list[str]:
    value = tk.config[ALLOWED_EXTENSIONS] or []
    if isinstance(value, str):
        value = value.split()
    return [str(e).strip().lower().lstrip(".") for e in value if str(e).strip()]
