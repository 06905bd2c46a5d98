"""Pages of the web collection platform: template download, upload form, upload status and report."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from . import loader
from .report import write_report
from .template import build_template
from .validation import CellError, parse_variables

ROWS_SHOWN = 50

__all__ = ["entry"]

entry = Blueprint("satudata_entry", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _dataset(id: str) -> dict[str, Any]:
    try:
        return tk.get_action("package_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset tidak ditemukan"))


def _editable_dataset(id: str) -> dict[str, Any]:
    """The dataset, when the current user may load its data (else 404/403)."""
    pkg = _dataset(id)
    try:
        tk.check_access("satudata_upload_create", _context(), {"id": pkg["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Anda tidak berhak mengubah data dataset ini"))
    return pkg


def _attachment(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@entry.route("/dataset/<id>/templat.xlsx")
def template(id: str):
    """The dataset's XLSX template, built from its MS-Var variables."""
    pkg = _dataset(id)
    if not pkg.get("variabel"):
        return tk.abort(404, tk._("Dataset belum memiliki variabel (MS-Var)"))
    body = build_template(title=pkg["title"], variables=pkg["variabel"], wilayah=loader.wilayah_choices())
    return _attachment(body, XLSX, f"templat-{pkg['name']}.xlsx")


@entry.route("/dataset/<id>/unggah", methods=["GET", "POST"])
def upload(id: str):
    """Upload form (GET) and upload (POST); redirects to the upload's status page."""
    pkg = _editable_dataset(id)
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        try:
            record = tk.get_action("satudata_upload_create")(_context(), {
                "id": pkg["id"], "upload": tk.request.files.get("upload"), "mode": tk.request.form.get("mode")})
            return tk.redirect_to("satudata_entry.status", id=pkg["name"], upload_id=record["id"])
        except tk.ValidationError as err:
            errors = err.error_dict
    history = tk.get_action("satudata_upload_list")(_context(), {"id": pkg["id"]})
    return tk.render("satudata/entry/upload.html", {"pkg": pkg, "pkg_dict": pkg, "errors": errors,
                                                     "history": history, "resource": loader.datastore_resource(pkg)})


@entry.route("/dataset/<id>/unggah/<upload_id>")
def status(id: str, upload_id: str):
    pkg = _dataset(id)
    try:
        record = tk.get_action("satudata_upload_show")(_context(), {"id": upload_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Unggahan tidak ditemukan"))
    if record["package_id"] != pkg["id"]:
        return tk.abort(404, tk._("Unggahan tidak ditemukan"))
    return tk.render("satudata/entry/status.html", {"pkg": pkg, "pkg_dict": pkg, "upload": record,
                                                     "resource": loader.datastore_resource(pkg)})


@entry.route("/dataset/<id>/unggah/<upload_id>/laporan.<fmt>")
def report(id: str, upload_id: str, fmt: str):
    """The error report of a refused upload, as XLSX or CSV."""
    if fmt not in ("xlsx", "csv"):
        return tk.abort(404)
    pkg = _dataset(id)
    try:
        record = tk.get_action("satudata_upload_show")(_context(), {"id": upload_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Unggahan tidak ditemukan"))
    if record["package_id"] != pkg["id"]:
        return tk.abort(404, tk._("Unggahan tidak ditemukan"))
    errors = [CellError(**e) for e in record["errors"]]
    body = write_report(errors, fmt, title=f"{pkg['title']}: {record['filename']}", total=record["error_count"])
    mimetype = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    return _attachment(body, mimetype, f"laporan-{record['filename'].rsplit('.', 1)[0]}.{fmt}")




@entry.route("/dataset/<id>/isi", methods=["GET", "POST"])
def rows(id: str):
    """Enter rows one by one (GET: the form and the latest rows; POST: save or delete one row)."""
    pkg = _editable_dataset(id)
    variables = parse_variables(pkg.get("variabel") or []) if pkg.get("variabel") else []
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        try:
            if form.get("delete"):
                tk.get_action("satudata_row_delete")(_context(), {"id": pkg["id"], "row_id": form["delete"]})
                tk.h.flash_success(tk._("Baris dihapus."))
            else:
                values = {v.alias: form.get(v.alias, "") for v in variables}
                tk.get_action("satudata_row_save")(_context(), {"id": pkg["id"], "row": values,
                                                                "mode": form.get("mode") or "insert"})
                tk.h.flash_success(tk._("Baris disimpan."))
            return tk.redirect_to("satudata_entry.rows", id=pkg["name"])
        except tk.ValidationError as err:
            errors = err.error_dict
        except tk.ObjectNotFound as err:
            errors = {"row": [str(err.message or err)]}
    resource = loader.datastore_resource(pkg)
    records, total = [], 0
    if resource:
        found = tk.get_action("datastore_search")(loader.site_context(), {
            "resource_id": resource["id"], "limit": ROWS_SHOWN, "sort": "_id desc"})
        records, total = found["records"], found.get("total", 0)
    choices = {v.alias: list(v.pilihan) for v in variables if v.tipe_data == "kategori"}
    wilayah = loader.wilayah_choices()
    return tk.render("satudata/entry/rows.html", {
        "pkg": pkg, "pkg_dict": pkg, "variables": variables, "errors": errors, "values": values,
        "records": records, "total": total, "choices": choices, "wilayah": wilayah, "resource": resource,
        "has_key": any(v.kunci for v in variables)})
