"""The walidata manages every OPD's harvest sources (register, edit, run, stop); ckanext-harvest's own rules
(the OPD's editors for their own sources) still apply to everyone else."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ...workflow import roles

__all__ = ["package_show", "package_create", "package_update", "package_patch", "package_delete",
           "harvest_source_create", "harvest_source_update", "harvest_source_patch", "harvest_source_delete",
           "harvest_source_clear", "harvest_job_create", "harvest_job_abort", "harvest_send_job_to_gather_queue",
           "harvest_object_show", "harvest_object_list"]
# ckanext-harvest's read checks (source, job, object) forward to package_show or harvest_source_update.


def satudata_permission_manage_sources(context: Context) -> bool:
    """Whether the user is the walidata (who registers and runs sources for every OPD)."""
    return roles.is_walidata(context.get("auth_user_obj"))


def _walidata_or_next(next_auth: AuthFunction, context: Context, data_dict: DataDict | None) -> AuthResult:
    if satudata_permission_manage_sources(context):
        return {"success": True}
    return next_auth(context, data_dict)


def _is_source(context: Context, data_dict: DataDict | None) -> bool:
    data_dict = data_dict or {}
    if data_dict.get("type") == "harvest":
        return True
    package = model.Package.get(str(data_dict.get("id") or data_dict.get("name") or "")) or context.get("package")
    return package is not None and package.type == "harvest"


def _source_package_auth(name: str, anonymous: bool = False) -> Any:
    # ckanext-harvest's actions save and show a source through package_* actions, which check package_* auth
    # again: for sources (type "harvest") the walidata passes those too; datasets keep the workflow's rules.
    @tk.chained_auth_function
    def auth(next_auth: AuthFunction, context: Context, data_dict: DataDict | None = None) -> AuthResult:
        if _is_source(context, data_dict) and satudata_permission_manage_sources(context):
            return {"success": True}
        return next_auth(context, data_dict)

    auth.__name__ = name
    auth.__doc__ = f"The walidata may {name.replace('_', ' ')} a harvest source of any OPD."
    # CKAN reads the flag from the outermost function of a chain: keep the one of the function wrapped.
    auth.auth_allow_anonymous_access = anonymous
    return auth


package_show = _source_package_auth("package_show", anonymous=True)
package_create = _source_package_auth("package_create", anonymous=True)
package_update = _source_package_auth("package_update", anonymous=True)
package_patch = _source_package_auth("package_patch")
package_delete = _source_package_auth("package_delete")


def _chain(name: str) -> Any:
    @tk.chained_auth_function
    def auth(next_auth: AuthFunction, context: Context, data_dict: DataDict | None = None) -> AuthResult:
        return _walidata_or_next(next_auth, context, data_dict)

    auth.__name__ = name
    auth.__doc__ = f"The walidata may {name.replace('_', ' ')} for any OPD; others as ckanext-harvest decides."
    return auth


harvest_source_create = _chain("harvest_source_create")
harvest_source_update = _chain("harvest_source_update")
harvest_source_patch = _chain("harvest_source_patch")
harvest_source_delete = _chain("harvest_source_delete")
harvest_source_clear = _chain("harvest_source_clear")
harvest_job_create = _chain("harvest_job_create")
harvest_job_abort = _chain("harvest_job_abort")
harvest_send_job_to_gather_queue = _chain("harvest_send_job_to_gather_queue")


def _object_source(data_dict: DataDict) -> str | None:
    from ckanext.harvest.model import HarvestObject

    query = model.Session.query(HarvestObject.harvest_source_id)
    if data_dict.get("id"):
        row = query.filter(HarvestObject.id == data_dict["id"]).first()
    elif data_dict.get("dataset_id"):
        package = model.Package.get(str(data_dict["dataset_id"]))
        row = query.filter(HarvestObject.package_id == package.id).first() if package else None
    else:
        row = None
    return row[0] if row else None


@tk.chained_auth_function
def harvest_object_show(next_auth: AuthFunction, context: Context, data_dict: DataDict | None = None) -> AuthResult:
    """A harvest object holds the source's whole record (the rows of terbatas data, the fields of rahasia data):
    only those who manage its source read it; ckanext-harvest lets everybody."""
    source_id = _object_source(data_dict or {})
    if source_id is None:
        return {"success": True}  # nothing to show: the action answers "not found"
    return authz.is_authorized("harvest_source_update", context, {"id": source_id})


@tk.chained_auth_function
def harvest_object_list(next_auth: AuthFunction, context: Context, data_dict: DataDict | None = None) -> AuthResult:
    """Listing a source's harvest objects: those who manage the source (ckanext-harvest lets everybody)."""
    source_id = (data_dict or {}).get("source_id")
    if not source_id:
        return {"success": False, "msg": tk._("Sebutkan sumber panennya (source_id)")}
    return authz.is_authorized("harvest_source_update", context, {"id": source_id})
