"""The ``satudata_geospasial`` harvester: one ``geospasial`` dataset per layer of an OGC or ArcGIS service.

Source config (JSON)::

    {"service": "wms" | "wfs" | "ogcapi" | "arcgis",
     "layers": ["lahan_sawah", ...] or {"lahan_sawah": {"urusan": "3.27"}, ...},   # optional allow-list
     "defaults": {"urusan": "1.03", "tahun": "2024", "klasifikasi_akses": "terbuka", ...},
     "wms_url": "https://.../wms",          # optional: previews for WFS / OGC API layers
     "timeout": 30, "max_bytes": 20000000}
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

from ...messages import N_
from ..base import SatuDataHarvester, SourceRecord
from . import convert
from .client import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Fetcher, base_url
from .listing import LISTINGS

__all__ = ["SatuDataGeoHarvester", "parse_geo_config"]


class SatuDataGeoHarvester(SatuDataHarvester):
    NAME = "satudata_geospasial"
    TITLE = N_("Layanan geospasial (WMS, WFS, OGC API, ArcGIS REST)")
    DESCRIPTION = N_("Satu dataset geospasial per lapisan layanan peta atau fitur, dengan cakupan, CRS dan tautan "
                     "layanannya")

    # SatuDataHarvester

    def parse_config(self, config: dict[str, Any]) -> convert.GeoConfig:
        return parse_geo_config(config)

    def records(self, config: convert.GeoConfig, job) -> Iterator[SourceRecord]:
        fetch = Fetcher(timeout=config.timeout, max_bytes=config.max_bytes)
        layers = LISTINGS[config.service](fetch, base_url(job.source.url))
        for layer in convert.select_layers(layers, config):
            yield SourceRecord(convert.guid(layer), layer)

    def convert(self, content: dict[str, Any], config: convert.GeoConfig) -> dict[str, Any]:
        return convert.to_dataset(content, config)


def parse_geo_config(config: dict[str, Any]) -> convert.GeoConfig:
    """The checked config; ValueError (Indonesian) naming the wrong key."""
    service = config.get("service")
    if service not in convert.SERVICES:
        raise ValueError(tk._("'service' harus salah satu dari: {choices}").format(choices=", ".join(convert.SERVICES)))
    defaults = _defaults(config.get("defaults", {}), "defaults")
    layers = config.get("layers")
    if isinstance(layers, list) and all(isinstance(n, str) for n in layers):
        layers = {name: {} for name in layers}
    elif isinstance(layers, dict):
        layers = {str(name): _defaults(extra or {}, f"layers.{name}") for name, extra in layers.items()}
    elif layers is not None:
        raise ValueError(tk._("'layers' harus berupa daftar nama lapisan atau objek nama -> nilai bawaan"))
    wms_url = config.get("wms_url")
    if wms_url is not None and not (isinstance(wms_url, str) and wms_url.startswith(("http://", "https://"))):
        raise ValueError(tk._("'wms_url' harus berupa URL http(s)"))
    return convert.GeoConfig(service=service, layers=layers, defaults=defaults,
                             timeout=_positive(config, "timeout", DEFAULT_TIMEOUT),
                             max_bytes=int(_positive(config, "max_bytes", DEFAULT_MAX_BYTES)),
                             wms_url=base_url(wms_url) if wms_url else None)


def _defaults(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(tk._("'{where}' harus berupa objek").format(where=where))
    unknown = sorted(set(value) - convert.DEFAULT_FIELDS)
    if unknown:
        raise ValueError(tk._("'{where}' berisi kolom yang tidak dikenal: {fields}").format(
            where=where, fields=", ".join(unknown)))
    return {k: str(v) for k, v in value.items() if v is not None}


def _positive(config: dict[str, Any], key: str, default: float) -> float:
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(tk._("'{key}' harus berupa angka positif").format(key=key))
    return value
