"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["PUBLISHER_NAME", "PUBLISHER_URI", "CATALOG_DESCRIPTION", "CATALOG_LICENCE", "publisher_name",
           "publisher_uri", "catalog_description", "catalog_licence"]

PUBLISHER_NAME = "ckanext.satudatapasuruan.dcat.publisher_name"
PUBLISHER_URI = "ckanext.satudatapasuruan.dcat.publisher_uri"
CATALOG_DESCRIPTION = "ckanext.satudatapasuruan.dcat.catalog_description"
CATALOG_LICENCE = "ckanext.satudatapasuruan.dcat.catalog_licence"


def publisher_name() -> str:
    return tk.config[PUBLISHER_NAME]


def publisher_uri() -> str:
    return tk.config[PUBLISHER_URI]


def catalog_description() -> str:
    return tk.config.get("ckan.site_description") or tk.config[CATALOG_DESCRIPTION]


def catalog_licence() -> str:
    return tk.config[CATALOG_LICENCE]
