"""Auth of sync health: rules (``satudata_permission_*``) and the one-line auth functions using them.

The walidata and sysadmins see every source; an OPD's members (any capacity) see the sources their
organisation owns; nobody else. The KPI is public (counts; dataset names are filtered in the action).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_
from ckanext.satudatapasuruan.workflow import roles

from ...logic import auth as sources  # the walidata manages every OPD's sources
from ...logic.auth import *  # noqa: F403 (the chained ckanext-harvest auth functions listed in __all__)

__all__ = ["satudata_harvest_health_show", "satudata_harvest_health_list", "satudata_harvest_kpi",
           *sources.__all__]


def _deny(message: str) -> AuthResult:
    return {"success": False, "msg": tk._(message)}


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def source_package(source_id: str) -> model.Package:
    """The harvest source's dataset, by id or name; ObjectNotFound (in Indonesian) for anything else."""
    package = model.Package.get(source_id) if source_id else None
    if package is None or package.type != "harvest" or package.state != "active":
        raise tk.ObjectNotFound(tk._("Sumber panen tidak ditemukan: {id}").format(id=source_id))
    return package


def satudata_permission_harvest_scope(user: model.User | None) -> list[str] | None:
    """The organisations whose sources ``user`` may watch: None for all (sysadmin, walidata)."""
    if user is None:
        return []
    if authz.is_sysadmin(user.name) or roles.is_walidata(user):
        return None
    return list(model.Session.execute(
        sa.select(model.Member.group_id).join(model.Group, model.Group.id == model.Member.group_id)
        .where(model.Member.table_name == "user", model.Member.table_id == user.id, model.Member.state == "active",
               model.Group.state == "active", model.Group.is_organization.is_(True))).scalars())


def satudata_permission_harvest_health(user: model.User | None, package: model.Package | None) -> AuthResult:
    """May ``user`` see the sync health of the source ``package`` (or, for None, of any source of theirs)?"""
    if user is None:
        return _deny(N_("Masuk terlebih dahulu untuk melihat kesehatan panen"))
    scope = satudata_permission_harvest_scope(user)
    if scope is None or (package is not None and package.owner_org in scope) or (package is None and scope):
        return {"success": True}
    return _deny(N_("Hanya walidata dan OPD pemilik sumber yang dapat melihat kesehatan panen"))


@tk.auth_allow_anonymous_access
def satudata_harvest_health_show(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_harvest_health(_user(context), source_package(str(data_dict.get("id") or "")))


@tk.auth_allow_anonymous_access
def satudata_harvest_health_list(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_harvest_health(_user(context), None)


@tk.auth_allow_anonymous_access
def satudata_harvest_kpi(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
