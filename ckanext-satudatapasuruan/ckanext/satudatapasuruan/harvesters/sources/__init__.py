"""Harvest source definitions of OPD applications, one JSON file each (see README.md in this folder).

A file holds the fields of ``harvest_source_create`` with the URL as a path on the OPD application and secrets
as ``${VARIABLE}`` placeholders; :func:`load` turns it into the action's input for one deployment.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["FOLDER", "definition", "load", "names"]

FOLDER = Path(__file__).resolve().parent
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def names() -> list[str]:
    """The shipped definitions, by file name without ``.json``."""
    return sorted(p.stem for p in FOLDER.glob("*.json"))


def definition(name: str) -> dict[str, Any]:
    """The definition as written in its file (placeholders left in)."""
    path = FOLDER / f"{name}.json"
    if not path.is_file():
        raise ValueError(f"no source definition {name!r}; expected one of {', '.join(names())}")
    return json.loads(path.read_text(encoding="utf-8"))


def _fill(value: Any, env: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        def one(match: re.Match[str]) -> str:
            if match.group(1) not in env:
                raise ValueError(f"environment variable {match.group(1)} is not set")
            return env[match.group(1)]
        return _PLACEHOLDER.sub(one, value)
    if isinstance(value, list):
        return [_fill(v, env) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, env) for k, v in value.items()}
    return value


def load(name: str, base_url: str, env: Mapping[str, str] | None = None, *,
         keep_placeholders: bool = False) -> dict[str, Any]:
    """Input for ``harvest_source_create``: the URL joined to `base_url` and ``config`` as the JSON string
    ckanext-harvest stores, its placeholders filled from `env` (default: the process environment).

    With `keep_placeholders`, ``${NAME}`` stays in the config: the harvester then reads the variable from its
    own environment at each run (``harvesters/credentials.py``), so the secret is never stored in the database.
    """
    source = definition(name)
    source["url"] = base_url.rstrip("/") + source["url"]
    config = source["config"] if keep_placeholders else _fill(source["config"], os.environ if env is None else env)
    source["config"] = json.dumps(config, ensure_ascii=False)
    return source
