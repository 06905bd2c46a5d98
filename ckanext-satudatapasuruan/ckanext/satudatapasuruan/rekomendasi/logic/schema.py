"""Validation schemas of the rekomendasi and document actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.messages import N_

__all__ = ["application_create", "application_update", "by_id", "application_list", "submit", "text_required",
           "issue", "record_external", "document_add", "kpi", "document_issue", "document_code", "document_verify",
           "document_revoke", "document_list", "MAX_NOTE"]

v = tk.get_validator
MAX_NOTE = 4000


def _required(message: str) -> list:
    return [v("satudata_rekomendasi_required")(message)]


def _text(length: int = MAX_NOTE) -> list:
    return [v("default")(""), v("satudata_rekomendasi_max_length")(length)]


def application_create() -> dict:
    return {"package_id": [*_required(N_("Pilih kegiatan statistik (MS-Keg)")), v("unicode_safe")],
            "catatan": _text()}


def application_update() -> dict:
    return {"id": [*_required(N_("Id permohonan wajib diisi")), v("unicode_safe")],
            "package_id": [v("ignore_missing"), *_required(N_("Pilih kegiatan statistik (MS-Keg)")),
                           v("unicode_safe")],
            "catatan": [v("ignore_missing"), v("satudata_rekomendasi_max_length")(MAX_NOTE)]}


def by_id() -> dict:
    return {"id": [*_required(N_("Id permohonan wajib diisi")), v("unicode_safe")]}


def application_list() -> dict:
    return {"status": [v("ignore_missing"), v("satudata_rekomendasi_status")],
            "organization": [v("ignore_missing"), v("unicode_safe")],
            "package_id": [v("ignore_missing"), v("unicode_safe")],
            "sort": [v("default")("terbaru"), v("satudata_rekomendasi_sort")],
            "limit": [v("default")(100), v("satudata_rekomendasi_int_range")(1, 1000)],
            "offset": [v("default")(0), v("satudata_rekomendasi_int_range")(0, 10**9)]}


def submit() -> dict:
    return {**by_id(), "jalur": [v("default")("portal"), v("satudata_rekomendasi_jalur")],
            "external_reference": _text(200), "note": _text()}


def text_required(field: str, message: str):
    """A schema of ``id`` and the required text ``field`` (a revision's note, a refusal's reason)."""
    def schema() -> dict:
        return {**by_id(), field: [*_required(message), v("satudata_rekomendasi_max_length")(MAX_NOTE)]}
    return schema


def issue() -> dict:
    return {**by_id(), "note": _text(1000)}


def record_external() -> dict:
    return {**by_id(), "outcome": [*_required(N_("Pilih hasil dari sistem BPS")), v("satudata_rekomendasi_outcome")],
            "reference": _text(200), "verification_url": [v("default")(""), v("satudata_rekomendasi_http_url")],
            "note": _text(), "upload": [v("ignore_missing")]}


def document_add() -> dict:
    return {**by_id(), "kind": [*_required(N_("Pilih jenis dokumen")), v("satudata_rekomendasi_kind")],
            "upload": [v("ignore_missing")]}


def kpi() -> dict:
    return {"organization": [v("ignore_missing"), v("unicode_safe")],
            "year": [v("ignore_missing"), v("satudata_rekomendasi_int_range")(2000, 2100)]}


def document_issue() -> dict:
    return {"upload": [v("ignore_missing")], "data": [v("ignore_missing")],
            "title": [*_required(N_("Judul dokumen wajib diisi")), v("satudata_rekomendasi_max_length")(300)],
            "kind": [*_required(N_("Jenis dokumen wajib diisi")), v("satudata_document_kind")],
            "issuer": [*_required(N_("Penerbit dokumen wajib diisi")), v("satudata_rekomendasi_max_length")(200)],
            "issuer_organization": [v("ignore_missing"), v("unicode_safe")],
            "recipient_organization": [v("ignore_missing"), v("unicode_safe")],
            "source": [v("default")(""), v("satudata_rekomendasi_max_length")(200)],
            "external_url": [v("default")(""), v("satudata_rekomendasi_http_url")],
            "stamp": [v("default")(False), v("boolean_validator")],
            "stamp_page": [v("ignore_missing"), v("satudata_document_page")],
            "filename": [v("default")("dokumen.pdf"), v("satudata_rekomendasi_max_length")(200)]}


def document_code() -> dict:
    return {"code": [*_required(N_("Kode dokumen wajib diisi")), v("satudata_document_code")]}


def document_verify() -> dict:
    return {**document_code(), "upload": [v("ignore_missing")], "data": [v("ignore_missing")]}


def document_revoke() -> dict:
    return {**document_code(),
            "reason": [*_required(N_("Alasan pencabutan wajib diisi")), v("satudata_rekomendasi_max_length")(2000)]}


def document_list() -> dict:
    return {"status": [v("ignore_missing"), v("satudata_document_status")],
            "kind": [v("ignore_missing"), v("satudata_document_kind")],
            "issuer_organization": [v("ignore_missing"), v("unicode_safe")],
            "limit": [v("default")(100), v("satudata_rekomendasi_int_range")(1, 1000)],
            "offset": [v("default")(0), v("satudata_rekomendasi_int_range")(0, 10**9)]}
