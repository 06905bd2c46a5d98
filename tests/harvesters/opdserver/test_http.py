"""HTTP semantics a harvester relies on: validators (ETag, Last-Modified), 304s, authentication errors."""
from __future__ import annotations

import email.utils
import hashlib
import urllib.error
import urllib.request

import pytest

from ckanext.satudatapasuruan.harvesters.opdserver import DEFAULT_API_KEY, DEFAULT_TOKEN, ENDPOINTS
from ckanext.satudatapasuruan.harvesters.opdserver.testing import running_server

from .client import get

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}", "X-API-Key": DEFAULT_API_KEY}
PATHS = sorted(ENDPOINTS)


def _system(path):
    return "sipd" if path.startswith("/sipd") else "absensi"


def _an_id(server, path):
    return server.records(_system(path))[0]["id" if _system(path) == "sipd" else "id_rekap"]


def _date(reply):
    return email.utils.parsedate_to_datetime(reply.headers["Last-Modified"])


@pytest.mark.parametrize("path", PATHS)
def test_listing_has_validators(opd_server, path):
    """Every listing answers an ETag (a hash of the body) and a Last-Modified (the newest record change)."""
    reply = get(opd_server.url + path, AUTH)
    assert reply.status == 200
    assert reply.headers["ETag"] == '"' + hashlib.sha256(reply.body).hexdigest()[:32] + '"'
    newest = max(r["updated_at"] for r in opd_server.records(_system(path)))
    assert _date(reply).strftime("%Y-%m-%dT%H:%M:%SZ") == newest


@pytest.mark.parametrize("path", PATHS)
def test_if_none_match_gives_304(opd_server, path):
    """The ETag sent back, also weak or among others, gives 304 without a body; another ETag gives 200."""
    etag = get(opd_server.url + path, AUTH).headers["ETag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        reply = get(opd_server.url + path, {**AUTH, "If-None-Match": header})
        assert (reply.status, reply.body) == (304, b""), header
        assert reply.headers["ETag"] == etag
    assert get(opd_server.url + path, {**AUTH, "If-None-Match": '"other"'}).status == 200


@pytest.mark.parametrize("path", PATHS)
def test_if_modified_since_gives_304(opd_server, path):
    """A date at or after Last-Modified gives 304; an earlier or unreadable one gives the body."""
    last = get(opd_server.url + path, AUTH).headers["Last-Modified"]
    assert get(opd_server.url + path, {**AUTH, "If-Modified-Since": last}).status == 304
    earlier = email.utils.format_datetime(email.utils.parsedate_to_datetime(last).replace(year=2020), usegmt=True)
    assert get(opd_server.url + path, {**AUTH, "If-Modified-Since": earlier}).status == 200
    assert get(opd_server.url + path, {**AUTH, "If-Modified-Since": "kemarin"}).status == 200


def test_if_none_match_decides_over_if_modified_since(opd_server):
    """With both headers, a stale ETag wins over a current date (RFC 9110), so a change is never missed."""
    path = "/sipd/api/v1/realisasi"
    last = get(opd_server.url + path, AUTH).headers["Last-Modified"]
    assert get(opd_server.url + path, {**AUTH, "If-None-Match": '"stale"', "If-Modified-Since": last}).status == 200


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("how", ["change", "add", "remove"])
def test_validators_move_after_a_change(opd_server, path, how):
    """After a record is changed, added or removed, the old ETag and date no longer give 304."""
    before = get(opd_server.url + path, AUTH)
    system = _system(path)
    if how == "change":
        opd_server.change(system, _an_id(opd_server, path), jumlah_pegawai=999, pagu_total=1)
    elif how == "add":
        opd_server.add(system)
    else:
        opd_server.remove(system, _an_id(opd_server, path))
    after = get(opd_server.url + path, {**AUTH, "If-None-Match": before.headers["ETag"]})
    assert after.status == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert _date(after) > _date(before)
    since = get(opd_server.url + path, {**AUTH, "If-Modified-Since": before.headers["Last-Modified"]})
    assert since.status == 200


def test_two_changes_in_one_second_both_move_last_modified(opd_server):
    """Last-Modified moves on every change even within one second, since HTTP dates count whole seconds."""
    path = "/sipd/api/v1/realisasi"
    record_id = _an_id(opd_server, path)
    opd_server.change("sipd", record_id, uraian="satu")
    first = get(opd_server.url + path, AUTH).headers["Last-Modified"]
    opd_server.change("sipd", record_id, uraian="dua")
    assert get(opd_server.url + path, {**AUTH, "If-Modified-Since": first}).status == 200


def test_same_seed_gives_same_bodies():
    """Two servers with the same seed answer byte-identical listings (the XLSX too), so ETags are reproducible."""
    paths = [p for p in PATHS if "/v2/" not in p]  # v2 bodies hold absolute links with the port
    with running_server(seed=7) as one, running_server(seed=7) as two, running_server(seed=8) as other:
        for path in paths:
            etags = [get(s.url + path, AUTH).headers["ETag"] for s in (one, two, other)]
            assert etags[0] == etags[1] != etags[2], path


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer salah", "X-API-Key": "salah"},
                                     {"Authorization": DEFAULT_TOKEN}, {"X-API-Key": DEFAULT_TOKEN,
                                                                        "Authorization": f"Bearer {DEFAULT_API_KEY}"}],
                         ids=["missing", "wrong", "no-scheme", "swapped"])
def test_bad_credentials_answer_401(opd_server, path, headers):
    """A missing, wrong or misplaced credential is a 401 with a JSON error and no data."""
    reply = get(opd_server.url + path, headers)
    assert reply.status == 401
    assert reply.json()["error"] == "unauthorized" and "data" not in reply.json()
    if _system(path) == "sipd":
        assert reply.headers["WWW-Authenticate"].startswith("Bearer")


def test_credentials_are_configurable():
    """The token and API key given to the server are the ones it accepts, and the defaults are then refused."""
    with running_server(token="t-rahasia", api_key="k-rahasia") as server:
        assert get(server.url + "/sipd/api/v1/realisasi", {"Authorization": "Bearer t-rahasia"}).status == 200
        assert get(server.url + "/sipd/api/v1/realisasi", AUTH).status == 401
        assert get(server.url + "/absensi/api/v1/rekap-kehadiran", {"X-API-Key": "k-rahasia"}).status == 200
        assert get(server.url + "/absensi/api/v1/rekap-kehadiran", AUTH).status == 401


def test_unknown_path_and_method(opd_server):
    """An unknown path is a JSON 404; a POST to a listing is a 405; the index lists the endpoints."""
    assert get(opd_server.url + "/sipd/api/v1/tidak-ada", AUTH).status == 404
    assert get(opd_server.url + "/").json()["endpoint"] == PATHS
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(urllib.request.Request(opd_server.url + PATHS[0], data=b"{}", method="POST"))
    assert err.value.code == 405


def test_head_answers_headers_only(opd_server):
    """HEAD gives the same status and validators as GET, without a body."""
    request = urllib.request.Request(opd_server.url + "/sipd/api/v1/realisasi", headers=AUTH, method="HEAD")
    with urllib.request.urlopen(request) as response:
        assert response.read() == b""
        assert response.headers["ETag"] == get(opd_server.url + "/sipd/api/v1/realisasi", AUTH).headers["ETag"]
