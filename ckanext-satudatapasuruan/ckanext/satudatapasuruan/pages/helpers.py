"""Template helpers of the content pages plugin (the theme's main menu, the pages' templates)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.messages import N_

from . import config
from .records import MAIN_SECTIONS, SECTIONS

__all__ = ["satudata_pages_menu", "satudata_pages_section_label", "satudata_pages_sections",
           "satudata_pages_markdown", "satudata_pages_filesize", "satudata_pages_can_manage",
           "satudata_pages_accept", "satudata_pages_max_upload_mb"]

LABELS = {"tentang": N_("Tentang"), "kontak": N_("Kontak"), "panduan": N_("Panduan"), "lainnya": N_("Lainnya")}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def satudata_pages_section_label(section: str) -> str:
    return tk._(LABELS[section]) if section in LABELS else section


def satudata_pages_sections() -> list[tuple[str, str]]:
    """[(value, label)] of the sections, for the page form."""
    return [(s, satudata_pages_section_label(s)) for s in SECTIONS]


def satudata_pages_menu() -> list[dict[str, Any]]:
    """The main menu's sections and their published pages, for the theme's header.

    Each item: ``section``, ``title`` (translated), ``url`` (``/tentang``, ``/kontak``, ``/panduan``; None
    for ``lainnya``) and ``pages`` (``slug``, ``title``, ``url``) without the section's main page. The three
    main sections are always there (their pages say when they have no content yet); ``lainnya`` only when
    it has published pages."""
    try:
        found = tk.get_action("satudata_page_list")(_context(), {})
    except (tk.ValidationError, tk.NotAuthorized):
        found = []
    menu = []
    for section in SECTIONS:
        items = [{"slug": p["slug"], "title": p["title"], "url": tk.url_for("satudata_pages.read", slug=p["slug"])}
                 for p in found if p["section"] == section and p["slug"] != section]
        if section not in MAIN_SECTIONS and not items:
            continue
        menu.append({"section": section, "title": satudata_pages_section_label(section),
                     "url": tk.url_for(f"satudata_pages.{section}") if section in MAIN_SECTIONS else None,
                     "pages": items})
    return menu


def satudata_pages_markdown(text: str):
    """The page's Markdown as safe HTML: CKAN's renderer with HTML removed (no raw HTML, no scripts)."""
    return tk.h.render_markdown(text or "", auto_link=False, allow_html=False)


def satudata_pages_filesize(size: int | None) -> str:
    if not size:
        return ""
    if size < 1024:
        return tk._("{n} bita").format(n=size)
    if size < 1024 * 1024:
        return tk._("{n} KB").format(n=f"{size / 1024:.0f}")
    return tk._("{n} MB").format(n=f"{size / 1024 / 1024:.1f}".replace(".", ","))


def satudata_pages_can_manage() -> bool:
    """Whether the current user may manage the pages (shows the edit links)."""
    try:
        tk.check_access("satudata_page_create", _context(), {})
    except tk.NotAuthorized:
        return False
    return True


def satudata_pages_accept() -> str:
    """The file input's ``accept`` list (``.xlsx,.pdf,...``) from the configured extensions."""
    return ",".join(f".{e}" for e in config.allowed_extensions())


def satudata_pages_max_upload_mb() -> int:
    return config.max_upload_mb()
