"""The ``satudata_geospasial`` harvester end to end: real loopback services (MapServer, pygeoapi; recorded
ArcGIS REST answers, since no ArcGIS server can run here), ckanext-harvest's stages, the CKAN DB."""
from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestSource

from ckanext.satudatapasuruan.harvesters.geo.harvester import SatuDataGeoHarvester, parse_geo_config

from ..jobs import run_job
from . import servers

PLUGINS = ("satudata_pgsearch satudata_metadata satudata_workflow scheming_datasets scheming_organizations "
           "activity satudata_harvest harvest satudata_geospasial")
DEFAULTS = {"urusan": "1.03", "tahun": "2025", "klasifikasi_akses": "terbuka"}

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")]


@pytest.fixture
def opd():
    factories.Sysadmin(name="sysadmin")
    return factories.Organization(name="dinas-pupr", title="Dinas Pekerjaan Umum dan Penataan Ruang")


def _source(opd, url: str, config: dict[str, Any]) -> dict:
    return helpers.call_action("harvest_source_create", context={"user": "sysadmin"}, name="geo-pasuruan",
                               title="Geoportal Pasuruan", url=url, source_type="satudata_geospasial",
                               frequency="MANUAL", owner_org=opd["id"], config=json.dumps(config))


def harvest(source_id: str) -> dict[str, Any]:
    """One job through gather, fetch and import as the queue consumers run them."""
    return run_job(SatuDataGeoHarvester(), source_id)


def _datasets() -> dict[str, dict]:
    found = helpers.call_action("package_search", context={"ignore_auth": True}, include_private=True, rows=50,
                                fq="dataset_type:geospasial")["results"]
    return {d["title"]: helpers.call_action("package_show", context={"ignore_auth": True}, id=d["id"])
            for d in found}


@pytest.mark.parametrize("service, url_fixture, path, count", [
    ("wms", "mapserver_url", "", 3), ("wfs", "mapserver_url", "", 3), ("ogcapi", "pygeoapi_url", "", 2),
    ("arcgis", "arcgis_url", "/PUPR/MapServer", 2),
])
def test_each_service_lands_valid_datasets_once(request, opd, service, url_fixture, path, count):
    """Every layer becomes a valid geospasial draft of the source's OPD with its endpoints; a second run with no
    change queues nothing and creates nothing."""
    url = request.getfixturevalue(url_fixture) + path
    source = _source(opd, url, {"service": service, "defaults": DEFAULTS})
    first = harvest(source["id"])
    assert (first["gather_errors"], first["object_errors"], first["queued"]) == ([], [], count)
    datasets = _datasets()
    assert len(datasets) == count
    for dataset in datasets.values():
        assert (dataset["type"], dataset["owner_org"], dataset["private"], dataset["urusan"]) == (
            "geospasial", opd["id"], True, "1.03")
        assert dataset["layanan_ogc"] == url and dataset["spatial"] and dataset["crs"].startswith("EPSG:")
        assert {r["format"] for r in dataset["resources"]} & {"WMS", "WFS", "GeoJSON", "OGC API Features", "Esri REST"}
    second = harvest(source["id"])
    assert (second["gather_errors"], second["object_errors"], second["queued"]) == ([], [], 0)
    assert {d["id"] for d in _datasets().values()} == {d["id"] for d in datasets.values()}


def test_service_down_is_a_gather_error_and_loses_nothing(opd, mapserver_url):
    """When the service cannot be reached the job records why, and the datasets of the last run stay."""
    source = _source(opd, mapserver_url, {"service": "wms", "defaults": DEFAULTS})
    harvest(source["id"])
    before = {d["id"] for d in _datasets().values()}
    down = f"http://127.0.0.1:{servers.free_port()}/ows"
    harvest_source = HarvestSource.get(source["id"])  # the service moved away (harvest_source_patch would
    harvest_source.url = down                          # re-validate the whole source form)
    harvest_source.save()
    result = harvest(source["id"])
    assert len(result["gather_errors"]) == 1 and "tidak dapat dihubungi" in result["gather_errors"][0]
    assert {d["id"] for d in _datasets().values()} == before
    assert all(d["state"] == "active" for d in _datasets().values())


def test_layer_without_bbox_is_an_object_error(opd):
    """One layer without an extent fails alone (named in the error); the other layers land."""
    service = json.loads(servers.RECORDED.joinpath("mapserver.json").read_text())
    broken = json.loads(servers.RECORDED.joinpath("mapserver-2.json").read_text())
    broken.pop("extent")
    routes = {"/MapServer": servers.Answer(json.dumps(service).encode()),
              "/MapServer/1": servers.Answer(servers.RECORDED.joinpath("mapserver-1.json").read_bytes()),
              "/MapServer/2": servers.Answer(json.dumps(broken).encode())}
    with servers.http_server(servers.answering(routes)) as base:
        source = _source(opd, base + "/MapServer", {"service": "arcgis", "defaults": DEFAULTS})
        result = harvest(source["id"])
    assert len(result["object_errors"]) == 1 and "Lapisan 2" in result["object_errors"][0]
    assert list(_datasets()) == ["Jalan Kabupaten"]


@pytest.mark.parametrize("config, message", [
    ({}, "'service' harus salah satu dari"),
    ({"service": "wmts"}, "'service' harus salah satu dari"),
    ({"service": "wms", "layers": "lahan_sawah"}, "'layers' harus berupa"),
    ({"service": "wms", "defaults": {"warna": "merah"}}, "tidak dikenal: warna"),
    ({"service": "wms", "defaults": []}, "'defaults' harus berupa objek"),
    ({"service": "wms", "layers": {"a": {"judul": "x"}}}, "'layers.a' berisi kolom yang tidak dikenal"),
    ({"service": "wms", "timeout": 0}, "'timeout' harus berupa angka positif"),
    ({"service": "wms", "max_bytes": "besar"}, "'max_bytes' harus berupa angka positif"),
    ({"service": "wfs", "wms_url": "ftp://x"}, "'wms_url' harus berupa URL"),
])
def test_bad_config(config, message):
    with pytest.raises(ValueError, match=message):
        parse_geo_config(config)


def test_good_config():
    config = parse_geo_config({"service": "wfs", "layers": ["lahan_sawah"], "defaults": {"tahun": 2024},
                               "wms_url": "http://h.test/ows?SERVICE=WMS", "timeout": 5})
    assert (config.layers, config.defaults, config.wms_url, config.timeout) == (
        {"lahan_sawah": {}}, {"tahun": "2024"}, "http://h.test/ows", 5)
