"""One listing per service type: fetch what the service publishes about its layers, then the pure converter."""
from __future__ import annotations

from typing import Any

from . import convert
from .client import Fetcher, with_query

__all__ = ["LISTINGS", "list_wms", "list_wfs", "list_ogcapi", "list_arcgis"]


def list_wms(fetch: Fetcher, url: str) -> list[dict[str, Any]]:
    root = fetch.xml(with_query(url, SERVICE="WMS", REQUEST="GetCapabilities", VERSION="1.3.0"))
    return convert.wms_layers(root, url)


def list_wfs(fetch: Fetcher, url: str) -> list[dict[str, Any]]:
    root = fetch.xml(with_query(url, SERVICE="WFS", REQUEST="GetCapabilities", VERSION="2.0.0"))
    describe = fetch.xml(with_query(url, SERVICE="WFS", REQUEST="DescribeFeatureType", VERSION="2.0.0"))
    return convert.wfs_layers(root, describe, url)


def list_ogcapi(fetch: Fetcher, url: str) -> list[dict[str, Any]]:
    collections = fetch.json(f"{url}/collections?f=json")
    listed = convert.ogcapi_layers(collections, url)
    # The first feature of each collection tells its geometry type (collections do not say it).
    samples = {layer["name"]: fetch.json(f"{url}/collections/{layer['name']}/items?f=json&limit=1")
               for layer in listed}
    return convert.ogcapi_layers(collections, url, samples)


def list_arcgis(fetch: Fetcher, url: str) -> list[dict[str, Any]]:
    service = fetch.json(with_query(url, f="json"))
    convert.arcgis_layers(service, {}, url)  # the service document itself is checked before its layers
    layers = {str(s.get("id")): fetch.json(with_query(f"{url}/{s.get('id')}", f="json"))
              for s in service["layers"] if isinstance(s, dict) and not s.get("subLayerIds")}
    return convert.arcgis_layers(service, layers, url)


LISTINGS = {"wms": list_wms, "wfs": list_wfs, "ogcapi": list_ogcapi, "arcgis": list_arcgis}
