"""Pages of the daftar data: the list with filters and the entry form (/daftar-data), the matrix and gap
list with their downloads (/daftar-data/matriks), the versions and their diff (/daftar-data/versi), the bulk
import (/daftar-data/impor) and the register of OPD applications (/aplikasi-opd)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, make_response

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.messages import N_

from . import config, export, importer
from .logic.auth import is_walidata, satudata_permission_daftardata_manage
from .records import Integration, Status
from .summary import INTEGRATION_LABELS, STATUS_LABELS

__all__ = ["daftar"]

daftar = Blueprint("satudata_daftardata", __name__)

_ENTRY_FORM = ("owner_org", "name", "urusan", "program", "frekuensi", "target_year", "priority", "dasar_hukum",
               "status", "package_ids")
_APP_FORM = ("owner_org", "name", "function", "priority", "integration", "harvest_source_id")
FIELD_LABELS = {"owner_org": N_("OPD"), "name": N_("Nama data"), "urusan": N_("Sektor"),
                "program": N_("Program atau indikator RPJMD"), "frekuensi": N_("Frekuensi"),
                "target_year": N_("Tahun target"), "priority": N_("Prioritas"), "dasar_hukum": N_("Dasar hukum"),
                "status": N_("Status"), "package_ids": N_("Dataset yang memenuhi")}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _user() -> model.User | None:
    return model.User.get(tk.current_user.id) if tk.current_user.is_authenticated else None


def _messages(err: tk.ValidationError) -> list[str]:
    return [str(m) for msgs in (err.error_dict or {}).values() for m in (msgs if isinstance(msgs, list) else [msgs])]


def _organizations() -> list[dict[str, str]]:
    rows = (model.Session.query(model.Group.id, model.Group.name, model.Group.title)
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
            .order_by(model.Group.title))
    return [{"id": i, "name": n, "title": t or n} for i, n, t in rows]


def _managed() -> list[dict[str, str]]:
    """The OPDs the current user may keep entries and applications for."""
    user = _user()
    if user is None:
        return []
    return [o for o in _organizations() if satudata_permission_daftardata_manage(user, o["id"])["success"]]


def _may_manage(org_id: str) -> bool:
    return satudata_permission_daftardata_manage(_user(), org_id)["success"]


def _choices() -> dict[str, Any]:
    lang = tk.h.lang() or "id"
    return {"organizations": _organizations(), "sektor": refdata.choices("urusan", lang),
            "frekuensi": refdata.choices("frekuensi", lang),
            "statuses": [{"value": s.value, "label": tk._(STATUS_LABELS[s.value])} for s in Status],
            "integrations": [{"value": s.value, "label": tk._(INTEGRATION_LABELS[s.value])} for s in Integration]}


def _forbidden(message: str = N_("Anda tidak berhak mengelola daftar data ini")):
    return tk.render("satudata/daftardata/forbidden.html", {"message": tk._(message)}), 403


def _not_found():
    return tk.render("satudata/daftardata/not_found.html", {}), 404


def _login():
    return tk.redirect_to("user.login", came_from=tk.request.full_path)


# --- the list and the entry form -------------------------------------------------------------------------

_FILTERS = {"opd": "owner_org", "sektor": "urusan", "prioritas": "priority", "status": "status"}


def _filters() -> tuple[dict[str, str], dict[str, str]]:
    """(the page's query arguments, the action's filters)."""
    args = {k: tk.request.args.get(k, "").strip()[:100] for k in _FILTERS}
    return args, {_FILTERS[k]: v for k, v in args.items() if v}


@daftar.route("/daftar-data")
def index():
    """The entries with filters by OPD, sektor, prioritas and status (public)."""
    args, filters = _filters()
    q = tk.request.args.get("q", "").strip()[:200]
    page = tk.request.args.get("halaman", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10**6 else 1
    size = config.page_size()
    errors: list[str] = []
    try:
        found = tk.get_action("satudata_daftardata_entry_list")(_context(), {
            **filters, "q": q, "limit": size, "offset": (page - 1) * size})
    except tk.ValidationError as err:
        errors, found = _messages(err), {"count": 0, "results": []}
    managed = {o["id"] for o in _managed()}
    pages = max(1, -(-found["count"] // size))
    return tk.render("satudata/daftardata/index.html", {
        "args": args, "q": q, "found": found, "errors": errors, "page": min(page, pages), "pages": pages,
        "managed": managed, "may_write": bool(managed), **_choices()}), 400 if errors else 200


def _entry_form_data() -> dict[str, Any]:
    form = tk.request.form
    data = {k: form.get(k, "").strip() for k in _ENTRY_FORM}
    data["priority"] = form.get("priority") == "ya"
    return data


def _render_entry_form(data: dict[str, Any], errors: dict[str, list[str]], editing: str | None):
    return tk.render("satudata/daftardata/form.html", {
        "data": data, "errors": errors, "error_list": [m for msgs in errors.values() for m in msgs],
        "editing": editing, "labels": {k: tk._(v) for k, v in FIELD_LABELS.items()}, "managed": _managed(),
        **_choices()}), 400 if errors else 200


def _field_errors(err: tk.ValidationError) -> dict[str, list[str]]:
    return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in (err.error_dict or {}).items()}


@daftar.route("/daftar-data/baru", methods=["GET", "POST"])
def create():
    """Add an entry (the OPD's operators and verifiers, the walidata)."""
    if not tk.current_user.is_authenticated:
        return _login()
    if not _managed():
        return _forbidden()
    if tk.request.method != "POST":
        return _render_entry_form({"status": "dibutuhkan", "frekuensi": "tahunan"}, {}, None)
    data = _entry_form_data()
    try:
        tk.get_action("satudata_daftardata_entry_create")(_context(), dict(data))
    except tk.ValidationError as err:
        return _render_entry_form(data, _field_errors(err), None)
    except tk.NotAuthorized:
        return _forbidden()
    tk.h.flash_success(tk._("Entri daftar data disimpan."))
    return tk.redirect_to("satudata_daftardata.index")


@daftar.route("/daftar-data/<id>/ubah", methods=["GET", "POST"])
def edit(id: str):
    """Change an entry (its OPD's operators and verifiers, the walidata)."""
    if not tk.current_user.is_authenticated:
        return _login()
    try:
        current = tk.get_action("satudata_daftardata_entry_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return _not_found()
    if not _may_manage(current["owner_org"]):
        return _forbidden()
    if tk.request.method != "POST":
        data = {k: current[k] for k in _ENTRY_FORM if k != "package_ids"}
        data["package_ids"] = ", ".join(d["name"] for d in current["datasets"])
        return _render_entry_form(data, {}, id)
    data = _entry_form_data()
    try:
        tk.get_action("satudata_daftardata_entry_update")(_context(), {"id": id, **data})
    except tk.ValidationError as err:
        return _render_entry_form(data, _field_errors(err), id)
    except tk.NotAuthorized:
        return _forbidden()
    tk.h.flash_success(tk._("Perubahan disimpan."))
    return tk.redirect_to("satudata_daftardata.index")


@daftar.route("/daftar-data/<id>/hapus", methods=["POST"])
def delete(id: str):
    if not tk.current_user.is_authenticated:
        return _login()
    try:
        tk.get_action("satudata_daftardata_entry_delete")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return _not_found()
    except tk.NotAuthorized:
        return _forbidden()
    tk.h.flash_success(tk._("Entri daftar data dihapus."))
    return tk.redirect_to("satudata_daftardata.index")


# --- matrix, gap list, downloads -------------------------------------------------------------------------

@daftar.route("/daftar-data/matriks")
def matrix():
    """The availability matrix OPD x sektor and the gap list, with their downloads (public)."""
    args, filters = _filters()
    try:
        found = tk.get_action("satudata_daftardata_matrix")(_context(), dict(filters))
        gaps = tk.get_action("satudata_daftardata_gap_list")(_context(), dict(filters))
    except tk.ValidationError as err:
        return tk.render("satudata/daftardata/matrix.html", {
            "errors": _messages(err), "args": args, "matrix": None, "gaps": [], **_choices()}), 400
    return tk.render("satudata/daftardata/matrix.html", {"errors": [], "args": args, "matrix": found,
                                                         "gaps": gaps, **_choices()})


@daftar.route("/daftar-data/ekspor/<what>.<fmt>")
def download(what: str, fmt: str):
    """``matriks`` or ``celah`` as ``xlsx`` or ``csv`` (the page's filters apply)."""
    if what not in ("matriks", "celah") or fmt not in ("xlsx", "csv"):
        return _not_found()
    _args, filters = _filters()
    try:
        if what == "matriks":
            rows = export.matrix_rows(tk.get_action("satudata_daftardata_matrix")(_context(), dict(filters)))
        else:
            rows = export.gap_rows(tk.get_action("satudata_daftardata_gap_list")(_context(), dict(filters)))
    except tk.ValidationError:
        return _not_found()
    if fmt == "csv":
        body, mime = export.to_csv(rows), "text/csv; charset=utf-8"
    else:
        body = export.to_xlsx(rows, tk._("Matriks") if what == "matriks" else tk._("Daftar celah"))
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = make_response(body)
    response.headers["Content-Type"] = mime
    response.headers["Content-Disposition"] = f'attachment; filename="daftar-data-{what}.{fmt}"'
    return response


# --- versions --------------------------------------------------------------------------------------------

def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 0 < int(value) < 10**9 else None


@daftar.route("/daftar-data/versi", methods=["GET", "POST"])
def versions():
    """The versions agreed by the Forum Satu Data, the walidata's form to record one, and the diff between
    two versions (``?lama=1&baru=2``; without ``baru``: the live list)."""
    errors: list[str] = []
    form: dict[str, str] = {}
    walidata = is_walidata(_user())
    if tk.request.method == "POST":
        if not tk.current_user.is_authenticated:
            return _login()
        form = {k: tk.request.form.get(k, "") for k in ("agreed_by", "agreed_date", "note")}
        try:
            made = tk.get_action("satudata_daftardata_version_create")(_context(), dict(form))
            tk.h.flash_success(tk._("Versi {id} dicatat dengan {n} entri prioritas.").format(
                id=made["id"], n=made["entry_count"]))
            return tk.redirect_to("satudata_daftardata.versions")
        except tk.NotAuthorized:
            return _forbidden(N_("Hanya walidata yang dapat mencatat versi daftar data prioritas"))
        except tk.ValidationError as err:
            errors = _messages(err)
    listed = tk.get_action("satudata_daftardata_version_list")(_context(), {})
    diff = None
    old, new = _int(tk.request.args.get("lama")), _int(tk.request.args.get("baru"))
    if old:
        try:
            diff = tk.get_action("satudata_daftardata_version_diff")(_context(), {"old": old, "new": new})
        except (tk.ObjectNotFound, tk.ValidationError):
            return _not_found()
    return tk.render("satudata/daftardata/versions.html", {
        "versions": listed, "diff": diff, "old": old, "new": new, "errors": errors, "form": form,
        "walidata": walidata, "labels": {k: tk._(v) for k, v in FIELD_LABELS.items()}}), 400 if errors else 200


@daftar.route("/daftar-data/versi/<int:id>")
def version(id: int):
    """A version with the priority entries it agreed (public)."""
    try:
        found = tk.get_action("satudata_daftardata_version_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.ValidationError):
        return _not_found()
    return tk.render("satudata/daftardata/version.html", {"version": found})


# --- import ----------------------------------------------------------------------------------------------

@daftar.route("/daftar-data/impor", methods=["GET", "POST"])
def bulk():
    """Bulk load from XLSX/CSV: all rows or none."""
    if not tk.current_user.is_authenticated:
        return _login()
    errors: list[str] = []
    if tk.request.method == "POST":
        try:
            done = tk.get_action("satudata_daftardata_import")(_context(), {"upload": tk.request.files.get("upload")})
            tk.h.flash_success(tk._("{n} entri daftar data dimuat.").format(n=done["created"]))
            return tk.redirect_to("satudata_daftardata.index")
        except tk.ValidationError as err:
            errors = _messages(err)
        except tk.NotAuthorized:
            return _forbidden()
    return tk.render("satudata/daftardata/import.html", {"errors": errors, "columns": importer.COLUMNS}), \
        400 if errors else 200


@daftar.route("/daftar-data/impor/templat.xlsx")
def template():
    response = make_response(importer.template_xlsx())
    response.headers["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response.headers["Content-Disposition"] = 'attachment; filename="templat-daftar-data.xlsx"'
    return response


# --- register of OPD applications ------------------------------------------------------------------------

def _render_apps(data: dict[str, Any], errors: dict[str, list[str]], editing: str | None):
    managed = _managed()
    return tk.render("satudata/daftardata/apps.html", {
        "apps": tk.get_action("satudata_daftardata_app_list")(_context(), {}), "data": data, "errors": errors,
        "error_list": [m for msgs in errors.values() for m in msgs], "editing": editing, "managed": managed,
        "managed_ids": {o["id"] for o in managed}, **_choices()}), 400 if errors else 200


def _app_form_data() -> dict[str, Any]:
    form = tk.request.form
    data = {k: form.get(k, "").strip() for k in _APP_FORM}
    data["priority"] = form.get("priority") == "ya"
    return data


@daftar.route("/aplikasi-opd", methods=["GET", "POST"])
def apps():
    """The register of OPD applications (public) and the form to add one (the OPD, the walidata)."""
    if tk.request.method != "POST":
        return _render_apps({"integration": "belum"}, {}, None)
    if not tk.current_user.is_authenticated:
        return _login()
    data = _app_form_data()
    try:
        tk.get_action("satudata_daftardata_app_create")(_context(), dict(data))
    except tk.ValidationError as err:
        return _render_apps(data, _field_errors(err), None)
    except tk.NotAuthorized:
        return _forbidden()
    tk.h.flash_success(tk._("Aplikasi OPD disimpan."))
    return tk.redirect_to("satudata_daftardata.apps")


@daftar.route("/aplikasi-opd/<id>/ubah", methods=["GET", "POST"])
def app_edit(id: str):
    if not tk.current_user.is_authenticated:
        return _login()
    try:
        current = tk.get_action("satudata_daftardata_app_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return _not_found()
    if not _may_manage(current["owner_org"]):
        return _forbidden()
    if tk.request.method != "POST":
        return _render_apps({k: current[k] or "" for k in _APP_FORM}, {}, id)
    data = _app_form_data()
    try:
        tk.get_action("satudata_daftardata_app_update")(_context(), {"id": id, **data})
    except tk.ValidationError as err:
        return _render_apps(data, _field_errors(err), id)
    except tk.NotAuthorized:
        return _forbidden()
    tk.h.flash_success(tk._("Perubahan disimpan."))
    return tk.redirect_to("satudata_daftardata.apps")


@daftar.route("/aplikasi-opd/<id>/hapus", methods=["POST"])
def app_delete(id: str):
    if not tk.current_user.is_authenticated:
        return _login()
    try:
        tk.get_action("satudata_daftardata_app_delete")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return _not_found()
    except tk.NotAuthorized:
        return _forbidden()
    tk.h.flash_success(tk._("Aplikasi OPD dihapus."))
    return tk.redirect_to("satudata_daftardata.apps")
