"""Auth of the workflow: rules (``satudata_permission_*``) and the one-line auth functions using them."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_

from .. import access, records, roles
from ..machine import LOCKED_STATES, RULES, Role, State, Transition
from ..revisions import REVISION_FLAG

__all__ = [
    "satudata_workflow_submit",
    "satudata_workflow_approve", "satudata_workflow_return", "satudata_workflow_publish",
    "satudata_workflow_withdraw", "satudata_workflow_comment", "satudata_workflow_show",
    "satudata_workflow_history", "satudata_workflow_task_list", "satudata_role_assign", "satudata_role_revoke",
    "satudata_role_list", "satudata_access_request_create", "satudata_access_request_decide",
    "satudata_access_request_revoke", "satudata_access_request_list", "satudata_revision_propose",
    "satudata_revision_show", "satudata_revision_approve", "satudata_revision_return", "satudata_revision_publish",
    "satudata_harvest_policy_set", "satudata_harvest_policy_show", "satudata_harvest_land",
    "package_update", "resource_show",
    "resource_view_list",
]

_DENIED = {
    Transition.SUBMIT: N_("Hanya operator atau verifikator OPD pemilik dataset yang dapat mengajukan dataset ini"),
    Transition.APPROVE: N_("Hanya verifikator OPD pemilik dataset yang dapat menyetujui pengajuan ini"),
    Transition.RETURN: N_("Anda tidak berhak mengembalikan dataset ini pada tahap ini"),
    Transition.PUBLISH: N_("Hanya walidata yang dapat menerbitkan dataset"),
    Transition.WITHDRAW: N_("Hanya walidata yang dapat menarik dataset dari publikasi"),
}


def _deny(message: str) -> AuthResult:
    return {"success": False, "msg": tk._(message)}


def _package(data_dict: DataDict) -> model.Package:
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset tidak ditemukan"))
    return package


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def satudata_permission_transition(user: model.User | None, package: model.Package,
                                   transition: Transition, state: State | None = None) -> AuthResult:
    """May ``user`` make ``transition`` on ``package``?

    From a state the transition does not leave, holding any role that may make it is enough: the
    action then refuses the move itself with a validation error that names the state.
    """
    if user is None:
        return _deny(N_("Masuk terlebih dahulu untuk memproses dataset"))
    rule = RULES[transition]
    state = state or records.get_state(package)
    needed = rule.actors.get(state) or frozenset().union(*rule.actors.values())
    if roles.roles_of(user, package.owner_org) & needed:
        return {"success": True}
    return _deny(_DENIED[transition])


def satudata_permission_review(user: model.User | None, package: model.Package) -> AuthResult:
    """Members of the owning OPD, the walidata and (for submissions that are not rahasia) the pembina:
    they read the workflow history and may comment."""
    if user is not None and authz.is_sysadmin(user.name):
        return {"success": True}
    if set(access.owner_labels(package)) & set(access.user_labels(user)):
        return {"success": True}
    return _deny(N_("Riwayat verifikasi hanya untuk anggota OPD pemilik, walidata dan pembina data"))


def _transition_auth(transition: Transition) -> AuthFunction:
    def auth(context: Context, data_dict: DataDict) -> AuthResult:
        return satudata_permission_transition(_user(context), _package(data_dict), transition)
    auth.__name__ = f"satudata_workflow_{transition.value}"
    return auth


satudata_workflow_submit = _transition_auth(Transition.SUBMIT)
satudata_workflow_approve = _transition_auth(Transition.APPROVE)
satudata_workflow_return = _transition_auth(Transition.RETURN)
satudata_workflow_publish = _transition_auth(Transition.PUBLISH)
satudata_workflow_withdraw = _transition_auth(Transition.WITHDRAW)


def satudata_workflow_comment(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_review(_user(context), _package(data_dict))


def satudata_workflow_history(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_review(_user(context), _package(data_dict))


@tk.auth_allow_anonymous_access
def satudata_workflow_show(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_show", context, {"id": _package(data_dict).id})


def satudata_workflow_task_list(context: Context, data_dict: DataDict) -> AuthResult:
    if _user(context) is None:
        return _deny(N_("Masuk terlebih dahulu untuk melihat tugas Anda"))
    return {"success": True}


def _may_manage_role(context: Context, data_dict: DataDict) -> AuthResult:
    """OPD roles: whoever manages the OPD's members (its verifikator, i.e. CKAN admin); walidata and
    pembina roles: sysadmins only (CKAN checks them before this)."""
    role = data_dict.get("role")
    org = data_dict.get("organization")
    if role in (Role.OPERATOR.value, Role.VERIFIKATOR.value) and org:
        return authz.is_authorized("organization_member_create", context, {"id": org})
    return _deny(N_("Hanya administrator sistem yang dapat mengatur peran walidata dan pembina data"))


def satudata_role_assign(context: Context, data_dict: DataDict) -> AuthResult:
    return _may_manage_role(context, data_dict)


def satudata_role_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    return _may_manage_role(context, data_dict)


@tk.auth_allow_anonymous_access
def satudata_role_list(context: Context, data_dict: DataDict) -> AuthResult:
    # A user sees their own roles; everyone's roles: sysadmins (checked by CKAN first).
    user = _user(context)
    if user is not None and data_dict.get("user") in (None, user.id, user.name):
        return {"success": True}
    return _deny(N_("Anda hanya dapat melihat peran Anda sendiri"))


def satudata_permission_decide(user: model.User | None, package: model.Package | None) -> AuthResult:
    """Access to terbatas data is the owning OPD's decision, taken by its verifier."""
    if user is not None and package is not None and roles.opd_role(user, package.owner_org) is Role.VERIFIKATOR:
        return {"success": True}
    return _deny(N_("Hanya verifikator OPD pemilik dataset yang dapat memutuskan permintaan akses"))


