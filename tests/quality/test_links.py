"""MQ-011 and the link checker, against a real HTTP server on loopback: what is checked, how politely, what is
stored, and how the tickets follow."""
from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.satudatapasuruan.quality import links
from ckanext.satudatapasuruan.quality.links_config import LINK_RATE_PER_HOST, LINK_RECHECK_HOURS, LINK_TIMEOUT

from .conftest import PLUGINS, ticket_of

RATE = 5.0  # requests per second per host, in the rate test
FAST_RATE = 50.0  # in the others, to keep them quick
TIMEOUT = 0.4  # seconds; the slow path answers after SLOW
SLOW = 1.5
TOLERANCE = 0.02  # clock granularity between the checker's and the server's monotonic readings


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.log: list[tuple[str, str, float]] = []  # (method, path, arrival)
        self.lock = threading.Lock()
        self.codes: dict[str, int] = {}  # overrides, set by a test

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def requests_for(self, path: str) -> list[str]:
        return [m for m, p, _ in self.log if p == path]


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, method: str) -> None:
        with self.server.lock:
            self.server.log.append((method, self.path, time.monotonic()))
        path = self.path
        if path == "/lambat":
            time.sleep(SLOW)
        if path == "/putar":
            return self._send(302, {"Location": "/putar"})
        if path == "/pindah":
            return self._send(301, {"Location": "/ok"})
        if path == "/kredensial":
            return self._send(302, {"Location": self.server.url("/ok").replace("http://", "http://u:p@")})
        if path == "/head405" and method == "HEAD":
            return self._send(405, {"Allow": "GET"})
        code = self.server.codes.get(path) or {"/hilang": 404, "/galat": 500}.get(path, 200)
        self._send(code, {"Content-Type": "text/csv"})

    def _send(self, code: int, headers: dict[str, str]) -> None:
        try:
            self.send_response(code)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except (BrokenPipeError, ConnectionResetError):  # the checker gave up waiting (the slow path)
            pass

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def do_GET(self) -> None:
        self._answer("GET")


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def links_table(clean_db):
    model.Session.execute(links.link_check.delete())
    model.Session.commit()


def stored() -> dict[str, tuple[str, str, int | None]]:
    """{resource_id: (url, status, http_code)} of the link_check table."""
    return {r.resource_id: (r.url, r.status, r.http_code)
            for r in model.Session.execute(sa.select(links.link_check))}


def resources(server: Server, *paths: str, **named: str) -> list[dict[str, str]]:
    out = [{"name": p.strip("/"), "url": server.url(p), "format": "CSV"} for p in paths]
    return out + [{"name": name, "url": url, "format": "CSV"} for name, url in named.items()]


def by_name(pkg: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in pkg["resources"]}


PORTAL_CONFIG = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
    pytest.mark.ckan_config("ckan.locale_default", "id"),
    pytest.mark.ckan_config(LINK_TIMEOUT, TIMEOUT),
    pytest.mark.ckan_config(LINK_RATE_PER_HOST, FAST_RATE),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "links_table"),
]


def with_portal(cls):
    for mark in PORTAL_CONFIG:
        cls = mark(cls)
    return cls


