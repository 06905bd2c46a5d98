"""Auth of the quality actions: rules (``satudata_permission_*``) and one-line auth functions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_

from .. import access, records

__all__ = ["satudata_quality_rule_list", "satudata_quality_scan", "satudata_quality_ticket_list",
           "satudata_quality_ticket_show", "satudata_quality_ticket_update", "satudata_quality_ticket_comment",
           "satudata_quality_kpi", "satudata_quality_gate_check", "satudata_quality_open_ticket_datasets"]


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def _deny(msgid: str) -> AuthResult:
    return {"success": False, "msg": tk._(msgid)}


def satudata_permission_quality_scan(user: model.User | None) -> AuthResult:
    """Scans on demand (one dataset or the whole catalogue) are the walidata's."""
    if access.is_walidata(user):
        return {"success": True}
    return _deny(N_("Hanya walidata yang dapat menjalankan pemindaian mutu metadata"))


def satudata_permission_quality_board(user: model.User | None) -> AuthResult:
    """The tickets are for the walidata and the OPDs' members (each sees its own OPD's)."""
    if access.is_walidata(user) or access.member_org_ids(user):
        return {"success": True}
    return _deny(N_("Tiket mutu metadata hanya untuk anggota OPD dan walidata"))


def _ticket(data_dict: DataDict) -> dict:
    found = records.get_ticket(str(data_dict.get("id") or ""))
    if found is None:
        raise tk.ObjectNotFound(tk._("Tiket mutu metadata tidak ditemukan"))
    return found


def satudata_permission_quality_ticket_see(user: model.User | None, ticket: dict) -> AuthResult:
    if access.may_see(user, ticket):
        return {"success": True}
    return _deny(N_("Anda tidak berhak melihat tiket mutu metadata ini"))


def satudata_permission_quality_ticket_work(user: model.User | None, ticket: dict) -> AuthResult:
    if access.may_work(user, ticket):
        return {"success": True}
    return _deny(N_("Hanya operator atau verifikator OPD pemilik dan walidata yang dapat mengubah tiket ini"))


@tk.auth_allow_anonymous_access
def satudata_quality_rule_list(context: Context, data_dict: DataDict) -> AuthResult:
    # The rules are public: every producer should know what is checked.
    return {"success": True}


def satudata_quality_scan(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_quality_scan(_user(context))


def satudata_quality_ticket_list(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_quality_board(_user(context))


def satudata_quality_kpi(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_quality_board(_user(context))


def satudata_quality_ticket_show(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_quality_ticket_see(_user(context), _ticket(data_dict))


def satudata_quality_ticket_comment(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_quality_ticket_see(_user(context), _ticket(data_dict))


def satudata_quality_ticket_update(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_quality_ticket_work(_user(context), _ticket(data_dict))


def satudata_permission_quality_gate_check(user: model.User | None, package: model.Package) -> AuthResult:
    """The gate's verdict: for the walidata, who publishes, and the owning OPD's members, who fix the faults."""
    if access.is_walidata(user) or (package.owner_org and package.owner_org in access.member_org_ids(user)):
        return {"success": True}
    return _deny(N_("Pemeriksaan gerbang terbit hanya untuk walidata dan anggota OPD pemilik dataset"))


def satudata_quality_gate_check(context: Context, data_dict: DataDict) -> AuthResult:
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset tidak ditemukan"))
    return satudata_permission_quality_gate_check(_user(context), package)


def satudata_quality_open_ticket_datasets(context: Context, data_dict: DataDict) -> AuthResult:
    """Every OPD's datasets with open tickets, private ones included: the walidata's (and sysadmins')."""
    if access.is_walidata(_user(context)):
        return {"success": True}
    return _deny(N_("Daftar dataset bertiket terbuka hanya untuk walidata"))
