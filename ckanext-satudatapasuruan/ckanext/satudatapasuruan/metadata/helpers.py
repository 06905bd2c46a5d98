"""Template helpers of the SDI metadata plugin (registered by the blanket)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudatapasuruan import refdata

from . import completeness, config

__all__ = [
    "satudata_choices", "satudata_kegiatan_choices", "satudata_variable_types", "satudata_completeness",
    "satudata_schema_sections", "satudata_refdata_label", "satudata_dataset_brief",
]

# MS-Var data types; the upload validator (entry plugin) understands the same codes.
VARIABLE_TYPES = (
    ("bilangan_bulat", "Bilangan bulat", "Integer"),
    ("desimal", "Bilangan desimal", "Decimal"),
    ("teks", "Teks", "Text"),
    ("tanggal", "Tanggal", "Date"),
    ("tahun", "Tahun", "Year"),
    ("kategori", "Kategori (kode)", "Category (code)"),
    ("kode_wilayah", "Kode wilayah Kemendagri", "Kemendagri area code"),
    ("lintang", "Lintang (derajat desimal)", "Latitude (decimal degrees)"),
    ("bujur", "Bujur (derajat desimal)", "Longitude (decimal degrees)"),
    ("ya_tidak", "Ya/tidak", "Yes/no"),
)


def _lang() -> str:
    try:
        return tk.h.lang() or "id"
    except (RuntimeError, TypeError, AttributeError):
        return "id"


def satudata_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Choices of a reference vocabulary named by the field's ``vocabulary`` key."""
    # Stored labels are bilingual, so the choice list does not depend on the request's language.
    return list(refdata.bilingual_choices(field["vocabulary"]))


def satudata_kegiatan_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Statistical activities (MS-Keg) the current user can see, newest first."""
    result = tk.get_action("package_search")(
        {}, {"fq": "+dataset_type:kegiatan-statistik", "rows": 1000, "sort": "title_string asc",
             "fl": "name,title", "include_private": True})
    return [{"value": d["name"], "label": d["title"]} for d in result["results"]]


def satudata_variable_types(field: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"value": code, "label": {"id": label_id, "en": label_en}} for code, label_id, label_en in VARIABLE_TYPES]


def satudata_completeness(pkg: dict[str, Any]) -> dict[str, Any]:
    """Score, band and the missing fields of a dataset, for its page."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(pkg.get("type") or "dataset") or {}
    by_class, by_field = config.completeness_weights()
    result = completeness.score(schema.get("dataset_fields", []), pkg, by_class=by_class, by_field=by_field)
    return {"percent": result.percent, "band": completeness.band(result.percent),
            "missing": [{"field_name": f["field_name"], "label": f.get("label"), "kind": f.get("completeness")}
                        for f in result.missing]}


def satudata_schema_sections(schema: dict[str, Any], fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group form fields by their ``section`` in the order the schema lists its sections."""
    sections = [dict(s, fields=[]) for s in schema.get("sections", [])]
    by_id = {s["id"]: s for s in sections}
    loose = {"id": "", "title": None, "fields": []}
    for field in fields:
        by_id.get(field.get("section"), loose)["fields"].append(field)
    return [s for s in ([loose] if loose["fields"] else []) + sections if s["fields"]]


def satudata_refdata_label(vocab: str, code: str) -> str:
    return refdata.label(vocab, code, _lang())


def satudata_dataset_brief(name: str) -> dict[str, str]:
    """Title and type of a linked dataset the current user may see; its name otherwise."""
    try:
        pkg = tk.get_action("package_show")({}, {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return {"title": name, "type": "dataset"}
    return {"title": pkg.get("title") or name, "type": pkg.get("type") or "dataset"}
