"""Credentials of harvest sources, kept out of the source's stored config.

ckanext-harvest stores a source's config as given and shows it back (``harvest_source_show``, the edit
form). So the chained ``harvest_source_create/update`` actions take the secret values out of the
``auth`` block, store them in ``satudata_harvest.secret`` and leave ``MASK`` in the config. A value of
the form ``${NAME}`` is read from the environment at harvest time instead (deployments that keep
secrets in the service's environment).
"""
from __future__ import annotations

import copy
import os
import re
from typing import Any

import ckan.plugins.toolkit as tk

from . import store

__all__ = ["MASK", "SECRET_KEYS", "split", "redact", "resolve"]

MASK = "********"
# Keys of the ``auth`` block that hold secrets.
SECRET_KEYS = ("token", "value", "password")
_ENV = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")


def _secret_items(config: dict[str, Any]) -> list[tuple[str, Any]]:
    auth = config.get("auth")
    return [(k, auth[k]) for k in SECRET_KEYS if isinstance(auth, dict) and k in auth]


def split(config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The config with its secret values masked, and the new secret values given in it (not masks, not
    environment references, which stay in the config)."""
    masked = copy.deepcopy(config)
    given: dict[str, str] = {}
    for key, value in _secret_items(config):
        if isinstance(value, str) and value != MASK and not _ENV.match(value):
            given[key] = value
            masked["auth"][key] = MASK
    return masked, given


def redact(config: dict[str, Any]) -> dict[str, Any]:
    masked = copy.deepcopy(config)
    for key, _value in _secret_items(config):
        masked["auth"][key] = MASK
    return masked


def resolve(source_id: str, config: dict[str, Any]) -> dict[str, Any]:
    """The config with its secrets filled in, for the harvester's own use only."""
    items = _secret_items(config)
    if not items:
        return config
    resolved = copy.deepcopy(config)
    stored = store.get_secrets(source_id)
    for key, value in items:
        if value == MASK:
            if key not in stored:
                raise ValueError(tk._("auth.{key}: kredensial belum disimpan; isi ulang nilainya pada "
                                      "konfigurasi").format(key=key))
            resolved["auth"][key] = stored[key]
        elif isinstance(value, str) and (match := _ENV.match(value)):
            if match.group(1) not in os.environ:
                raise ValueError(tk._("auth.{key}: variabel lingkungan {name} tidak diatur").format(
                    key=key, name=match.group(1)))
            resolved["auth"][key] = os.environ[match.group(1)]
    return resolved
