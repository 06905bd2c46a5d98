"""Pure converters of the geospatial harvester.

Two steps, both without I/O:

* ``wms_layers`` / ``wfs_layers`` / ``ogcapi_layers`` / ``arcgis_layers``: a service's parsed answer -> one
  plain *layer record* per layer (JSON-serialisable, what the harvest object stores);
* ``to_dataset``: a layer record and the source config -> a ``geospasial`` dataset dict.

A layer record holds: ``service``, ``service_url``, ``name``, ``title``, ``abstract``, ``keywords``, ``bbox``
([minx, miny, maxx, maxy] in ``bbox_crs``, or None), ``crs``, ``scale`` (denominator), ``geometry``
(a ``tipe_geometri`` value), ``temporal`` ([start, end] ISO strings), ``contact`` and service-specific keys.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from lxml import etree

from ..base import RecordError, SourceError
from .client import with_query

__all__ = ["GeoConfig", "SERVICES", "DEFAULT_FIELDS", "wms_layers", "wfs_layers", "ogcapi_layers",
           "arcgis_layers", "to_dataset", "guid", "normalise_crs", "wgs84_bbox", "select_layers", "numbers",
           "scale_text", "is_tag", "extent_json"]

SERVICES = ("wms", "wfs", "ogcapi", "arcgis")
# SDI fields a source's ``defaults`` may give, for what a service does not say.
DEFAULT_FIELDS = frozenset({
    "notes", "urusan", "tahun", "tema_ig", "crs", "skala", "tipe_geometri", "klasifikasi_akses", "data_prioritas",
    "license_id", "sumber_data", "kontak_nama", "kontak_email", "simpul_jaringan", "tag_string",
})
PREVIEW_WIDTH = 600
_YEAR_RE = re.compile(r"^(19|20)\d{2}$")
_TAG_RE = re.compile(r"^[\w \-.]{2,100}$")
_EPSG_CODE_RE = re.compile(r"EPSG(?::|/0/|::|/)(\d{4,6})$", re.IGNORECASE)
_CRS84 = ("CRS84", "CRS:84", "OGC:CRS84", "WGS84")
# Esri's own codes for EPSG definitions (Web Mercator above all).
_ESRI_WKID = {102100: 3857, 102113: 3857, 104199: 4326}
_GML_GEOMETRY = {
    "Point": "vektor_titik", "MultiPoint": "vektor_titik",
    "LineString": "vektor_garis", "MultiLineString": "vektor_garis", "Curve": "vektor_garis",
    "MultiCurve": "vektor_garis",
    "Polygon": "vektor_poligon", "MultiPolygon": "vektor_poligon", "Surface": "vektor_poligon",
    "MultiSurface": "vektor_poligon",
}
_ESRI_GEOMETRY = {
    "esriGeometryPoint": "vektor_titik", "esriGeometryMultipoint": "vektor_titik",
    "esriGeometryPolyline": "vektor_garis", "esriGeometryPolygon": "vektor_poligon",
    "esriGeometryEnvelope": "vektor_poligon",
}


@dataclass(frozen=True)
class GeoConfig:
    """A geospatial source's config, checked (``harvester.parse_config`` builds it)."""

    service: str
    layers: dict[str, dict[str, Any]] | None = None  # allow-list, each with its own defaults; None = all
    defaults: dict[str, Any] = field(default_factory=dict)
    timeout: float = 30
    max_bytes: int = 20_000_000
    wms_url: str | None = None  # a WMS drawing the same layers, for previews of WFS/OGC API layers

    def listed(self, name: str) -> str | None:
        """The allow-list's key for a layer: its name, or the name without a namespace prefix (``ms:x``)."""
        layers = self.layers or {}
        return name if name in layers else name.split(":")[-1] if name.split(":")[-1] in layers else None

    def defaults_for(self, name: str) -> dict[str, Any]:
        key = self.listed(name)
        return {**self.defaults, **((self.layers or {}).get(key) or {} if key else {})}


# --- shared helpers -------------------------------------------------------------------------------------

def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _children(el: etree._Element | None, name: str) -> list[etree._Element]:
    if el is None:
        return []
    return [c for c in el if isinstance(c.tag, str) and _local(c) == name]


