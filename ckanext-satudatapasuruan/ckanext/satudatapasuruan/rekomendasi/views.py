"""Pages of the rekomendasi plugin: the OPDs' applications (/rekomendasi, the form, an application's page with its
documents and timeline), the pembina's queue (/rekomendasi/antrean) and review forms, and the public verification
pages of the documents register (/verifikasi, /verifikasi/<code>)."""
from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.config.middleware.flask_app import csrf
from flask import Blueprint, current_app, g, send_file

from ckanext.satudatapasuruan.messages import N_

from . import access, config, files, records, register
from .logic.auth import KEGIATAN
from .machine import DOCUMENT_KINDS, KIND_LABELS, STATUS_LABELS, Outcome, Status

__all__ = ["rekomendasi"]

rekomendasi = Blueprint("satudata_rekomendasi", __name__)

# The form actions of an application's page and the action each calls.
ACTIONS = {"ubah": "satudata_rekomendasi_update", "dokumen": "satudata_rekomendasi_document_add",
           "ajukan": "satudata_rekomendasi_submit", "revisi": "satudata_rekomendasi_request_revision",
           "terbitkan": "satudata_rekomendasi_issue", "tolak": "satudata_rekomendasi_refuse",
           "eksternal": "satudata_rekomendasi_record_external"}
FIELDS = {"ubah": ("catatan",), "dokumen": ("kind",), "ajukan": ("jalur", "external_reference", "note"),
          "revisi": ("note",), "terbitkan": ("note",), "tolak": ("reason",),
          "eksternal": ("outcome", "reference", "verification_url", "note")}
OUTCOME_LABELS = {Outcome.DIPROSES: N_("Sedang diproses di sistem BPS"), Outcome.TERBIT: N_("Rekomendasi terbit"),
                  Outcome.DITOLAK: N_("Permohonan ditolak")}
DONE = {"ubah": N_("Permohonan disimpan."), "dokumen": N_("Dokumen ditambahkan."),
        "ajukan": N_("Permohonan diajukan."), "revisi": N_("Permohonan dikembalikan ke OPD untuk direvisi."),
        "terbitkan": N_("Rekomendasi diterbitkan dengan kode QR verifikasi."), "tolak": N_("Permohonan ditolak."),
        "eksternal": N_("Hasil dari sistem BPS dicatat.")}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _viewer() -> model.User | None:
    return model.User.get(tk.current_user.id) if tk.current_user.is_authenticated else None


def _check_csrf() -> None:
    """CSRF check of a browser's POST, done here again: CKAN exempts a view from CSRFProtect for the rest of the
    process once any request reaches it with an API token, which would leave these forms unprotected for cookie
    sessions afterwards."""
    if (tk.request.method == "POST" and current_app.config.get("WTF_CSRF_ENABLED")
            and not g.get("login_via_auth_header")):
        csrf.protect()


def _messages(err: tk.ValidationError) -> list[str]:
    return [str(m) for msgs in err.error_dict.values() for m in (msgs if isinstance(msgs, list) else [msgs])]


def _errors(err: tk.ValidationError) -> dict[str, list[str]]:
    return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in err.error_dict.items()}


def _forbidden(message: str = ""):
    return tk.render("satudata/rekomendasi/forbidden.html", {"message": message}), 403


def _not_found():
    return tk.render("satudata/rekomendasi/not_found.html", {}), 404


def _labels() -> dict[str, Any]:
    return {"status_labels": {s.value: tk._(label) for s, label in STATUS_LABELS.items()},
            "kind_labels": {k: tk._(label) for k, label in KIND_LABELS.items()}}


def _login_first():
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.full_path)
    return None


# --- the OPD's and the walidata's list, the form ------------------------------------------------------------

