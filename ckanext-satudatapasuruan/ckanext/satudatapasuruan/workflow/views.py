"""Pages of the workflow: transition buttons on the dataset page and the task list (Tugas saya)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.views.dataset import EditView
from flask import Blueprint

from ckanext.satudatapasuruan.messages import N_

from .machine import Transition
from .revisions import REVISION_FLAG

__all__ = ["workflow"]

workflow = Blueprint("satudata_workflow", __name__)

_DONE = {
    Transition.SUBMIT: N_("Dataset diajukan ke verifikator OPD."),
    Transition.APPROVE: N_("Pengajuan disetujui dan diteruskan ke walidata."),
    Transition.RETURN: N_("Dataset dikembalikan ke produsen data."),
    Transition.PUBLISH: N_("Dataset diterbitkan."),
    Transition.WITHDRAW: N_("Dataset ditarik dari publikasi."),
}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _flash_errors(err: tk.ValidationError) -> None:
    tk.h.flash_error(" ".join(str(m) for msgs in err.error_dict.values() for m in msgs))


def _post_action(action: str, data: dict[str, Any], done: str, back: str):
    """Run a form's action; refusals and validation errors come back as flash messages, never a 500."""
    try:
        tk.get_action(action)(_context(), data)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Tidak ditemukan"))
    except tk.NotAuthorized as err:
        tk.h.flash_error(str(err) or tk._("Anda tidak berhak melakukan langkah ini"))
    except tk.ValidationError as err:
        _flash_errors(err)
    else:
        tk.h.flash_success(tk._(done))
    return tk.redirect_to(back)


@workflow.route("/dataset/<id>/alur/<name>", methods=["POST"])
def transition(id: str, name: str):
    """Make a transition from the dataset page's form."""
    try:
        step = Transition(name)
    except ValueError:
        return tk.abort(404, tk._("Langkah alur tidak dikenal"))
    return _post_action(f"satudata_workflow_{step.value}", {"id": id, "note": tk.request.form.get("note", "")},
                        _DONE[step], tk.url_for("dataset.read", id=id))


@workflow.route("/dataset/<id>/alur/catatan", methods=["POST"])
def comment(id: str):
    data = {"id": id, "note": tk.request.form.get("note", ""), "kind": tk.request.form.get("kind") or "komentar"}
    return _post_action("satudata_workflow_comment", data, N_("Catatan disimpan."), tk.url_for("dataset.read", id=id))


class RevisionEditView(EditView):
    """CKAN's edit form for a published dataset: saving proposes a revision instead of changing it."""

    def _prepare(self):
        context = super()._prepare()
        context[REVISION_FLAG] = True
        return context

    def post(self, package_type: str, id: str):
        response = super().post(package_type, id)
        if getattr(response, "status_code", 200) in (301, 302, 303):
            tk.h.flash_success(tk._("Perubahan disimpan sebagai revisi dan menunggu verifikasi OPD; "
                                    "publik tetap melihat versi yang terbit."))
            return tk.redirect_to("dataset.read", id=id)
        return response


workflow.add_url_rule("/dataset/<id>/revisi", view_func=RevisionEditView.as_view("revision"),
                      defaults={"package_type": "dataset"})


@workflow.route("/dataset/<id>/revisi/<name>", methods=["POST"])
def revision_step(id: str, name: str):
    if name not in (Transition.APPROVE.value, Transition.RETURN.value, Transition.PUBLISH.value):
        return tk.abort(404, tk._("Langkah alur tidak dikenal"))
    return _post_action(f"satudata_revision_{name}", {"id": id, "note": tk.request.form.get("note", "")},
                        N_("Revisi diproses."), tk.url_for("dataset.read", id=id))


@workflow.route("/dataset/<id>/akses", methods=["POST"])
def access_request(id: str):
    return _post_action("satudata_access_request_create", {"id": id, "purpose": tk.request.form.get("purpose", "")},
                        N_("Permintaan akses dikirim ke OPD pemilik data."), tk.url_for("dataset.read", id=id))


@workflow.route("/akses/<request_id>/<decision>", methods=["POST"])
def access_decide(request_id: str, decision: str):
    back = tk.request.form.get("came_from") or tk.url_for("satudata_workflow.tasks")
    if not back.startswith("/") or back.startswith("//"):  # only back into the portal
        back = tk.url_for("satudata_workflow.tasks")
    if decision == "cabut":
        return _post_action("satudata_access_request_revoke",
                            {"id": request_id, "note": tk.request.form.get("note", "")}, N_("Akses dicabut."), back)
    data = {"id": request_id, "decision": decision, "note": tk.request.form.get("note", "")}
    if tk.request.form.get("expires"):
        data["expires"] = tk.request.form["expires"]
    return _post_action("satudata_access_request_decide", data, N_("Keputusan disimpan."), back)


@workflow.route("/tugas")
def tasks():
    """Tugas saya: what waits for the signed-in user, per role."""
    try:
        items = tk.get_action("satudata_workflow_task_list")(_context(), {})
    except tk.NotAuthorized:
        return tk.redirect_to("user.login", came_from=tk.url_for("satudata_workflow.tasks"))
    requests = tk.get_action("satudata_access_request_list")(_context(), {})
    return tk.render("satudata/workflow/tasks.html", {"tasks": items, "requests": requests})
