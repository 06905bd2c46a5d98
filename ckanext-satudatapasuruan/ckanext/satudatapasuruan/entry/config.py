"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk

__all__ = ["MAX_MB", "MAX_ROWS", "BACKGROUND_KB", "STORAGE_DIR", "max_bytes", "max_rows", "background_bytes",
           "storage_dir"]

MAX_MB = "ckanext.satudatapasuruan.upload.max_mb"
MAX_ROWS = "ckanext.satudatapasuruan.upload.max_rows"
BACKGROUND_KB = "ckanext.satudatapasuruan.upload.background_kb"
STORAGE_DIR = "ckanext.satudatapasuruan.upload.storage_dir"


def max_bytes() -> int:
    return tk.config[MAX_MB] * 1024 * 1024


def max_rows() -> int:
    return tk.config[MAX_ROWS]


def background_bytes() -> int:
    return tk.config[BACKGROUND_KB] * 1024


def storage_dir() -> str:
    path = tk.config[STORAGE_DIR] or os.path.join(tk.config["ckan.storage_path"], "satudata_uploads")
    os.makedirs(path, exist_ok=True)
    return path
