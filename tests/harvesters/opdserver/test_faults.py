"""Each injected fault does what it says until cleared, in-process and through ``POST /_control``."""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request

import pytest

from ckanext.satudatapasuruan.harvesters.opdserver import DEFAULT_API_KEY, DEFAULT_TOKEN, ENDPOINTS, ControlError
from ckanext.satudatapasuruan.harvesters.opdserver.testing import closed_port, refused_url

from .client import get, walk
from .test_pagination import MODES

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}", "X-API-Key": DEFAULT_API_KEY}
SIPD = "/sipd/api/v1/realisasi"
CURSOR = "/absensi/api/v1/rekap-kehadiran"


@pytest.fixture(params=["thread", "process"])
def server(request):
    """The same tests against the in-thread server and the subprocess driven over HTTP."""
    return request.getfixturevalue("opd_server" if request.param == "thread" else "opd_server_process")


@pytest.mark.parametrize("code", [500, 404, 403, 429])
def test_status_fault_answers_every_listing(server, code):
    """A status fault makes every listing answer that status with a JSON error, until it is cleared."""
    server.fault("status", code=code)
    for path in ENDPOINTS:
        reply = get(server.url + path, AUTH)
        assert reply.status == code and reply.json()["error"] == "fault", path
    assert get(server.url + "/").status == 200  # the index and /_control keep working
    server.clear("status")
    assert all(get(server.url + path, AUTH).status == 200 for path in ENDPOINTS)


def test_status_fault_scoped_to_a_path(server):
    """A fault with a path prefix breaks that system only."""
    server.fault("status", code=503, path="/sipd")
    assert get(server.url + SIPD, AUTH).status == 503
    assert get(server.url + CURSOR, AUTH).status == 200


def test_invalid_json(server):
    """invalid_json answers 200 with a body that does not parse."""
    server.fault("invalid_json")
    reply = get(server.url + SIPD, AUTH)
    assert reply.status == 200
    with pytest.raises(ValueError):
        json.loads(reply.body)


@pytest.mark.parametrize("mode", ["page", "cursor", "offset_csv", "xlsx"])
def test_drift_renames_and_drops_in_every_record(server, mode):
    """drift renames and drops fields in every record of every format."""
    path, system, config = MODES[mode]
    renamed = "nama_skpd" if system == "sipd" else "nama_unit_kerja"
    server.fault("drift", rename={renamed: "nama_opd"}, drop=["tahun"])
    records, _ = walk(server.url + path, config)
    assert len(records) == 50
    assert all("nama_opd" in r and renamed not in r and "tahun" not in r for r in records)
    server.reset()
    records, _ = walk(server.url + path, config)
    assert all(renamed in r and "tahun" in r for r in records)


@pytest.mark.parametrize("mode", ["page", "cursor", "next_link_body", "offset_csv"])
def test_fail_page_breaks_one_page_of_a_walk(server, mode):
    """fail_page answers 500 for the Nth page of a walk (whatever the pagination) while the others work."""
    path, _, config = MODES[mode]
    server.fault("fail_page", page=3)
    with pytest.raises(AssertionError, match="500"):
        walk(server.url + path, config)
    server.clear()
    assert len(walk(server.url + path, config)[0]) == 50
    server.fault("fail_page", page=2)
    reply = get(f"{server.url}{SIPD}?page=1&per_page=10", AUTH)
    assert reply.status == 200
    assert get(f"{server.url}{SIPD}?page=2&per_page=10", AUTH).status == 500
    assert get(f"{server.url}{SIPD}?page=3&per_page=10", AUTH).status == 200


@pytest.mark.parametrize("mode", ["page", "cursor", "offset_csv"])
def test_duplicate_repeats_a_record_on_a_later_page(server, mode):
    """duplicate puts the first record (or the one named) again on page N of a walk."""
    path, system, config = MODES[mode]
    id_field = "id" if system == "sipd" else "id_rekap"
    named = server.records(system)[5][id_field]
    server.fault("duplicate", page=2)
    ids = [r[id_field] for r in walk(server.url + path, config)[0]]
    assert len(ids) == 51 and ids.count(ids[0]) == 2 and ids.index(ids[0], 1) >= 10
    server.fault("duplicate", page=3, id=named)
    ids = [r[id_field] for r in walk(server.url + path, config)[0]]
    assert ids.count(named) == 2 and ids.index(named, 6) >= 20


@pytest.mark.parametrize("no_length", [False, True])
def test_oversize_body_has_the_asked_size(server, no_length):
    """oversize answers exactly N bytes (valid JSON), with or without a Content-Length."""
    size = 3_000_000
    server.fault("oversize", bytes=size, no_length=no_length)
    reply = get(server.url + SIPD, AUTH)
    assert len(reply.body) == size
    assert reply.headers.get("Content-Length") == (None if no_length else str(size))
    assert len(json.loads(reply.body)["data"]) == 50


def test_slow_delays_the_answer(server):
    """slow waits N seconds before answering: a client with a shorter timeout gives up, a patient one gets 200."""
    server.fault("slow", seconds=0.6)
    with pytest.raises(TimeoutError):
        get(server.url + SIPD, AUTH, timeout=0.2)
    started = time.monotonic()
    assert get(server.url + SIPD, AUTH, timeout=5).status == 200
    assert time.monotonic() - started >= 0.6


def test_hang_holds_requests_until_cleared(server):
    """hang accepts the request and never answers until the fault is cleared; then the request completes."""
    server.fault("hang")
    with pytest.raises(TimeoutError):
        get(server.url + SIPD, AUTH, timeout=0.3)
    result = {}
    waiting = threading.Thread(target=lambda: result.update(reply=get(server.url + SIPD, AUTH, timeout=20)))
    waiting.start()
    waiting.join(0.5)
    assert waiting.is_alive()
    server.clear("hang")
    waiting.join(10)
    assert result["reply"].status == 200


def test_reset_clears_every_fault(server):
    """reset turns every active fault off at once."""
    server.fault("drift", drop=["tahun"])
    server.fault("fail_page", page=1)
    server.fault("invalid_json")
    assert set(server.state()["faults"]) == {"drift", "fail_page", "invalid_json"}
    server.reset()
    assert server.state()["faults"] == {}
    assert "tahun" in get(server.url + SIPD, AUTH).json()["data"][0]


@pytest.mark.parametrize("name, params", [
    ("status", {}), ("status", {"code": 200}), ("status", {"code": "500"}),
    ("drift", {}), ("drift", {"rename": {"a": 1}}), ("drift", {"drop": "tahun"}),
    ("fail_page", {"page": 0}), ("oversize", {"bytes": -1}), ("duplicate", {"page": 2, "id": 7}),
    ("slow", {"seconds": "lama"}), ("slow", {"seconds": 99999}), ("hang", {"path": 5}), ("meledak", {}),
])
def test_bad_fault_is_refused(server, name, params):
    """A fault with missing or wrong parameters, or an unknown one, is refused with a 400 and changes nothing."""
    with pytest.raises(ControlError) as err:
        server.fault(name, **params)
    assert err.value.status == 400
    assert server.state()["faults"] == {}


def test_closed_port_refuses_connections():
    """closed_port gives a port where a connection is refused, for connection-refused tests."""
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", closed_port()), timeout=2)
    with pytest.raises(OSError):
        urllib.request.urlopen(refused_url(), timeout=2)
