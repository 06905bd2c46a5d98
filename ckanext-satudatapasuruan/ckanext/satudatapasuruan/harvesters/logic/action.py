"""CKAN's package actions, chained for harvest sources (type ``harvest``): credentials never stay in a source's
config, and the walidata saves sources for every OPD.

ckanext-harvest's source form and its ``harvest_source_create/update`` actions both save through
``package_create`` / ``package_update``, so the chain sits there.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from .. import credentials, store
from . import auth

__all__ = ["package_create", "package_update"]

SOURCE_TYPE = "harvest"


def _split(data_dict: DataDict) -> tuple[DataDict, dict[str, str] | None]:
    """The data with masked config, and the secrets given (None when the config has no auth block)."""
    try:
        config = json.loads(data_dict.get("config") or "{}")
    except (TypeError, json.JSONDecodeError):
        return data_dict, None  # the harvester's validate_config reports it
    if not isinstance(config, dict) or not isinstance(config.get("auth"), dict):
        return data_dict, None
    masked, given = credentials.split(config)
    return dict(data_dict, config=json.dumps(masked, ensure_ascii=False, indent=2)), given


def _for_walidata(context: Context) -> Context:
    if auth.satudata_permission_manage_sources(context):
        # CKAN's owner_org validator asks for membership of the OPD; the walidata manages every OPD's sources
        # (its permission was checked by the chained package_create/update auth).
        return dict(context, ignore_auth=True)
    return context


def _is_source(data_dict: DataDict) -> bool:
    if data_dict.get("type") == SOURCE_TYPE:
        return True
    package = model.Package.get(str(data_dict.get("id") or data_dict.get("name") or ""))
    return package is not None and package.type == SOURCE_TYPE


@tk.chained_action
def package_create(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """A harvest source's credentials (``config.auth``) are stored apart and masked in its config."""
    if not _is_source(data_dict):
        return next_action(context, data_dict)
    tk.check_access("package_create", context, data_dict)
    data_dict, given = _split(data_dict)
    result = next_action(_for_walidata(context), data_dict)
    if given:
        for name, value in given.items():
            store.set_secret(result["id"], name, value)
        model.repo.commit()
    return result


@tk.chained_action
def package_update(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """A masked credential keeps the stored one; a new value replaces it; no auth block forgets them."""
    if not _is_source(data_dict):
        return next_action(context, data_dict)
    tk.check_access("package_update", context, data_dict)
    if "config" not in data_dict:
        return next_action(_for_walidata(context), data_dict)
    data_dict, given = _split(data_dict)
    result = next_action(_for_walidata(context), data_dict)
    if given is None:
        store.delete_secrets(result["id"])
    else:
        for name, value in given.items():
            store.set_secret(result["id"], name, value)
        kept = json.loads(data_dict["config"])["auth"]
        store.delete_secrets(result["id"], keep={k for k in credentials.SECRET_KEYS if k in kept})
    model.repo.commit()
    return result
