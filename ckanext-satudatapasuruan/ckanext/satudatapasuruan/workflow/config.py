"""Typed getters for the options declared in ``config_declaration.yaml``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["WALIDATA_ORG", "PEMBINA_ORGS", "NOTIFY_EMAIL", "walidata_org", "pembina_orgs", "notify_email"]

WALIDATA_ORG = "ckanext.satudatapasuruan.workflow.walidata_org"
PEMBINA_ORGS = "ckanext.satudatapasuruan.workflow.pembina_orgs"
NOTIFY_EMAIL = "ckanext.satudatapasuruan.workflow.notify_email"


def walidata_org() -> str:
    return tk.config[WALIDATA_ORG]


def pembina_orgs() -> list[str]:
    return list(tk.config[PEMBINA_ORGS] or [])


def notify_email() -> bool:
    return tk.config[NOTIFY_EMAIL]
