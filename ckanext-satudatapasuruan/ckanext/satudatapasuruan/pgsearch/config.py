"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["BACKEND", "WORK_MEM", "AUTO_MAINTENANCE", "CACHE_SIZE", "CACHE_TTL", "backend", "uses_postgres",
           "work_mem", "auto_maintenance", "cache_size", "cache_ttl"]

BACKEND = "ckanext.satudatapasuruan.search.backend"
WORK_MEM = "ckanext.satudatapasuruan.search.work_mem"
AUTO_MAINTENANCE = "ckanext.satudatapasuruan.search.auto_maintenance"
CACHE_SIZE = "ckanext.satudatapasuruan.search.cache_size"
CACHE_TTL = "ckanext.satudatapasuruan.search.cache_ttl"
# Same default as the declaration; repeated because the seam keeps serving CKAN
# after plugins are unloaded (CKAN's test runner), when declarations are gone.
_DEFAULT_BACKEND = "postgres"
_DEFAULT_WORK_MEM = "32MB"
_DEFAULT_CACHE_SIZE = 256
_DEFAULT_CACHE_TTL = 300


def backend() -> str:
    return tk.config.get(BACKEND, _DEFAULT_BACKEND) or _DEFAULT_BACKEND


def uses_postgres() -> bool:
    return backend() == "postgres"


def work_mem() -> str:
    return tk.config.get(WORK_MEM, _DEFAULT_WORK_MEM) or _DEFAULT_WORK_MEM


def auto_maintenance() -> bool:
    return tk.asbool(tk.config.get(AUTO_MAINTENANCE, True))


def cache_size() -> int:
    return tk.asint(tk.config.get(CACHE_SIZE, _DEFAULT_CACHE_SIZE))


def cache_ttl() -> int:
    return tk.asint(tk.config.get(CACHE_TTL, _DEFAULT_CACHE_TTL))