def _child(el: etree._Element | None, *path: str) -> etree._Element | None:
    for name in path:
        found = _children(el, name)
        el = found[0] if found else None
    return el


def _text(el: etree._Element | None, *path: str) -> str | None:
    found = _child(el, *path)
    text = (found.text or "").strip() if found is not None else ""
    return text or None


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def numbers(values: Iterable[Any]) -> list[float] | None:
    numbers = [_float(v) for v in values]
    if len(numbers) != 4 or any(n is None for n in numbers):
        return None
    return numbers  # type: ignore[return-value]


def normalise_crs(value: Any) -> str | None:
    """``EPSG:n`` from the spellings services use (URN, OGC URI, CRS84, bare code); None when unknown."""
    if value is None:
        return None
    text = str(value).strip()
    if text.isdigit():
        return f"EPSG:{text}"
    if text.upper().endswith(_CRS84) or text.upper().endswith("/CRS84"):
        return "EPSG:4326"
    match = _EPSG_CODE_RE.search(text)
    return f"EPSG:{match.group(1)}" if match else None


def guid(layer: dict[str, Any]) -> str:
    """Stable per layer across runs: the service's URL and the layer's name there."""
    return f"{layer['service_url']}#{layer['name']}"


def select_layers(layers: list[dict[str, Any]], config: GeoConfig) -> list[dict[str, Any]]:
    """The layers the source's allow-list keeps (all when there is none)."""
    if config.layers is None:
        return layers
    return [layer for layer in layers if config.listed(layer["name"])]


def _contact(name: str | None = None, email: str | None = None, organization: str | None = None) -> dict[str, Any]:
    return {"name": name, "email": email, "organization": organization}


# --- WMS ----------------------------------------------------------------------------------------------

def wms_layers(root: etree._Element, service_url: str) -> list[dict[str, Any]]:
    """Named leaf layers of a WMS 1.1.1/1.3.0 capabilities document, with what they inherit."""
    if _local(root) not in ("WMS_Capabilities", "WMT_MS_Capabilities"):
        raise SourceError(tk._("Jawaban {url} bukan dokumen capabilities WMS").format(url=service_url))
    info = _child(root, "Service", "ContactInformation")
    contact = _contact(_text(info, "ContactPersonPrimary", "ContactPerson"),
                       _text(info, "ContactElectronicMailAddress"),
                       _text(info, "ContactPersonPrimary", "ContactOrganization"))
    top = _child(root, "Capability", "Layer")
    layers: list[dict[str, Any]] = []
    if top is not None:
        _walk_wms(top, {"crs": [], "bbox": None, "scale": None}, service_url, contact, layers)
    return layers


def _walk_wms(el: etree._Element, inherited: dict[str, Any], service_url: str, contact: dict[str, Any],
              out: list[dict[str, Any]]) -> None:
    crs = list(inherited["crs"])
    for c in _children(el, "CRS") + _children(el, "SRS"):
        for code in (c.text or "").split():  # WMS 1.1.1 may list several in one element
            if (norm := normalise_crs(code)) and norm not in crs:
                crs.append(norm)
    own = {"crs": crs, "bbox": _wms_bbox(el) or inherited["bbox"],
           "scale": _float(_text(el, "MinScaleDenominator")) or inherited["scale"]}
    children = _children(el, "Layer")
    for child in children:
        _walk_wms(child, own, service_url, contact, out)
    name = _text(el, "Name")
    if name and not any(_text(c, "Name") for c in children):
        # The first CRS the layer itself lists is its own; inherited ones are the service's.
        own_crs = [normalise_crs(c.text) for c in _children(el, "CRS") + _children(el, "SRS")]
        out.append({
            "service": "wms", "service_url": service_url, "name": name,
            "title": _text(el, "Title"), "abstract": _text(el, "Abstract"),
            "keywords": [k.text.strip() for k in _children(_child(el, "KeywordList"), "Keyword") if k.text],
            "bbox": own["bbox"], "bbox_crs": "EPSG:4326",
            "crs": next((c for c in own_crs if c), None) or (crs[0] if crs else None),
            "scale": own["scale"], "geometry": None, "temporal": None, "contact": contact,
        })


