"""The walidata manages every OPD's harvest sources (register, edit, run, stop); ckanext-harvest's own rules
(the OPD's editors for their own sources) still apply to everyone else."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ...workflow import roles

__all__ = ["harvest_source_create", "harvest_source_update", "harvest_source_patch", "harvest_source_delete",
           "harvest_source_clear", "harvest_job_create", "harvest_job_abort", "harvest_send_job_to_gather_queue",
           "harvest_source_show", "harvest_job_show", "harvest_job_list", "harvest_object_show"]


def satudata_permission_manage_sources(context: Context) -> bool:
    """Whether the user is the walidata (who registers and runs sources for every OPD)."""
    return roles.is_walidata(context.get("auth_user_obj"))


def _walidata_or_next(next_auth: AuthFunction, context: Context, data_dict: DataDict | None) -> AuthResult:
    if satudata_permission_manage_sources(context):
        return {"success": True}
    return next_auth(context, data_dict)


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
harvest_source_show = _chain("harvest_source_show")
harvest_job_show = _chain("harvest_job_show")
harvest_job_list = _chain("harvest_job_list")
harvest_object_show = _chain("harvest_object_show")
