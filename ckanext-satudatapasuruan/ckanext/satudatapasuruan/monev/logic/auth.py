"""Auth of the Monev actions: the dashboard and its exports are public; the walidata (and sysadmins) keep the
targets, the manual values and the challenges."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_
from ckanext.satudatapasuruan.workflow import roles

__all__ = ["satudata_permission_monev_manage", "satudata_monev_show", "satudata_monev_export",
           "satudata_monev_target_update", "satudata_monev_target_series",
           "satudata_monev_manual_update", "satudata_monev_manual_delete",
           "satudata_monev_challenge_create", "satudata_monev_challenge_update", "satudata_monev_challenge_delete",
           "satudata_monev_audit_list"]


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def satudata_permission_monev_manage(user: model.User | None) -> AuthResult:
    """Editing the Monev dashboard: the walidata and sysadmins."""
    if user is not None and (authz.is_sysadmin(user.name) or roles.is_walidata(user)):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya walidata yang dapat mengubah Capaian Kinerja"))}


@tk.auth_allow_anonymous_access
def satudata_monev_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_monev_export(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def satudata_monev_target_update(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_monev_manage(_user(context))


def satudata_monev_target_series(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_monev_manage(_user(context))


def satudata_monev_manual_update(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_monev_manage(_user(context))


def satudata_monev_manual_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_monev_manage(_user(context))


def satudata_monev_challenge_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_monev_manage(_user(context))


def satudata_monev_challenge_update(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_monev_manage(_user(context))


def satudata_monev_challenge_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_monev_manage(_user(context))


def satudata_monev_audit_list(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_monev_manage(_user(context))
