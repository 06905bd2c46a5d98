"""Plug the embedded engine into CKAN's Solr connection seam.

``ckan.lib.search`` obtains every connection from ``make_connection()``; modules
import that name directly, so each module's reference is replaced.  The choice
between the embedded engine and Solr is read from config on every call, so the
production configuration switches backends with one option.
"""
from __future__ import annotations

import logging
import sys

import ckan.lib.search as search
import ckan.lib.search.common as common

from . import config
from .engine import PgSearchConnection

__all__ = ["install", "make_connection"]

log = logging.getLogger(__name__)

_solr_make_connection = common.make_connection
_solr_check_schema = search.check_solr_schema_version


def make_connection(decode_dates: bool = True):
    if config.uses_postgres():
        return PgSearchConnection(decode_dates=decode_dates)
    return _solr_make_connection(decode_dates)


def check_solr_schema_version(schema_file=None) -> bool:
    # At start-up there is no Solr schema to check; an explicit file is still checked.
    if config.uses_postgres() and schema_file is None:
        return False
    return _solr_check_schema(schema_file)


def install() -> None:
    """Point every imported reference to ``make_connection`` at ours (idempotent)."""
    for module in list(sys.modules.values()):
        if getattr(module, "make_connection", None) is _solr_make_connection:
            module.make_connection = make_connection
    common.make_connection = make_connection
    search.check_solr_schema_version = check_solr_schema_version
