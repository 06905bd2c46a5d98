"""Template helpers of the infographic plugin (the home page, the infographic page, the gallery)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan import refdata

from .links import INFOGRAFIS

__all__ = ["satudata_infographic_newest", "satudata_infographic_short_url", "satudata_infographic",
           "satudata_infographic_templates", "satudata_infographic_sektor_label"]


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def satudata_infographic_newest(limit: int = 4) -> list[dict[str, Any]]:
    """The newest published infographics the current user may see (package_search applies the rules)."""
    try:
        result = tk.get_action("package_search")(_context(), {
            "fq": f"+dataset_type:{INFOGRAFIS}", "sort": "metadata_created desc", "rows": int(limit),
            "include_private": False})
    except (tk.ValidationError, tk.NotAuthorized):
        return []
    return result["results"]


def satudata_infographic(package_id: str) -> dict[str, Any] | None:
    """The infographic's short link, scans and output addresses, or None when not the user's to see."""
    try:
        return tk.get_action("satudata_infographic_show")(_context(), {"id": package_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None


def satudata_infographic_short_url(package_id: str) -> str | None:
    """The absolute short address ``<site>/i/<code>`` of an infographic the user may see, else None."""
    info = satudata_infographic(package_id)
    return info["short_url"] if info else None


def satudata_infographic_templates() -> list[dict[str, Any]]:
    """The approved templates (for the template chooser of the infographic's editors)."""
    return tk.get_action("satudata_infographic_template_list")(_context(), {"approved_only": True})


def satudata_infographic_sektor_label(code: str) -> str:
    lang = tk.h.lang() or "id"
    return refdata.label("urusan", code, "en" if lang.startswith("en") else "id")
