"""Auth of the rekomendasi and document actions: rules (``satudata_permission_*``) and one-line auth functions."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.satudatapasuruan.messages import N_

from .. import access, records, register

__all__ = ["satudata_rekomendasi_create", "satudata_rekomendasi_update", "satudata_rekomendasi_show",
           "satudata_rekomendasi_list", "satudata_rekomendasi_submit", "satudata_rekomendasi_request_revision",
           "satudata_rekomendasi_issue", "satudata_rekomendasi_refuse", "satudata_rekomendasi_record_external",
           "satudata_rekomendasi_document_add", "satudata_rekomendasi_kpi", "satudata_document_issue",
           "satudata_document_show", "satudata_document_verify", "satudata_document_revoke",
           "satudata_document_list", "satudata_document_file"]

KEGIATAN = "kegiatan-statistik"


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def _ok() -> AuthResult:
    return {"success": True}


def _deny(msgid: str) -> AuthResult:
    return {"success": False, "msg": tk._(msgid)}


def application_of(data_dict: DataDict) -> dict[str, Any]:
    found = records.get_application(str(data_dict.get("id") or ""))
    if found is None:
        raise tk.ObjectNotFound(tk._("Permohonan rekomendasi tidak ditemukan"))
    return found


def document_of(data_dict: DataDict) -> dict[str, Any]:
    code = register.normalize_code(data_dict.get("code"))
    found = records.get_document(code) if register.is_code(code) else None
    if found is None:
        raise tk.ObjectNotFound(tk._("Dokumen dengan kode ini tidak terdaftar"))
    return found


# --- rules ------------------------------------------------------------------------------------------------

def satudata_permission_rekomendasi_create(user: model.User | None, package_id: Any) -> AuthResult:
    """An OPD's operator or verifikator applies for its own MS-Keg; whether the MS-Keg is one is the action's to
    say (with a message), once the caller is an operator or verifikator at all."""
    package = model.Package.get(str(package_id or "")) if package_id else None
    if package is not None and package.state == "active" and package.type == KEGIATAN and package.owner_org:
        allowed = access.may_edit(user, {"organization_id": package.owner_org})
    else:
        allowed = access.is_sysadmin(user) or bool(access.editor_org_ids(user))
    if allowed:
        return _ok()
    return _deny(N_("Hanya operator atau verifikator OPD pemilik kegiatan yang dapat mengajukan rekomendasi"))


def satudata_permission_rekomendasi_see(user: model.User | None, application: dict[str, Any]) -> AuthResult:
    if access.may_see(user, application):
        return _ok()
    return _deny(N_("Anda tidak berhak melihat permohonan rekomendasi ini"))


def satudata_permission_rekomendasi_edit(user: model.User | None, application: dict[str, Any]) -> AuthResult:
    if access.may_edit(user, application):
        return _ok()
    return _deny(N_("Hanya operator atau verifikator OPD pemohon yang dapat mengubah atau mengajukan permohonan ini"))


def satudata_permission_rekomendasi_review(user: model.User | None, application: dict[str, Any]) -> AuthResult:
    if access.is_reviewer(user) and access.may_see(user, application):
        return _ok()
    return _deny(N_("Hanya pembina data statistik (BPS) yang dapat menelaah permohonan rekomendasi"))


def satudata_permission_rekomendasi_list(user: model.User | None) -> AuthResult:
    if access.is_walidata(user) or access.is_reviewer(user) or access.member_org_ids(user):
        return _ok()
    return _deny(N_("Permohonan rekomendasi hanya untuk anggota OPD, pembina data dan walidata"))


def satudata_permission_document_issue(user: model.User | None, issuer_organization: Any) -> AuthResult:
    group = model.Group.get(str(issuer_organization)) if issuer_organization else None
    if access.may_issue_documents(user, group.id if group is not None else None):
        return _ok()
    return _deny(N_("Hanya walidata, pembina data, atau operator dan verifikator organisasi penerbit yang dapat "
                    "mendaftarkan dokumen"))


def satudata_permission_document_revoke(user: model.User | None, document: dict[str, Any]) -> AuthResult:
    if access.may_revoke(user, document):
        return _ok()
    return _deny(N_("Hanya penerbit dokumen dan walidata yang dapat mencabut dokumen ini"))


def satudata_permission_document_file(user: model.User | None, document: dict[str, Any]) -> AuthResult:
    if access.may_download(user, document):
        return _ok()
    return _deny(N_("Berkas dokumen hanya untuk penerbit, penerimanya dan walidata"))


def satudata_permission_document_list(user: model.User | None) -> AuthResult:
    if user is not None:
        return _ok()
    return _deny(N_("Masuk terlebih dahulu untuk melihat daftar dokumen"))


# --- auth functions -----------------------------------------------------------------------------------------

def satudata_rekomendasi_create(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_rekomendasi_create(_user(context), data_dict.get("package_id"))


def satudata_rekomendasi_update(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_rekomendasi_edit(_user(context), application_of(data_dict))


def satudata_rekomendasi_document_add(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_rekomendasi_edit(_user(context), application_of(data_dict))


def satudata_rekomendasi_submit(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_rekomendasi_edit(_user(context), application_of(data_dict))


def satudata_rekomendasi_show(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_rekomendasi_see(_user(context), application_of(data_dict))


def satudata_rekomendasi_list(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_rekomendasi_list(_user(context))


def satudata_rekomendasi_request_revision(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_rekomendasi_review(_user(context), application_of(data_dict))


def satudata_rekomendasi_issue(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_rekomendasi_review(_user(context), application_of(data_dict))


def satudata_rekomendasi_refuse(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_rekomendasi_review(_user(context), application_of(data_dict))


def satudata_rekomendasi_record_external(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_rekomendasi_review(_user(context), application_of(data_dict))


@tk.auth_allow_anonymous_access
def satudata_rekomendasi_kpi(context: Context, data_dict: DataDict) -> AuthResult:
    # Public: counts only, the IKU "rekomendasi statistik terbit dengan QR".
    return _ok()


def satudata_document_issue(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_document_issue(_user(context), data_dict.get("issuer_organization"))


@tk.auth_allow_anonymous_access
def satudata_document_show(context: Context, data_dict: DataDict) -> AuthResult:
    # Public: whoever holds a document (and so its code) checks it.
    return _ok()


@tk.auth_allow_anonymous_access
def satudata_document_verify(context: Context, data_dict: DataDict) -> AuthResult:
    return _ok()


def satudata_document_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_document_revoke(_user(context), document_of(data_dict))


def satudata_document_list(context: Context, data_dict: DataDict) -> AuthResult:
    return satudata_permission_document_list(_user(context))


def satudata_document_file(context: Context, data_dict: DataDict) -> AuthResult:
    """The stored (stamped) file of a document, for the download page (no action of its own)."""
    return satudata_permission_document_file(_user(context), document_of(data_dict))
