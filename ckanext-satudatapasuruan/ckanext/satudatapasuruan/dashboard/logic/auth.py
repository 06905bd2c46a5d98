"""Auth of Dashboard Statistik: the walidata (and sysadmins, let through by CKAN) choose the indicators;
everyone reads them, each indicator only while its dataset is visible to the reader (checked in the actions)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_
from ckanext.satudatapasuruan.workflow import roles

__all__ = ["satudata_dashboard_indicator_create",
           "satudata_dashboard_indicator_update", "satudata_dashboard_indicator_delete",
           "satudata_dashboard_indicator_reorder", "satudata_dashboard_source_show",
           "satudata_dashboard_indicator_list", "satudata_dashboard_indicator_show"]


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def satudata_permission_dashboard_manage(user: model.User | None) -> AuthResult:
    """Which DataStore indicators the portal shows on Dashboard Statistik is the walidata's choice."""
    if user is not None and (user.sysadmin or roles.is_walidata(user)):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya walidata yang dapat mengelola indikator Dashboard Statistik"))}


def satudata_dashboard_indicator_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_dashboard_manage(_user(context))


def satudata_dashboard_indicator_update(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_dashboard_manage(_user(context))


def satudata_dashboard_indicator_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_dashboard_manage(_user(context))


def satudata_dashboard_indicator_reorder(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_dashboard_manage(_user(context))


def satudata_dashboard_source_show(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_dashboard_manage(_user(context))


@tk.auth_allow_anonymous_access
def satudata_dashboard_indicator_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_dashboard_indicator_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
