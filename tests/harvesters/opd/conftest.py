"""A programmable OPD source on loopback (a real HTTP server in a thread) and a CKAN portal to harvest into.

The realistic OPD application (``harvesters/opdserver``) serves the demo and the source definitions; this
one is minimal so that each test can say exactly what the source answers.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from ckan.tests import factories, helpers

PLUGINS = ("satudata_pgsearch satudata_metadata satudata_workflow scheming_datasets scheming_organizations "
           "activity datastore satudata_harvest harvest satudata_opd")
TOKEN = "rahasia-token-uji"


def record(kode: str, **overrides: Any) -> dict[str, Any]:
    """A record of a fictional SIPD-like system: one OPD's budget realisation for a year."""
    data = {
        "kode": kode, "nama_skpd": f"Dinas {kode}", "tahun": 2026, "periode": "TAHUNAN",
        "uraian": f"Realisasi anggaran {kode} tahun 2026 per program.",
        "rincian": [{"kode_rekening": f"{kode}.01", "program": "Program Penunjang", "pagu": 1000, "realisasi": 800},
                    {"kode_rekening": f"{kode}.02", "program": "Program Pelayanan", "pagu": 2000, "realisasi": 1500}],
    }
    data.update(overrides)
    return data


def source_config(**overrides: Any) -> dict[str, Any]:
    config = {
        "format": "json", "records_path": "data", "id_field": "kode",
        "auth": {"type": "bearer", "token": TOKEN},
        "pagination": {"type": "page", "param": "page", "size_param": "per_page", "size": 2},
        "mapping": {
            "title": {"template": "Realisasi Anggaran {nama_skpd} Tahun {tahun}"},
            "notes": "uraian", "tahun": "tahun",
            "frekuensi": {"path": "periode", "map": {"TAHUNAN": "tahunan", "BULANAN": "bulanan"}},
            "urusan": {"value": "5.02"}, "klasifikasi_akses": {"value": "terbuka"},
            "satuan": {"value": "rupiah"}, "sumber_data": {"value": "SIPD BPKAD"},
            "tingkat_wilayah": {"value": "kabupaten"},
        },
        "datastore": {"rows_path": "rincian", "primary_key": ["kode_rekening"], "resource_name": "Rincian",
                      "fields": [{"id": "kode_rekening", "type": "text"}, {"id": "program", "type": "text"},
                                 {"id": "pagu", "type": "numeric"}, {"id": "realisasi", "type": "numeric"}]},
        "timeout": 3,
    }
    config.update(overrides)
    return config


@dataclass
class Source:
    """What the loopback source serves and how it misbehaves; tests change it between runs."""

    records: list[dict[str, Any]] = field(default_factory=list)
    paging: str = "page"  # page | offset | cursor | next_link | link_header | none
    status: int | None = None  # answer every list request with this status
    fail_page: int | None = None  # this page (1-based) answers 500
    invalid_json: bool = False
    hang: float = 0.0  # seconds to wait before answering
    oversize: int = 0  # answer a body this large
    next_url: str | None = None  # next link of the first page (next_link paging), e.g. another origin
    format: str = "json"  # json | csv | xlsx (tables list the flat columns of each record)
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def page_of(self, number: int, size: int) -> list[dict[str, Any]]:
        return self.records[(number - 1) * size:number * size]


def _table(records: list[dict[str, Any]], fmt: str) -> bytes:
    columns = [k for k in (records[0] if records else {}) if not isinstance(records[0][k], (list, dict))]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, columns, extrasaction="ignore", delimiter=";")
        writer.writeheader()
        writer.writerows(records)
        return out.getvalue().encode("utf-8")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for r in records:
        sheet.append([r.get(c) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _handler(source: Source) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            source.requests.append({"path": parts.path, "query": query, "headers": dict(self.headers)})
            if source.hang:
                time.sleep(source.hang)
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._send(401, b'{"error": "unauthorized"}')
            if source.status:
                return self._send(source.status, b'{"error": "server"}')
            body, headers = self._page(query)
            if not body:
                return self._send(500, b'{"error": "page failed"}')
            if source.format != "json":
                body = _table(json.loads(body)["data"], source.format)
            if source.invalid_json:
                body = body[: len(body) // 2]
            if source.oversize:
                body = b"[" + b" " * source.oversize + b"]"
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", {"ETag": etag})
            self._send(200, body, {"Content-Type": "application/json", "ETag": etag, **headers})

        def _page(self, query: dict[str, str]) -> tuple[bytes, dict[str, str]]:
            size = int(query.get("per_page") or query.get("limit") or 2)
            if source.paging == "page":
                number = int(query.get("page", 1))
            elif source.paging == "offset":
                number = int(query.get("offset", 0)) // size + 1
            elif source.paging in ("cursor", "next_link", "link_header"):
                number = int(query.get("cursor") or query.get("p") or 1)
            else:
                number, size = 1, len(source.records) or 1
            if source.fail_page == number:
                return b"", {}
            data = source.page_of(number, size)
            more = number * size < len(source.records)
            body: dict[str, Any] = {"data": data, "meta": {"page": number}}
            headers = {}
            if source.paging == "cursor":
                body["meta"]["next_cursor"] = str(number + 1) if more else None
            elif source.paging == "next_link":
                body["links"] = {"next": f"/api/data?p={number + 1}" if more else None}
                if number == 1 and source.next_url:
                    body["links"]["next"] = source.next_url
            elif source.paging == "link_header" and more:
                headers["Link"] = f'<{source.url}?p={number + 1}>; rel="next"'
            return json.dumps(body).encode(), headers

    return Handler


def _serve(source: Source):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(source))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    source.url = f"http://127.0.0.1:{server.server_address[1]}/api/data"
    return server


@pytest.fixture
def opd_source():
    """A loopback source with five records, served from a thread on a free port."""
    source = Source(records=[record(f"4.01.{i:02d}") for i in range(1, 6)])
    server = _serve(source)
    yield source
    server.shutdown()
    server.server_close()


@pytest.fixture
def other_origin():
    """A second loopback server (another origin), serving three more records."""
    source = Source(records=[record(f"9.09.{i:02d}") for i in range(1, 4)], paging="none")
    server = _serve(source)
    yield source
    server.shutdown()
    server.server_close()


@dataclass
class Portal:
    opd: dict[str, Any]
    users: dict[str, dict[str, Any]]


@pytest.fixture
def portal() -> Portal:
    users = {name: factories.User(name=name, email=f"{name}@pasuruankab.test")
             for name in ("operator", "verifikator", "walidata")}
    users["sysadmin"] = factories.Sysadmin(name="sysadmin")
    opd = factories.Organization(name="bpkad", title="Badan Pengelolaan Keuangan dan Aset Daerah",
                                 users=[{"name": "operator", "capacity": "editor"},
                                        {"name": "verifikator", "capacity": "admin"}])
    factories.Organization(name="walidata", users=[{"name": "walidata", "capacity": "editor"}])
    return Portal(opd=opd, users=users)


def create_source(portal: Portal, url: str, config: dict[str, Any], name: str = "sipd-bpkad") -> dict[str, Any]:
    return helpers.call_action("harvest_source_create", context={"user": "sysadmin"}, name=name,
                               title="SIPD BPKAD", url=url, source_type="satudata_opd", frequency="MANUAL",
                               owner_org=portal.opd["id"], config=json.dumps(config))
