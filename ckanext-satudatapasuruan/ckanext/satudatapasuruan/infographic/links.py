"""What an infographic points at, read as the public reads it (package_show without a user), so that the
QR redirect, the source line and the cached outputs are the same for everyone and never carry what only
owners may see."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from . import config

__all__ = ["INFOGRAFIS", "linked_names", "public_dataset", "public_linked", "short_url"]

INFOGRAFIS = "infografis"


def linked_names(value: Any) -> list[str]:
    """``dataset_terkait`` as a list, whether a list, a JSON list or a comma-separated string."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                return [text]
        else:
            value = text.split(",")
    if not isinstance(value, (list, tuple)):
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def public_dataset(id_or_name: str) -> dict[str, Any] | None:
    """The dataset as an anonymous visitor sees it, when it is published and not itself an infographic."""
    try:
        pkg = tk.get_action("package_show")({"user": "", "ignore_auth": False}, {"id": id_or_name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    if pkg.get("private") or pkg.get("type") == INFOGRAFIS:
        return None
    if pkg.get("workflow_state", "terbit") != "terbit":
        return None
    return pkg


def public_linked(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The infographic's linked datasets that are published for everyone, in the order given."""
    found = []
    for name in linked_names(pkg_dict.get("dataset_terkait")):
        pkg = public_dataset(name)
        if pkg is not None and pkg["id"] not in {p["id"] for p in found}:
            found.append(pkg)
    return found


def short_url(code: str) -> str:
    return f"{config.site_url()}/i/{code}"
