"""The heartbeat against a real loopback server (up, an error answer, nobody listening) and the uptime it
gives; the visit flush from Redis to the table, exactly once; both as ``ckan satudata-monev`` commands."""
from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import threading

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from ckanext.satudatapasuruan.monev import cli, compute, heartbeat, records, visits
from ckanext.satudatapasuruan.monev.config import HEARTBEAT_INTERVAL, HEARTBEAT_URL

from .conftest import BARE_PLUGINS

EXTRA_CONFIG = {"ckan.plugins": BARE_PLUGINS}
pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db")]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the stdlib's hook name
        ok = self.path.startswith("/ok")
        body = json.dumps({"success": ok}).encode()
        self.send_response(200 if ok else 500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.ckan_config(HEARTBEAT_INTERVAL, 1)
def test_heartbeat_and_uptime(server):
    """Up on 200 with success true; down on an error answer or no answer; uptime over the periods since the
    first beat: 10:00 up, 10:01 down, 10:02 up, 10:03 nothing, now 10:04:30 -> 2 of 5."""
    with freeze_time("2026-03-02 10:00:10"):
        assert heartbeat.check(url=server + "/ok")["ok"] is True
    with freeze_time("2026-03-02 10:01:10"):
        down = heartbeat.check(url=server + "/fail")
        assert (down["ok"], down["status_code"], down["error"]) == (False, 500, "HTTP 500")
    with freeze_time("2026-03-02 10:02:10"):
        assert heartbeat.check(url=server + "/ok")["ok"] is True
    with freeze_time("2026-03-02 10:02:40"):
        gone = heartbeat.check(url=f"http://127.0.0.1:{_closed_port()}/")
        assert gone["ok"] is False and gone["status_code"] is None and gone["error"]
    up = compute.uptime_of(2026, dt.datetime(2026, 3, 2, 10, 4, 30))
    assert (up.value, up.numerator, up.denominator) == (40.0, 2, 5)
    assert compute.uptime_of(2025, dt.datetime(2026, 3, 2, 10, 4, 30)).status.value == "tanpa_data"


def test_heartbeat_command(server):
    """``ckan satudata-monev heartbeat`` records one beat; exit status 1 when the portal is down."""
    runner = CliRunner()
    done = runner.invoke(cli.monev, ["heartbeat", "--url", server + "/ok"])
    assert done.exit_code == 0 and done.output.startswith("up 200")
    failed = runner.invoke(cli.monev, ["heartbeat", "--url", server + "/fail"])
    assert failed.exit_code == 1 and failed.output.startswith("DOWN 500")
    assert [b for b in records.beat_buckets(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1), 60)[1]]


@pytest.mark.ckan_config(HEARTBEAT_URL, "http://127.0.0.1:9/none")
def test_heartbeat_default_url_from_config():
    """The configured address is asked when none is given."""
    assert heartbeat.check()["ok"] is False


def test_flush_visits_exactly_once():
    """Counted visits move to the table once; an interrupted flush's batch is applied by the next one and a
    batch already applied is only deleted."""
    for address in ("a", "b", "c"):
        visits.count(address, dt.datetime(2026, 4, 3, 9))
    visits.count("a", dt.datetime(2026, 5, 1, 9))
    assert visits.pending() == {dt.date(2026, 4, 1): 3, dt.date(2026, 5, 1): 1}
    done = CliRunner().invoke(cli.monev, ["flush-visits"])
    assert done.exit_code == 0 and done.output.strip() == "4 kunjungan dari 2 batch"
    assert records.visits_by_month(2026) == {dt.date(2026, 4, 1): 3, dt.date(2026, 5, 1): 1}
    assert visits.pending() == {} and visits.flush() == {"batches": 0, "visits": 0}
    # A batch left in Redis after its commit (the process died before deleting it): not added again.
    conn = visits.client()
    visits.count("z", dt.datetime(2026, 4, 9, 9))
    batch = visits.BATCH + "2026-04:left"
    conn.rename(visits.LIVE + "2026-04", batch)
    records.apply_visits(batch, {dt.date(2026, 4, 1): 1}, dt.datetime(2026, 4, 9, 9))
    from ckan import model
    model.repo.commit()
    assert visits.flush() == {"batches": 1, "visits": 0}
    assert records.visits_by_month(2026)[dt.date(2026, 4, 1)] == 4 and conn.get(batch) is None
