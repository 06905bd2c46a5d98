"""Actions of the verification workflow: transitions, comments, history, tasks and roles."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.logic import validate
from ckan.types import Action, Context, DataDict

from ckanext.satudatapasuruan.messages import N_

from .. import access, notify, records, revisions, roles
from ..machine import LABELS, REVIEW_STATES, RULES, Role, State, Transition, path, target
from ..records import RequestState, RevisionState
from . import schema
from .auth import satudata_permission_decide, satudata_permission_review, satudata_permission_transition

__all__ = [
    "satudata_workflow_submit", "satudata_workflow_approve", "satudata_workflow_return",
    "satudata_workflow_publish", "satudata_workflow_withdraw", "satudata_workflow_comment",
    "satudata_workflow_show", "satudata_workflow_history", "satudata_workflow_task_list",
    "satudata_role_assign", "satudata_role_revoke", "satudata_role_list", "satudata_access_request_create",
    "satudata_access_request_decide", "satudata_access_request_revoke", "satudata_access_request_list",
    "satudata_revision_propose", "satudata_revision_show", "satudata_revision_approve", "satudata_revision_return",
    "satudata_revision_publish", "satudata_harvest_policy_set", "satudata_harvest_policy_show",
    "satudata_harvest_land", "package_create", "package_update",
]

GRANT_DAYS = 365

_ILLEGAL = {
    Transition.SUBMIT: N_("Dataset berstatus {state}; hanya draf, dataset yang dikembalikan atau ditarik "
                       "yang dapat diajukan"),
    Transition.APPROVE: N_("Dataset berstatus {state}; hanya dataset yang diajukan yang dapat disetujui "
                        "verifikator OPD"),
    Transition.RETURN: N_("Dataset berstatus {state}; hanya dataset yang sedang diverifikasi yang dapat "
                       "dikembalikan"),
    Transition.PUBLISH: N_("Dataset berstatus {state}; hanya dataset yang sudah diverifikasi OPD yang dapat "
                        "diterbitkan"),
    Transition.WITHDRAW: N_("Dataset berstatus {state}; hanya dataset yang terbit yang dapat ditarik"),
}


def _package(data_dict: DataDict) -> model.Package:
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset tidak ditemukan"))
    return package


def _state_label(state: State) -> str:
    return tk._(LABELS[state])


def apply_state(package: model.Package, state: State) -> None:
    """Make CKAN's visibility follow the state and class: ``private`` unless published and not
    rahasia; then the index row and the past activities get the new labels, in this transaction."""
    records.set_state(package.id, state)
    private = access.should_be_private(state, access.access_class(package))
    if private != package.private:
        package.private = private
        # Published or withdrawn is news for harvesters that ask what changed since (DCAT modified_since).
        package.metadata_modified = dt.datetime.utcnow()
    model.Session.flush()
    access.refresh_activity_labels(package)
    search.rebuild(package.id)


def _transition(transition: Transition, context: Context, data_dict: DataDict) -> dict[str, Any]:
    tk.check_access(f"satudata_workflow_{transition.value}", context, data_dict)
    rule = RULES[transition]
    data, errors = tk.navl_validate(data_dict, schema.transition(rule.note_required), context)
    if errors:
        if "note" in errors:
            errors["note"] = [tk._("Tuliskan catatan alasannya; catatan ini dibaca oleh produsen data")]
        raise tk.ValidationError(errors)
    package = _package(data)
    current = records.get_state(package)
    new = target(transition, current)
    if new is None:
        raise tk.ValidationError({"state": [tk._(_ILLEGAL[transition]).format(state=_state_label(current))]})
    user = context.get("auth_user_obj")
    apply_state(package, new)
    records.add_event(package.id, transition.value, current, new, getattr(user, "id", None), data.get("note"))
    model.repo.commit()
    notify.transition_made(package, transition, current, new, user, data.get("note"))
    return _show(context, package)


def satudata_workflow_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a draft (or a returned or withdrawn dataset) to the OPD's verifier.

    :param id: the dataset's id or name
    :param note: a note for the reviewer (optional)
    :returns: the dataset's workflow state (as ``satudata_workflow_show``)
    """
    return _transition(Transition.SUBMIT, context, data_dict)


