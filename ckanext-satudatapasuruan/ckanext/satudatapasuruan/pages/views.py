"""Pages of the content plugin: /tentang, /kontak, /panduan, /halaman/<slug>, attachment downloads, and the
walidata's management pages under /halaman/kelola."""
from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.config.middleware.flask_app import csrf
from flask import Blueprint, current_app, g, send_file

from . import files, records

__all__ = ["pages"]

pages = Blueprint("satudata_pages", __name__)

FORM_FIELDS = ("slug", "title", "body", "section", "order")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _show(slug: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("satudata_page_show")(_context(), {"id": slug})
    except tk.ObjectNotFound:
        return None


def _not_found():
    return tk.render("satudata/pages/not_found.html", {}), 404


def _errors(err: tk.ValidationError) -> dict[str, list[str]]:
    return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in err.error_dict.items()}


# --- public -----------------------------------------------------------------------------------------------

def _section(section: str):
    """A section's main page (the page whose slug is the section) and the list of its other pages."""
    main = _show(section)
    others = [p for p in tk.get_action("satudata_page_list")(_context(), {"section": section})
              if p["slug"] != section]
    return tk.render("satudata/pages/section.html", {"section": section, "page": main, "others": others})


@pages.route("/tentang")
def tentang():
    """Tentang: Satu Data Indonesia, the walidata, the producers and the supervisor of statistics."""
    return _section("tentang")


@pages.route("/kontak")
def kontak():
    """Kontak: how to reach the walidata."""
    return _section("kontak")


@pages.route("/panduan")
def panduan():
    """Panduan: the guides' main page, then each guide with its attachments (templates, methodology)."""
    return _section("panduan")


@pages.route("/halaman/<slug>")
def read(slug: str):
    """Any page by its address (an unpublished one only for its managers)."""
    page = _show(slug)
    if page is None:
        return _not_found()
    siblings = [p for p in tk.get_action("satudata_page_list")(_context(), {"section": page["section"]})
                if p["slug"] != page["slug"]]
    return tk.render("satudata/pages/read.html", {"page": page, "siblings": siblings})


