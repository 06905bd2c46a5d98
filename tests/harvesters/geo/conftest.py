"""Loopback servers for the geospatial harvester's tests (session-wide: they only read their data)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from . import servers

GOLDEN = Path(__file__).parent / "golden"
# Replaces the servers' random ports in golden files.
PLACEHOLDER = "http://ogc.test"


@pytest.fixture(scope="session")
def mapserver_url(tmp_path_factory) -> str:
    if not Path(servers.MAPSERV).exists():
        pytest.skip("MapServer is not installed (apt-get install cgi-mapserver mapserver-bin)")
    with servers.mapserver(tmp_path_factory.mktemp("mapserver")) as url:
        yield url


@pytest.fixture(scope="session")
def pygeoapi_url(tmp_path_factory) -> str:
    if servers.ogc_python() is None:
        pytest.skip("pygeoapi's virtualenv is missing: python3 -m venv .venv-ogc && "
                    ".venv-ogc/bin/pip install pygeoapi==0.21.0 pycsw==2.6.2 'SQLAlchemy<2'")
    with servers.pygeoapi(tmp_path_factory.mktemp("pygeoapi")) as url:
        yield url


def recorded(name: str) -> bytes:
    return (servers.RECORDED / name).read_bytes()


def arcgis_routes(prefix: str = "/arcgis/rest/services/Pasuruan") -> dict[str, servers.Answer]:
    """The recorded ArcGIS REST answers at the paths a real ArcGIS Server gives them."""
    return {
        f"{prefix}/PUPR/MapServer": servers.Answer(recorded("mapserver.json")),
        f"{prefix}/PUPR/MapServer/1": servers.Answer(recorded("mapserver-1.json")),
        f"{prefix}/PUPR/MapServer/2": servers.Answer(recorded("mapserver-2.json")),
        f"{prefix}/SumurBor/FeatureServer": servers.Answer(recorded("featureserver.json")),
        f"{prefix}/SumurBor/FeatureServer/0": servers.Answer(recorded("featureserver-0.json")),
    }


@pytest.fixture(scope="session")
def arcgis_url() -> str:
    """Base URL of a loopback server answering with the recorded ArcGIS REST responses."""
    with servers.http_server(servers.answering(arcgis_routes())) as url:
        yield url + "/arcgis/rest/services/Pasuruan"


def assert_golden(name: str, value, base_url: str) -> None:
    """``value`` equals the golden file ``name`` (rewritten with SATUDATA_UPDATE_GOLDEN=1)."""
    text = json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True).replace(base_url, PLACEHOLDER)
    path = GOLDEN / name
    if os.environ.get("SATUDATA_UPDATE_GOLDEN"):
        path.write_text(text + "\n", encoding="utf-8")
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8"))