def _wms_bbox(el: etree._Element) -> list[float] | None:
    geo = _child(el, "EX_GeographicBoundingBox")
    if geo is not None:
        return numbers(_text(geo, k) for k in ("westBoundLongitude", "southBoundLatitude", "eastBoundLongitude",
                                             "northBoundLatitude"))
    old = _child(el, "LatLonBoundingBox")
    if old is not None:
        return numbers(old.get(k) for k in ("minx", "miny", "maxx", "maxy"))
    return None


# --- WFS ----------------------------------------------------------------------------------------------

def wfs_layers(root: etree._Element, describe: etree._Element | None, service_url: str) -> list[dict[str, Any]]:
    """Feature types of a WFS 1.1/2.0 capabilities document; geometry types from DescribeFeatureType."""
    if _local(root) != "WFS_Capabilities":
        raise SourceError(tk._("Jawaban {url} bukan dokumen capabilities WFS").format(url=service_url))
    provider = _child(root, "ServiceProvider")
    contact = _contact(_text(provider, "ServiceContact", "IndividualName"),
                       _text(provider, "ServiceContact", "ContactInfo", "Address", "ElectronicMailAddress"),
                       _text(provider, "ProviderName"))
    service_formats = _getfeature_formats(root)
    geometries = _feature_geometries(describe) if describe is not None else {}
    layers = []
    for ft in _children(_child(root, "FeatureTypeList"), "FeatureType"):
        name = _text(ft, "Name")
        if not name:
            continue
        box = _child(ft, "WGS84BoundingBox")
        corners = ((_text(box, "LowerCorner") or "").split() + (_text(box, "UpperCorner") or "").split()
                   if box is not None else [])
        formats = [f.text.strip() for f in _children(_child(ft, "OutputFormats"), "Format") if f.text]
        default_crs = _text(ft, "DefaultCRS") or _text(ft, "DefaultSRS")
        layers.append({
            "service": "wfs", "service_url": service_url, "name": name,
            "title": _text(ft, "Title"), "abstract": _text(ft, "Abstract"),
            "keywords": [k.text.strip() for kw in _children(ft, "Keywords") for k in _children(kw, "Keyword")
                         if k.text],
            "bbox": numbers(corners), "bbox_crs": "EPSG:4326", "crs": normalise_crs(default_crs),
            "scale": None, "geometry": geometries.get(name.split(":")[-1]), "temporal": None, "contact": contact,
            "geojson": any(_is_json(f) for f in formats + service_formats),
        })
    return layers


def _is_json(mime: str) -> bool:
    return "json" in mime.lower()


def _getfeature_formats(root: etree._Element) -> list[str]:
    for op in root.iter("{*}Operation"):
        if op.get("name") == "GetFeature":
            return [v.text.strip() for p in _children(op, "Parameter") if (p.get("name") or "").lower() ==
                    "outputformat" for v in p.iter("{*}Value") if v.text]
    return []


def _feature_geometries(schema: etree._Element) -> dict[str, str]:
    """Feature type name -> ``tipe_geometri``, from the gml:*PropertyType of its geometry property."""
    by_type: dict[str, str] = {}
    for complex_type in schema.iter("{*}complexType"):
        for el in complex_type.iter("{*}element"):
            kind = (el.get("type") or "").split(":")[-1]
            if kind.endswith("PropertyType") and kind[:-len("PropertyType")] in _GML_GEOMETRY:
                by_type[complex_type.get("name") or ""] = _GML_GEOMETRY[kind[:-len("PropertyType")]]
                break
    return {el.get("name"): by_type[(el.get("type") or "").split(":")[-1]]
            for el in _children(schema, "element") if (el.get("type") or "").split(":")[-1] in by_type}


# --- OGC API - Features ---------------------------------------------------------------------------------

