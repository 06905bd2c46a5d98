"""Faults of a geospatial service, each a SourceError with an Indonesian message naming the URL, against real
loopback servers (a closed port, a slow server, HTTP 500, broken bodies)."""
from __future__ import annotations

import time

import pytest

from ckanext.satudatapasuruan.harvesters.base import SourceError
from ckanext.satudatapasuruan.harvesters.geo import client, listing

from . import servers

WMS_OK = b'<WMS_Capabilities version="1.3.0" xmlns="http://www.opengis.net/wms"><Capability/></WMS_Capabilities>'


def _drip(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    for _ in range(40):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.05)


@pytest.fixture(scope="module")
def faults():
    routes = {
        "/ok": servers.Answer(WMS_OK, content_type="text/xml"),
        "/error": servers.Answer(b"Internal Server Error", status=500, content_type="text/plain"),
        "/slow": servers.Answer(b"{}", delay=1.5),
        "/drip": _drip,
        "/bad-xml": servers.Answer(b"<WMS_Capabilities><Layer>", content_type="text/xml"),
        "/bad-json": servers.Answer(b"{\"collections\": [", content_type="application/json"),
        "/exception": servers.Answer(
            b'<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1"><ows:Exception exceptionCode="x">'
            b"<ows:ExceptionText>msWFSGetCapabilities(): layer tidak ada</ows:ExceptionText></ows:Exception>"
            b"</ows:ExceptionReport>", content_type="text/xml"),
        "/arcgis-error": servers.Answer(b'{"error": {"code": 499, "message": "Token Required", "details": []}}'),
        "/big": servers.Answer(b"x" * 5000),
    }
    with servers.http_server(servers.answering(routes)) as url:
        yield url


def test_a_good_answer_is_read(faults):
    assert client.Fetcher().xml(faults + "/ok").get("version") == "1.3.0"


def test_connection_refused():
    """Nothing listening on the port: the service cannot be reached."""
    url = f"http://127.0.0.1:{servers.free_port()}/ows"
    with pytest.raises(SourceError, match=r"tidak dapat dihubungi \(koneksi ditolak\)") as err:
        client.Fetcher(timeout=2).xml(url)
    assert url in str(err.value)


@pytest.mark.parametrize("path", ["/slow", "/drip"])
def test_timeout(faults, path):
    """A server that does not answer in time, or drips its answer, is a timeout."""
    with pytest.raises(SourceError, match="tidak menjawab dalam 0.5 detik"):
        client.Fetcher(timeout=0.5).json(faults + path)


def test_http_error(faults):
    with pytest.raises(SourceError, match="galat HTTP 500"):
        client.Fetcher().xml(faults + "/error")


def test_invalid_xml(faults):
    with pytest.raises(SourceError, match="bukan XML yang valid"):
        client.Fetcher().xml(faults + "/bad-xml")


def test_invalid_json(faults):
    with pytest.raises(SourceError, match="bukan JSON yang valid"):
        client.Fetcher().json(faults + "/bad-json")


def test_ows_exception_report(faults):
    """An OGC exception report (HTTP 200) is the service's error, quoted."""
    with pytest.raises(SourceError, match="melaporkan galat: msWFSGetCapabilities"):
        client.Fetcher().xml(faults + "/exception")


def test_arcgis_error_object(faults):
    """ArcGIS answers errors as HTTP 200 with an ``error`` object."""
    with pytest.raises(SourceError, match="melaporkan galat 499: Token Required"):
        client.Fetcher().json(faults + "/arcgis-error")


def test_size_cap(faults):
    with pytest.raises(SourceError, match="melebihi batas ukuran 1000 bita"):
        client.Fetcher(max_bytes=1000).get(faults + "/big")


def test_a_layer_page_that_fails_fails_the_listing(faults):
    """ArcGIS: the service answers but one layer's document is missing (404): the listing fails whole."""
    routes = {"/MapServer": servers.Answer(b'{"layers": [{"id": 0, "name": "A"}], "capabilities": "Map"}')}
    with servers.http_server(servers.answering(routes)) as url:
        with pytest.raises(SourceError, match="HTTP 404"):
            listing.list_arcgis(client.Fetcher(), url + "/MapServer")


@pytest.mark.parametrize("url, params, expected", [
    ("http://h.test/cgi?map=/srv/a.map&SERVICE=WMS", {"REQUEST": "GetMap"}, "http://h.test/cgi?map=/srv/a.map&REQUEST=GetMap"),
    ("http://h.test/ows?service=wfs&version=1.1.0", {"SERVICE": "WFS"}, "http://h.test/ows?SERVICE=WFS"),
])
def test_with_query_keeps_the_service_parameters(url, params, expected):
    """MapServer's ``map`` parameter survives; operation parameters are replaced, whatever their case."""
    assert client.with_query(url, **params) == expected


def test_base_url():
    assert client.base_url(" http://h.test/ows/?SERVICE=WMS&request=GetCapabilities ") == "http://h.test/ows"