@rekomendasi.route("/rekomendasi")
def index():
    """Applications the viewer may see, filtered by status; the form's link for an OPD's operators."""
    refused = _login_first()
    if refused is not None:
        return refused
    status = (tk.request.args.get("status") or "").strip()
    errors = []
    data: dict[str, Any] = {"limit": 1000}
    if status:
        if status in {s.value for s in Status}:
            data["status"] = status
        else:
            errors.append(tk._("Nilai penyaring tidak dikenal dan diabaikan: {value}").format(value=status[:40]))
            status = ""
    try:
        found = tk.get_action("satudata_rekomendasi_list")(_context(), data)
    except tk.NotAuthorized as err:
        return _forbidden(str(err))
    user = _viewer()
    return tk.render("satudata/rekomendasi/list.html", {
        "applications": found["results"], "count": found["count"], "status": status, "errors": errors,
        "may_create": bool(access.editor_org_ids(user)) or access.is_sysadmin(user),
        "reviewer": access.is_reviewer(user), **_labels()})


def _kegiatan_choices(user: model.User | None) -> list[tuple[str, str]]:
    """The MS-Kegs of the OPDs the viewer is an operator or verifikator of."""
    query = (sa.select(model.Package.id, model.Package.name, model.Package.title, model.Group.title.label("org"))
             .join(model.Group, model.Group.id == model.Package.owner_org)
             .where(model.Package.type == KEGIATAN, model.Package.state == "active")
             .order_by(model.Group.title, model.Package.title))
    if not access.is_sysadmin(user):
        query = query.where(model.Package.owner_org.in_(access.editor_org_ids(user) or [""]))
    return [(r.id, f"{r.title or r.name} ({r.org})") for r in model.Session.execute(query)]


def _form(data: dict[str, Any], errors: dict[str, list[str]], user: model.User | None, status: int = 200):
    return tk.render("satudata/rekomendasi/form.html", {
        "data": data, "errors": errors, "choices": _kegiatan_choices(user), "kinds": DOCUMENT_KINDS,
        "required": config.required_documents(), "max_mb": config.max_upload_mb(), **_labels()}), status


@rekomendasi.route("/rekomendasi/baru", methods=["GET", "POST"])
def create():
    """A new application: its MS-Keg, a note, and its documents (PDF) in one form. Every file is checked first,
    so a refused one leaves nothing behind."""
    refused = _login_first()
    if refused is not None:
        return refused
    _check_csrf()
    user = _viewer()
    if not (access.editor_org_ids(user) or access.is_sysadmin(user)):
        return _forbidden(tk._("Hanya operator atau verifikator OPD yang dapat mengajukan rekomendasi"))
    if tk.request.method != "POST":
        return _form({"package_id": tk.request.args.get("package_id", ""), "catatan": ""}, {}, user)
    form = tk.request.form
    data = {"package_id": form.get("package_id", ""), "catatan": form.get("catatan", "")}
    uploads = {k: tk.request.files.get(f"upload_{k}") for k in DOCUMENT_KINDS}
    uploads = {k: u for k, u in uploads.items() if files.is_upload(u)}
    errors: dict[str, list[str]] = {}
    for kind, upload in uploads.items():
        try:
            files.read_pdf(upload, config.max_upload_bytes())
        except files.UploadError as err:
            errors[f"upload_{kind}"] = [tk._(err.msgid).format(**err.values)]
    if errors:
        return _form(data, errors, user, 400)
    try:
        created = tk.get_action("satudata_rekomendasi_create")(_context(), dict(data))
    except tk.ValidationError as err:
        return _form(data, _errors(err), user, 400)
    except tk.NotAuthorized as err:
        return _form(data, {"package_id": [str(err)]}, user, 403)
    for kind, upload in uploads.items():
        try:
            tk.get_action("satudata_rekomendasi_document_add")(_context(), {"id": created["id"], "kind": kind,
                                                                            "upload": upload})
        except tk.ValidationError as err:
            tk.h.flash_error(" ".join(_messages(err)))
    tk.h.flash_success(tk._("Permohonan disimpan sebagai draf. Periksa dokumennya, lalu ajukan ke pembina data."))
    return tk.redirect_to("satudata_rekomendasi.read", id=created["id"])


# --- the pembina's queue ------------------------------------------------------------------------------------

