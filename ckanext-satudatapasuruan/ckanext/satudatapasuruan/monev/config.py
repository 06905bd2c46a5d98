"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["CACHE_TTL", "DATASET_TYPES", "COMPLETE_AT", "BOUNDARY_DATASET", "BOUNDARY_CODE_PROPERTY",
           "HEARTBEAT_URL", "HEARTBEAT_TIMEOUT", "HEARTBEAT_INTERVAL", "VISIT_WINDOW", "CLIENT_SALT",
           "cache_ttl", "dataset_types", "complete_at", "boundary_dataset", "boundary_code_property",
           "heartbeat_url", "heartbeat_timeout", "heartbeat_interval", "visit_window", "client_salt"]

_PREFIX = "ckanext.satudatapasuruan.monev."
CACHE_TTL = _PREFIX + "cache_ttl"
DATASET_TYPES = _PREFIX + "dataset_types"
COMPLETE_AT = _PREFIX + "complete_at"
BOUNDARY_DATASET = _PREFIX + "boundary_dataset"
BOUNDARY_CODE_PROPERTY = _PREFIX + "boundary_code_property"
HEARTBEAT_URL = _PREFIX + "heartbeat_url"
HEARTBEAT_TIMEOUT = _PREFIX + "heartbeat_timeout"
HEARTBEAT_INTERVAL = _PREFIX + "heartbeat_interval"
VISIT_WINDOW = _PREFIX + "visit_window"
CLIENT_SALT = _PREFIX + "client_salt"


def cache_ttl() -> int:
    return max(0, int(tk.config[CACHE_TTL]))


def dataset_types() -> list[str]:
    value = tk.config[DATASET_TYPES]
    types = value.split() if isinstance(value, str) else list(value or [])
    return types or ["dataset"]


def complete_at() -> int:
    return min(100, max(0, int(tk.config[COMPLETE_AT])))


def boundary_dataset() -> str:
    return (tk.config[BOUNDARY_DATASET] or "").strip()


def boundary_code_property() -> str:
    return (tk.config[BOUNDARY_CODE_PROPERTY] or "").strip() or "kode_wilayah"


def heartbeat_url() -> str:
    url = (tk.config[HEARTBEAT_URL] or "").strip()
    return url or tk.config["ckan.site_url"].rstrip("/") + "/api/3/action/status_show"


def heartbeat_timeout() -> int:
    return max(1, int(tk.config[HEARTBEAT_TIMEOUT]))


def heartbeat_interval() -> int:
    return max(1, int(tk.config[HEARTBEAT_INTERVAL]))


def visit_window() -> int:
    return max(1, int(tk.config[VISIT_WINDOW]))


def client_salt() -> str:
    return tk.config.get(CLIENT_SALT) or tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or ""
