"""Template helpers of the public portal (home page, header, dataset page, Data Terbaru)."""
from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import ckan.plugins.toolkit as tk
import segno
from flask import g

from . import config, menu

__all__ = ["satudata_main_menu", "satudata_home_stats", "satudata_sektor_tiles", "satudata_newest",
           "satudata_optional", "satudata_qr_data_uri", "satudata_citation", "satudata_api_examples",
           "satudata_walidata_name", "satudata_metadata_sections", "satudata_served"]

# Shown elsewhere on the dataset page (heading, description, tags, organisation block).
_NOT_IN_TABLE = {"id", "title", "name", "notes", "tag_string", "license_id", "owner_org"}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def satudata_main_menu() -> list[dict[str, Any]]:
    """The main menu items this portal serves, the current page's marked ``active``."""
    return menu.main_menu(tk.request.path)


def _overview() -> dict[str, Any]:
    """One facet query for the home page's figures and tiles (what the viewer may see), once per request."""
    if "satudata_overview" not in g:
        try:
            result = tk.get_action("package_search")(_context(), {
                "rows": 0, "facet.field": ["dataset_type", "organization", "urusan", "data_prioritas"],
                "facet.limit": -1, "include_private": False})
        except (tk.ValidationError, tk.NotAuthorized):
            result = {"count": 0, "search_facets": {}}
        g.satudata_overview = result
    return g.satudata_overview


def _facet_items(name: str) -> list[dict[str, Any]]:
    return (_overview().get("search_facets") or {}).get(name, {}).get("items", [])


def _count(name: str, value: str) -> int:
    return next((item["count"] for item in _facet_items(name) if item["name"] == value), 0)


def satudata_home_stats() -> list[dict[str, Any]]:
    """Headline figures of the home page: published datasets, OPDs publishing, priority data, infographics."""
    return [
        {"label": tk._("Dataset terbit"), "value": _count("dataset_type", "dataset"),
         "url": tk.url_for("dataset.search")},
        {"label": tk._("OPD produsen data"), "value": len(_facet_items("organization")),
         "url": tk.url_for("organization.index")},
        {"label": tk._("Data prioritas"), "value": _count("data_prioritas", "ya"),
         "url": tk.url_for("dataset.search", data_prioritas="ya")},
        {"label": tk._("Infografis"), "value": _count("dataset_type", "infografis"),
         "url": tk.url_for("/galeri-infografis") if menu.served("/galeri-infografis") else None},
    ]


def satudata_sektor_tiles() -> list[dict[str, Any]]:
    """One tile per sektor (urusan) holding published data, largest first, linking to the filtered search."""
    items = sorted(_facet_items("urusan"), key=lambda item: (-item["count"], item.get("display_name") or ""))
    return [{"code": item["name"], "label": item.get("display_name") or item["name"], "count": item["count"],
             "url": tk.url_for("dataset.search", urusan=item["name"])} for item in items]


def satudata_newest(limit: int | None = None, page: int = 1) -> dict[str, Any]:
    """Statistical datasets the viewer may see, the most recently changed first (``count`` and ``results``)."""
    rows = int(limit or config.newest_limit())
    try:
        return tk.get_action("package_search")(_context(), {
            "fq": "+dataset_type:dataset", "sort": "metadata_modified desc", "rows": rows,
            "start": (max(int(page), 1) - 1) * rows, "include_private": False})
    except (tk.ValidationError, tk.NotAuthorized):
        return {"count": 0, "results": []}


def satudata_optional(name: str, *args: Any, **kwargs: Any) -> Any:
    """Another plugin's helper when that plugin is enabled, else None (the page leaves its block out)."""
    helper = tk.h.get(name)
    return helper(*args, **kwargs) if helper else None


@functools.lru_cache(maxsize=4096)
def satudata_qr_data_uri(url: str, scale: int = 4) -> str:
    """An SVG QR code of ``url`` as a data: URI (no request for an image, prints sharp); encoding costs
    milliseconds (segno scores eight masks), so each address is encoded once per process."""
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2, dark="#000000", light="#ffffff")


def satudata_served(path: str) -> bool:
    """Whether the portal serves ``path`` (links to optional plugins' pages)."""
    return menu.served(path)


def satudata_walidata_name() -> str:
    return config.walidata_name()


def _year(pkg: dict[str, Any]) -> str:
    for key in ("tahun", "periode_akhir", "metadata_created"):
        value = str(pkg.get(key) or "")
        if len(value) >= 4 and value[:4].isdigit():
            return value[:4]
    return "t.t."


def satudata_citation(pkg: dict[str, Any]) -> str:
    """How to cite the dataset (author-date, as BPS publications do): OPD. (year). Title. Portal. URL."""
    org = (pkg.get("organization") or {}).get("title") or config.walidata_name()
    url = tk.url_for(f"{pkg.get('type') or 'dataset'}.read", id=pkg["name"], _external=True)
    accessed = dt.date.today().strftime("%d-%m-%Y")
    return tk._("{org}. ({year}). {title}. {site}. {url} (diakses {date})").format(
        org=org, year=_year(pkg), title=pkg.get("title") or pkg["name"], site=tk.config.get("ckan.site_title"),
        url=url, date=accessed)


def satudata_api_examples(pkg: dict[str, Any]) -> list[dict[str, str]]:
    """API calls that fetch this dataset's metadata and, for DataStore tables, its rows."""
    api = tk.config.get("ckan.site_url").rstrip("/") + "/api/3/action/"
    examples = [{"title": tk._("Metadata dataset"), "url": f"{api}package_show?id={pkg['name']}"}]
    for res in pkg.get("resources") or []:
        if res.get("datastore_active"):
            examples.append({"title": tk._("Baris data: {name}").format(name=res.get("name") or res["id"]),
                             "url": f"{api}datastore_search?resource_id={res['id']}&limit=5"})
    return examples


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {}, "[]")


def satudata_metadata_sections(pkg: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's filled metadata grouped by the schema's sections (as BPS's metadata forms group it)."""
    fields = [f for f in schema.get("dataset_fields", [])
              if f["field_name"] not in _NOT_IN_TABLE and f.get("display_snippet", "") is not None
              and _filled(pkg.get(f["field_name"]))]
    return tk.h.satudata_schema_sections(schema, fields)
