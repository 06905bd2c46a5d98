"""ckanext-harvest's source actions, chained so that credentials never stay in a source's config."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from .. import credentials, store

__all__ = ["harvest_source_create", "harvest_source_update"]


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


@tk.chained_action
def harvest_source_create(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Credentials in ``config.auth`` are stored apart and masked in the source's config."""
    tk.check_access("harvest_source_create", context, data_dict)
    data_dict, given = _split(data_dict)
    result = next_action(context, data_dict)
    if given:
        for name, value in given.items():
            store.set_secret(result["id"], name, value)
        model.repo.commit()
    return result


@tk.chained_action
def harvest_source_update(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """A masked credential keeps the stored one; a new value replaces it; no auth block forgets them."""
    tk.check_access("harvest_source_update", context, data_dict)
    if "config" not in data_dict:
        return next_action(context, data_dict)
    data_dict, given = _split(data_dict)
    result = next_action(context, data_dict)
    if given is None:
        store.delete_secrets(result["id"])
    else:
        for name, value in given.items():
            store.set_secret(result["id"], name, value)
        auth = json.loads(data_dict["config"])["auth"]
        store.delete_secrets(result["id"], keep={k for k in credentials.SECRET_KEYS if k in auth})
    model.repo.commit()
    return result
