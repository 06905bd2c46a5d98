"""Auth of the infographic actions: rules (``satudata_permission_*``) and one-line auth functions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_

__all__ = ["satudata_infographic_template_create", "satudata_infographic_template_update",
           "satudata_infographic_template_approve", "satudata_infographic_template_list",
           "satudata_infographic_template_show", "satudata_infographic_show", "satudata_infographic_update"]


def is_walidata(user: model.User | None) -> bool:
    """A sysadmin or a holder of the workflow's walidata role (asked through the workflow's action)."""
    if user is None:
        return False
    if authz.is_sysadmin(user.name):
        return True
    roles = tk.get_action("satudata_role_list")({"ignore_auth": True}, {"user": user.id})
    return any(r["role"] == "walidata" for r in roles)


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def satudata_permission_manage_templates(user: model.User | None) -> AuthResult:
    """Only the walidata designs and approves the official templates."""
    if is_walidata(user):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya walidata yang dapat mengelola templat infografis"))}


def satudata_infographic_template_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_templates(_user(context))


def satudata_infographic_template_update(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_templates(_user(context))


def satudata_infographic_template_approve(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_manage_templates(_user(context))


@tk.auth_allow_anonymous_access
def satudata_infographic_template_list(context: Context, data_dict: DataDict) -> AuthResult:
    # Everyone sees the approved templates; the action adds the others for the walidata.
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_infographic_template_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_infographic_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may see the infographic dataset sees its short link, scans and outputs."""
    return authz.is_authorized("package_show", context, {"id": data_dict.get("id")})


def satudata_infographic_update(context: Context, data_dict: DataDict) -> AuthResult:
    """The OPD's editors choose the template, also once published: every template is the walidata's approved
    design, so the choice is presentation, not content under review (CKAN's package_update is not asked,
    since the workflow sends edits of published datasets through a revision)."""
    user = _user(context)
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Infografis tidak ditemukan"))
    if user is not None and (authz.is_sysadmin(user.name) or (
            package.owner_org
            and authz.has_user_permission_for_group_or_org(package.owner_org, user.name, "update_dataset"))):
        return {"success": True}
    return {"success": False, "msg": tk._(N_("Hanya operator dan verifikator OPD pemilik yang dapat memilih "
                                             "templat infografis ini"))}
