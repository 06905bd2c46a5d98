"""Auth of the content pages' actions: the rule (``satudata_permission_manage_pages``) and one-line auth
functions."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_

__all__ = ["satudata_page_create", "satudata_page_update", "satudata_page_delete", "satudata_page_show",
           "satudata_page_list", "satudata_page_attachment_create", "satudata_page_attachment_delete"]


def is_manager(user: model.User | None) -> bool:
    """A sysadmin, or the walidata as the workflow recognises it (a member of its walidata organisation)."""
    if not isinstance(user, model.User) or user.state != "active":
        return False
    if authz.is_sysadmin(user.name):
        return True
    if not p.plugin_loaded("satudata_workflow"):  # no workflow, no walidata role: sysadmins only
        return False
    from ckanext.satudatapasuruan.workflow import roles
    return roles.is_walidata(user)


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def satudata_permission_manage_pages(user: model.User | None) -> AuthResult:
    """Only the walidata (and sysadmins) write the portal's Tentang, Kontak and Panduan pages."""
    if is_manager(user):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya walidata yang dapat mengelola halaman portal"))}


def satudata_page_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_pages(_user(context))


def satudata_page_update(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_pages(_user(context))


def satudata_page_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_pages(_user(context))


def satudata_page_attachment_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_pages(_user(context))


def satudata_page_attachment_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_pages(_user(context))


@tk.auth_allow_anonymous_access
def satudata_page_show(context: Context, data_dict: DataDict) -> AuthResult:
    # Everyone reads published pages; the action hides unpublished ones from all but the managers.
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_page_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
