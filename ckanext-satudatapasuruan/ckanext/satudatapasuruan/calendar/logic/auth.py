"""Auth of the calendar actions: rules (``satudata_permission_*``) and one-line auth functions.

Reading is open to everyone (the actions themselves leave out what the viewer may not see); managing an entry
is for the OPD's editors and admins (operator, verifikator) and the walidata; scheduled releases are the
walidata's."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_

from .. import records
from ..visibility import is_walidata

__all__ = ["satudata_calendar_entry_create", "satudata_calendar_entry_update", "satudata_calendar_entry_postpone",
           "satudata_calendar_entry_delete", "satudata_calendar_entry_show", "satudata_calendar_entry_list",
           "satudata_calendar_import", "satudata_calendar_kpi",
           "satudata_release_schedule", "satudata_release_cancel", "satudata_release_schedule_show",
           "satudata_release_schedule_list"]


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def satudata_permission_manage_entries(user: model.User | None, org_id: str | None) -> AuthResult:
    """The OPD's operators and verifiers manage its own entries; the walidata manages every OPD's."""
    if user is None:
        return {"success": False, "msg": tk._(N_("Masuk terlebih dahulu untuk mengelola kalender rilis"))}
    if is_walidata(user) or (org_id and authz.has_user_permission_for_group_or_org(org_id, user.name,
                                                                                   "create_dataset")):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya operator dan verifikator OPD pemilik serta walidata yang dapat "
                                             "mengelola jadwal rilis OPD ini"))}


def satudata_permission_schedule_release(user: model.User | None) -> AuthResult:
    """Only the walidata schedules (and cancels) a release."""
    if is_walidata(user):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya walidata yang dapat menjadwalkan rilis dataset"))}


def _entry_org(data_dict: DataDict) -> str | None:
    row = records.get_entry(str(data_dict.get("id") or ""))
    if row is None or row["state"] != "active":
        raise tk.ObjectNotFound(tk._("Entri kalender rilis tidak ditemukan"))
    return row["owner_org"]


def satudata_calendar_entry_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_entries(_user(context), data_dict.get("owner_org"))


def satudata_calendar_entry_update(context: Context, data_dict: DataDict) -> AuthResult:
    result = satudata_permission_manage_entries(_user(context), _entry_org(data_dict))
    if result["success"] and data_dict.get("owner_org"):  # moving it to another OPD: that OPD's right too
        return satudata_permission_manage_entries(_user(context), data_dict["owner_org"])
    return result


def satudata_calendar_entry_postpone(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_entries(_user(context), _entry_org(data_dict))


def satudata_calendar_entry_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_entries(_user(context), _entry_org(data_dict))


def satudata_calendar_import(context: Context, data_dict: DataDict) -> AuthResult:
    # Row by row, each OPD named in the file is checked by the action (a row-level error).
    if _user(context) is None:
        return {"success": False, "msg": tk._(N_("Masuk terlebih dahulu untuk mengelola kalender rilis"))}
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_calendar_entry_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_calendar_entry_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_calendar_kpi(context: Context, data_dict: DataDict) -> AuthResult:
    # Counts only (an IKU of the regency), never titles.
    return {"success": True}


def satudata_release_schedule(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_schedule_release(_user(context))


def satudata_release_cancel(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_schedule_release(_user(context))


def satudata_release_schedule_list(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_schedule_release(_user(context))


@tk.auth_allow_anonymous_access
def satudata_release_schedule_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may see the (unpublished) dataset sees when it is scheduled: its owners and reviewers."""
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset tidak ditemukan"))
    fresh = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")}
    return authz.is_authorized("package_show", fresh, {"id": package.id})