def _request_package(data_dict: DataDict) -> model.Package:
    request = records.get_request(str(data_dict.get("id") or ""))
    package = model.Package.get(request["package_id"]) if request else None
    if package is None:
        raise tk.ObjectNotFound(tk._("Permintaan akses tidak ditemukan"))
    return package


def satudata_access_request_create(context: Context, data_dict: DataDict) -> AuthResult:
    if _user(context) is None:
        return _deny(N_("Masuk terlebih dahulu untuk meminta akses data"))
    return authz.is_authorized("package_show", context, {"id": _package(data_dict).id})


def satudata_access_request_decide(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_decide(_user(context), _request_package(data_dict))


def satudata_access_request_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_decide(_user(context), _request_package(data_dict))


def satudata_access_request_list(context: Context, data_dict: DataDict) -> AuthResult:
    if _user(context) is None:
        return _deny(N_("Masuk terlebih dahulu untuk melihat permintaan akses"))
    return {"success": True}


# --- revisions of published datasets -----------------------------------------------------------

def satudata_revision_propose(context: Context, data_dict: DataDict) -> AuthResult:
    """The OPD's operators and verifier propose changes to its published datasets."""
    user, package = _user(context), _package(data_dict)
    if user is not None and roles.roles_of(user, package.owner_org) & {Role.OPERATOR, Role.VERIFIKATOR}:
        return {"success": True}
    return _deny(N_("Hanya operator atau verifikator OPD pemilik dataset yang dapat mengusulkan perubahan"))


def satudata_revision_show(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_review(_user(context), _package(data_dict))


def _revision_auth(transition: Transition) -> AuthFunction:
    def auth(context: Context, data_dict: DataDict) -> AuthResult:
        package = _package(data_dict)
        revision = records.open_revision(package.id)
        state = State(revision["state"]) if revision else None
        return satudata_permission_transition(_user(context), package, transition, state)
    auth.__name__ = f"satudata_revision_{transition.value}"
    return auth


satudata_revision_approve = _revision_auth(Transition.APPROVE)
satudata_revision_return = _revision_auth(Transition.RETURN)
satudata_revision_publish = _revision_auth(Transition.PUBLISH)


# --- harvest sources ------------------------------------------------------------------------------

def satudata_harvest_policy_set(context: Context, data_dict: DataDict) -> AuthResult:
    """Letting a source publish without review is the walidata's decision."""
    if roles.is_walidata(_user(context)):
        return {"success": True}
    return _deny(N_("Hanya walidata yang dapat mengizinkan sumber panen menerbitkan langsung"))


def satudata_harvest_policy_show(context: Context, data_dict: DataDict) -> AuthResult:
    if _user(context) is None:
        return _deny(N_("Masuk terlebih dahulu untuk melihat kebijakan sumber panen"))
    return {"success": True}


def satudata_harvest_land(context: Context, data_dict: DataDict) -> AuthResult:
    # Harvesters run as the site user (a sysadmin, let through by CKAN before this).
    return _deny(N_("Hanya proses panen (pengguna situs) yang dapat mendaratkan dataset hasil panen"))


# --- CKAN's own checks, chained ----------------------------------------------------------------

@tk.chained_auth_function
def package_update(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """A dataset under review or published is not edited in place (sysadmins aside); a published one
    is edited only through a revision (``revisions.REVISION_FLAG``), which holds the change for review."""
    package = model.Package.get(str((data_dict or {}).get("id") or (data_dict or {}).get("name") or ""))
    if package is not None and package.state == "active":
        state = records.get_state(package)
        if state is State.TERBIT and context.get(REVISION_FLAG):
            return next_auth(context, data_dict)
        if state in LOCKED_STATES:
            if state is State.TERBIT:
                return _deny(N_("Dataset sudah terbit: usulkan perubahan sebagai revisi (Usulkan perubahan), "
                             "yang diterapkan setelah diverifikasi OPD dan walidata"))
            return _deny(N_("Dataset sedang diverifikasi; perubahan dapat dilakukan setelah dikembalikan"))
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def resource_show(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """Terbatas data (files, DataStore rows) only for its owners; its metadata stays public."""
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return result
    resource = model.Resource.get(str((data_dict or {}).get("id") or "")) or context.get("resource")
    package = model.Package.get(resource.package_id) if resource is not None else None
    if package is not None and not access.may_read_data(_user(context), package):
        return _deny(N_("Data ini berklasifikasi terbatas: ajukan permintaan akses kepada OPD pemiliknya"))
    return result


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def resource_view_list(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """Listing a resource's views is metadata (the dataset page lists them for every resource): it
    follows the dataset's visibility; the views' data calls are checked as ``resource_show``."""
    resource = model.Resource.get(str(data_dict.get("id") or ""))
    if resource is None:
        return next_auth(context, data_dict)
    return authz.is_authorized("package_show", context, {"id": resource.package_id})
