"""Auth of the daftar data actions: rules (``satudata_permission_*``) and one-line auth functions.

Everything is public to read (planning data; the actions themselves never name a dataset the viewer may not
see). An OPD's operators and verifiers (the workflow's OPD roles) keep its own entries and applications;
the walidata keeps every OPD's and alone records the versions agreed by the Forum Satu Data."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_
from ckanext.satudatapasuruan.workflow import roles

from .. import records

__all__ = ["satudata_daftardata_entry_create", "satudata_daftardata_entry_update",
           "satudata_daftardata_entry_delete", "satudata_daftardata_entry_show", "satudata_daftardata_entry_list",
           "satudata_daftardata_import", "satudata_daftardata_version_create", "satudata_daftardata_version_delete",
           "satudata_daftardata_version_show", "satudata_daftardata_version_list",
           "satudata_daftardata_version_diff", "satudata_daftardata_matrix", "satudata_daftardata_gap_list",
           "satudata_daftardata_app_create", "satudata_daftardata_app_update", "satudata_daftardata_app_delete",
           "satudata_daftardata_app_show", "satudata_daftardata_app_list", "satudata_daftardata_kpi"]


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def is_walidata(user: model.User | None) -> bool:
    return user is not None and (authz.is_sysadmin(user.name) or roles.is_walidata(user))


def satudata_permission_daftardata_manage(user: model.User | None, org_id: str | None) -> AuthResult:
    """An OPD's entries and applications: its operators and verifiers, and the walidata."""
    if user is None:
        return {"success": False, "msg": tk._(N_("Masuk terlebih dahulu untuk mengelola daftar data"))}
    if is_walidata(user) or (org_id and roles.opd_role(user, org_id) is not None):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya operator dan verifikator OPD pemilik serta walidata yang dapat "
                                             "mengelola daftar data OPD ini"))}


def satudata_permission_daftardata_versions(user: model.User | None) -> AuthResult:
    """Versions of the priority list: the walidata records what the Forum Satu Data agreed."""
    if is_walidata(user):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya walidata yang dapat mencatat versi daftar data prioritas"))}


def _org_of(getter, data_dict: DataDict, missing: str) -> str:
    row = getter(str(data_dict.get("id") or ""))
    if row is None:
        raise tk.ObjectNotFound(tk._(missing))
    return row["owner_org"]


def _moving(context: Context, data_dict: DataDict, result: AuthResult) -> AuthResult:
    # Moving a record to another OPD needs the right on that OPD too.
    if result["success"] and data_dict.get("owner_org"):
        return satudata_permission_daftardata_manage(_user(context), str(data_dict["owner_org"]))
    return result


def satudata_daftardata_entry_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_daftardata_manage(_user(context), data_dict.get("owner_org"))


def satudata_daftardata_entry_update(context: Context, data_dict: DataDict) -> AuthResult:
    org = _org_of(records.get_entry, data_dict, N_("Entri daftar data tidak ditemukan"))
    return _moving(context, data_dict, satudata_permission_daftardata_manage(_user(context), org))


def satudata_daftardata_entry_delete(context: Context, data_dict: DataDict) -> AuthResult:
    org = _org_of(records.get_entry, data_dict, N_("Entri daftar data tidak ditemukan"))
    return satudata_permission_daftardata_manage(_user(context), org)


def satudata_daftardata_import(context: Context, data_dict: DataDict) -> AuthResult:
    # Any signed-in user may try; each row is then checked against its own OPD.
    if _user(context) is None:
        return {"success": False, "msg": tk._(N_("Masuk terlebih dahulu untuk mengelola daftar data"))}
    return {"success": True}


def satudata_daftardata_app_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_daftardata_manage(_user(context), data_dict.get("owner_org"))


def satudata_daftardata_app_update(context: Context, data_dict: DataDict) -> AuthResult:
    org = _org_of(records.get_app, data_dict, N_("Aplikasi OPD tidak ditemukan"))
    return _moving(context, data_dict, satudata_permission_daftardata_manage(_user(context), org))


def satudata_daftardata_app_delete(context: Context, data_dict: DataDict) -> AuthResult:
    org = _org_of(records.get_app, data_dict, N_("Aplikasi OPD tidak ditemukan"))
    return satudata_permission_daftardata_manage(_user(context), org)


def satudata_daftardata_version_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_daftardata_versions(_user(context))


def satudata_daftardata_version_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_daftardata_versions(_user(context))


def _public() -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_daftardata_entry_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _public()


@tk.auth_allow_anonymous_access
def satudata_daftardata_entry_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _public()


@tk.auth_allow_anonymous_access
def satudata_daftardata_version_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _public()


@tk.auth_allow_anonymous_access
def satudata_daftardata_version_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _public()


@tk.auth_allow_anonymous_access
def satudata_daftardata_version_diff(context: Context, data_dict: DataDict) -> AuthResult:
    return _public()


@tk.auth_allow_anonymous_access
def satudata_daftardata_matrix(context: Context, data_dict: DataDict) -> AuthResult:
    return _public()


@tk.auth_allow_anonymous_access
def satudata_daftardata_gap_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _public()


@tk.auth_allow_anonymous_access
def satudata_daftardata_app_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _public()


@tk.auth_allow_anonymous_access
def satudata_daftardata_app_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _public()


@tk.auth_allow_anonymous_access
def satudata_daftardata_kpi(context: Context, data_dict: DataDict) -> AuthResult:
    # An aggregate of public planning data (the Monev dashboard reads it as the site user).
    return _public()
