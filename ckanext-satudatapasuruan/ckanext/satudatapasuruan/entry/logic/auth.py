"""Auth of the data-entry plugin: whoever may edit the dataset may load its data and see its uploads."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["satudata_upload_create", "satudata_upload_show"]


def _may_edit(context: Context, package_id: str) -> AuthResult:
    try:
        tk.check_access("package_update", context, {"id": package_id})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Anda tidak berhak mengubah data dataset ini")}
    return {"success": True}


def satudata_upload_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _may_edit(context, data_dict.get("id", ""))


def satudata_upload_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _may_edit(context, data_dict.get("package_id", ""))
