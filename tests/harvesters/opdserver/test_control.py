"""The control API changes the data a harvester sees, in-process and over HTTP; the CLI prints its address."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from ckanext.satudatapasuruan.harvesters.opdserver import DEFAULT_API_KEY, DEFAULT_TOKEN, ControlError
from ckanext.satudatapasuruan.harvesters.opdserver.testing import MODULE, ServerProcess, running_process

from .client import get

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}", "X-API-Key": DEFAULT_API_KEY}
SIPD = "/sipd/api/v1/realisasi?per_page=1000"
CSV = "/absensi/ekspor/rekap-kehadiran.csv"


@pytest.fixture(params=["thread", "process"])
def server(request):
    return request.getfixturevalue("opd_server" if request.param == "thread" else "opd_server_process")


def _listed(server):
    return get(server.url + SIPD, AUTH).json()["data"]


def test_change_is_served_and_bumps_updated_at(server):
    """A changed record is listed with its new values and a later updated_at; the others stay as they were."""
    before = _listed(server)
    target = before[3]
    changed = server.change("sipd", target["id"], nama_skpd="Badan Baru", pagu_total=5)
    after = _listed(server)
    assert after[3] == changed
    assert (changed["nama_skpd"], changed["pagu_total"]) == ("Badan Baru", 5)
    assert changed["updated_at"] > target["updated_at"]
    assert after[:3] + after[4:] == before[:3] + before[4:]


def test_add_lists_a_new_record_once(server):
    """An added record is a new generated one (or has the values given) and appears once in the listing."""
    added = server.add("sipd", uraian="Tambahan")
    ids = [r["id"] for r in _listed(server)]
    assert added["id"] in ids and ids.count(added["id"]) == 1 and len(ids) == 51
    assert added["uraian"] == "Tambahan" and added["rincian"]
    own = server.add("absensi", id_rekap="209912-9.99", nama_unit_kerja="Unit Uji")
    assert own["nama_unit_kerja"] == "Unit Uji" and own["jumlah_pegawai"] > 0  # the rest is generated
    assert f"209912-9.99,{own['kode_unit_kerja']},Unit Uji," in get(server.url + CSV, AUTH).body.decode()


def test_remove_drops_the_record(server):
    """A removed record is gone from the listing."""
    victim = _listed(server)[0]["id"]
    server.remove("sipd", victim)
    assert victim not in [r["id"] for r in _listed(server)]


def test_restore_brings_back_the_generated_data(server):
    """restore regenerates the records from the seed and clears faults."""
    original = _listed(server)
    server.change("sipd", original[0]["id"], nama_skpd="X")
    server.remove("sipd", original[1]["id"])
    server.fault("status", code=500)
    server.restore()
    assert _listed(server) == original
    server.restore(records=5)
    assert len(_listed(server)) == 5
    server.restore()
    assert _listed(server) == original


def test_records_and_request_log(server):
    """records() returns the listing's records; requests() logs what a harvester sent (conditional headers)."""
    assert server.records("sipd") == _listed(server)
    server.requests(clear=True)
    get(server.url + SIPD, {**AUTH, "If-None-Match": '"x"'})
    log = server.requests()
    assert [(r["path"], r["status"], r["if_none_match"]) for r in log] == [("/sipd/api/v1/realisasi", 200, '"x"')]


@pytest.mark.parametrize("call, status", [
    (lambda s: s.change("sipd", "tidak-ada", nama_skpd="X"), 404),
    (lambda s: s.change("sipd", s.records("sipd")[0]["id"], id="lain"), 400),
    (lambda s: s.remove("absensi", "tidak-ada"), 404),
    (lambda s: s.add("sipd", id=s.records("sipd")[0]["id"]), 400),
    (lambda s: s.add("keuangan"), 400),
    (lambda s: s.records("keuangan"), 400),
    (lambda s: s.restore(records=-1), 400),
    (lambda s: s.control({"action": "meledak"}), 400),
    (lambda s: s.control({"action": "add", "system": "sipd", "values": [1]}), 400),
    (lambda s: s.control({"action": "change", "system": "sipd", "values": {"tahun": 1}}), 400),
    (lambda s: s.control({"action": "remove", "system": "sipd", "id": 5}), 400),
], ids=["change-unknown", "change-id", "remove-unknown", "add-taken", "add-system", "records-system",
        "restore-negative", "unknown-action", "values-not-object", "change-without-id", "remove-id-not-text"])
def test_bad_control_request_is_refused(server, call, status):
    """A control request naming a missing record or system, or malformed, is refused and changes nothing."""
    before = server.records("sipd")
    with pytest.raises(ControlError) as err:
        call(server)
    assert err.value.status == status
    assert server.records("sipd") == before


@pytest.mark.parametrize("body", [b"bukan json", b"[1, 2]"])
def test_control_endpoint_refuses_non_objects(opd_server, body):
    """POST /_control with a body that is not a JSON object answers 400 with a JSON error."""
    request = urllib.request.Request(opd_server.url + "/_control", data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request)
    assert err.value.code == 400 and json.load(err.value)["ok"] is False


def test_control_state_over_get(opd_server):
    """GET /_control shows the counts, the seed and the active faults."""
    opd_server.fault("slow", seconds=0)
    state = get(opd_server.url + "/_control").json()
    assert state["systems"]["sipd"]["count"] == 50 and state["faults"] == {"slow": {"seconds": 0}}


def test_process_prints_its_port_and_answers():
    """The CLI prints 'listening on http://127.0.0.1:PORT' for a free port, serves there and exits 0 on SIGTERM."""
    with running_process(records=7, token="abc") as process:
        assert process.url == f"http://127.0.0.1:{process.port}" and process.port > 0
        reply = get(process.url + SIPD, {"Authorization": "Bearer abc"})
        assert len(reply.json()["data"]) == 7
    assert process.returncode == 0


def test_process_with_bad_arguments_fails_to_start():
    """A bad argument stops the CLI with a usage error, and the fixture reports it instead of hanging."""
    result = subprocess.run([sys.executable, "-m", MODULE, "--records", "-1"], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2 and "--records" in result.stderr
    with pytest.raises(RuntimeError, match="did not start"):
        ServerProcess(records=-1).start()
