"""Validation schemas of the daftar data actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan.messages import N_

from .. import config

__all__ = ["LABELS", "entry_create", "entry_update", "by_id", "entry_list", "version_create", "version_id",
           "version_diff", "app_create", "app_update", "filters", "kpi"]

v = tk.get_validator

LABELS = {"owner_org": N_("OPD"), "name": N_("Nama data"), "urusan": N_("Sektor"),
          "program": N_("Program atau indikator RPJMD"), "frekuensi": N_("Frekuensi"),
          "target_year": N_("Tahun target"), "priority": N_("Prioritas"), "dasar_hukum": N_("Dasar hukum"),
          "status": N_("Status"), "package_ids": N_("Dataset yang memenuhi"), "function": N_("Fungsi"),
          "integration": N_("Status integrasi"), "harvest_source_id": N_("Sumber panen"),
          "agreed_by": N_("Disepakati oleh"), "agreed_date": N_("Tanggal disepakati"), "note": N_("Catatan")}


def _text(name: str, size: int) -> list:
    return [v("satudata_daftardata_text")(LABELS[name], size)]


def _optional(name: str, size: int) -> list:
    return [v("satudata_daftardata_optional_text")(LABELS[name], size)]


def entry_create() -> dict:
    return {"owner_org": [v("satudata_daftardata_org")], "name": _text("name", 300),
            "urusan": [v("satudata_daftardata_urusan")], "program": _optional("program", 500),
            "frekuensi": [v("satudata_daftardata_frekuensi")], "target_year": [v("satudata_daftardata_year")],
            "priority": [v("satudata_daftardata_bool")], "dasar_hukum": _optional("dasar_hukum", 500),
            "status": [v("default")("dibutuhkan"), v("satudata_daftardata_status")],
            "package_ids": [v("satudata_daftardata_package_ids")]}


def entry_update() -> dict:
    schema = {k: [v("ignore_missing"), *rules] for k, rules in entry_create().items() if k != "status"}
    schema["status"] = [v("ignore_missing"), v("satudata_daftardata_status")]
    schema["id"] = [v("not_empty"), v("unicode_safe")]
    return schema


def by_id() -> dict:
    return {"id": [v("not_empty"), v("unicode_safe")]}


def filters() -> dict:
    return {"owner_org": [v("ignore_empty"), v("satudata_daftardata_org")],
            "urusan": [v("ignore_empty"), v("satudata_daftardata_urusan")],
            "priority": [v("ignore_missing"), v("satudata_daftardata_filter_bool")],
            "status": [v("ignore_empty"), v("satudata_daftardata_status")]}


def entry_list() -> dict:
    return {**filters(), "q": [v("default")(""), v("satudata_daftardata_optional_text")(N_("Kata pencarian"), 200)],
            "limit": [v("default")(config.page_size()), v("satudata_daftardata_int_range")(1, 1000)],
            "offset": [v("default")(0), v("satudata_daftardata_int_range")(0, 10**9)]}


def version_create() -> dict:
    return {"agreed_by": _text("agreed_by", 300), "agreed_date": [v("satudata_daftardata_date")],
            "note": _optional("note", 2000)}


def version_id() -> dict:
    return {"id": [v("satudata_daftardata_int_range")(1, 10**9)]}


def version_diff() -> dict:
    # Without ``new`` the live list is compared.
    return {"old": [v("satudata_daftardata_int_range")(1, 10**9)],
            "new": [v("ignore_empty"), v("satudata_daftardata_int_range")(1, 10**9)]}


def app_create() -> dict:
    return {"owner_org": [v("satudata_daftardata_org")],
            "name": [v("satudata_daftardata_text")(N_("Nama aplikasi"), 300)],
            "function": _optional("function", 1000), "priority": [v("satudata_daftardata_bool")],
            "integration": [v("default")("belum"), v("satudata_daftardata_integration")],
            "harvest_source_id": [v("ignore_empty"), v("unicode_safe")]}


def app_update() -> dict:
    schema = {k: [v("ignore_missing"), *rules] for k, rules in app_create().items()
              if k not in ("integration", "harvest_source_id")}
    schema["integration"] = [v("ignore_missing"), v("satudata_daftardata_integration")]
    schema["harvest_source_id"] = [v("ignore_missing"), v("unicode_safe")]
    schema["id"] = [v("not_empty"), v("unicode_safe")]
    return schema


def kpi() -> dict:
    return {}
