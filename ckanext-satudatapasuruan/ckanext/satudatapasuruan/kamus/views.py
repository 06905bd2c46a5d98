"""Pages of the kamus: the public search and list /kamus-data, an entry with its history /kamus-data/<kode>,
and the forms of the walidata and the pembina data (add, change, retire, bring back)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.messages import N_

from . import config
from .logic.auth import satudata_permission_kamus_maintain
from .records import CONTENT, Change

__all__ = ["kamus"]

kamus = Blueprint("satudata_kamus", __name__)

CHANGE_LABELS = {Change.DIBUAT.value: N_("Dibuat"), Change.DIUBAH.value: N_("Diubah"),
                 Change.DIPENSIUNKAN.value: N_("Dipensiunkan")}
FIELD_LABELS = {"konsep": N_("Konsep"), "definisi": N_("Definisi"), "klasifikasi": N_("Klasifikasi"),
                "ukuran": N_("Ukuran"), "satuan": N_("Satuan"), "dasar_hukum": N_("Dasar hukum")}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _may_maintain() -> bool:
    if not tk.current_user.is_authenticated:
        return False
    return satudata_permission_kamus_maintain(model.User.get(tk.current_user.id))["success"]


def _messages(err: tk.ValidationError) -> list[str]:
    return [str(m) for msgs in (err.error_dict or {}).values() for m in (msgs if isinstance(msgs, list) else [msgs])]


def _labels() -> dict[str, Any]:
    return {"changes": {k: tk._(v) for k, v in CHANGE_LABELS.items()},
            "fields": {k: tk._(v) for k, v in FIELD_LABELS.items()}}


def _int_arg(name: str, default: int) -> int:
    value = tk.request.args.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) < 10**6 else default


@kamus.route("/kamus-data")
def index():
    """Search and list the entries (public)."""
    q = tk.request.args.get("q", "").strip()[:200]
    retired = tk.request.args.get("pensiun") == "1"
    size = config.page_size()
    page = _int_arg("halaman", 1)
    found = tk.get_action("satudata_kamus_entry_list")(_context(), {
        "q": q, "include_retired": retired, "limit": size, "offset": (page - 1) * size})
    pages = max(1, -(-found["count"] // size))
    return tk.render("satudata/kamus/index.html", {
        "q": q, "retired": retired, "found": found, "page": min(page, pages), "pages": pages,
        "may_maintain": _may_maintain()})


def _not_found():
    return tk.render("satudata/kamus/not_found.html", {}), 404


def _refused():
    """Anonymous visitors log in first; others are told who may change the kamus."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.full_path)
    if not _may_maintain():
        return tk.render("satudata/kamus/forbidden.html", {}), 403
    return None


@kamus.route("/kamus-data/<kode>")
def entry(kode: str):
    """An entry (or one of its past versions, ``?versi=N``) and its history (public)."""
    data: dict[str, Any] = {"kode": kode}
    if tk.request.args.get("versi"):
        data["version"] = tk.request.args["versi"]
    try:
        found = tk.get_action("satudata_kamus_entry_show")(_context(), data)
        history = tk.get_action("satudata_kamus_entry_history")(_context(), {"kode": kode})
    except (tk.ObjectNotFound, tk.ValidationError):
        return _not_found()
    return tk.render("satudata/kamus/entry.html", {"entry": found, "history": history, "labels": _labels(),
                                                    "may_maintain": _may_maintain()})


def _form_data() -> dict[str, Any]:
    form = tk.request.form
    return {k: form.get(k, "") for k in ("kode", *CONTENT, "note", "version")}


def _render_form(data: dict[str, Any], errors: list[str], editing: bool):
    return tk.render("satudata/kamus/form.html", {
        "data": data, "errors": errors, "editing": editing,
        "satuan": refdata.choices("satuan", tk.h.lang() or "id")}), 400 if errors else 200


@kamus.route("/kamus-data/baru", methods=["GET", "POST"])
def create():
    """Add an entry (walidata, pembina data)."""
    refused = _refused()
    if refused is not None:
        return refused
    if tk.request.method != "POST":
        return _render_form({}, [], editing=False)
    data = _form_data()
    data.pop("version")
    try:
        made = tk.get_action("satudata_kamus_entry_create")(_context(), dict(data))
    except tk.ValidationError as err:
        return _render_form(data, _messages(err), editing=False)
    except tk.NotAuthorized:
        return tk.render("satudata/kamus/forbidden.html", {}), 403
    tk.h.flash_success(tk._("Entri kamus disimpan."))
    return tk.redirect_to("satudata_kamus.entry", kode=made["kode"])


@kamus.route("/kamus-data/<kode>/ubah", methods=["GET", "POST"])
def edit(kode: str):
    """Change an entry: it gets its next version (walidata, pembina data)."""
    refused = _refused()
    if refused is not None:
        return refused
    try:
        current = tk.get_action("satudata_kamus_entry_show")(_context(), {"kode": kode})
    except (tk.ObjectNotFound, tk.ValidationError):
        return _not_found()
    if tk.request.method != "POST":
        return _render_form(dict(current, note=""), [], editing=True)
    data = _form_data()
    data["kode"] = current["kode"]
    try:
        tk.get_action("satudata_kamus_entry_update")(_context(), {k: v for k, v in data.items()
                                                                   if k != "version" or v})
    except tk.ValidationError as err:
        return _render_form(data, _messages(err), editing=True)
    except tk.NotAuthorized:
        return tk.render("satudata/kamus/forbidden.html", {}), 403
    tk.h.flash_success(tk._("Perubahan disimpan sebagai versi baru."))
    return tk.redirect_to("satudata_kamus.entry", kode=current["kode"])


def _state_change(kode: str, action: str, data: dict[str, Any], done: str):
    refused = _refused()
    if refused is not None:
        return refused
    try:
        tk.get_action(action)(_context(), {"kode": kode, **data})
        tk.h.flash_success(tk._(done))
    except tk.ObjectNotFound:
        return _not_found()
    except tk.NotAuthorized:
        return tk.render("satudata/kamus/forbidden.html", {}), 403
    except tk.ValidationError as err:
        tk.h.flash_error(" ".join(_messages(err)))
    return tk.redirect_to("satudata_kamus.entry", kode=kode)


@kamus.route("/kamus-data/<kode>/pensiun", methods=["POST"])
def retire(kode: str):
    """Retire an entry, with the reason (walidata, pembina data)."""
    return _state_change(kode, "satudata_kamus_entry_delete", {"note": tk.request.form.get("note", "")},
                         N_("Entri dipensiunkan."))


@kamus.route("/kamus-data/<kode>/aktifkan", methods=["POST"])
def reactivate(kode: str):
    """Bring a retired entry back (walidata, pembina data)."""
    return _state_change(kode, "satudata_kamus_entry_update",
                         {"aktifkan": True, "note": tk.request.form.get("note", "")}, N_("Entri aktif kembali."))