@with_portal
class TestCheckAndTickets:
    def test_results_stored_and_tickets_follow(self, portal, server):
        """The checker stores ok for 200, a HEAD refused with 405 answered by GET, and a redirect to 200; an
        http error for 404 and 500; a timeout; too many redirects for a loop; an invalid URL; it sends nothing
        to uploads, the portal's own URLs or resources without a URL. The scan then opens one tinggi MQ-011
        ticket naming exactly the broken resources, in Indonesian; fixing their URLs closes it."""
        ds = portal.dataset(resources=resources(
            server, "/ok", "/hilang", "/galat", "/lambat", "/putar", "/head405", "/pindah",
            rusak="bukan alamat", portal="http://test.ckan.net/dataset/x/resource/y/download/a.csv"))
        upload_path = "/unggahan.csv"
        patched = portal.call("resource_create", "operator", package_id=ds["id"], name="unggahan",
                              url=server.url(upload_path), url_type="upload")
        assert patched["url_type"] == "upload"
        ticket = ticket_of(portal, ds["id"], "MQ-011")
        assert ticket is None  # nothing checked yet: passes

        checked = links.check_packages([ds["id"]])
        res = by_name(portal.call("package_show", "operator", id=ds["id"]))
        assert {i["name"] for i in checked} == {"ok", "hilang", "galat", "lambat", "putar", "head405", "pindah",
                                                "rusak"}
        assert stored() == {
            res["ok"]["id"]: (server.url("/ok"), "ok", 200),
            res["hilang"]["id"]: (server.url("/hilang"), "http_error", 404),
            res["galat"]["id"]: (server.url("/galat"), "http_error", 500),
            res["lambat"]["id"]: (server.url("/lambat"), "timeout", None),
            res["putar"]["id"]: (server.url("/putar"), "too_many_redirects", None),
            res["head405"]["id"]: (server.url("/head405"), "ok", 200),
            res["pindah"]["id"]: (server.url("/pindah"), "ok", 200),
            res["rusak"]["id"]: ("bukan alamat", "invalid_url", None),
        }
        assert server.requests_for("/head405") == ["HEAD", "GET"]
        assert server.requests_for("/ok") == ["HEAD", "HEAD"]  # its own, and the end of /pindah
        assert len(server.requests_for("/putar")) == 6  # the first request and 5 redirects followed
        assert server.requests_for(upload_path) == []
        row = model.Session.execute(sa.select(links.link_check).where(
            links.link_check.c.resource_id == res["lambat"]["id"])).one()
        assert "timed out" in row.message.lower()
        assert abs(row.checked_at - dt.datetime.utcnow()) < dt.timedelta(minutes=1)

        portal.call("satudata_quality_scan", "walidata", id=ds["id"])
        ticket = ticket_of(portal, ds["id"], "MQ-011")
        assert ticket["status"] == "terbuka" and ticket["severity"] == "tinggi"
        assert ticket["rule_title"] == "Tautan sumber daya rusak"
        fix = "; perbaiki alamatnya atau unggah berkasnya ke portal"
        assert [f["message"] for f in ticket["findings"]] == [
            "Tautan sumber daya hilang tidak dapat dibuka (server menjawab HTTP 404)" + fix,
            "Tautan sumber daya galat tidak dapat dibuka (server menjawab HTTP 500)" + fix,
            "Tautan sumber daya lambat tidak dapat dibuka (server tidak menjawab dalam batas waktu)" + fix,
            "Tautan sumber daya putar tidak dapat dibuka (terlalu banyak pengalihan)" + fix,
            "Tautan sumber daya rusak tidak dapat dibuka (alamatnya tidak sah)" + fix,
        ]

        # One URL changed (still broken, but not checked yet): no longer reported; the others still are.
        portal.call("resource_patch", "operator", id=res["hilang"]["id"], url=server.url("/hilang-juga"))
        portal.call("satudata_quality_scan", "walidata", id=ds["id"])
        assert len(ticket_of(portal, ds["id"], "MQ-011")["findings"]) == 4

        # Every broken URL fixed through package_patch: the scan on save closes the ticket.
        current = portal.call("package_show", "operator", id=ds["id"])["resources"]
        fixed = [dict(r, url=server.url("/ok")) if r["name"] in {"galat", "lambat", "putar", "rusak"} else r
                 for r in current]
        portal.call("package_patch", "operator", id=ds["id"], resources=fixed)
        assert ticket_of(portal, ds["id"], "MQ-011")["status"] == "selesai"

    def test_recheck_window_and_recovery(self, portal, server, ckan_config, monkeypatch):
        """A result younger than link_recheck_hours for the same URL is reused without a request; an older one
        is requested again, and a link that recovered closes the ticket; one that breaks again reopens it."""
        ds = portal.dataset(resources=resources(server, "/berubah"))
        server.codes["/berubah"] = 503
        start = dt.datetime.utcnow()
        first = links.check_packages([ds["id"]], now=start)
        assert [(i["status"], i["http_code"], i["reused"]) for i in first] == [("http_error", 503, False)]
        portal.call("satudata_quality_scan", "walidata", id=ds["id"])
        assert ticket_of(portal, ds["id"], "MQ-011")["status"] == "terbuka"

        server.codes["/berubah"] = 200
        again = links.check_packages([ds["id"]], now=start + dt.timedelta(hours=23))
        assert [(i["status"], i["reused"]) for i in again] == [("http_error", True)]
        assert server.requests_for("/berubah") == ["HEAD"]

        later = links.check_packages([ds["id"]], now=start + dt.timedelta(hours=25))
        assert [(i["status"], i["http_code"], i["reused"]) for i in later] == [("ok", 200, False)]
        portal.call("satudata_quality_scan", "walidata", id=ds["id"])
        assert ticket_of(portal, ds["id"], "MQ-011")["status"] == "selesai"

        server.codes["/berubah"] = 404
        monkeypatch.setitem(ckan_config, LINK_RECHECK_HOURS, 0)  # every result counts as old
        links.check_packages([ds["id"]], now=start + dt.timedelta(hours=25, minutes=1))
        portal.call("satudata_quality_scan", "walidata", id=ds["id"])
        reopened = ticket_of(portal, ds["id"], "MQ-011")
        assert reopened["status"] == "terbuka" and "HTTP 404" in reopened["message"]

    def test_rate_per_host_and_only_active_datasets(self, portal, server, ckan_config, monkeypatch):
        """Requests to one host arrive at least 1/rate seconds apart (HEAD-then-GET and redirect hops
        included), measured at the server; a deleted dataset's resources are not checked."""
        portal.dataset(resources=resources(server, "/ok?a", "/ok?b", "/head405", "/pindah", "/ok?c"))
        gone = portal.dataset(name="dihapus", resources=resources(server, "/hilang"))
        portal.call("package_delete", "operator", id=gone["id"])
        monkeypatch.setitem(ckan_config, LINK_RATE_PER_HOST, RATE)
        links.check_packages()
        assert server.requests_for("/hilang") == []
        arrivals = [t for _, _, t in server.log]
        assert len(arrivals) == 7
        gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
        assert min(gaps) >= 1 / RATE - TOLERANCE, gaps

    def test_command(self, cli, portal, server):
        """`check-links --all` checks, rescans and says what opened; by name it reuses the fresh results; an
        unknown name fails with exit code 1; no argument at all is a usage error."""
        ds = portal.dataset(resources=resources(server, "/ok", "/hilang"))
        first = cli.invoke(links.check_links, ["--all"])
        assert first.exit_code == 0, first.output
        assert f"{ds['name']}: 2 tautan, 1 rusak; dibuka MQ-011" in first.output
        assert "2 tautan dari 1 dataset diperiksa; 1 dataset dipindai ulang" in first.output
        again = cli.invoke(links.check_links, [ds["name"], "tidak-ada"])
        # the fresh results are reused and nothing turned broken or working: no rescan
        assert again.exit_code == 1 and f"{ds['name']}:" not in again.output
        assert "2 tautan dari 1 dataset diperiksa; 0 dataset dipindai ulang" in again.output
        assert len(server.log) == 2
        assert cli.invoke(links.check_links, []).exit_code != 0


    @pytest.mark.ckan_config("ckanext.satudatapasuruan.quality.scan_on_save", False)
    def test_nightly(self, cli, portal, server):
        """`nightly` checks every external link and scans every dataset exactly once in one process: the broken
        link's dataset gets MQ-011, a dataset without external links its own ticket, a sound one none; run again
        (results still fresh) it requests nothing and changes nothing."""
        from ckanext.satudatapasuruan.quality.cli import quality

        broken = portal.dataset(name="tautan-rusak", resources=resources(server, "/ok", "/hilang"))
        local = portal.dataset(name="tanpa-tautan", konsep="", resources=[])
        sound = portal.dataset(name="tautan-baik", resources=resources(server, "/ok"))
        first = cli.invoke(quality, ["nightly"])
        assert first.exit_code == 0, first.output
        lines = first.output.strip().splitlines()
        assert sorted(line for line in lines[:-1]) == sorted([
            f"{broken['name']}: dibuka MQ-011", f"{local['name']}: dibuka MQ-001", f"{sound['name']}: tidak berubah"])
        assert lines[-1] == "3 tautan diperiksa (1 rusak); 3 dataset dipindai"
        assert ticket_of(portal, broken["id"], "MQ-011")["status"] == "terbuka"
        assert len(server.log) == 3
        again = cli.invoke(quality, ["nightly"])
        assert again.exit_code == 0 and again.output.count("tidak berubah") == 3, again.output
        assert len(server.log) == 3


