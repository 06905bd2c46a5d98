"""The main menu and the facet order of the public portal.

Menu items are addresses, not endpoints: an item shows only while some plugin serves its address, so the
menu follows the plugins a portal enables (Capaian Kinerja appears once the Monev dashboard is there)."""
from __future__ import annotations

from typing import Any, NamedTuple

import ckan.plugins.toolkit as tk
from flask import current_app
from werkzeug.exceptions import HTTPException

from ckanext.satudatapasuruan.messages import N_

from . import config

__all__ = ["FACET_ORDER", "MenuItem", "MENU", "served", "main_menu", "api_docs_url"]

# Search facets in the order of the Petunjuk Teknis (OPD, sektor, wilayah, tahun, frekuensi, format,
# klasifikasi, prioritas), then the portal's own.
FACET_ORDER = (
    ("organization", N_("OPD")),
    ("urusan", N_("Sektor / urusan")),
    ("kode_wilayah", N_("Wilayah")),
    ("tahun", N_("Tahun")),
    ("frekuensi", N_("Frekuensi")),
    ("res_format", N_("Format")),
    ("klasifikasi_akses", N_("Klasifikasi akses")),
    ("data_prioritas", N_("Data prioritas")),
    ("kelengkapan_band", N_("Kelengkapan metadata")),
    ("tags", N_("Kata kunci")),
    ("license_id", N_("Lisensi")),
)


class MenuItem(NamedTuple):
    path: str
    label: str  # msgid
    section: str  # "main" or "info" (the Informasi group)


MENU = (
    MenuItem("/", N_("Beranda"), "main"),
    MenuItem("/dataset/", N_("Eksplorasi Data"), "main"),
    MenuItem("/data-terbaru", N_("Data Terbaru"), "main"),
    MenuItem("/dashboard-statistik", N_("Dashboard Statistik"), "main"),
    MenuItem("/capaian-kinerja", N_("Capaian Kinerja"), "main"),
    MenuItem("/kalender-rilis", N_("Kalender Rilis"), "main"),
    MenuItem("/galeri-infografis", N_("Infografis"), "main"),
    MenuItem("/permintaan-data", N_("Permintaan Data"), "main"),
    MenuItem("/panduan", N_("Panduan"), "info"),
    MenuItem("/kamus-data", N_("Kamus Data"), "info"),
    MenuItem("/daftar-data", N_("Daftar Data"), "info"),
    MenuItem("/verifikasi", N_("Verifikasi Dokumen"), "info"),
    MenuItem("/tentang", N_("Tentang"), "info"),
    MenuItem("/kontak", N_("Kontak"), "info"),
    MenuItem("/umpan-balik", N_("Umpan Balik"), "info"),
)
CKAN_API_DOCS = "https://docs.ckan.org/en/2.11/api/"
API_GUIDE_SLUG = "panduan-penggunaan-api"


def served(path: str, method: str = "GET") -> bool:
    """Whether some blueprint answers ``path`` (the static-file route, which takes any path, does not count)."""
    try:
        endpoint, _args = current_app.url_map.bind("").match(path, method=method)
    except HTTPException:
        return False
    return endpoint != "static"


def api_docs_url() -> str:
    """The configured address, else /api/docs when served, else the API guide page, else CKAN's docs."""
    if config.api_docs_url():
        return config.api_docs_url()
    if served("/api/docs"):
        return tk.url_for("/api/docs")
    try:
        tk.get_action("satudata_page_show")({}, {"id": API_GUIDE_SLUG})
    except (KeyError, tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return CKAN_API_DOCS
    return tk.url_for(f"/halaman/{API_GUIDE_SLUG}")


def _active(item: MenuItem, current: str) -> bool:
    if item.path == "/":
        return current == "/"
    return current.rstrip("/") == item.path.rstrip("/") or current.startswith(item.path.rstrip("/") + "/")


def main_menu(current_path: str) -> list[dict[str, Any]]:
    """The menu items this portal serves, with labels translated and the current one marked."""
    items = []
    for item in MENU:
        if not served(item.path):
            continue
        items.append({"url": tk.url_for(item.path), "label": tk._(item.label), "section": item.section,
                      "active": _active(item, current_path)})
    items.append({"url": api_docs_url(), "label": tk._("API"), "section": "info",
                  "active": current_path.startswith("/api/docs")})
    return items
