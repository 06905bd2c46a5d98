"""CSW catalogues: ckanext-spatial's CSW harvester lands ISO 19139 records as ``geospasial`` datasets.

``satudata_csw`` (plugin ``SatuDataCswPlugin``) maps what any ckanext-spatial harvester parsed onto our
schema; ``satudata_csw_harvester`` (``SatuDataCswHarvester``, source type ``satudata_csw``) is ckanext-spatial's
``csw`` harvester with one fix, so that its records import at all (see the class).

ckanext-spatial parses the ISO document and builds a dataset with its own extras; its ``ISpatialHarvester``
hook hands us that dict, the parsed values and the XML, and we return our schema's dict instead. Scheming
validates it as any other ``geospasial`` dataset (scheming adds its fields to the schema the harvester passes).
The source's config may carry the same ``defaults`` as the ``satudata_geospasial`` harvester, e.g.
``{"defaults": {"urusan": "1.03", "klasifikasi_akses": "terbuka"}}`` (ckanext-spatial ignores the key).
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.harvest.interfaces import IHarvester
from ckanext.spatial.harvesters.csw import CSWHarvester
from ckanext.spatial.interfaces import ISpatialHarvester

from . import convert

__all__ = ["SatuDataCswPlugin", "SatuDataCswHarvester", "iso_dataset", "iso_geometry_type", "source_defaults"]

log = logging.getLogger(__name__)

_NS = {"gmd": "http://www.isotc211.org/2005/gmd", "gco": "http://www.isotc211.org/2005/gco"}
_GEOMETRIC_OBJECT = {"point": "vektor_titik", "curve": "vektor_garis", "surface": "vektor_poligon"}
_OGC_FORMATS = {"wms": "WMS", "wfs": "WFS", "wcs": "WCS", "wmts": "WMTS", "kml": "KML", "gml": "GML"}
_YEAR_RE = re.compile(r"^((19|20)\d{2})")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# ckanext-spatial extras that our schema holds as fields (or that would repeat them).
_REPLACED_EXTRAS = {"spatial", "spatial-reference-system", "contact-email", "guid"}


class SatuDataCswPlugin(p.SingletonPlugin):
    p.implements(ISpatialHarvester, inherit=True)

    # ISpatialHarvester

    def get_package_dict(self, context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
        harvest_object = data_dict["harvest_object"]
        defaults = source_defaults(harvest_object.source.config if harvest_object.source else None)
        kind = iso_geometry_type(data_dict["xml_tree"])
        return iso_dataset(data_dict["iso_values"], data_dict["package_dict"], defaults, kind)


class SatuDataCswHarvester(CSWHarvester):
    """ckanext-spatial's CSW harvester, storing each fetched record without its XML declaration.

    ckanext-spatial 2.3.2's CSW client prefixes ``<?xml ... encoding="UTF-8"?>`` to the record and its fetch
    stage's clean-up (``'<xml(.*)>'``) misses it, so the import stage's lxml refuses the text ("Unicode strings
    with encoding declaration are not supported") and no CSW record is ever imported.
    """

    p.implements(IHarvester)  # a plugin's interfaces are not inherited by its subclasses

    def __new__(cls, *args: Any, **kwargs: Any):
        # CKAN keeps a singleton plugin's instance on its class, where a subclass would find its parent's.
        if "_instance" not in cls.__dict__:
            cls._instance = object.__new__(cls)
        return cls._instance

    # IHarvester

    def info(self) -> dict[str, str]:
        return {"name": "satudata_csw", "title": tk._("Katalog CSW (ISO 19139)"),
                "description": tk._("Katalog CSW; setiap rekaman ISO 19139 menjadi dataset geospasial")}

    def _set_source_config(self, config_str: str | None) -> None:
        super()._set_source_config(config_str)
        # Its re-index of unchanged records calls CKAN 2.12's index without the validated dict and fails; with
        # ``ckanext.spatial.harvest.reindex_unchanged = False`` in the ini both of its conditions are off.
        self.source_config["reindex_unchanged"] = "False"

    def fetch_stage(self, harvest_object) -> bool:
        fetched = super().fetch_stage(harvest_object)
        if fetched and harvest_object.content:
            harvest_object.content = _XML_DECLARATION.sub("", harvest_object.content, count=1).strip()
            harvest_object.save()
        return fetched


def source_defaults(config: str | None) -> dict[str, Any]:
    """The ``defaults`` of a CSW source's config, limited to the SDI fields a default may give."""
    try:
        data = json.loads(config) if config else {}
    except ValueError:
        return {}
    defaults = data.get("defaults") if isinstance(data, dict) else None
    if not isinstance(defaults, dict):
        return {}
    return {k: str(v) for k, v in defaults.items() if k in convert.DEFAULT_FIELDS and v is not None}


def iso_geometry_type(xml_tree: Any) -> str | None:
    """``tipe_geometri`` from the ISO document: grid is raster; vectors by their geometric object type."""
    if xml_tree is None:
        return None
    kinds = xml_tree.xpath("//gmd:geometricObjectType/gmd:MD_GeometricObjectTypeCode/@codeListValue", namespaces=_NS)
    if kinds and kinds[0] in _GEOMETRIC_OBJECT:
        return _GEOMETRIC_OBJECT[kinds[0]]
    representation = xml_tree.xpath("//gmd:spatialRepresentationType/gmd:MD_SpatialRepresentationTypeCode/"
                                    "@codeListValue", namespaces=_NS)
    return "raster" if representation and representation[0] == "grid" else None


def iso_dataset(iso: dict[str, Any], package: dict[str, Any], defaults: dict[str, Any],
                geometry: str | None = None) -> dict[str, Any]:
    """A ``geospasial`` dataset dict from ckanext-spatial's parsed ISO values and its default package dict."""
    parties = [r for r in iso.get("responsible-organisation") or [] if isinstance(r, dict)]
    party = parties[0] if parties else {}
    keywords = [k for group in iso.get("keywords") or [] for k in group.get("keyword") or []]
    layer = {
        "service": "csw", "service_url": "", "name": iso.get("guid") or package.get("name") or "",
        "title": iso.get("title"), "abstract": iso.get("abstract"), "keywords": keywords,
        "bbox": _iso_bbox(iso), "bbox_crs": "EPSG:4326",
    }
    found = {
        "title": iso.get("title"),
        "notes": iso.get("abstract"),
        "tag_string": ",".join(dict.fromkeys(k for k in keywords if convert.is_tag(k) and not _YEAR_RE.match(k))),
        "spatial": convert.extent_json(convert.wgs84_bbox(layer)) if layer["bbox"] else None,
        "crs": convert.normalise_crs(iso.get("spatial-reference-system")),
        "skala": _iso_scale(iso),
        "tipe_geometri": geometry,
        "tahun": _iso_year(iso),
        "layanan_ogc": _ogc_service(iso),
        "sumber_data": party.get("organisation-name"),
        "kontak_nama": party.get("individual-name"),
        "kontak_email": iso.get("contact-email") or (party.get("contact-info") or {}).get("email"),
    }
    dataset = {"type": "geospasial", **defaults, **{k: v for k, v in found.items() if v not in (None, "")}}
    dataset["tema_ig"] = defaults.get("tema_ig") or next(
        (k for k in keywords if not _YEAR_RE.match(k)), None) or (iso.get("topic-category") or [None])[0] or \
        dataset.get("title")
    for key in ("name", "owner_org", "license_id"):
        if package.get(key):
            dataset[key] = package[key]
    dataset["resources"] = [_resource(r) for r in package.get("resources") or []] + _preview(iso)
    dataset["extras"] = [e for e in package.get("extras") or [] if e.get("key") not in _REPLACED_EXTRAS
                         and e.get("key") not in dataset]
    return dataset


def _iso_bbox(iso: dict[str, Any]) -> list[Any] | None:
    boxes = iso.get("bbox") or []
    if not boxes:
        return None
    box = boxes[0]
    return convert.numbers([box.get("west"), box.get("south"), box.get("east"), box.get("north")])


def _iso_scale(iso: dict[str, Any]) -> str | None:
    scales = [s for s in iso.get("equivalent-scale") or [] if str(s).strip().isdigit()]
    if scales:
        return convert.scale_text(float(scales[0]))
    resolution = iso.get("spatial-resolution")
    if resolution:
        return f"{resolution} {iso.get('spatial-resolution-units') or ''}".strip()
    return None


def _iso_year(iso: dict[str, Any]) -> str | None:
    dates = {d.get("type"): d.get("value") for d in iso.get("dataset-reference-date") or [] if isinstance(d, dict)}
    for value in (dates.get("revision"), dates.get("publication"), dates.get("creation"),
                  *(iso.get("temporal-extent-end") or [])):
        if value and (match := _YEAR_RE.match(str(value))):
            return match.group(1)
    return None


def _ogc_service(iso: dict[str, Any]) -> str | None:
    for locator in iso.get("resource-locator") or []:
        if str(locator.get("protocol") or "").upper().startswith("OGC:") and locator.get("url"):
            return locator["url"].strip()
    return None


def _resource(resource: dict[str, Any]) -> dict[str, Any]:
    fmt = str(resource.get("format") or "")
    return dict(resource, format=_OGC_FORMATS.get(fmt.lower(), fmt.upper() if len(fmt) <= 5 else fmt))


def _preview(iso: dict[str, Any]) -> list[dict[str, Any]]:
    """The ISO browse graphic, as a resource an image view shows."""
    graphics = [g for g in iso.get("browse-graphic") or [] if isinstance(g, dict) and g.get("file")]
    if not graphics:
        return []
    graphic = graphics[0]
    return [{"name": tk._("Pratinjau peta"), "url": graphic["file"], "format": (graphic.get("type") or "PNG").upper(),
             "description": graphic.get("description") or ""}]
