"""Pages of the feedback plugin (permintaan data, umpan balik, moderation) and the after-request hook that
sends VIEW and DOWNLOAD usage events and turns the API's rate-limit errors into 429."""
from __future__ import annotations

import logging
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, current_app, make_response
from sqlalchemy.exc import SQLAlchemyError

from ckanext.satudatapasuruan import usage

from . import config
from .clients import RateLimited
from .logic.auth import is_walidata
from .records import Status

__all__ = ["feedback"]

log = logging.getLogger(__name__)

feedback = Blueprint("satudata_feedback", __name__)

_BOT = re.compile(r"bot|crawl|spider|slurp|facebookexternalhit|curl|wget|python-requests", re.I)
_KINDS = {("ckan.views.dataset", "read"): usage.Kind.VIEW, ("ckan.views.resource", "download"): usage.Kind.DOWNLOAD}
REQUEST_FIELDS = ("data", "tujuan", "nama", "email", "telepon", "organization", "situs_web")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _messages(err: tk.ValidationError) -> list[str]:
    out = []
    for msgs in err.error_dict.values():
        out.extend(str(m) for m in (msgs if isinstance(msgs, list) else [msgs]))
    return out


def _limited(err: RateLimited, back: str):
    response = make_response(tk.render("satudata/feedback/message.html", {
        "title": tk._("Terlalu banyak percobaan"), "message": " ".join(_messages(err)), "back": back}), 429)
    response.headers["Retry-After"] = str(err.retry_after)
    return response


def _page() -> int:
    try:
        return max(1, int(tk.request.args.get("page") or 1))
    except ValueError:
        return 1


def _organizations() -> list[dict[str, Any]]:
    return tk.get_action("organization_list")({}, {"all_fields": True, "sort": "title asc"})


# --- permintaan data ----------------------------------------------------------------------------------------

