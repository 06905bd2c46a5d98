"""Auth functions of the SDI metadata plugin."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["satudata_refdata_list", "satudata_completeness_by_opd"]


@tk.auth_allow_anonymous_access
def satudata_refdata_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def satudata_completeness_by_opd(context: Context, data_dict: DataDict) -> AuthResult:
    # Counts come from package_search, which already hides what the caller may not see.
    return {"success": True}
