"""Pages of the workflow: transition buttons on the dataset page and the task list (Tugas saya)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from .machine import Transition

__all__ = ["workflow"]

workflow = Blueprint("satudata_workflow", __name__)

_DONE = {
    Transition.SUBMIT: "Dataset diajukan ke verifikator OPD.",
    Transition.APPROVE: "Pengajuan disetujui dan diteruskan ke walidata.",
    Transition.RETURN: "Dataset dikembalikan ke produsen data.",
    Transition.PUBLISH: "Dataset diterbitkan.",
    Transition.WITHDRAW: "Dataset ditarik dari publikasi.",
}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


@workflow.route("/dataset/<id>/alur/<name>", methods=["POST"])
def transition(id: str, name: str):
    """Make a transition from the dataset page's form; errors come back as flash messages."""
    try:
        step = Transition(name)
    except ValueError:
        return tk.abort(404, tk._("Langkah alur tidak dikenal"))
    data = {"id": id, "note": tk.request.form.get("note", "")}
    try:
        tk.get_action(f"satudata_workflow_{step.value}")(_context(), data)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset tidak ditemukan"))
    except tk.NotAuthorized as err:
        tk.h.flash_error(str(err) or tk._("Anda tidak berhak melakukan langkah ini"))
    except tk.ValidationError as err:
        tk.h.flash_error(" ".join(m for msgs in err.error_dict.values() for m in msgs))
    else:
        tk.h.flash_success(tk._(_DONE[step]))
    return tk.redirect_to("dataset.read", id=id)


@workflow.route("/dataset/<id>/alur/catatan", methods=["POST"])
def comment(id: str):
    data = {"id": id, "note": tk.request.form.get("note", ""), "kind": tk.request.form.get("kind") or "komentar"}
    try:
        tk.get_action("satudata_workflow_comment")(_context(), data)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset tidak ditemukan"))
    except tk.NotAuthorized as err:
        tk.h.flash_error(str(err) or tk._("Anda tidak berhak memberi catatan"))
    except tk.ValidationError:
        tk.h.flash_error(tk._("Tuliskan isi catatan"))
    else:
        tk.h.flash_success(tk._("Catatan disimpan."))
    return tk.redirect_to("dataset.read", id=id)


@workflow.route("/tugas")
def tasks():
    """Tugas saya: what waits for the signed-in user, per role."""
    try:
        items = tk.get_action("satudata_workflow_task_list")(_context(), {})
    except tk.NotAuthorized:
        return tk.redirect_to("user.login", came_from=tk.url_for("satudata_workflow.tasks"))
    return tk.render("satudata/workflow/tasks.html", {"tasks": items})
