"""Auth of the kamus actions: rules (``satudata_permission_*``) and one-line auth functions.

The kamus is public to read; the walidata and the pembina data maintain it together (their roles as the
workflow reads them from CKAN memberships), and sysadmins."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_
from ckanext.satudatapasuruan.workflow import roles

__all__ = ["satudata_kamus_entry_create", "satudata_kamus_entry_update", "satudata_kamus_entry_delete",
           "satudata_kamus_entry_show", "satudata_kamus_entry_list", "satudata_kamus_entry_history",
           "satudata_kamus_import"]


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def satudata_permission_kamus_maintain(user: model.User | None) -> AuthResult:
    """Writing the kamus: the walidata, the pembina data (statistik and geospasial) and sysadmins."""
    if user is not None and (authz.is_sysadmin(user.name) or roles.is_walidata(user) or roles.is_pembina(user)):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya walidata dan pembina data yang dapat mengubah Kamus Data"))}


def satudata_kamus_entry_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_kamus_maintain(_user(context))


def satudata_kamus_entry_update(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_kamus_maintain(_user(context))


def satudata_kamus_entry_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_kamus_maintain(_user(context))


def satudata_kamus_import(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_kamus_maintain(_user(context))


@tk.auth_allow_anonymous_access
def satudata_kamus_entry_show(context: Context, data_dict: DataDict) -> AuthResult:
    # Public: a data standard is meant to be read and reused by everyone.
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_kamus_entry_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_kamus_entry_history(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
