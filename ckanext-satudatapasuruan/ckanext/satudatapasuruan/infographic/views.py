"""Pages of the infographic plugin: the QR short link, the rendered outputs, the gallery, template choice."""
from __future__ import annotations

import logging
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, make_response
from sqlalchemy.exc import SQLAlchemyError

from ckanext.satudatapasuruan import usage

from . import config, links, outputs, records
from .links import INFOGRAFIS

__all__ = ["infographic"]

log = logging.getLogger(__name__)

infographic = Blueprint("satudata_infographic", __name__)

FACETS = ("organization", "sektor", "tahun")
_FILTER_VALUE = {"organization": re.compile(r"^[a-z0-9_-]{2,100}$"), "sektor": re.compile(r"^[0-9A-Za-z.]{1,20}$"),
                 "tahun": re.compile(r"^\d{4}$")}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _visible(id_or_name: str) -> dict[str, Any] | None:
    """The infographic as the viewer may see it, or None (unknown, not an infographic, or not theirs)."""
    try:
        pkg = tk.get_action("package_show")(_context(), {"id": id_or_name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    return pkg if pkg.get("type") == INFOGRAFIS else None


def _not_found():
    return tk.render("satudata/infographic/not_found.html", {}), 404


def _gone(reason: str):
    return tk.render("satudata/infographic/gone.html", {"reason": reason}), 410


def _once_public(row: dict[str, Any]) -> bool:
    """Published at some time (recorded at publication, or withdrawn per the workflow): say so, not 404."""
    if row.get("published"):
        return True
    try:
        state = tk.get_action("satudata_workflow_show")({"ignore_auth": True}, {"id": row["package_id"]})["state"]
    except tk.ObjectNotFound:
        return False
    return state == "ditarik"


def _count(code: str, infographic_id: str, dataset_id: str) -> None:
    """One UPDATE on the link's primary key; a failure is logged and the visitor still goes on."""
    try:
        records.count_scan(code)
        model.repo.commit()
    except SQLAlchemyError as err:
        model.Session.rollback()
        log.error("scan of infographic link %s not counted: %s", code, err)
    usage.record(usage.Kind.SCAN, package_id=dataset_id, infographic_id=infographic_id)


@infographic.route("/i/<code>")
def scan(code: str):
    """The QR code's address: a published infographic leads to its dataset (and counts the scan)."""
    row = records.link_by_code(code)
    if row is None:
        return _not_found()
    pkg = _visible(row["package_id"])
    if pkg is None:
        # Not the viewer's to see: a withdrawn one is explained, an unpublished one is unknown to outsiders.
        return _gone("ditarik") if _once_public(row) else _not_found()
    state = pkg.get("workflow_state", "terbit")
    if state == "ditarik":
        return _gone("ditarik")
    if state != "terbit" or pkg.get("private"):
        # Only its owners get here (package_show let them): a preview, not counted.
        return tk.render("satudata/infographic/pending.html", {"pkg": pkg, "linked": links.public_linked(pkg)})
    linked = links.public_linked(pkg)
    if not linked:
        return _gone("dataset")
    target = linked[0]
    _count(row["code"], pkg["id"], target["id"])
    return tk.redirect_to(f"{target.get('type') or 'dataset'}.read", id=target["name"])


def _output(id: str, kind: str):
    pkg = _visible(id)
    if pkg is None:
        return _not_found()
    try:
        out = outputs.produce(pkg, kind, tk.request.args.get("templat") or None)
    except tk.ValidationError as err:
        message = " ".join(str(m) for msgs in err.error_dict.values() for m in msgs)
        return tk.render("satudata/infographic/error.html", {"pkg": pkg, "message": message}), 409
    response = make_response(out.data)
    response.headers["Content-Type"] = out.mimetype
    disposition = "attachment" if kind == "pdf" else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{out.filename}"'
    if pkg.get("private"):  # outputs of what is not public must not be kept by shared caches
        tk.request.environ["__no_cache__"] = True
    if kind != "thumb" and not pkg.get("private"):
        usage.record(usage.Kind.DOWNLOAD, package_id=pkg["id"], output=kind)
    return response


@infographic.route("/infografis/<id>/unduh.png")
def download_png(id: str):
    """The web image (PNG) in the infographic's template (``?templat=`` another approved one)."""
    return _output(id, "png")


@infographic.route("/infografis/<id>/unduh.pdf")
def download_pdf(id: str):
    """The print PDF at the template's print resolution."""
    return _output(id, "pdf")


@infographic.route("/infografis/<id>/gambar-kecil.png")
def thumbnail(id: str):
    return _output(id, "thumb")


@infographic.route("/infografis/<id>/templat", methods=["POST"])
def choose_template(id: str):
    """The infographic's editors choose its official template."""
    back = tk.url_for(f"{INFOGRAFIS}.read", id=id)
    try:
        tk.get_action("satudata_infographic_update")(_context(), {"id": id, "template": tk.request.form.get(
            "template", "")})
    except tk.ObjectNotFound:
        return _not_found()
    except tk.NotAuthorized:
        tk.h.flash_error(tk._("Anda tidak berhak mengubah infografis ini"))
    except tk.ValidationError as err:
        tk.h.flash_error(" ".join(str(m) for msgs in err.error_dict.values() for m in msgs))
    else:
        tk.h.flash_success(tk._("Templat infografis disimpan."))
    return tk.redirect_to(back)


def _filters() -> tuple[dict[str, str], list[str]]:
    chosen, errors = {}, []
    for field in FACETS:
        value = (tk.request.args.get(field) or "").strip()
        if not value:
            continue
        if _FILTER_VALUE[field].match(value):
            chosen[field] = value
        else:
            errors.append(tk._("Nilai penyaring tidak dikenal dan diabaikan: {value}").format(value=value[:40]))
    return chosen, errors


@infographic.route("/galeri-infografis")
def gallery():
    """Published infographics the viewer may see, newest first, filtered by OPD, sektor and year."""
    chosen, errors = _filters()
    try:
        page = max(1, int(tk.request.args.get("page") or 1))
    except ValueError:
        page, errors = 1, [*errors, tk._("Nomor halaman tidak sah")]
    size = config.gallery_page_size()
    fq = [f"+dataset_type:{INFOGRAFIS}"] + [f'+{field}:"{value}"' for field, value in chosen.items()]
    result = tk.get_action("package_search")(_context(), {
        "fq": " ".join(fq), "facet.field": list(FACETS), "facet.limit": -1, "facet.mincount": 1,
        "sort": "metadata_created desc", "rows": size, "start": (page - 1) * size, "include_private": False})
    facets = {f: sorted(result["search_facets"].get(f, {}).get("items", []), key=lambda i: i["display_name"])
              for f in FACETS}
    return tk.render("satudata/infographic/gallery.html", {
        "results": result["results"], "count": result["count"], "facets": facets, "chosen": chosen,
        "errors": errors, "page": page, "pages": max(1, -(-result["count"] // size))})


@infographic.route("/templat-infografis", methods=["GET", "POST"])
def templates():
    """The official templates; the walidata approves them here."""
    context = _context()
    if tk.request.method == "POST":
        try:
            done = tk.get_action("satudata_infographic_template_approve")(context, {
                "id": tk.request.form.get("id", "")})
        except tk.NotAuthorized:
            tk.h.flash_error(tk._("Hanya walidata yang dapat mengelola templat infografis"))
        except tk.ObjectNotFound:
            tk.h.flash_error(tk._("Templat infografis tidak ditemukan"))
        except tk.ValidationError as err:
            tk.h.flash_error(" ".join(str(m) for msgs in err.error_dict.values() for m in msgs))
        else:
            tk.h.flash_success(tk._("Templat \u201c{title}\u201d disetujui.").format(title=done["title"]))
        return tk.redirect_to("satudata_infographic.templates")
    items = tk.get_action("satudata_infographic_template_list")(context, {})
    try:
        tk.check_access("satudata_infographic_template_approve", context, {})
        may_approve = True
    except tk.NotAuthorized:
        may_approve = False
    return tk.render("satudata/infographic/templates.html", {"templates": items, "may_approve": may_approve})
