"""Typed getters of the theme's options (declared in config_declaration.yaml)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["NEWEST_LIMIT", "WALIDATA_NAME", "API_DOCS_URL", "newest_limit", "walidata_name", "api_docs_url"]

NEWEST_LIMIT = "ckanext.satudatapasuruan.theme.newest_limit"
WALIDATA_NAME = "ckanext.satudatapasuruan.theme.walidata_name"
API_DOCS_URL = "ckanext.satudatapasuruan.theme.api_docs_url"


def newest_limit() -> int:
    return tk.config.get(NEWEST_LIMIT)


def walidata_name() -> str:
    return tk.config.get(WALIDATA_NAME)


def api_docs_url() -> str:
    return tk.config.get(API_DOCS_URL)
