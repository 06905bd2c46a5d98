"""Pages of the quality plugin: the ticket board /kualitas-metadata, one ticket's page, and the publish gate's
page of a dataset /kualitas-metadata/gerbang/<id>."""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint

from ckanext.satudatapasuruan.messages import N_

from . import access, rules
from .records import Status

__all__ = ["quality"]

quality = Blueprint("satudata_quality", __name__)

_ORG = re.compile(r"^[a-z0-9_-]{2,100}$")
COLUMNS = (Status.TERBUKA, Status.DIKERJAKAN, Status.SELESAI)
STATUS_LABELS = {Status.TERBUKA.value: N_("Terbuka"), Status.DIKERJAKAN.value: N_("Dikerjakan"),
                 Status.SELESAI.value: N_("Selesai")}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _login_or_forbidden():
    """Anonymous visitors log in first; a logged-in user outside the OPDs and the walidata is told why not."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.full_path)
    try:
        tk.check_access("satudata_quality_ticket_list", _context(), {})
    except tk.NotAuthorized:
        return tk.render("satudata/quality/forbidden.html", {}), 403
    return None


def _error_list(err: tk.ValidationError) -> list[str]:
    return [str(m) for msgs in err.error_dict.values() for m in (msgs if isinstance(msgs, list) else [msgs])]


def _errors_text(err: tk.ValidationError) -> str:
    return " ".join(_error_list(err))


@quality.route("/kualitas-metadata")
def board():
    """Three columns (terbuka, dikerjakan, selesai) of the tickets the viewer may see, filtered by OPD and
    severity."""
    refused = _login_or_forbidden()
    if refused is not None:
        return refused
    context = _context()
    user = model.User.get(tk.current_user.id)
    errors = []
    chosen: dict[str, str] = {}
    organization = (tk.request.args.get("organization") or "").strip()
    if organization:
        if _ORG.match(organization):
            chosen["organization"] = organization
        else:
            errors.append(tk._("Nilai penyaring tidak dikenal dan diabaikan: {value}").format(value=organization[:40]))
    severity = (tk.request.args.get("severity") or "").strip()
    if severity:
        if severity in {s.value for s in rules.Severity}:
            chosen["severity"] = severity
        else:
            errors.append(tk._("Nilai penyaring tidak dikenal dan diabaikan: {value}").format(value=severity[:40]))
    try:
        found = tk.get_action("satudata_quality_ticket_list")(context, dict(chosen, limit=1000))
    except tk.ValidationError as err:
        errors.append(_errors_text(err))
        chosen.pop("organization", None)
        found = tk.get_action("satudata_quality_ticket_list")(context, dict(chosen, limit=1000))
    kpi = tk.get_action("satudata_quality_kpi")(context, {"months": 12, **(
        {"organization": chosen["organization"]} if "organization" in chosen else {})})
    columns = [{"status": s.value, "label": tk._(STATUS_LABELS[s.value]),
                "tickets": [t for t in found["results"] if t["status"] == s.value]} for s in COLUMNS]
    walidata = access.is_walidata(user)
    org_ids = access.visible_org_ids(user)
    query = model.Session.query(model.Group).filter(model.Group.is_organization.is_(True),
                                                    model.Group.state == "active")
    if org_ids is not None:
        query = query.filter(model.Group.id.in_(org_ids or [""]))
    organizations = [{"name": g.name, "title": g.title or g.name} for g in query.order_by(model.Group.title)]
    return tk.render("satudata/quality/board.html", {
        "columns": columns, "count": found["count"], "chosen": chosen, "errors": errors,
        "organizations": organizations, "walidata": walidata, "kpi": kpi,
        "severities": [{"value": s.value, "label": tk._(rules.SEVERITY_LABELS[s])} for s in rules.Severity],
        "status_labels": {k: tk._(v) for k, v in STATUS_LABELS.items()},
        "severity_labels": {s.value: tk._(rules.SEVERITY_LABELS[s]) for s in rules.Severity}})


def _may(action: str, ticket_id: str) -> bool:
    try:
        tk.check_access(action, _context(), {"id": ticket_id})
    except tk.NotAuthorized:
        return False
    return True


@quality.route("/kualitas-metadata/tiket/<id>")
def ticket(id: str):
    """One ticket: its findings, how to fix them, its history and comments."""
    refused = _login_or_forbidden()
    if refused is not None:
        return refused
    try:
        found = tk.get_action("satudata_quality_ticket_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.render("satudata/quality/not_found.html", {}), 404
    except tk.NotAuthorized:
        return tk.render("satudata/quality/forbidden.html", {}), 403
    return tk.render("satudata/quality/ticket.html", {
        "ticket": found, "may_work": _may("satudata_quality_ticket_update", id),
        "status_labels": {k: tk._(v) for k, v in STATUS_LABELS.items()},
        "severity_labels": {s.value: tk._(rules.SEVERITY_LABELS[s]) for s in rules.Severity}})


@quality.route("/kualitas-metadata/tiket/<id>", methods=["POST"])
def ticket_post(id: str):
    """Mark a ticket as being worked on (or back to open), or comment on it."""
    refused = _login_or_forbidden()
    if refused is not None:
        return refused
    form = tk.request.form
    try:
        if form.get("status"):
            tk.get_action("satudata_quality_ticket_update")(_context(), {
                "id": id, "status": form.get("status"), "comment": form.get("comment", "")})
            tk.h.flash_success(tk._("Status tiket disimpan."))
        else:
            tk.get_action("satudata_quality_ticket_comment")(_context(), {"id": id, "text": form.get("comment", "")})
            tk.h.flash_success(tk._("Komentar disimpan."))
    except tk.ObjectNotFound:
        return tk.render("satudata/quality/not_found.html", {}), 404
    except tk.NotAuthorized as err:
        tk.h.flash_error(str(err) or tk._("Anda tidak berhak mengubah tiket ini"))
    except tk.ValidationError as err:
        tk.h.flash_error(_errors_text(err))
    if form.get("back") == "board":
        return tk.redirect_to("satudata_quality.board")
    return tk.redirect_to("satudata_quality.ticket", id=id)


def _gate_page(id: str, errors: list[str] | None = None, reason: str = ""):
    try:
        verdict = tk.get_action("satudata_quality_gate_check")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.render("satudata/quality/not_found.html", {}), 404
    except tk.NotAuthorized:
        return tk.render("satudata/quality/forbidden.html", {}), 403
    package = model.Package.get(id)
    state = tk.get_action("satudata_workflow_show")(_context(), {"id": package.id})
    return tk.render("satudata/quality/gate.html", {
        "verdict": verdict, "package": {"name": package.name, "title": package.title or package.name},
        "may_publish": "publish" in state["transitions"], "state_label": state["state_label"],
        "errors": errors or [], "reason": reason}), 400 if errors else 200


@quality.route("/kualitas-metadata/gerbang/<id>")
def gate(id: str):
    """The publish gate's verdict on a dataset, and for the walidata the publish form (with the override
    reason when the gate refuses)."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.full_path)
    return _gate_page(id)


@quality.route("/kualitas-metadata/gerbang/<id>", methods=["POST"])
def gate_publish(id: str):
    """Publish through the gate; a refusal comes back on the page with every reason."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.full_path)
    reason = tk.request.form.get("gate_override_reason", "")
    data = {"id": id, "note": tk.request.form.get("note", "")}
    if reason.strip():
        data["gate_override_reason"] = reason
    try:
        published = tk.get_action("satudata_workflow_publish")(_context(), data)
    except tk.ObjectNotFound:
        return tk.render("satudata/quality/not_found.html", {}), 404
    except tk.NotAuthorized as err:
        return _gate_page(id, [str(err) or tk._("Anda tidak berhak menerbitkan dataset ini")], reason)
    except tk.ValidationError as err:
        return _gate_page(id, _error_list(err), reason)
    tk.h.flash_success(tk._("Dataset diterbitkan."))
    return tk.redirect_to("dataset.read", id=published["name"])
