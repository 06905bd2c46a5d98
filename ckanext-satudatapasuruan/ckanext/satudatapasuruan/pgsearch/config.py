"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["BACKEND", "backend", "uses_postgres"]

BACKEND = "ckanext.satudatapasuruan.search.backend"
# Same default as the declaration; repeated because the seam keeps serving CKAN
# after plugins are unloaded (CKAN's test runner), when declarations are gone.
_DEFAULT_BACKEND = "postgres"


def backend() -> str:
    return tk.config.get(BACKEND, _DEFAULT_BACKEND) or _DEFAULT_BACKEND


def uses_postgres() -> bool:
    return backend() == "postgres"
