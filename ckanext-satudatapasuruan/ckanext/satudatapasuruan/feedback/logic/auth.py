"""Auth of the feedback actions: rules (``satudata_permission_*``) holding the logic, and one-line auth
functions calling them. Public actions let everyone in; the actions themselves hide contacts and what the
caller may not ``package_show``."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_

from ..records import Status, get_request

__all__ = ["satudata_data_request_create", "satudata_data_request_show", "satudata_data_request_list",
           "satudata_data_request_update", "satudata_data_request_stats", "satudata_rating_create",
           "satudata_rating_summary", "satudata_rating_comment_list", "satudata_rating_moderate",
           "satudata_usage_show"]

OPD_STATUSES = (Status.DIPROSES.value, Status.TERSEDIA.value)


def user_of(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def is_walidata(user: model.User | None) -> bool:
    """A sysadmin or a holder of the workflow's walidata role (asked through the workflow's action)."""
    if user is None:
        return False
    if authz.is_sysadmin(user.name):
        return True
    roles = tk.get_action("satudata_role_list")({"ignore_auth": True}, {"user": user.id})
    return any(r["role"] == "walidata" for r in roles)


def is_member(user: model.User | None, organization_id: str | None) -> bool:
    return bool(user is not None and organization_id
                and authz.has_user_permission_for_group_or_org(organization_id, user.name, "read"))


def satudata_permission_manage_requests(user: model.User | None) -> AuthResult:
    """The walidata routes, refuses and closes every request."""
    if is_walidata(user):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya walidata yang dapat mengelola permintaan data"))}


def satudata_permission_update_request(user: model.User | None, req: dict[str, Any] | None,
                                       status: str | None) -> AuthResult:
    """The walidata sets any status; the members of the OPD a request was routed to set diproses or
    tersedia on that request only."""
    if is_walidata(user):
        return {"success": True}
    if req is not None and is_member(user, req.get("organization_id")) and (status is None
                                                                             or status in OPD_STATUSES):
        return {"success": True}
    if req is not None and is_member(user, req.get("organization_id")):
        return {"success": False, "msg": tk._(N_("OPD hanya dapat menetapkan status diproses atau tersedia; "
                                                 "status lain ditetapkan walidata"))}
    return {"success": False, "msg": tk._(N_("Permintaan data ini tidak diteruskan ke OPD Anda"))}


def sees_contact(user: model.User | None, req: dict[str, Any]) -> bool:
    """Name, e-mail and phone of the requester: the walidata and the OPD the request was routed to."""
    return is_walidata(user) or is_member(user, req.get("organization_id"))


def satudata_permission_moderate(user: model.User | None) -> AuthResult:
    if is_walidata(user):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya walidata yang dapat memoderasi komentar"))}


@tk.auth_allow_anonymous_access
def satudata_data_request_create(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_data_request_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_data_request_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def satudata_data_request_update(context: Context, data_dict: DataDict) -> AuthResult:
    req = get_request(str(data_dict.get("nomor") or ""))
    return satudata_permission_update_request(user_of(context), req, data_dict.get("status"))


@tk.auth_allow_anonymous_access
def satudata_data_request_stats(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_rating_create(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_rating_summary(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_rating_comment_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Approved comments for everyone; the moderation queue (other statuses) for the walidata."""
    if data_dict.get("status") not in (None, "", "disetujui"):
        return satudata_permission_moderate(user_of(context))
    return {"success": True}


def satudata_rating_moderate(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_moderate(user_of(context))


@tk.auth_allow_anonymous_access
def satudata_usage_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