def _list_vars(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    args = tk.request.args
    query = {"q": args.get("q", ""), "status": args.get("status", ""), "organization": args.get("organization", ""),
             "page": _page()}
    errors = []
    try:
        result = tk.get_action("satudata_data_request_list")(_context(), dict(query))
    except tk.ValidationError as err:
        errors = _messages(err)
        result = tk.get_action("satudata_data_request_list")(_context(), {"page": 1})
    pages = max(1, -(-result["count"] // result["limit"]))
    out = {"result": result, "query": query, "filter_errors": errors, "pages": pages,
           "organizations": _organizations(), "statuses": [s.value for s in Status],
           "form": {}, "errors": {}}
    out.update(extra or {})
    return out


@feedback.route("/permintaan-data", methods=["GET", "POST"])
def requests():
    """The public list of data requests (search, filters, pages) and the form to submit one."""
    if tk.request.method == "GET":
        return tk.render("satudata/feedback/requests.html", _list_vars())
    form = {k: tk.request.form.get(k, "") for k in REQUEST_FIELDS}
    try:
        created = tk.get_action("satudata_data_request_create")(_context(), dict(form))
    except RateLimited as err:
        return _limited(err, tk.url_for("satudata_feedback.requests"))
    except tk.ValidationError as err:
        return tk.render("satudata/feedback/requests.html", _list_vars({"form": form, "errors": err.error_dict})), 400
    tk.h.flash_success(tk._("Permintaan data Anda diterima dengan nomor {nomor}. Simpan nomor ini untuk memantau "
                            "statusnya.").format(nomor=created["nomor"]))
    return tk.redirect_to("satudata_feedback.request_read", nomor=created["nomor"])


@feedback.route("/permintaan-data/kelola", methods=["GET", "POST"])
def manage():
    """The walidata's (and the routed OPD's) management view: requests with their contact and status forms."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login")
    context = _context()
    if tk.request.method == "POST":
        data = {k: tk.request.form.get(k, "") for k in ("nomor", "status", "organization", "package_id",
                                                         "alasan", "note")}
        try:
            done = tk.get_action("satudata_data_request_update")(context, data)
        except tk.ObjectNotFound:
            tk.h.flash_error(tk._("Permintaan data tidak ditemukan"))
        except tk.NotAuthorized as err:
            tk.h.flash_error(str(err) or tk._("Anda tidak berhak mengubah permintaan ini"))
        except tk.ValidationError as err:
            tk.h.flash_error(" ".join(_messages(err)))
        else:
            tk.h.flash_success(tk._("Status {nomor} kini {status}.").format(nomor=done["nomor"],
                                                                             status=done["status_label"]))
        return tk.redirect_to("satudata_feedback.manage", status=tk.request.args.get("status", ""))
    user = model.User.get(tk.current_user.id)
    walidata = is_walidata(user)
    if walidata:
        org_ids = None
    else:
        org_ids = [o["id"] for o in tk.get_action("organization_list_for_user")(context, {"permission": "read"})]
        if not org_ids:
            return tk.render("satudata/feedback/message.html", {
                "title": tk._("Kelola permintaan data"), "back": tk.url_for("satudata_feedback.requests"),
                "message": tk._("Halaman ini untuk walidata dan OPD penerima permintaan data.")}), 403
    status = tk.request.args.get("status", "")
    items = []
    for org in (org_ids if org_ids is not None else [""]):
        try:
            result = tk.get_action("satudata_data_request_list")(context, {
                "status": status, "organization": org, "limit": 100, "page": _page()})
        except tk.ValidationError:
            result = {"results": []}
        items.extend(result["results"])
    items = [tk.get_action("satudata_data_request_show")(context, {"nomor": r["nomor"]}) for r in items]
    return tk.render("satudata/feedback/manage.html", {
        "items": items, "walidata": walidata, "status": status, "statuses": [s.value for s in Status],
        "organizations": _organizations()})


@feedback.route("/permintaan-data/<nomor>")
def request_read(nomor: str):
    """The public status page of one request: what was asked and the status history, never the contact."""
    try:
        req = tk.get_action("satudata_data_request_show")(_context(), {"nomor": nomor})
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.render("satudata/feedback/message.html", {
            "title": tk._("Permintaan data tidak ditemukan"), "back": tk.url_for("satudata_feedback.requests"),
            "message": tk._("Periksa kembali nomor permintaan, mis. PD-2026-000123.")}), 404
    return tk.render("satudata/feedback/request.html", {"req": req})


# --- ratings ------------------------------------------------------------------------------------------------

def _rate(package_id: str, back: str):
    data = {k: tk.request.form.get(k, "") for k in ("rating", "comment", "situs_web")}
    data["package_id"] = package_id
    try:
        done = tk.get_action("satudata_rating_create")(_context(), data)
    except RateLimited as err:
        return _limited(err, back)
    except tk.ObjectNotFound:
        return tk.render("satudata/feedback/message.html", {
            "title": tk._("Dataset tidak ditemukan"), "message": tk._("Dataset tidak ditemukan"),
            "back": tk.url_for("satudata_feedback.portal")}), 404
    except tk.ValidationError as err:
        tk.h.flash_error(" ".join(_messages(err)))
        return tk.redirect_to(back)
    if done["comment_status"] == "menunggu":
        tk.h.flash_success(tk._("Terima kasih atas penilaian Anda. Komentar Anda tampil setelah disetujui walidata."))
    else:
        tk.h.flash_success(tk._("Terima kasih atas penilaian Anda."))
    return tk.redirect_to(back)


@feedback.route("/umpan-balik/dataset/<id>", methods=["POST"])
def rate_dataset(id: str):
    """The rating form of the dataset page posts here."""
    pkg = model.Package.get(id)
    back = tk.url_for(f"{pkg.type}.read", id=pkg.name) if pkg is not None else tk.url_for("dataset.search")
    return _rate(id, back)


@feedback.route("/umpan-balik", methods=["GET", "POST"])
def portal():
    """Feedback on the portal as a whole: the form, the average and the approved comments."""
    if tk.request.method == "POST":
        return _rate("", tk.url_for("satudata_feedback.portal"))
    summary = tk.get_action("satudata_rating_summary")(_context(), {"portal": True})
    comments = tk.get_action("satudata_rating_comment_list")(_context(), {"portal": True})
    return tk.render("satudata/feedback/portal.html", {"summary": summary, "comments": comments["results"]})


@feedback.route("/umpan-balik/moderasi", methods=["GET", "POST"])
def moderation():
    """The walidata's queue of comments waiting for approval."""
    context = _context()
    try:
        tk.check_access("satudata_rating_moderate", context, {})
    except tk.NotAuthorized:
        return tk.render("satudata/feedback/message.html", {
            "title": tk._("Moderasi komentar"), "back": tk.url_for("satudata_feedback.portal"),
            "message": tk._("Hanya walidata yang dapat memoderasi komentar")}), 403
    if tk.request.method == "POST":
        try:
            tk.get_action("satudata_rating_moderate")(context, {"id": tk.request.form.get("id", ""),
                                                                "decision": tk.request.form.get("decision", "")})
        except tk.ObjectNotFound:
            tk.h.flash_error(tk._("Penilaian tidak ditemukan"))
        except tk.ValidationError as err:
            tk.h.flash_error(" ".join(_messages(err)))
        else:
            tk.h.flash_success(tk._("Keputusan moderasi disimpan."))
        return tk.redirect_to("satudata_feedback.moderation")
    queue = tk.get_action("satudata_rating_comment_list")(context, {"status": "menunggu", "limit": 100})
    return tk.render("satudata/feedback/moderation.html", {"queue": queue})


# --- usage events -------------------------------------------------------------------------------------------

def _kind() -> usage.Kind | None:
    # By name: the dataset blueprint of every dataset type (dataset, infografis, ...) routes to these two
    # functions (compared by module and name, since CKAN's tests may import the view modules afresh).
    view = current_app.view_functions.get(tk.request.endpoint or "")
    return _KINDS.get((getattr(view, "__module__", None), getattr(view, "__name__", None)))


@feedback.after_app_request
def count_usage(response):
    """VIEW for a dataset page, DOWNLOAD for a resource download (2xx/3xx GET, not crawlers); and the API's
    rate-limit errors as 429. Never fails the response."""
    retry = getattr(tk.g, "satudata_rate_limited", None)
    if retry and response.status_code == 409 and tk.request.path.startswith("/api/"):
        response.status_code = 429
        response.headers["Retry-After"] = str(retry)
    if tk.request.method != "GET" or not 200 <= response.status_code < 400:
        return response
    kind = _kind()
    if kind is None:
        return response
    if not config.count_bots() and _BOT.search(tk.request.headers.get("User-Agent", "")):
        return response
    try:
        package = model.Package.get((tk.request.view_args or {}).get("id") or "")
    except SQLAlchemyError as err:
        log.error("usage not counted: %s", err)
        return response
    if package is not None:
        usage.record(kind, package_id=package.id)
    return response
