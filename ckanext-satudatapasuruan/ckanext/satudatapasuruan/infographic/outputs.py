"""The rendered outputs of one infographic (web PNG, print PDF, gallery thumbnail), cached on disk.

Callers pass the infographic as the viewer's ``package_show`` returned it (so only viewers who may see it get
here); everything else drawn on the page is public (see ``links``). The cache key holds everything drawn — the
dataset's ``metadata_modified``, the template's id and last change, the artwork file, the linked datasets and
the language — so any edit renders afresh and stale files are simply never asked for again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
import file_keeper as fk
from ckan.lib import files, uploader

from ckanext.satudatapasuruan.messages import N_

from . import artwork, config, links, records, render
from .logic.action import approved_template

__all__ = ["KINDS", "Output", "template_for", "source_line", "period", "produce"]

log = logging.getLogger(__name__)

RENDER_VERSION = "1"  # bump when the drawing changes, to leave old cached files behind
KINDS = {"png": "image/png", "pdf": "application/pdf", "thumb": "image/png"}
THUMB_WIDTH = 480

SOURCE = N_("Sumber: {opd} — {datasets}, periode {period}")
SCAN_HINT = N_("Pindai kode QR untuk membuka datanya:")
NO_UPLOAD = N_("Berkas infografis tidak diunggah ke portal; lihat berkas aslinya di halaman infografis.")
NO_PDF_PREVIEW = N_("Pratinjau PDF tidak tersedia; unduh berkas PDF aslinya dari halaman infografis.")


@dataclass(frozen=True)
class Output:
    data: bytes
    mimetype: str
    filename: str


def template_for(kind: str, requested: str | None, link: dict[str, Any]) -> dict[str, Any]:
    """The approved template framing ``kind``: the one asked for, else the infographic's own, else the
    configured default (portrait for the web PNG, landscape for the print PDF)."""
    name = requested or link.get("template_id") or (
        config.print_template() if kind == "pdf" else config.web_template())
    return approved_template(name)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def period(pkg: dict[str, Any]) -> str:
    """``2024`` for a calendar year, ``01/01/2024–30/06/2024`` for other periods, the year when none is given."""
    start, end = _date(pkg.get("periode_awal")), _date(pkg.get("periode_akhir"))
    if start and end:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
            return str(start.year)
        return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"
    if start or end:
        return f"{(start or end):%d/%m/%Y}"
    return str(pkg.get("tahun") or "")


def source_line(pkg: dict[str, Any], linked: list[dict[str, Any]]) -> str:
    opd = (pkg.get("organization") or {}).get("title") or ""
    datasets = "; ".join(d.get("title") or d["name"] for d in linked) or "—"
    return tk._(SOURCE).format(opd=opd, datasets=datasets, period=period(pkg))


def _upload(pkg: dict[str, Any]) -> dict[str, Any] | None:
    return next((r for r in pkg.get("resources") or [] if r.get("url_type") == "upload"), None)


def _read_upload(resource: dict[str, Any]) -> bytes | None:
    """The stored file through CKAN's uploader (a plain storage path or a ckan.files storage)."""
    upload = uploader.get_resource_uploader(resource)
    path = upload.get_path(resource["id"])
    storage = getattr(upload, "storage", None)
    try:
        if isinstance(storage, fk.Storage):
            location = files.Location(path)
            file_data = files.FileData(location, size=storage.size(location))
            return b"".join(storage.stream(file_data))
        with open(path, "rb") as handle:
            return handle.read(config.max_upload_bytes() + 1)
    except (OSError, files.exc.LocationError, files.exc.MissingFileError) as err:
        log.warning("infographic artwork %s unreadable: %s", resource["id"], err)
        return None


def _cache_path(key: dict[str, Any], kind: str) -> str | None:
    root = config.storage_path()
    if not root:
        return None
    digest = hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()
    ext = "pdf" if kind == "pdf" else "png"
    return os.path.join(root, "satudata_infographic", "cache", digest[:2], f"{digest}.{ext}")


def _write_atomically(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def produce(pkg: dict[str, Any], kind: str, requested_template: str | None = None) -> Output:
    """The infographic ``pkg`` framed as ``kind`` (``png``, ``pdf`` or ``thumb``), from the cache when fresh.

    :raises tk.ValidationError: the template does not exist or is not approved
    """
    link = records.ensure_link(pkg["id"])
    template = template_for(kind, requested_template, link)
    linked = links.public_linked(pkg)
    resource = _upload(pkg)
    lang = tk.h.lang() if tk.request else "id"
    key = {"v": RENDER_VERSION, "kind": kind, "pkg": pkg["id"], "modified": pkg.get("metadata_modified"),
           "template": template["id"], "template_updated": template["updated"], "code": link["code"],
           "site": config.site_url(), "lang": lang,
           "artwork": [resource["id"], resource.get("last_modified"), resource.get("size")] if resource else None,
           "linked": [[d["id"], d.get("metadata_modified")] for d in linked]}
    path = _cache_path(key, kind)
    filename = f"{pkg['name']}.{'pdf' if kind == 'pdf' else 'png'}"
    if path and os.path.exists(path):
        with open(path, "rb") as handle:
            return Output(handle.read(), KINDS[kind], filename)
    data = _render(pkg, kind, template, link, linked, resource)
    if path:
        try:
            _write_atomically(path, data)
        except OSError as err:  # a full or read-only disk costs speed, not the download
            log.warning("infographic cache not written (%s): %s", path, err)
    return Output(data, KINDS[kind], filename)


def _render(pkg, kind, template, link, linked, resource) -> bytes:
    scale = template["print_dpi"] / template["web_dpi"] if kind == "pdf" else 1.0
    layout = render.Layout.of(template, scale)
    art, notice = None, tk._(NO_UPLOAD)
    raw = _read_upload(resource) if resource else None
    if raw:
        try:
            art = artwork.load(raw, config.ghostscript(), layout.dpi)
        except (OSError, ValueError) as err:  # checked at upload; a file changed behind CKAN's back
            log.warning("infographic artwork of %s unreadable: %s", pkg["id"], err)
        if art is None:
            notice = tk._(NO_PDF_PREVIEW)
    content = render.Content(title=pkg.get("title") or pkg["name"], source_line=source_line(pkg, linked),
                             short_url=links.short_url(link["code"]), artwork=art, notice=notice,
                             scan_hint=tk._(SCAN_HINT))
    image = render.compose(layout, content, render.Fonts(config.font(), config.font_bold()))
    if kind == "pdf":
        return render.to_pdf(image, template["print_dpi"], title=pkg.get("title") or "")
    if kind == "thumb":
        return render.thumbnail(image, THUMB_WIDTH)
    return render.to_png(image, template["web_dpi"])
