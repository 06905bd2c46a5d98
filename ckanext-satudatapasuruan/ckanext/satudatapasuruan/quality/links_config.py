"""Typed getters for the link checker's options (declared in ``config_declaration.yaml``).

The defaults here are the declared ones; they are repeated for ``tk.config.get`` so that the checker also runs
where the declaration is not loaded (a bare ``ckan`` command before the plugin is enabled).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["LINK_TIMEOUT", "LINK_RATE_PER_HOST", "LINK_MAX_REDIRECTS", "LINK_RECHECK_HOURS", "DEFAULTS",
           "link_timeout", "link_rate_per_host", "link_max_redirects", "link_recheck_hours"]

_PREFIX = "ckanext.satudatapasuruan.quality."
LINK_TIMEOUT = _PREFIX + "link_timeout"
LINK_RATE_PER_HOST = _PREFIX + "link_rate_per_host"
LINK_MAX_REDIRECTS = _PREFIX + "link_max_redirects"
LINK_RECHECK_HOURS = _PREFIX + "link_recheck_hours"

DEFAULTS: dict[str, float | int] = {
    LINK_TIMEOUT: 10.0,  # seconds, to connect and again to read the answer's headers
    LINK_RATE_PER_HOST: 1.0,  # requests per second to one host
    LINK_MAX_REDIRECTS: 5,
    LINK_RECHECK_HOURS: 24,  # a result younger than this, for the same URL, is reused
}


def _number(key: str, kind: type) -> float | int:
    value = tk.config.get(key)
    try:
        return kind(DEFAULTS[key] if value is None or value == "" else value)
    except (TypeError, ValueError):
        return DEFAULTS[key]


def link_timeout() -> float:
    return max(0.05, float(_number(LINK_TIMEOUT, float)))


def link_rate_per_host() -> float:
    return max(0.01, float(_number(LINK_RATE_PER_HOST, float)))


def link_max_redirects() -> int:
    return max(0, int(_number(LINK_MAX_REDIRECTS, int)))


def link_recheck_hours() -> float:
    return max(0.0, float(_number(LINK_RECHECK_HOURS, float)))
