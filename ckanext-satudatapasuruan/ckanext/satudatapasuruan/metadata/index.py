"""What the SDI schemas add to a dataset's search document: codes for facets, the score band."""
from __future__ import annotations

import json
from typing import Any

from ckanext.satudatapasuruan import refdata

from . import completeness

__all__ = ["SDI_FACETS", "NOT_INDEXED", "index_fields", "facet_label"]

# Stored in data_dict only: JSON blobs that make no sense as whole-value string fields.
NOT_INDEXED = ("variabel", "indikator", "jadwal")



def N_(msgid: str) -> str:
    """Marks a msgid for extraction; translated where it is shown."""
    return msgid


# Facet field -> title (msgid); values are codes shown through facet_label.
SDI_FACETS = {
    "urusan": N_("Urusan"),
    "kode_wilayah": N_("Wilayah"),
    "tahun": N_("Tahun"),
    "frekuensi": N_("Frekuensi"),
    "klasifikasi_akses": N_("Klasifikasi akses"),
    "data_prioritas": N_("Data prioritas"),
    "kelengkapan_band": N_("Kelengkapan metadata"),
}
_VOCAB_OF = {"urusan": "urusan", "kode_wilayah": "wilayah", "frekuensi": "frekuensi", "satuan": "satuan"}
_FIXED_LABELS = {
    "klasifikasi_akses": {"terbuka": ("Terbuka", "Open"), "terbatas": ("Terbatas", "Restricted"),
                          "rahasia": ("Rahasia", "Confidential")},
    "data_prioritas": {"ya": ("Prioritas", "Priority"), "tidak": ("Bukan prioritas", "Not priority")},
}


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Index fields derived from a dataset dict (only for datasets with SDI fields)."""
    out: dict[str, Any] = {}
    if "kode_wilayah" in pkg_dict:
        out["kode_wilayah"] = _as_list(pkg_dict["kode_wilayah"])
        # The kecamatan each code lies in (a kecamatan's own code or one of its desa): one facet counts the
        # datasets per kecamatan, each dataset once (the Monev map).
        kecamatan = {".".join(str(code).split(".")[:3]) for code in out["kode_wilayah"]
                     if len(str(code).split(".")) >= 3}
        if kecamatan:
            out["kode_kecamatan"] = sorted(kecamatan)
    # Entered through the portal (the entry plugin's validated upload or row form write the DataStore, whose dump
    # URL the resource gets): an exact key, where a wildcard over every resource URL read each dataset's URLs.
    if any("/datastore/dump/" in str(url) for url in _as_list(pkg_dict.get("res_url"))):
        out["entri_web"] = "ya"
    for name in ("dataset_terkait", "produk_tersedia"):
        if name in pkg_dict:
            out[name] = _as_list(pkg_dict[name])
    score = pkg_dict.get("kelengkapan_metadata")
    if score not in (None, ""):
        try:
            percent = int(score)
        except (TypeError, ValueError):
            percent = 0
        # Zero-padded so the string field sorts and ranges numerically on Solr as well.
        out["kelengkapan_metadata"] = f"{percent:03d}"
        out["kelengkapan_band"] = completeness.band(percent)
        out["kelengkapan_opd"] = f"{pkg_dict.get('organization') or ''}|{percent}"
    # The year the dataset entered the catalogue with what the Monev trend counts per year, so that one facet of
    # the catalogue search gives every year's figures (not one search per year): "<year>|<opd>|<type>|<capacity>"
    # and "<year>|<opd>|<score>". The year is metadata_created's, in UTC as indexed.
    year = str(pkg_dict.get("metadata_created") or "")[:4]
    if year.isdigit():
        org = pkg_dict.get("organization") or ""
        out["katalog_tahun"] = f"{year}|{org}|{pkg_dict.get('dataset_type') or ''}|{pkg_dict.get('capacity') or ''}"
        if "kelengkapan_opd" in out:
            out["kelengkapan_tahun"] = f"{year}|{out['kelengkapan_opd']}"
    # Repeating subfields are JSON in the dict: searchable words go to `extras_*` (text, copied to
    # `text` on Solr too); the JSON itself is dropped by the caller (it lives in data_dict).
    for name in ("variabel", "indikator"):
        value = pkg_dict.get(name)
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = None
        if isinstance(value, list):
            out["extras_" + name] = " ".join(str(item.get("nama", "")) + " " + str(item.get("definisi", ""))
                                 for item in value if isinstance(item, dict))
    return out


def facet_label(field: str, value: str, lang: str) -> str:
    en = lang.startswith("en")
    if field in _VOCAB_OF:
        return refdata.label(_VOCAB_OF[field], value, "en" if en else "id")
    labels = _FIXED_LABELS.get(field, {}).get(value)
    if labels:
        return labels[1] if en else labels[0]
    if field == "kelengkapan_band":
        return f"{value} %"
    return value