@pages.route("/halaman/<slug>/lampiran/<attachment_id>")
def download(slug: str, attachment_id: str):
    """An attachment's file with a fixed Content-Type; only PDF and images inline, all else a download."""
    page = _show(slug)
    listed = next((a for a in (page or {}).get("attachments", []) if a["id"] == attachment_id), None)
    if listed is None:
        return _not_found()
    if listed["kind"] == "link":
        return tk.redirect_to(listed["url"])
    row = records.get_attachment(attachment_id)
    path = files.path_of(row["stored_name"]) if row else None
    if not path or not os.path.isfile(path):
        return _not_found()
    extension = files.extension_of(row["filename"] or "")
    # Flask adds the charset of text types itself.
    response = send_file(path, mimetype=files.content_type(extension).split(";")[0],
                         as_attachment=not files.is_inline(extension),
                         download_name=row["filename"] or f"lampiran.{extension}", conditional=True, etag=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not page["published"]:  # a draft's files must not be kept by shared caches
        tk.request.environ["__no_cache__"] = True
    return response


# --- management ---------------------------------------------------------------------------------------------

def _check_csrf() -> None:
    """CSRF check of a browser's POST, done here again: CKAN exempts a view from CSRFProtect for the rest
    of the process once any request reaches it with an API token (``csrf.exempt`` in its before_request),
    which would leave these forms unprotected for cookie sessions afterwards."""
    if (tk.request.method == "POST" and current_app.config.get("WTF_CSRF_ENABLED")
            and not g.get("login_via_auth_header")):
        csrf.protect()


def _require_manager() -> None:
    _check_csrf()
    try:
        tk.check_access("satudata_page_create", _context(), {})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Hanya walidata yang dapat mengelola halaman portal"))


def _managed(id_or_slug: str) -> dict[str, Any]:
    try:
        return tk.get_action("satudata_page_show")(_context(), {"id": id_or_slug})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Halaman tidak ditemukan"))


def _form_data() -> dict[str, Any]:
    form = tk.request.form
    data = {k: form.get(k, "") for k in FORM_FIELDS}
    data["order"] = data["order"].strip() or "0"
    data["published"] = form.get("published") == "true"
    return data


@pages.route("/halaman/kelola")
def manage():
    """The walidata's list of every page, by section."""
    _require_manager()
    found = tk.get_action("satudata_page_list")(_context(), {"include_unpublished": True})
    return tk.render("satudata/pages/manage/list.html", {"pages": found})


@pages.route("/halaman/kelola/baru", methods=["GET", "POST"])
def create():
    """A new page (the form; ``?section=&slug=`` prefill it, as the empty sections' links do)."""
    _require_manager()
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        data = _form_data()
        try:
            page = tk.get_action("satudata_page_create")(_context(), dict(data))
        except tk.ValidationError as err:
            errors = _errors(err)
        else:
            tk.h.flash_success(tk._("Halaman \u201c{title}\u201d dibuat").format(title=page["title"]))
            return tk.redirect_to("satudata_pages.edit", id=page["id"])
    else:
        args = tk.request.args
        section = args.get("section") if args.get("section") in records.SECTIONS else "lainnya"
        data = {"slug": args.get("slug", ""), "title": "", "body": "", "section": section, "order": 0,
                "published": False}
    return tk.render("satudata/pages/manage/form.html", {"data": data, "errors": errors, "page": None})


@pages.route("/halaman/kelola/<id>/ubah", methods=["GET", "POST"])
def edit(id: str):
    """Edit a page; its attachments are listed, added and removed on the same page."""
    _require_manager()
    page = _managed(id)
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {k: page[k] for k in (*FORM_FIELDS, "published")}
    if tk.request.method == "POST":
        data = _form_data()
        try:
            page = tk.get_action("satudata_page_update")(_context(), {"id": page["id"], **data})
        except tk.ValidationError as err:
            errors = _errors(err)
        else:
            tk.h.flash_success(tk._("Halaman \u201c{title}\u201d disimpan").format(title=page["title"]))
            return tk.redirect_to("satudata_pages.edit", id=page["id"])
    return tk.render("satudata/pages/manage/form.html", {"data": data, "errors": errors, "page": page,
                                                         "attachment": {}, "attachment_errors": {}})


@pages.route("/halaman/kelola/<id>/hapus", methods=["GET", "POST"])
def delete(id: str):
    """Confirm, then delete a page with its attachments."""
    _require_manager()
    page = _managed(id)
    if tk.request.method == "POST":
        tk.get_action("satudata_page_delete")(_context(), {"id": page["id"]})
        tk.h.flash_success(tk._("Halaman \u201c{title}\u201d dihapus").format(title=page["title"]))
        return tk.redirect_to("satudata_pages.manage")
    return tk.render("satudata/pages/manage/delete.html", {"page": page})


@pages.route("/halaman/kelola/<id>/lampiran", methods=["POST"])
def attachment_create(id: str):
    """Add a file or a link to a page; a refused one shows the form again with the message."""
    _require_manager()
    page = _managed(id)
    form = tk.request.form
    data = {"page_id": page["id"], "title": form.get("title", ""), "url": form.get("url", ""),
            "description": form.get("description", ""), "order": form.get("order", "").strip() or "0"}
    upload = tk.request.files.get("upload")
    if files.is_upload(upload):
        data["upload"] = upload
    try:
        tk.get_action("satudata_page_attachment_create")(_context(), dict(data))
    except tk.ValidationError as err:
        form_data = {k: page[k] for k in (*FORM_FIELDS, "published")}
        return tk.render("satudata/pages/manage/form.html", {
            "data": form_data, "errors": {}, "page": page, "attachment": data, "attachment_errors": _errors(err)})
    tk.h.flash_success(tk._("Lampiran \u201c{title}\u201d ditambahkan").format(title=data["title"]))
    return tk.redirect_to("satudata_pages.edit", id=page["id"])


@pages.route("/halaman/kelola/<id>/lampiran/<attachment_id>/hapus", methods=["POST"])
def attachment_delete(id: str, attachment_id: str):
    """Remove an attachment (and its file)."""
    _require_manager()
    page = _managed(id)
    if not any(a["id"] == attachment_id for a in page["attachments"]):
        tk.abort(404, tk._("Lampiran tidak ditemukan"))
    tk.get_action("satudata_page_attachment_delete")(_context(), {"id": attachment_id})
    tk.h.flash_success(tk._("Lampiran dihapus"))
    return tk.redirect_to("satudata_pages.edit", id=page["id"])
