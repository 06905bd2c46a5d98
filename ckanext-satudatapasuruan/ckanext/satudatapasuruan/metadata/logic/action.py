"""Actions of the SDI metadata plugin."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.satudatapasuruan import refdata

from .. import completeness

__all__ = ["satudata_refdata_list", "satudata_completeness_by_opd"]


@tk.side_effect_free
def satudata_refdata_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The entries of a reference vocabulary (codes and labels).

    :param vocabulary: ``wilayah``, ``urusan``, ``frekuensi`` or ``satuan``
    :param level: for ``wilayah``: ``kabupaten``, ``kecamatan`` or ``desa`` (optional)
    :param parent: for ``wilayah``: only the children of this code (optional)
    """
    tk.check_access("satudata_refdata_list", context, data_dict)
    vocab = data_dict.get("vocabulary")
    if vocab not in refdata.VOCABULARIES:
        raise tk.ValidationError({"vocabulary": [tk._("Kosakata tidak dikenal; pilih salah satu: {names}").format(
            names=", ".join(refdata.VOCABULARIES))]})
    level, parent = data_dict.get("level"), data_dict.get("parent")
    return [{"code": e.code, "label": e.name, "label_en": e.label_en, "level": e.level, "parent": e.parent}
            for e in refdata.entries(vocab)
            if (not level or e.level == level) and (not parent or e.parent == parent)]


@tk.side_effect_free
def satudata_completeness_by_opd(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Metadata completeness per OPD: datasets, mean score and how many are complete (100 %).

    Counts what the caller may see (private datasets of the caller's organisations included).

    :param prioritas: ``ya`` to count priority datasets only (the KPI "data prioritas dengan
        metadata lengkap") (optional)
    """
    tk.check_access("satudata_completeness_by_opd", context, data_dict)
    fq = "+kelengkapan_metadata:[* TO *]"
    if data_dict.get("prioritas") == "ya":
        fq += " +data_prioritas:ya"
    # One facet over "organisation|score" pairs gives exact per-OPD sums in a single search.
    result = tk.get_action("package_search")(
        {"user": context.get("user")},
        {"fq": fq, "rows": 0, "include_private": True, "facet.field": '["kelengkapan_opd"]', "facet.limit": -1})
    rows: dict[str, dict[str, Any]] = {}
    for item in result["search_facets"].get("kelengkapan_opd", {}).get("items", []):
        org, _sep, score_text = item["name"].rpartition("|")
        score, count = int(score_text), item["count"]
        row = rows.setdefault(org, {"organization": org, "datasets": 0, "complete": 0, "total": 0})
        row["datasets"] += count
        row["total"] += score * count
        row["complete"] += count if score >= 100 else 0
    out = []
    for row in sorted(rows.values(), key=lambda r: r["organization"]):
        mean = row.pop("total") / row["datasets"]
        out.append(dict(row, mean_percent=round(mean, 1), band=completeness.band(int(mean))))
    return out
