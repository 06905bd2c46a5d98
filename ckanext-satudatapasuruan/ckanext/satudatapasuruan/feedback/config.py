"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["CLIENT_SALT", "REQUEST_LIMIT", "RATING_LIMIT", "PAGE_SIZE", "NOTIFY_EMAIL", "COUNT_BOTS",
           "client_salt", "request_limit", "rating_limit", "page_size", "notify_email", "count_bots", "site_url"]

_PREFIX = "ckanext.satudatapasuruan.feedback."
CLIENT_SALT = _PREFIX + "client_salt"
REQUEST_LIMIT = _PREFIX + "request_limit"
RATING_LIMIT = _PREFIX + "rating_limit"
PAGE_SIZE = _PREFIX + "page_size"
NOTIFY_EMAIL = _PREFIX + "notify_email"
COUNT_BOTS = _PREFIX + "count_bots"


def client_salt() -> str:
    return tk.config.get(CLIENT_SALT) or tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or ""


def request_limit() -> int:
    return max(1, int(tk.config[REQUEST_LIMIT]))


def rating_limit() -> int:
    return max(1, int(tk.config[RATING_LIMIT]))


def page_size() -> int:
    return max(1, int(tk.config[PAGE_SIZE]))


def notify_email() -> bool:
    return tk.asbool(tk.config[NOTIFY_EMAIL])


def count_bots() -> bool:
    return tk.asbool(tk.config[COUNT_BOTS])


def site_url() -> str:
    return tk.config["ckan.site_url"].rstrip("/")