def ogcapi_layers(collections: Any, service_url: str, samples: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Collections of an OGC API - Features ``/collections`` document; ``samples``: a first page of items per
    collection id, whose first feature tells the geometry type."""
    if not isinstance(collections, dict) or not isinstance(collections.get("collections"), list):
        raise SourceError(tk._("Jawaban {url} bukan daftar koleksi OGC API (kunci 'collections' tidak ada)").format(
            url=service_url))
    layers = []
    for coll in collections["collections"]:
        if not isinstance(coll, dict) or not coll.get("id") or coll.get("itemType", "feature") != "feature":
            continue
        extent = coll.get("extent") or {}
        spatial = extent.get("spatial") or {}
        boxes = spatial.get("bbox") or []
        temporal = ((extent.get("temporal") or {}).get("interval") or [None])[0]
        crs_list = [normalise_crs(c) for c in coll.get("crs") or []]
        layers.append({
            "service": "ogcapi", "service_url": service_url, "name": str(coll["id"]),
            "title": coll.get("title"), "abstract": coll.get("description"),
            "keywords": [str(k) for k in coll.get("keywords") or [] if isinstance(k, str)],
            "bbox": numbers(boxes[0][:2] + boxes[0][-2:]) if boxes and isinstance(boxes[0], list)
            and len(boxes[0]) in (4, 6) else None,
            "bbox_crs": normalise_crs(spatial.get("crs")) or "EPSG:4326",
            "crs": normalise_crs(coll.get("storageCrs")) or next((c for c in crs_list if c), None) or "EPSG:4326",
            "scale": None, "geometry": _sample_geometry((samples or {}).get(str(coll["id"]))),
            "temporal": [t for t in temporal] if isinstance(temporal, list) else None,
            "contact": _contact(),
        })
    return layers


def _sample_geometry(sample: Any) -> str | None:
    features = sample.get("features") if isinstance(sample, dict) else None
    geometry = (features[0] or {}).get("geometry") if features else None
    return _GML_GEOMETRY.get((geometry or {}).get("type")) if isinstance(geometry, dict) else None


# --- ArcGIS REST --------------------------------------------------------------------------------------------

def arcgis_layers(service: Any, layers: dict[str, Any], service_url: str) -> list[dict[str, Any]]:
    """Layers of an ArcGIS REST MapServer/FeatureServer: the service's ``?f=json`` and each layer's."""
    if not isinstance(service, dict) or not isinstance(service.get("layers"), list):
        raise SourceError(tk._("Jawaban {url} bukan layanan ArcGIS REST (kunci 'layers' tidak ada)").format(
            url=service_url))
    kind = "FeatureServer" if service_url.rstrip("/").endswith("FeatureServer") else "MapServer"
    info = service.get("documentInfo") or {}
    capabilities = [c.strip() for c in str(service.get("capabilities") or "").split(",") if c.strip()]
    keywords = [k.strip() for k in str(info.get("Keywords") or "").split(",") if k.strip()]
    out = []
    for summary in service["layers"]:
        if not isinstance(summary, dict):
            continue
        layer = layers.get(str(summary.get("id"))) or summary
        if layer.get("type") == "Group Layer" or layer.get("subLayerIds"):
            continue
        extent = layer.get("extent") or {}
        ref = extent.get("spatialReference") or service.get("spatialReference") or {}
        source_ref = layer.get("sourceSpatialReference") or ref
        max_scale = _float(layer.get("maxScale"))
        out.append({
            "service": "arcgis", "service_url": service_url, "name": str(layer.get("id", summary.get("id"))),
            "title": layer.get("name"), "abstract": layer.get("description") or service.get("serviceDescription")
            or service.get("description"),
            "keywords": keywords,
            "bbox": numbers(extent.get(k) for k in ("xmin", "ymin", "xmax", "ymax")),
            "bbox_crs": _esri_crs(ref), "crs": _esri_crs(source_ref),
            "scale": max_scale if max_scale else None,
            "geometry": "raster" if layer.get("type") == "Raster Layer"
            else _ESRI_GEOMETRY.get(layer.get("geometryType")),
            "temporal": None,
            "contact": _contact(info.get("Author") or None, None,
                                layer.get("copyrightText") or service.get("copyrightText") or None),
            "kind": kind, "capabilities": capabilities,
        })
    return out


def _esri_crs(ref: dict[str, Any]) -> str | None:
    wkid = ref.get("latestWkid") or ref.get("wkid")
    if not isinstance(wkid, int):
        return None
    return f"EPSG:{_ESRI_WKID.get(wkid, wkid)}"


# --- layer record -> dataset ---------------------------------------------------------------------------------

def wgs84_bbox(layer: dict[str, Any]) -> list[float]:
    """The layer's extent in EPSG:4326 (lon/lat), transformed when the service gives it in another CRS."""
    bbox = layer.get("bbox")
    if not bbox:
        raise RecordError(tk._("Lapisan {name} ({url}) tidak memiliki batas wilayah (bounding box); cakupan "
                               "spasial tidak dapat diisi").format(name=layer["name"], url=layer["service_url"]))
    source = layer.get("bbox_crs") or "EPSG:4326"
    if source != "EPSG:4326":
        from pyproj import Transformer
        from pyproj.exceptions import CRSError

        try:
            transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
        except CRSError as err:
            raise RecordError(tk._("Lapisan {name}: sistem koordinat {crs} tidak dikenal").format(
                name=layer["name"], crs=source)) from err
        bbox = list(transformer.transform_bounds(*bbox))
    return [round(v, 6) for v in bbox]


def is_tag(keyword: str) -> bool:
    """Whether CKAN accepts the keyword as a tag (letters, digits, spaces, ``-_.``; 2-100 characters)."""
    return bool(_TAG_RE.match(keyword))


def extent_json(bbox: list[float]) -> str:
    """The ``spatial`` value: the extent as compact GeoJSON."""
    return json.dumps(_extent_geometry(bbox), separators=(",", ":"))


def _extent_geometry(bbox: list[float]) -> dict[str, Any]:
    minx, miny, maxx, maxy = bbox
    if minx == maxx or miny == maxy:  # one feature, or a publisher giving a point: a polygon would be degenerate
        return {"type": "Point", "coordinates": [minx, miny]}
    return {"type": "Polygon",
            "coordinates": [[[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]]}


def scale_text(denominator: float | None) -> str | None:
    if not denominator:
        return None
    return "1:" + f"{int(round(denominator)):,}".replace(",", ".")


def _year(layer: dict[str, Any]) -> str | None:
    temporal = layer.get("temporal") or []
    for value in reversed(temporal):  # the end of the interval: the state the data shows
        if isinstance(value, str) and _YEAR_RE.match(value[:4]):
            return value[:4]
    return next((k for k in layer.get("keywords") or [] if _YEAR_RE.match(k)), None)


def to_dataset(layer: dict[str, Any], config: GeoConfig) -> dict[str, Any]:
    """A ``geospasial`` dataset dict for one layer: what the service says, the source's defaults for the rest."""
    defaults = config.defaults_for(layer["name"])
    bbox = wgs84_bbox(layer)
    tags = [k for k in layer.get("keywords") or [] if not _YEAR_RE.match(k) and is_tag(k)]
    contact = layer.get("contact") or {}
    title = layer.get("title") or layer["name"]
    found = {
        "title": title,
        "notes": layer.get("abstract"),
        "tag_string": ",".join(dict.fromkeys(tags)),
        "spatial": extent_json(bbox),
        "crs": layer.get("crs"),
        "skala": scale_text(layer.get("scale")),
        "tipe_geometri": layer.get("geometry"),
        "tahun": _year(layer),
        "layanan_ogc": layer["service_url"],
        "sumber_data": contact.get("organization"),
        "kontak_nama": contact.get("name"),
        "kontak_email": contact.get("email"),
    }
    dataset = {"type": "geospasial", **defaults, **{k: v for k, v in found.items() if v not in (None, "")}}
    # The configured theme beats a guess from the keywords.
    dataset["tema_ig"] = defaults.get("tema_ig") or (tags[0] if tags else title)
    if not dataset.get("notes"):
        dataset["notes"] = tk._("Lapisan {title} dari layanan {service} {url}").format(
            title=title, service=_SERVICE_LABEL[layer["service"]], url=layer["service_url"])
    dataset["resources"] = _resources(layer, bbox, config)
    return dataset


_SERVICE_LABEL = {"wms": "WMS", "wfs": "WFS", "ogcapi": "OGC API - Features", "arcgis": "ArcGIS REST"}


def _resources(layer: dict[str, Any], bbox: list[float], config: GeoConfig) -> list[dict[str, Any]]:
    build = {"wms": _wms_resources, "wfs": _wfs_resources, "ogcapi": _ogcapi_resources,
             "arcgis": _arcgis_resources}[layer["service"]]
    resources = build(layer, bbox)
    if config.wms_url and layer["service"] in ("wfs", "ogcapi"):
        resources.append(_wms_preview(config.wms_url, layer["name"].split(":")[-1], layer, bbox))
    return resources


def _resource(name: str, url: str, fmt: str, description: str, layer: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "url": url, "format": fmt, "description": description, "layer_name": layer["name"]}


def _preview_height(bbox: list[float]) -> int:
    minx, miny, maxx, maxy = bbox
    width = (maxx - minx) * math.cos(math.radians((miny + maxy) / 2)) or 1e-9
    return max(100, min(1200, round(PREVIEW_WIDTH * (maxy - miny) / width)))


def _wms_preview(service_url: str, name: str, layer: dict[str, Any], bbox: list[float]) -> dict[str, Any]:
    url = with_query(service_url, SERVICE="WMS", VERSION="1.3.0", REQUEST="GetMap", LAYERS=name, STYLES="",
                     CRS="CRS:84", BBOX=",".join(str(v) for v in bbox), WIDTH=PREVIEW_WIDTH,
                     HEIGHT=_preview_height(bbox), FORMAT="image/png", TRANSPARENT="TRUE")
    return _resource(tk._("Pratinjau peta"), url, "PNG", tk._("Gambar peta lapisan (WMS GetMap)"), layer)


def _wms_resources(layer: dict[str, Any], bbox: list[float]) -> list[dict[str, Any]]:
    url = with_query(layer["service_url"], SERVICE="WMS", REQUEST="GetCapabilities", VERSION="1.3.0")
    return [_resource(tk._("Layanan WMS"), url, "WMS", tk._("Layanan peta WMS; nama lapisan: {name}").format(
        name=layer["name"]), layer), _wms_preview(layer["service_url"], layer["name"], layer, bbox)]


def _wfs_resources(layer: dict[str, Any], bbox: list[float]) -> list[dict[str, Any]]:
    url = with_query(layer["service_url"], SERVICE="WFS", REQUEST="GetCapabilities", VERSION="2.0.0")
    resources = [_resource(tk._("Layanan WFS"), url, "WFS", tk._("Layanan fitur WFS; nama tipe fitur: {name}").format(
        name=layer["name"]), layer)]
    if layer.get("geojson"):
        download = with_query(layer["service_url"], SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature",
                              TYPENAMES=layer["name"], OUTPUTFORMAT="application/json", SRSNAME="EPSG:4326")
        resources.append(_resource(tk._("Unduh GeoJSON"), download, "GeoJSON",
                                   tk._("Seluruh fitur lapisan (WFS GetFeature)"), layer))
    return resources


def _ogcapi_resources(layer: dict[str, Any], bbox: list[float]) -> list[dict[str, Any]]:
    collection = f"{layer['service_url']}/collections/{layer['name']}"
    return [
        _resource(tk._("Koleksi OGC API"), collection, "OGC API Features",
                  tk._("Koleksi OGC API - Features"), layer),
        _resource(tk._("Unduh GeoJSON"), f"{collection}/items?f=json", "GeoJSON",
                  tk._("Fitur koleksi (OGC API items, berhalaman: ikuti tautan next)"), layer),
    ]


def _arcgis_resources(layer: dict[str, Any], bbox: list[float]) -> list[dict[str, Any]]:
    base = layer["service_url"]
    layer_url = f"{base}/{layer['name']}"
    resources = [_resource(tk._("Layanan ArcGIS REST"), layer_url, "Esri REST",
                           tk._("Lapisan {kind} ArcGIS REST").format(kind=layer.get("kind", "MapServer")), layer)]
    capabilities = layer.get("capabilities") or []
    if "Query" in capabilities:
        resources.append(_resource(tk._("Unduh GeoJSON"), with_query(f"{layer_url}/query", where="1=1",
                                                                        outFields="*", f="geojson"),
                                   "GeoJSON", tk._("Fitur lapisan (ArcGIS query)"), layer))
    if layer.get("kind") == "MapServer" and "Map" in capabilities:
        height = _preview_height(bbox)
        url = with_query(f"{base}/export", bbox=",".join(str(v) for v in bbox), bboxSR=4326,
                         layers=f"show:{layer['name']}", size=f"{PREVIEW_WIDTH},{height}", format="png",
                         transparent="true", f="image")
        resources.append(_resource(tk._("Pratinjau peta"), url, "PNG", tk._("Gambar peta lapisan (ArcGIS export)"),
                                   layer))
    return resources