def test_registered_as_tinggi():
    """MQ-011 is in the registry, tinggi, with an Indonesian title; a dict without an id (a form not yet
    saved) passes without touching the database."""
    from ckanext.satudatapasuruan.quality import rules

    assert rules.RULES["MQ-011"].severity is rules.Severity.TINGGI
    assert rules.RULES["MQ-011"].title == "Tautan sumber daya rusak"
    assert links.resource_links_work({"name": "x"}, dt.datetime(2026, 1, 1)) == []


@pytest.mark.parametrize(("url", "url_type", "external"), [
    ("https://data.jatimprov.go.id/a.csv", None, True),
    ("http://test.ckan.net/dataset/x/resource/y/download/a.csv", None, False),
    ("http://TEST.ckan.net/a.csv", "", False),
    ("http://test.ckan.net:8080/a.csv", None, True),
    ("http://example.org/a.csv", "upload", False),
    ("http://example.org/a.csv", "datastore", False),
    ("http://example.org/a.csv", "satudata_entry", False),
    ("", None, False),
    ("/dataset/x", None, False),
    ("ftp://ftp.example.org/a.csv", None, False),
    ("bukan alamat", None, True),
])
def test_is_external(url, url_type, external):
    """Uploads, DataStore and entry resources, the portal's own URLs, ftp and empty URLs are not checked."""
    assert links.is_external(url, url_type, ("test.ckan.net", None)) is external


