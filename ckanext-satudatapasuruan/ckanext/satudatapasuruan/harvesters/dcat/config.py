"""The source configuration of a DCAT import source (JSON in the harvest source's *Konfigurasi*).

.. code-block:: json

    {"owner_org": "bappeda", "urusan": "5.01", "frekuensi": "tahunan", "klasifikasi_akses": "terbuka",
     "theme_map": {"HEAL": "1.02", "http://publications.europa.eu/resource/authority/data-theme/AGRI": "3.27"},
     "rdf_format": "text/turtle"}

Every key is optional. ``owner_org`` overrides the source's organisation; ``urusan``, ``frekuensi`` and
``klasifikasi_akses`` fill records that do not say; ``theme_map`` maps EU data themes (code or IRI) to urusan
before the built-in mapping.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ... import refdata
from ...dcat import vocab

__all__ = ["DcatSourceConfig", "parse"]

_THEMES = vocab.EU + "data-theme/"


@dataclass(frozen=True)
class DcatSourceConfig:
    owner_org: str | None = None
    urusan: str | None = None
    frekuensi: str = "sewaktu_waktu"
    klasifikasi_akses: str = "terbuka"
    theme_map: dict[str, str] = field(default_factory=dict)
    rdf_format: str | None = None


def _fail(key: str, message: str) -> ValueError:
    return ValueError(f"{key}: {message}")


def _code(data: dict[str, Any], key: str, vocabulary: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or refdata.lookup(vocabulary, value) is None:
        raise _fail(key, tk._("kode {vocab} tidak dikenal: {value}").format(vocab=vocabulary, value=value))
    return value


def parse(data: dict[str, Any]) -> DcatSourceConfig:
    """The checked configuration; ``ValueError`` with an Indonesian message naming the key otherwise."""
    if not isinstance(data, dict):
        raise _fail("konfigurasi", tk._("harus berupa objek JSON"))
    unknown = set(data) - {"owner_org", "urusan", "frekuensi", "klasifikasi_akses", "theme_map", "rdf_format"}
    if unknown:
        raise _fail(", ".join(sorted(unknown)), tk._("kunci tidak dikenal"))
    owner = data.get("owner_org")
    if owner is not None:
        group = model.Group.get(str(owner))
        if group is None or not group.is_organization or group.state != "active":
            raise _fail("owner_org", tk._("organisasi tidak ditemukan: {name}").format(name=owner))
        owner = group.id
    access = data.get("klasifikasi_akses", "terbuka")
    if access not in ("terbuka", "terbatas"):
        # rahasia data has no business in a public catalogue
        raise _fail("klasifikasi_akses", tk._("pilih 'terbuka' atau 'terbatas'"))
    themes = data.get("theme_map", {})
    if not isinstance(themes, dict):
        raise _fail("theme_map", tk._("harus berupa objek tema -> kode urusan"))
    theme_map = {}
    for theme, urusan in themes.items():
        iri = theme if str(theme).startswith("http") else _THEMES + str(theme).upper()
        theme_map[iri] = _code({f"theme_map.{theme}": urusan}, f"theme_map.{theme}", "urusan")
    rdf_format = data.get("rdf_format")
    if rdf_format is not None and not isinstance(rdf_format, str):
        raise _fail("rdf_format", tk._("harus berupa teks"))
    return DcatSourceConfig(owner_org=owner, urusan=_code(data, "urusan", "urusan"),
                            frekuensi=_code(data, "frekuensi", "frekuensi") or "sewaktu_waktu",
                            klasifikasi_akses=access, theme_map=theme_map, rdf_format=rdf_format)
