"""The pure converters: real capabilities/collections from MapServer and pygeoapi, and recorded ArcGIS REST
answers (no ArcGIS server can run here: the JSON in ``recorded/`` was written by hand in the shape the ArcGIS
REST API documents for MapServer/FeatureServer ``?f=json``), compared with golden files."""
from __future__ import annotations

import json

import pytest
from lxml import etree

from ckanext.satudatapasuruan.harvesters.base import RecordError, SourceError
from ckanext.satudatapasuruan.harvesters.geo import convert, listing
from ckanext.satudatapasuruan.harvesters.geo.client import Fetcher

from .conftest import assert_golden

DEFAULTS = {"urusan": "1.03", "tahun": "2025", "klasifikasi_akses": "terbuka"}


def _datasets(service: str, url: str, **config) -> list[dict]:
    cfg = convert.GeoConfig(service=service, defaults=dict(DEFAULTS), **config)
    layers = convert.select_layers(listing.LISTINGS[service](Fetcher(timeout=10), url), cfg)
    return [dict(d, guid=convert.guid(layer)) for layer in layers for d in [convert.to_dataset(layer, cfg)]]


@pytest.mark.parametrize("service", ["wms", "wfs"])
def test_mapserver_layers(mapserver_url, service):
    """Every layer of MapServer's WMS/WFS becomes a geospasial dataset with extent, CRS, scale and endpoints."""
    assert_golden(f"mapserver-{service}.json", _datasets(service, mapserver_url), mapserver_url)


def test_ogcapi_collections(pygeoapi_url):
    """pygeoapi's collections become datasets with their year, geometry type, collection and GeoJSON links."""
    assert_golden("pygeoapi.json", _datasets("ogcapi", pygeoapi_url), pygeoapi_url)


@pytest.mark.parametrize("service", ["PUPR/MapServer", "SumurBor/FeatureServer"])
def test_arcgis_layers(arcgis_url, service):
    """ArcGIS layers (group layers skipped) get their Web Mercator extent transformed to EPSG:4326."""
    name = service.split("/")[1].lower()
    assert_golden(f"arcgis-{name}.json", _datasets("arcgis", f"{arcgis_url}/{service}"), arcgis_url)


def test_sawah_extent_in_utm_is_inside_pasuruan(mapserver_url):
    """The UTM 49S rice-field layer keeps its native CRS while its extent is given in lon/lat."""
    sawah = next(d for d in _datasets("wms", mapserver_url) if d["title"].startswith("Lahan Sawah"))
    assert sawah["crs"] == "EPSG:32749"
    ring = json.loads(sawah["spatial"])["coordinates"][0]
    assert all(112.5 < x < 113.5 and -8.5 < y < -7.5 for x, y in ring)
    assert sawah["skala"] == "1:25.000"


def test_allow_list_and_layer_defaults(mapserver_url):
    """Only allow-listed layers are kept (a WFS prefix may be left out), each with its own defaults."""
    datasets = _datasets("wfs", mapserver_url, layers={"lahan_sawah": {"urusan": "3.27", "tema_ig": "Lahan Sawah"}})
    assert [(d["title"], d["urusan"], d["tema_ig"]) for d in datasets] == [
        ("Lahan Sawah Kabupaten Pasuruan", "3.27", "Lahan Sawah")]


def test_service_values_beat_defaults():
    """A value the service gives wins over the source's default; the default fills what it lacks."""
    layer = {"service": "wms", "service_url": "http://x.test/ows", "name": "a", "title": "A", "abstract": None,
             "keywords": ["Jalan", "2022"], "bbox": [112.6, -7.9, 112.7, -7.8], "bbox_crs": "EPSG:4326",
             "crs": None, "scale": None, "geometry": None, "temporal": None, "contact": {}}
    cfg = convert.GeoConfig(service="wms", defaults={"tahun": "2025", "crs": "EPSG:32749", "notes": "Bawaan"})
    dataset = convert.to_dataset(layer, cfg)
    assert (dataset["tahun"], dataset["crs"], dataset["notes"], dataset["tema_ig"]) == (
        "2022", "EPSG:32749", "Bawaan", "Jalan")
    assert convert.to_dataset(dict(layer, abstract=None), convert.GeoConfig(service="wms"))["notes"].startswith(
        "Lapisan A dari layanan WMS")


def test_layer_without_bbox_is_a_record_error():
    """A layer whose service gives no extent cannot fill ``spatial``: the record fails, naming the layer."""
    layer = {"service": "arcgis", "service_url": "http://x.test/MapServer", "name": "4", "bbox": None}
    with pytest.raises(RecordError, match="Lapisan 4 .* tidak memiliki batas wilayah"):
        convert.to_dataset(layer, convert.GeoConfig(service="arcgis"))


def test_unknown_crs_is_a_record_error():
    layer = {"service": "arcgis", "service_url": "http://x.test/MapServer", "name": "4",
             "bbox": [1, 2, 3, 4], "bbox_crs": "EPSG:999999"}
    with pytest.raises(RecordError, match="EPSG:999999 tidak dikenal"):
        convert.wgs84_bbox(layer)


def test_point_extent_becomes_a_point():
    """A layer of one point has a degenerate bbox; its extent is a GeoJSON Point, not an empty polygon."""
    layer = {"service": "wms", "service_url": "http://x.test/ows", "name": "p", "bbox": [112.7, -7.6, 112.7, -7.6],
             "bbox_crs": "EPSG:4326", "contact": {}}
    spatial = json.loads(convert.to_dataset(layer, convert.GeoConfig(service="wms"))["spatial"])
    assert spatial == {"type": "Point", "coordinates": [112.7, -7.6]}


@pytest.mark.parametrize("value, expected", [
    ("urn:ogc:def:crs:EPSG::32749", "EPSG:32749"), ("http://www.opengis.net/def/crs/EPSG/0/3857", "EPSG:3857"),
    ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "EPSG:4326"), ("CRS:84", "EPSG:4326"), ("4326", "EPSG:4326"),
    ("EPSG:23830", "EPSG:23830"), ("AUTO:42001", None), (None, None),
])
def test_normalise_crs(value, expected):
    assert convert.normalise_crs(value) == expected


@pytest.mark.parametrize("parse, body", [
    (lambda b: convert.wms_layers(etree.fromstring(b), "http://x.test"), b"<WFS_Capabilities/>"),
    (lambda b: convert.wfs_layers(etree.fromstring(b), None, "http://x.test"), b"<WMS_Capabilities/>"),
    (lambda b: convert.ogcapi_layers(json.loads(b), "http://x.test"), b'{"links": []}'),
    (lambda b: convert.arcgis_layers(json.loads(b), {}, "http://x.test"), b'{"folders": []}'),
])
def test_wrong_document_is_a_source_error(parse, body):
    """A well-formed answer of the wrong kind (another service's document) fails the whole source."""
    with pytest.raises(SourceError, match="bukan"):
        parse(body)


def test_collection_without_extent_has_no_bbox():
    """An OGC API collection without ``extent`` is listed; converting it is then the record's error."""
    [layer] = convert.ogcapi_layers({"collections": [{"id": "c", "title": "C"}]}, "http://x.test")
    assert layer["bbox"] is None
    with pytest.raises(RecordError):
        convert.to_dataset(layer, convert.GeoConfig(service="ogcapi"))