@pytest.mark.parametrize(("url", "problem"), [
    ("https://data.example.org/a.csv", None),
    ("http://user:secret@example.org/a.csv", "credentials"),
    ("mailto:data@example.org", "unsupported scheme"),
    ("data.csv", "not an absolute"),
    ("http:///a.csv", "no host"),
    ("http://example.org:99999/a.csv", "malformed"),
    ("http://example.org/a b.csv", "spaces"),
])
def test_url_problem(url, problem):
    """Addresses refused before any request, each with its reason."""
    found = links.url_problem(url)
    assert (found is None) if problem is None else (problem in found)


def test_credentials_never_sent(server):
    """A URL with a user and password is refused unasked, and so is a redirect to one."""
    throttle = links.Throttle(100.0)
    with links._session("test") as session:
        direct = links.check_url(server.url("/ok").replace("http://", "http://u:p@"), session=session,
                                 throttle=throttle, timeout=TIMEOUT, max_redirects=5)
        redirected = links.check_url(server.url("/kredensial"), session=session, throttle=throttle,
                                     timeout=TIMEOUT, max_redirects=5)
    assert direct.status is links.LinkStatus.INVALID_URL and "credentials" in direct.message
    assert redirected.status is links.LinkStatus.INVALID_URL and "redirect to" in redirected.message
    assert [p for _, p, _ in server.log] == ["/kredensial"]


def test_connection_refused():
    """A port nobody listens on is a connection error."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with links._session("test") as session:
        result = links.check_url(f"http://127.0.0.1:{port}/a.csv", session=session, throttle=links.Throttle(100.0),
                                 timeout=TIMEOUT, max_redirects=5)
    assert result.status is links.LinkStatus.CONNECTION_ERROR


def test_throttle_with_injected_clock():
    """The throttle waits 1/rate after the previous start on the same host, not on another host."""
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))
        now[0] += seconds

    throttle = links.Throttle(2.0, clock=lambda: now[0], sleep=sleep)
    for host in ("a", "b", "a"):
        with throttle.slot(host):
            now[0] += 0.1
    assert waits == [0.3]  # a started at 0.0, b at 0.1, a again at 0.2: waits until 0.5
