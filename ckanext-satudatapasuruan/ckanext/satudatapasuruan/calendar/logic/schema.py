"""Validation schemas of the calendar actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.messages import N_

__all__ = ["entry_create", "entry_update", "entry_postpone", "by_id", "entry_list", "release_schedule",
           "release_cancel", "kpi", "ics"]

v = tk.get_validator

REQUIRED = {
    "owner_org": N_("Pilih OPD"),
    "title": N_("Judul rilis wajib diisi"),
    "period": N_("Periode data wajib diisi, mis. 2025 atau Triwulan I 2026"),
    "scheduled_date": N_("Tanggal rilis wajib diisi"),
    "new_date": N_("Tanggal baru wajib diisi"),
    "reason": N_("Tuliskan alasan penundaan; alasan ini ditampilkan di kalender rilis"),
    "id": N_("Sebutkan id"),
    "publish_at": N_("Waktu rilis wajib diisi"),
    "year": N_("Tahun wajib diisi"),
}


def _req(field: str) -> list:
    return [v("satudata_calendar_required")(REQUIRED[field])]


def _fields(required: bool) -> dict:
    need = _req if required else (lambda _f: [v("ignore_missing")])
    return {
        "owner_org": [*need("owner_org"), v("satudata_calendar_org")],
        "urusan": [v("ignore_missing"), v("unicode_safe")],
        "title": [*need("title"), v("satudata_calendar_text")(200)],
        "period": [*need("period"), v("satudata_calendar_text")(100)],
        "notes": ([v("default")("")] if required else [v("ignore_missing")]) + [v("satudata_calendar_text")(2000)],
        "package_id": [v("ignore_missing"), v("unicode_safe")],
        "priority": ([v("default")(False)] if required else [v("ignore_missing")]) + [v("boolean_validator")],
        "public": ([v("default")(True)] if required else [v("ignore_missing")]) + [v("boolean_validator")],
    }


def entry_create() -> dict:
    return {**_fields(True), "scheduled_date": [*_req("scheduled_date"), v("satudata_calendar_date")]}


def entry_update() -> dict:
    return {"id": [*_req("id"), v("unicode_safe")], **_fields(False),
            "scheduled_date": [v("ignore_missing"), v("satudata_calendar_date")]}


def entry_postpone() -> dict:
    return {"id": [*_req("id"), v("unicode_safe")],
            "new_date": [*_req("new_date"), v("satudata_calendar_date")],
            "reason": [*_req("reason"), v("satudata_calendar_text")(1000)]}


def by_id() -> dict:
    return {"id": [*_req("id"), v("unicode_safe")]}


def entry_list() -> dict:
    return {
        "organization": [v("ignore_missing"), v("satudata_calendar_org")],
        "urusan": [v("ignore_missing"), v("satudata_calendar_urusan")],
        "status": [v("ignore_missing"), v("satudata_calendar_status")],
        "start": [v("ignore_missing"), v("satudata_calendar_date")],
        "end": [v("ignore_missing"), v("satudata_calendar_date")],
        "month": [v("ignore_missing"), v("satudata_calendar_month")],
        "year": [v("ignore_missing"), v("satudata_calendar_int")(2000, 2100)],
        "limit": [v("default")(1000), v("satudata_calendar_int")(1, 5000)],
    }


def release_schedule() -> dict:
    return {"id": [*_req("id"), v("unicode_safe")],
            "publish_at": [*_req("publish_at"), v("satudata_calendar_datetime")],
            "note": [v("default")(""), v("satudata_calendar_text")(1000)]}


def release_cancel() -> dict:
    return {"id": [*_req("id"), v("unicode_safe")], "note": [v("default")(""), v("satudata_calendar_text")(1000)]}


def kpi() -> dict:
    return {"year": [*_req("year"), v("satudata_calendar_int")(2000, 2100)],
            "organization": [v("ignore_missing"), v("satudata_calendar_org")]}


def ics() -> dict:
    return {"organization": [v("ignore_missing"), v("satudata_calendar_org")]}