def satudata_workflow_approve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The OPD verifier approves a submission; it goes on to the walidata.

    :param id: the dataset's id or name
    :param note: (optional)
    """
    return _transition(Transition.APPROVE, context, data_dict)


def satudata_workflow_return(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Return a submission to its producer (OPD verifier at the first step, walidata at either).

    :param id: the dataset's id or name
    :param note: what must be corrected (required)
    """
    return _transition(Transition.RETURN, context, data_dict)


def satudata_workflow_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The walidata publishes a dataset the OPD has verified: it becomes public per its access class.

    :param id: the dataset's id or name
    :param note: (optional)
    """
    return _transition(Transition.PUBLISH, context, data_dict)


def satudata_workflow_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The walidata withdraws a published dataset from publication.

    :param id: the dataset's id or name
    :param note: the reason (required)
    """
    return _transition(Transition.WITHDRAW, context, data_dict)


@validate(schema.comment)
def satudata_workflow_comment(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Record a comment or a recommendation (pembina data) in the dataset's audit trail.

    :param id: the dataset's id or name
    :param note: the text (required)
    :param kind: ``komentar`` (default) or ``rekomendasi``
    """
    tk.check_access("satudata_workflow_comment", context, data_dict)
    package = _package(data_dict)
    state = records.get_state(package)
    user = context.get("auth_user_obj")
    records.add_event(package.id, data_dict["kind"], state, state, getattr(user, "id", None), data_dict["note"])
    model.repo.commit()
    return _show(context, package)


def _show(context: Context, package: model.Package) -> dict[str, Any]:
    state = records.get_state(package)
    user = context.get("auth_user_obj")
    allowed = []
    if isinstance(user, model.User):
        allowed = [t.value for t in Transition if target(t, state) is not None
                   and satudata_permission_transition(user, package, t)["success"]]
    return {"id": package.id, "name": package.name, "state": state.value, "state_label": _state_label(state),
            "access_class": access.access_class(package), "transitions": allowed}


@tk.side_effect_free
def satudata_workflow_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A dataset's workflow state and the transitions the caller may make now.

    :param id: the dataset's id or name
    :returns: ``state``, ``state_label``, ``access_class``, ``transitions`` (names of the
        ``satudata_workflow_<name>`` actions open to the caller)
    """
    tk.check_access("satudata_workflow_show", context, data_dict)
    return _show(context, _package(data_dict))


@tk.side_effect_free
def satudata_workflow_history(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The dataset's audit trail, oldest first: every transition, comment and recommendation
    (who, when, from/to state, note). Members of the owning OPD, the walidata and the pembina only.

    :param id: the dataset's id or name
    """
    tk.check_access("satudata_workflow_history", context, data_dict)
    events = records.events(_package(data_dict).id)
    names = dict(model.Session.query(model.User.id, model.User.name)
                 .filter(model.User.id.in_({e["user_id"] for e in events if e["user_id"]})).all())
    for event in events:
        event["user"] = names.get(event["user_id"])
    return events


@tk.side_effect_free
def satudata_workflow_task_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Tugas saya: the datasets waiting for the caller, with the transitions open to them.

    - operator/surveyor: their OPD's drafts and returned datasets;
    - verifikator OPD: their OPD's submissions (``diajukan``);
    - walidata: every OPD-verified dataset (``diverifikasi_opd``);
    - pembina: every submission under review that is not rahasia (to read and comment).
    """
    tk.check_access("satudata_workflow_task_list", context, data_dict)
    user = context["auth_user_obj"]
    wanted = {State.DRAFT, State.DIKEMBALIKAN, State.DIAJUKAN, State.DIVERIFIKASI_OPD}
    ids = records.packages_in_states(sorted(wanted))
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(ids),
                                                         model.Package.state == "active").all()
    states = records.get_states([p.id for p in packages])
    walidata, pembina = roles.is_walidata(user), roles.is_pembina(user)
    tasks = []
    for package in packages:
        state = states[package.id]
        todo = [t.value for t in Transition if target(t, state) is not None
                and satudata_permission_transition(user, package, t)["success"]]
        # The walidata's turn is the second step; the OPD's own drafts are not theirs to chase.
        if walidata and state in (State.DRAFT, State.DIKEMBALIKAN) and \
                roles.opd_role(user, package.owner_org) is None:
            todo = []
        reading = pembina and state in REVIEW_STATES and satudata_permission_review(user, package)["success"]
        if todo or reading:
            tasks.append(_task(package, state, todo, "dataset"))
    # Revisions of published datasets wait in the same two tiers.
    for package_id, rev_state in records.packages_with_open_revisions().items():
        package = model.Package.get(package_id)
        if package is None or package.state != "active":
            continue
        state = _REVISION_STATE[RevisionState(rev_state)]
        todo = [f"revision_{t.value}" for t in (Transition.APPROVE, Transition.RETURN, Transition.PUBLISH)
                if target(t, state) is not None
                and satudata_permission_transition(user, package, t, state)["success"]]
        if todo:
            tasks.append(_task(package, state, todo, "revisi"))
    tasks.sort(key=lambda t: t["metadata_modified"])
    return tasks


def _task(package: model.Package, state: State, todo: list[str], kind: str) -> dict[str, Any]:
    return {"id": package.id, "name": package.name, "title": package.title, "organization": package.owner_org,
            "kind": kind, "state": state.value, "state_label": _state_label(state), "transitions": todo,
            "metadata_modified": package.metadata_modified.isoformat()}


# --- roles -------------------------------------------------------------------------------------

def _role_target(data: DataDict) -> tuple[Role, str]:
    role = Role(data["role"])
    if role in roles.CAPACITY:
        if not data.get("organization"):
            raise tk.ValidationError({"organization": [tk._("Peran OPD memerlukan organisasi (OPD)")]})
        return role, data["organization"]
    walidata_id, pembina_ids = roles.special_org_ids()
    org = walidata_id if role is Role.WALIDATA else (pembina_ids[0] if pembina_ids else None)
    if role is Role.PEMBINA and data.get("organization"):
        org = data["organization"]
        if model.Group.get(org) is None or model.Group.get(org).id not in pembina_ids:
            raise tk.ValidationError({"organization": [tk._("Organisasi ini bukan organisasi pembina data")]})
    if not org:
        raise tk.ValidationError({"role": [tk._("Organisasi untuk peran ini belum dibuat")]})
    return role, org


@validate(schema.role_change)
def satudata_role_assign(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Give a user a workflow role (stored as a CKAN membership, see the workflow docs).

    :param user: user id or name
    :param role: ``operator`` (operator/surveyor), ``verifikator``, ``walidata`` or ``pembina``
    :param organization: the OPD (operator, verifikator) or the pembina organisation (optional)
    """
    tk.check_access("satudata_role_assign", context, data_dict)
    role, org = _role_target(data_dict)
    capacity = roles.CAPACITY.get(role, "editor")
    tk.get_action("organization_member_create")(
        {"user": context["user"], "ignore_auth": context.get("ignore_auth", False)},
        {"id": org, "username": data_dict["user"], "role": capacity})
    return {"user": data_dict["user"], "role": role.value, "organization": org}


@validate(schema.role_change)
def satudata_role_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Take a workflow role away (removes the CKAN membership behind it).

    :param user: user id or name
    :param role: as for ``satudata_role_assign``
    :param organization: as for ``satudata_role_assign``
    """
    tk.check_access("satudata_role_revoke", context, data_dict)
    role, org = _role_target(data_dict)
    tk.get_action("organization_member_delete")(
        {"user": context["user"], "ignore_auth": context.get("ignore_auth", False)},
        {"id": org, "username": data_dict["user"]})
    return {"user": data_dict["user"], "role": role.value, "organization": org, "revoked": True}


@tk.side_effect_free
@validate(schema.role_list)
def satudata_role_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The workflow roles of a user (default: the caller).

    :param user: user id or name (optional; others' roles: sysadmins only)
    """
    tk.check_access("satudata_role_list", context, data_dict)
    user = model.User.get(data_dict.get("user")) if data_dict.get("user") else context.get("auth_user_obj")
    if not isinstance(user, model.User):
        raise tk.ObjectNotFound(tk._("Pengguna tidak ditemukan"))
    walidata_id, pembina_ids = roles.special_org_ids()
    out = []
    for org in model.Session.query(model.Group).join(model.Member, model.Member.group_id == model.Group.id).filter(
            model.Member.table_name == "user", model.Member.table_id == user.id, model.Member.state == "active",
            model.Group.is_organization.is_(True), model.Group.state == "active"):
        if org.id == walidata_id:
            role = Role.WALIDATA
        elif org.id in pembina_ids:
            role = Role.PEMBINA
        else:
            role = roles.opd_role(user, org.id)
        if role is not None:
            out.append({"role": role.value, "organization": org.name, "organization_title": org.title})
    return out


# --- access requests (terbatas data) ----------------------------------------------------------

def _request(request_id: str) -> tuple[dict[str, Any], model.Package]:
    request = records.get_request(request_id)
    package = model.Package.get(request["package_id"]) if request else None
    if request is None or package is None:
        raise tk.ObjectNotFound(tk._("Permintaan akses tidak ditemukan"))
    return request, package


def _user_names(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = {r["user_id"] for r in requests} | {r["decided_by"] for r in requests if r["decided_by"]}
    names = dict(model.Session.query(model.User.id, model.User.name).filter(model.User.id.in_(ids)).all())
    for request in requests:
        request["user"] = names.get(request["user_id"])
        request["decided_by_name"] = names.get(request["decided_by"])
    return requests


@validate(schema.access_request_create)
def satudata_access_request_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Ask the owning OPD for access to the data (files, DataStore rows) of a published terbatas dataset.

    :param id: the dataset's id or name
    :param purpose: what the data will be used for (at least 20 characters)
    :returns: the request (``state``: diajukan, disetujui, ditolak, dicabut)
    """
    tk.check_access("satudata_access_request_create", context, data_dict)
    package = _package(data_dict)
    user = context["auth_user_obj"]
    state = records.get_state(package)
    if access.access_class(package) != access.TERBATAS or state is not State.TERBIT:
        raise tk.ValidationError({"id": [tk._("Permintaan akses hanya untuk dataset terbatas yang sudah terbit")]})
    if access.may_read_data(user, package):
        raise tk.ValidationError({"id": [tk._("Anda sudah memiliki akses ke data ini")]})
    if records.requests([package.id], user.id, [RequestState.DIAJUKAN]):
        raise tk.ValidationError({"id": [tk._("Permintaan Anda untuk dataset ini masih menunggu keputusan OPD")]})
    request_id = records.create_request(package.id, user.id, data_dict["purpose"])
    records.add_event(package.id, "access_request", state, state, user.id, data_dict["purpose"])
    model.repo.commit()
    notify.access_requested(package, user, data_dict["purpose"])
    return _user_names([records.get_request(request_id)])[0]


@validate(schema.access_request_decide)
def satudata_access_request_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The OPD's verifier approves or denies an access request.

    :param id: the request's id
    :param decision: ``setujui`` or ``tolak``
    :param note: the reason (required when denying)
    :param expires: last day of access, ``YYYY-MM-DD`` (approval; default one year from today)
    """
    tk.check_access("satudata_access_request_decide", context, data_dict)
    request, package = _request(data_dict["id"])
    if request["state"] != RequestState.DIAJUKAN.value:
        raise tk.ValidationError({"id": [tk._("Permintaan ini sudah diputuskan ({state})").format(
            state=request["state"])]})
    approve = data_dict["decision"] == "setujui"
    if not approve and not data_dict.get("note"):
        raise tk.ValidationError({"note": [tk._("Tuliskan alasan penolakan; alasan ini dikirim ke pemohon")]})
    expires = (data_dict.get("expires") or dt.date.today() + dt.timedelta(days=GRANT_DAYS)) if approve else None
    user = context["auth_user_obj"]
    new = RequestState.DISETUJUI if approve else RequestState.DITOLAK
    records.decide_request(request["id"], new, user.id, data_dict.get("note"), expires)
    state = records.get_state(package)
    records.add_event(package.id, "access_grant" if approve else "access_deny", state, state, user.id,
                      data_dict.get("note") or (expires.isoformat() if expires else None))
    model.repo.commit()
    request = records.get_request(request["id"])
    notify.access_decided(package, request)
    return _user_names([request])[0]


@validate(schema.access_request_revoke)
def satudata_access_request_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The OPD's verifier revokes an approved access before it expires.

    :param id: the request's id
    :param note: the reason (required)
    """
    tk.check_access("satudata_access_request_revoke", context, data_dict)
    request, package = _request(data_dict["id"])
    if request["state"] != RequestState.DISETUJUI.value:
        raise tk.ValidationError({"id": [tk._("Hanya akses yang disetujui yang dapat dicabut")]})
    user = context["auth_user_obj"]
    records.decide_request(request["id"], RequestState.DICABUT, user.id, data_dict["note"], None)
    state = records.get_state(package)
    records.add_event(package.id, "access_revoke", state, state, user.id, data_dict["note"])
    model.repo.commit()
    request = records.get_request(request["id"])
    notify.access_decided(package, request)
    return _user_names([request])[0]


@tk.side_effect_free
@validate(schema.access_request_list)
def satudata_access_request_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Access requests: of one dataset (its OPD, the walidata), or else the caller's own and those
    waiting for the caller's decision.

    :param id: the dataset's id or name (optional)
    :param state: only requests in this state (optional)
    """
    tk.check_access("satudata_access_request_list", context, data_dict)
    user = context["auth_user_obj"]
    states = [RequestState(data_dict["state"])] if data_dict.get("state") else None
    if data_dict.get("id"):
        package = _package(data_dict)
        tk.check_access("satudata_workflow_history", context, {"id": package.id})
        return _user_names(records.requests([package.id], states=states))
    own = records.requests(user_id=user.id, states=states)
    decidable = [r for r in records.requests(states=states or [RequestState.DIAJUKAN, RequestState.DISETUJUI])
                 if r["user_id"] != user.id
                 and satudata_permission_decide(user, model.Package.get(r["package_id"]))["success"]]
    return _user_names(sorted(own + decidable, key=lambda r: r["created"]))


# --- revisions of published datasets ------------------------------------------------------------

# The revision's own states, read through the dataset workflow's rules.
_REVISION_STATE = {RevisionState.DIAJUKAN: State.DIAJUKAN, RevisionState.DIVERIFIKASI_OPD: State.DIVERIFIKASI_OPD}
_REVISION_TARGET = {State.DIVERIFIKASI_OPD: RevisionState.DIVERIFIKASI_OPD,
                    State.DIKEMBALIKAN: RevisionState.DIKEMBALIKAN, State.TERBIT: RevisionState.DITERAPKAN}


def satudata_revision_propose(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Propose changes to a published dataset (as ``package_patch``: the fields given replace the
    published ones). The public keeps the published version until the revision passes the OPD
    verifier and the walidata.

    :param id: the dataset's id or name
    :param satudata_note: a note for the reviewers (optional)
    :returns: the published dataset, with ``satudata_revision`` (``id``, ``state``)
    """
    package = _package(data_dict)
    tk.check_access("satudata_revision_propose", context, data_dict)
    if records.get_state(package) is not State.TERBIT:
        raise tk.ValidationError({"id": [tk._("Dataset belum terbit: ubah langsung, lalu ajukan")]})
    current = tk.get_action("package_show")({"user": context["user"], "for_edit": True}, {"id": package.id})
    current.update(data_dict)
    current["id"] = package.id
    return tk.get_action("package_update")({"user": context["user"], revisions.REVISION_FLAG: True}, current)


def _revision_view(package: model.Package, revision: dict[str, Any], user: Any) -> dict[str, Any]:
    published = tk.get_action("package_show")(revisions.site_context(use_cache=False), {"id": package.id})
    out = {k: revision[k] for k in ("id", "state", "created", "updated")}
    names = dict(model.Session.query(model.User.id, model.User.name).filter(
        model.User.id == revision["created_by"]).all())
    out["created_by"] = names.get(revision["created_by"])
    out["diff"] = revisions.diff(published, revision["proposed"])
    out["transitions"] = []
    state = _REVISION_STATE.get(RevisionState(revision["state"]))
    if isinstance(user, model.User) and state is not None:
        out["transitions"] = [t.value for t in (Transition.APPROVE, Transition.RETURN, Transition.PUBLISH)
                              if target(t, state) is not None
                              and satudata_permission_transition(user, package, t, state)["success"]]
    return out


@tk.side_effect_free
def satudata_revision_show(context: Context, data_dict: DataDict) -> dict[str, Any] | None:
    """The dataset's latest revision with its field-by-field differences from the published version
    (metadata and resources), or null. For the OPD, the walidata and the pembina.

    :param id: the dataset's id or name
    """
    tk.check_access("satudata_revision_show", context, data_dict)
    package = _package(data_dict)
    revision = records.latest_revision(package.id)
    return _revision_view(package, revision, context.get("auth_user_obj")) if revision else None


def _revision_transition(transition: Transition, context: Context, data_dict: DataDict) -> dict[str, Any]:
    tk.check_access(f"satudata_revision_{transition.value}", context, data_dict)
    data, errors = tk.navl_validate(data_dict, schema.transition(RULES[transition].note_required), context)
    if errors:
        if "note" in errors:
            errors["note"] = [tk._("Tuliskan catatan alasannya; catatan ini dibaca oleh produsen data")]
        raise tk.ValidationError(errors)
    package = _package(data)
    revision = records.open_revision(package.id)
    if revision is None:
        raise tk.ValidationError({"id": [tk._("Tidak ada revisi yang sedang diverifikasi untuk dataset ini")]})
    current = _REVISION_STATE[RevisionState(revision["state"])]
    new = target(transition, current)
    if new is None:
        raise tk.ValidationError({"state": [tk._(_ILLEGAL[transition]).format(state=_state_label(current))]})
    if new is State.TERBIT:
        # Applied as the site: reviewers need no edit right, and the chained update lets it through. Without the
        # proposal's own timestamp: CKAN keeps a given metadata_modified, and harvesters of the portal
        # (modified_since, the ckan harvester) must see the published change as new.
        data = {k: v for k, v in revision["data"].items() if k != "metadata_modified"}
        tk.get_action("package_update")(revisions.site_context(**{revisions.APPLY_FLAG: True}), data)
    records.set_revision_state(revision["id"], _REVISION_TARGET[new])
    user = context.get("auth_user_obj")
    state = records.get_state(package)
    records.add_event(package.id, f"revision_{transition.value}", state, state, getattr(user, "id", None),
                      data.get("note"))
    model.repo.commit()
    return _revision_view(package, records.latest_revision(package.id), user)


def satudata_revision_approve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The OPD verifier approves a revision of a published dataset; it goes on to the walidata.

    :param id: the dataset's id or name
    :param note: (optional)
    """
    return _revision_transition(Transition.APPROVE, context, data_dict)


def satudata_revision_return(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Return a revision to its producer; the published version stays as it is.

    :param id: the dataset's id or name
    :param note: what must be corrected (required)
    """
    return _revision_transition(Transition.RETURN, context, data_dict)


def satudata_revision_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The walidata publishes an OPD-verified revision: the dataset takes the proposed version.

    :param id: the dataset's id or name
    :param note: (optional)
    """
    return _revision_transition(Transition.PUBLISH, context, data_dict)


# --- harvest sources ----------------------------------------------------------------------------------

def _harvest_source(source_id: str) -> model.Package:
    source = model.Package.get(source_id)
    if source is None or source.type != "harvest" or source.state == "deleted":
        raise tk.ObjectNotFound(tk._("Sumber panen tidak ditemukan"))
    return source


@validate(schema.harvest_policy_set)
def satudata_harvest_policy_set(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The walidata decides whether a harvest source's datasets are published directly, or land as
    drafts that go through the OPD verifier and the walidata like any other (the default).

    :param source_id: the harvest source's id or name
    :param publish_directly: ``true`` or ``false``
    """
    tk.check_access("satudata_harvest_policy_set", context, data_dict)
    source = _harvest_source(data_dict["source_id"])
    user = context["auth_user_obj"]
    records.set_harvest_policy(source.id, data_dict["publish_directly"], user.id)
    records.add_event(source.id, "harvest_policy", None, None, user.id,
                      "publish_directly" if data_dict["publish_directly"] else "draft")
    model.repo.commit()
    return records.harvest_policy_of(source.id)


@tk.side_effect_free
def satudata_harvest_policy_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Whether a harvest source may publish directly (``publish_directly``), and who decided when.

    :param source_id: the harvest source's id or name
    """
    tk.check_access("satudata_harvest_policy_show", context, data_dict)
    return records.harvest_policy_of(_harvest_source(tk.get_or_bust(data_dict, "source_id")).id)


@validate(schema.harvest_land)
def satudata_harvest_land(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """For harvesters, after they create or update a dataset: publish it through the tiers when the
    walidata allowed its source, otherwise leave it a draft for the OPD to submit.

    :param id: the harvested dataset's id or name
    :param source_id: the harvest source's id or name
    :returns: the dataset's workflow state (as ``satudata_workflow_show``)
    """
    tk.check_access("satudata_harvest_land", context, data_dict)
    package = _package(data_dict)
    source = _harvest_source(data_dict["source_id"])
    if records.harvest_policy_of(source.id)["publish_directly"]:
        note = tk._("Diterbitkan langsung dari sumber panen {source}").format(source=source.title or source.name)
        for step in path(records.get_state(package), State.TERBIT) or []:
            _transition(step, dict(context), {"id": package.id, "note": note})
    if context.get("satudata_brief"):
        # Harvesters only need the state, not which transitions the (site) user could take next.
        return {"id": package.id, "name": package.name, "state": records.get_state(package).value}
    return _show(context, package)


# --- CKAN's own actions, chained -----------------------------------------------------------------

def _hosted_only(klass: str, resources: list[dict]) -> None:
    if klass == access.TERBATAS and (names := access.external_resources(resources)):
        raise tk.ValidationError({"resources": [tk._(
            "Data terbatas harus diunggah ke portal agar aksesnya dapat dibatasi; tautan luar tidak diizinkan: "
            "{names}").format(names=", ".join(names))]})


@tk.chained_action
def package_create(next_action: Action, context: Context, data_dict: DataDict):
    """Every new dataset starts as a private draft, whatever ``private`` says."""
    data_dict = dict(data_dict, private=True)
    data_dict.pop("workflow_state", None)
    _hosted_only(data_dict.get("klasifikasi_akses"), data_dict.get("resources") or [])
    return next_action(context, data_dict)


@tk.chained_action
def package_update(next_action: Action, context: Context, data_dict: DataDict):
    """``private`` follows the workflow state and the access class, never the form."""
    data_dict = dict(data_dict)
    data_dict.pop("workflow_state", None)
    package = model.Package.get(str(data_dict.get("id") or data_dict.get("name") or ""))
    if package is not None:
        if package.state == "active" and str(data_dict.get("state") or "").startswith("draft"):
            # CKAN's "Unpublish": a draft in CKAN's sense is hidden from everyone but its editors, past the
            # walidata. Published data goes offline by the workflow's withdrawal, with its note.
            raise tk.ValidationError({"state": [tk._(
                "Dataset tidak dapat dikembalikan menjadi draf lewat formulir; penarikan data terbit dilakukan "
                "walidata melalui alur verifikasi")]})
        klass = data_dict.get("klasifikasi_akses") or access.access_class(package)
        data_dict["private"] = access.should_be_private(records.get_state(package), klass)
        resources = data_dict["resources"] if "resources" in data_dict else [
            {"name": r.name, "url": r.url, "url_type": r.url_type} for r in package.resources]
        _hosted_only(klass, resources)
        if context.get(revisions.REVISION_FLAG) and records.get_state(package) is State.TERBIT:
            return revisions.propose(next_action, context, package, data_dict)
    return next_action(context, data_dict)