@rekomendasi.route("/rekomendasi/antrean")
def queue():
    """Applications waiting for the pembina: submitted in the portal, and handled in BPS's system, oldest first."""
    refused = _login_first()
    if refused is not None:
        return refused
    if not access.is_reviewer(_viewer()):
        return _forbidden(tk._("Antrean telaah hanya untuk pembina data statistik (BPS)"))
    action = tk.get_action("satudata_rekomendasi_list")
    waiting = action(_context(), {"status": Status.DIAJUKAN.value, "sort": "terlama", "limit": 1000})
    external = action(_context(), {"status": Status.DIPROSES_BPS.value, "sort": "terlama", "limit": 1000})
    kpi = tk.get_action("satudata_rekomendasi_kpi")(_context(), {})
    return tk.render("satudata/rekomendasi/queue.html", {"waiting": waiting["results"],
                                                         "external": external["results"], "kpi": kpi,
                                                         **_labels()})


# --- one application ----------------------------------------------------------------------------------------

def _page(id: str, errors: dict[str, dict[str, list[str]]] | None = None, values: dict[str, Any] | None = None,
          status: int = 200):
    try:
        found = tk.get_action("satudata_rekomendasi_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return _not_found()
    except tk.NotAuthorized as err:
        return _forbidden(str(err))
    return tk.render("satudata/rekomendasi/read.html", {
        "app": found, "errors": errors or {}, "values": values or {},
        "kind_pairs": [("", tk._("— pilih —"))] + [(k, tk._(KIND_LABELS[k])) for k in DOCUMENT_KINDS],
        "outcome_options": [("", tk._("— pilih —"))] + [(o.value, tk._(OUTCOME_LABELS[o])) for o in Outcome],
        "max_mb": config.max_upload_mb(), "document_max_mb": config.document_max_upload_mb(), **_labels()}), status


@rekomendasi.route("/rekomendasi/<id>")
def read(id: str):
    """An application: the activity, its documents, what is still missing, its timeline, and the forms of the
    steps the viewer may take."""
    refused = _login_first()
    if refused is not None:
        return refused
    return _page(id)


@rekomendasi.route("/rekomendasi/<id>", methods=["POST"])
def act(id: str):
    """One step on the application (``aksi``); a refused one shows the page again with its message."""
    refused = _login_first()
    if refused is not None:
        return refused
    _check_csrf()
    form = tk.request.form
    aksi = form.get("aksi", "")
    if aksi not in ACTIONS:
        return _page(id, {"aksi": {"aksi": [tk._("Langkah tidak dikenal")]}}, status=400)
    data: dict[str, Any] = {"id": id, **{k: form.get(k, "") for k in FIELDS[aksi]}}
    upload = tk.request.files.get("upload")
    if files.is_upload(upload):
        data["upload"] = upload
    try:
        tk.get_action(ACTIONS[aksi])(_context(), data)
    except tk.ObjectNotFound:
        return _not_found()
    except tk.NotAuthorized as err:
        return _forbidden(str(err))
    except tk.ValidationError as err:
        data.pop("upload", None)
        return _page(id, {aksi: _errors(err)}, {aksi: data}, 400)
    tk.h.flash_success(tk._(DONE[aksi]))
    return tk.redirect_to("satudata_rekomendasi.read", id=id)


def _pdf_response(path: str, filename: str, attachment: bool):
    response = send_file(path, mimetype="application/pdf", as_attachment=attachment, download_name=filename,
                         conditional=True, etag=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    tk.request.environ["__no_cache__"] = True  # never kept by a shared cache
    return response


@rekomendasi.route("/rekomendasi/<id>/dokumen/<document_id>")
def document(id: str, document_id: str):
    """A document attached to an application, for whoever may see the application."""
    refused = _login_first()
    if refused is not None:
        return refused
    try:
        tk.check_access("satudata_rekomendasi_show", _context(), {"id": id})
    except tk.ObjectNotFound:
        return _not_found()
    except tk.NotAuthorized as err:
        return _forbidden(str(err))
    row = records.get_document_file(id, document_id)
    path = files.path_of(files.LAMPIRAN, row["stored_name"]) if row else None
    if not path or not os.path.isfile(path):
        return _not_found()
    return _pdf_response(path, row["filename"], attachment=False)


# --- the public verification pages --------------------------------------------------------------------------

@rekomendasi.route("/verifikasi")
def verify_entry():
    """The code entry form (the code printed under the QR code); ``?kode=`` opens the document's page."""
    if "kode" in tk.request.args:
        code = register.normalize_code(tk.request.args.get("kode"))
        if code:
            return tk.redirect_to("satudata_rekomendasi.verify", code=code)
        return tk.render("satudata/rekomendasi/verify_entry.html",
                         {"error": tk._("Masukkan kode verifikasi yang tercetak di bawah kode QR dokumen")}), 400
    return tk.render("satudata/rekomendasi/verify_entry.html", {"error": ""})


def _verify_page(code: str, result: dict[str, Any] | None = None, error: str = "", status: int = 200):
    try:
        found = tk.get_action("satudata_document_show")(_context(), {"code": code})
    except tk.ObjectNotFound:
        return tk.render("satudata/rekomendasi/verify_unknown.html", {"code": code[:40]}), 404
    user = _viewer()
    row = records.get_document(found["code"])
    return tk.render("satudata/rekomendasi/verify.html", {
        "document": found, "result": result, "error": error, "max_mb": config.document_max_upload_mb(),
        "may_revoke": found["status"] == "sah" and access.may_revoke(user, row),
        "may_download": access.may_download(user, row) and _stored(row) is not None}), status


def _stored(row: dict[str, Any]) -> str | None:
    path = files.path_of(files.DOKUMEN, row.get("stored_name"))
    return path if path and os.path.isfile(path) else None


@rekomendasi.route("/verifikasi/<code>")
def verify(code: str):
    """A registered document: issuer, date, hash, status (sah or dicabut with the reason), the issuer's own
    verification page, and a form that says whether an uploaded file is the authentic one."""
    return _verify_page(code)


@rekomendasi.route("/verifikasi/<code>", methods=["POST"])
def verify_post(code: str):
    """Check an uploaded file against the document (nothing is stored)."""
    _check_csrf()
    upload = tk.request.files.get("upload")
    try:
        result = tk.get_action("satudata_document_verify")(_context(), {
            "code": code, **({"upload": upload} if files.is_upload(upload) else {})})
    except tk.ObjectNotFound:
        return _verify_page(code)
    except tk.ValidationError as err:
        return _verify_page(code, error=" ".join(_messages(err)), status=400)
    return _verify_page(code, result=result)


@rekomendasi.route("/verifikasi/<code>/berkas")
def verify_file(code: str):
    """The registered (stamped) file, for its issuer, its recipient organisation and the walidata."""
    refused = _login_first()
    if refused is not None:
        return refused
    try:
        tk.check_access("satudata_document_file", _context(), {"code": code})
    except tk.ObjectNotFound:
        return _not_found()
    except tk.NotAuthorized as err:
        return _forbidden(str(err))
    row = records.get_document(register.normalize_code(code))
    path = _stored(row)
    if path is None:
        return _not_found()
    return _pdf_response(path, row["filename"] or f"{row['code']}.pdf", attachment=True)


@rekomendasi.route("/verifikasi/<code>/cabut", methods=["POST"])
def revoke(code: str):
    """Revoke the document, with the reason (its issuer or the walidata)."""
    refused = _login_first()
    if refused is not None:
        return refused
    _check_csrf()
    try:
        tk.get_action("satudata_document_revoke")(_context(), {"code": code, "reason": tk.request.form.get("reason",
                                                                                                          "")})
    except tk.ObjectNotFound:
        return _verify_page(code)
    except tk.NotAuthorized as err:
        return _forbidden(str(err))
    except tk.ValidationError as err:
        return _verify_page(code, error=" ".join(_messages(err)), status=400)
    tk.h.flash_success(tk._("Dokumen dicabut."))
    return tk.redirect_to("satudata_rekomendasi.verify", code=register.normalize_code(code))
