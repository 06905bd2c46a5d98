"""The OPD application server: two regional systems on one loopback HTTP server (stdlib only, plus openpyxl).

Routes (see docs/opdserver.md): SIPD-like budget realisation of BPKAD (bearer token, page numbers) and BKPSDM's
e-Absensi attendance recap (X-API-Key; cursor and next-link JSON, CSV with offset/limit, XLSX download).
``/_control`` changes records and injects faults, for tests and demos.
"""
from __future__ import annotations

import base64
import binascii
import bisect
import csv
import datetime as dt
import email.utils
import hashlib
import hmac
import io
import json
import math
import re
import sys
import threading
import time
import zipfile
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from .store import Collection, ControlError, Store

__all__ = ["DEFAULT_API_KEY", "DEFAULT_TOKEN", "ENDPOINTS", "MAX_PAGE_SIZE", "Controls", "OPDServer"]

DEFAULT_TOKEN = "sipd-demo-token"
DEFAULT_API_KEY = "absensi-demo-key"
DEFAULT_SEED = 3514
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class Route:
    system: str
    mode: str                      # page | cursor | next_link | offset | none
    format: str = "json"           # json | csv | xlsx
    filters: tuple[str, ...] = ("tahun",)


ENDPOINTS = {
    "/sipd/api/v1/realisasi": Route("sipd", "page"),
    "/absensi/api/v1/rekap-kehadiran": Route("absensi", "cursor", filters=("tahun", "bulan")),
    "/absensi/api/v2/rekap-kehadiran": Route("absensi", "next_link", filters=("tahun", "bulan")),
    "/absensi/ekspor/rekap-kehadiran.csv": Route("absensi", "offset", "csv", ("tahun", "bulan")),
    "/absensi/ekspor/rekap-kehadiran.xlsx": Route("absensi", "none", "xlsx", ("tahun", "bulan")),
}
_CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = _CONTENT_TYPES["json"]
    headers: dict[str, str] = field(default_factory=dict)
    padding: int = 0               # bytes of filler streamed after `body`, then `tail` (oversize fault)
    tail: bytes = b""
    send_length: bool = True


class BadRequest(Exception):
    pass


def _json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(status, _json({"error": code, "message": message}), headers=headers or {})


def _size(query: dict[str, str], key: str, default: int | None) -> int | None:
    if key not in query:
        return default
    value = _number(query, key, 1)
    if value > MAX_PAGE_SIZE:
        raise BadRequest(f"Parameter {key} paling besar {MAX_PAGE_SIZE}.")
    return value


def _number(query: dict[str, str], key: str, minimum: int) -> int:
    text = query[key]
    if not text.isascii() or not text.isdigit() or len(text) > 12 or int(text) < minimum:
        raise BadRequest(f"Parameter {key} harus bilangan bulat >= {minimum}.")
    return int(text)


def _cursor_encode(record_id: str) -> str:
    return base64.urlsafe_b64encode(record_id.encode("utf-8")).decode("ascii").rstrip("=")


def _cursor_decode(text: str) -> str:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadRequest("Parameter cursor tidak dikenali.") from None


def _window(route: Route, query: dict[str, str], records: list[dict[str, Any]], id_field: str) -> tuple[int, int]:
    """(start index, page size) the request asks for; the size of an unpaginated or open listing is all of it."""
    everything = max(len(records), 1)
    if route.mode in ("page", "next_link"):
        page = _number(query, "page", 1) if "page" in query else 1
        size = _size(query, "per_page", DEFAULT_PAGE_SIZE)
        return (page - 1) * size, size
    if route.mode == "cursor":
        size = _size(query, "limit", DEFAULT_PAGE_SIZE)
        if not query.get("cursor"):
            return 0, size
        after = _cursor_decode(query["cursor"])
        # Keyset: the page starts after the last id seen, so an added or removed record never shifts the walk.
        return bisect.bisect_right(records, after, key=lambda r: r[id_field]), size
    if route.mode == "offset":
        start = _number(query, "offset", 0) if "offset" in query else 0
        return start, _size(query, "limit", None) or everything
    return 0, everything


def _select(route: Route, collection: Collection, query: dict[str, str]) -> list[dict[str, Any]]:
    wanted = {k: query[k] for k in route.filters if k in query}
    if not wanted:
        return list(collection.records)
    return [r for r in collection.records if all(str(r.get(k)) == v for k, v in wanted.items())]


def _drift(record: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    rename, drop = params.get("rename", {}), set(params.get("drop", []))
    return {rename.get(k, k): v for k, v in record.items() if k not in drop}


def _fields(records: list[dict[str, Any]]) -> list[str]:
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    return list(names)


def _csv(records: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_fields(records), restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode("utf-8")


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _xlsx(records: list[dict[str, Any]], changed: float) -> bytes:
    from openpyxl import Workbook

    when = dt.datetime.fromtimestamp(int(changed), dt.timezone.utc).replace(tzinfo=None)
    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = when
    sheet = book.create_sheet("Rekap Kehadiran")
    names = _fields(records)
    sheet.append(names)
    for record in records:
        sheet.append([record.get(name) for name in names])
    raw = io.BytesIO()
    book.save(raw)
    # openpyxl stamps every zip member with the wall clock; fix them so the same data gives the same bytes.
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl also writes the save time as the document's modified date.
                data = _MODIFIED.sub(rb"\g<1>" + when.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", data)
            dst.writestr(zipfile.ZipInfo(info.filename, when.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


def _etag(body: bytes, padding: int = 0) -> str:
    digest = hashlib.sha256(body)
    if padding:  # the streamed filler of the oversize fault, never built in memory
        digest.update(f"+{padding}".encode())
    return '"' + digest.hexdigest()[:32] + '"'


def _not_modified(headers: Any, etag: str, changed: float) -> bool:
    """RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since against Last-Modified."""
    match = headers.get("If-None-Match")
    if match is not None:
        tags = [t.strip() for t in match.split(",")]
        return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)
    since = headers.get("If-Modified-Since")
    if not since:
        return False
    try:
        moment = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as the RFC says
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return int(changed) <= moment.timestamp()


class Controls:
    """Named control methods over one ``control(payload)`` call: the same API in-process and over HTTP."""

    def control(self, payload: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def change(self, system: str, record_id: str, **values: Any) -> dict[str, Any]:
        """Give a record new values (bumps its ``updated_at``); returns the record."""
        return self.control({"action": "change", "system": system, "id": record_id, "values": values})["record"]

    def add(self, system: str, **values: Any) -> dict[str, Any]:
        """Add the next generated record, overlaid with `values`; returns it."""
        return self.control({"action": "add", "system": system, "values": values})["record"]

    def remove(self, system: str, record_id: str) -> None:
        self.control({"action": "remove", "system": system, "id": record_id})

    def fault(self, name: str, **params: Any) -> None:
        """Inject fault `name` (status, invalid_json, drift, fail_page, oversize, duplicate, slow, hang) until
        cleared; "reset" clears all."""
        self.control({"action": "fault", "name": name, **params})

    def clear(self, name: str | None = None) -> None:
        self.control({"action": "clear", "name": name})

    def reset(self) -> None:
        """Clear every fault."""
        self.fault("reset")

    def restore(self, records: int | None = None) -> None:
        """Regenerate the records from the seed (the original count unless given) and clear every fault."""
        self.control({"action": "restore", "records": records})

    def records(self, system: str) -> list[dict[str, Any]]:
        """The system's current records, in listing order."""
        return self.control({"action": "records", "system": system})["records"]

    def requests(self, clear: bool = False) -> list[dict[str, Any]]:
        """The requests served so far (oldest first, at most 10,000), optionally forgetting them."""
        return self.control({"action": "requests", "clear": clear})["requests"]

    def state(self) -> dict[str, Any]:
        return self.control({"action": "state"})


class OPDServer(Controls):
    """The server in a thread of this process: ``with OPDServer(records=50) as server: server.url``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, records: int = 50, seed: int = DEFAULT_SEED,
                 token: str = DEFAULT_TOKEN, api_key: str = DEFAULT_API_KEY, verbose: bool = False):
        self.host, self.token, self.api_key, self.verbose = host, token, api_key, verbose
        self.store = Store(records, seed)
        self._log: deque[dict[str, Any]] = deque(maxlen=10_000)
        self._xlsx_cache: tuple[Any, bytes] | None = None
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.app = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> OPDServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"opdserver:{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        self.store.clear("hang")  # let held requests finish instead of lingering
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> OPDServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- control ---
    def control(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Carry out one control request (the body of ``POST /_control``); raises ControlError."""
        if not isinstance(payload, dict):
            raise ControlError("the control request must be a JSON object")
        action, store = payload.get("action"), self.store
        values = payload.get("values") or {}
        if not isinstance(values, dict):
            raise ControlError("'values' must be an object")
        if action in ("change", "remove") and not isinstance(payload.get("id"), str):
            raise ControlError("'id' must be a record id")
        if action == "change":
            return {"ok": True, "record": store.change(payload.get("system"), payload["id"], values)}
        if action == "add":
            return {"ok": True, "record": store.add(payload.get("system"), values)}
        if action == "remove":
            store.remove(payload.get("system"), payload["id"])
            return {"ok": True}
        if action == "fault":
            name = payload.get("name")
            store.fault(name, {k: v for k, v in payload.items() if k not in ("action", "name")})
            return {"ok": True, "faults": store.state()["faults"]}
        if action == "clear":
            store.clear(payload.get("name"))
            return {"ok": True, "faults": store.state()["faults"]}
        if action == "restore":
            store.restore(store.initial if payload.get("records") is None else payload["records"])
            return {"ok": True}
        if action == "records":
            return {"ok": True, "records": list(store.collection(payload.get("system")).records)}
        if action == "requests":
            log = list(self._log)
            if payload.get("clear"):
                self._log.clear()
            return {"ok": True, "requests": log}
        if action == "state":
            return {"ok": True, **store.state()}
        raise ControlError(f"unknown action {action!r}")

    # --- requests ---
    def handle(self, method: str, target: str, headers: Any, body: bytes) -> Response:
        parts = urlsplit(target)
        path, query = parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))
        if path == "/_control":
            return self._control_request(method, body)
        if path == "/":
            return Response(200, _json({"nama": "Server aplikasi OPD Kabupaten Pasuruan (demo, data fiktif)",
                                        "endpoint": sorted(ENDPOINTS)}))
        route = ENDPOINTS.get(path)
        if route is None:
            return _error(404, "not_found", f"Alamat {path} tidak ditemukan.")
        if method not in ("GET", "HEAD"):
            return _error(405, "method_not_allowed", "Hanya GET yang diizinkan.", {"Allow": "GET, HEAD"})
        response = self._listing(route, path, query, headers)
        self._log.append({"method": method, "path": path, "query": query, "status": response.status,
                          "if_none_match": headers.get("If-None-Match"),
                          "if_modified_since": headers.get("If-Modified-Since"), "time": time.time()})
        return response

    def _control_request(self, method: str, body: bytes) -> Response:
        if method == "GET":
            return Response(200, _json(self.control({"action": "state"})))
        if method != "POST":
            return _error(405, "method_not_allowed", "GET atau POST.", {"Allow": "GET, POST"})
        try:
            return Response(200, _json(self.control(json.loads(body or b"{}"))))
        except ValueError as err:  # ControlError, and JSONDecodeError for a body that is not JSON
            return Response(getattr(err, "status", 400), _json({"ok": False, "error": str(err)}))

    def _denied(self, route: Route, headers: Any) -> Response | None:
        if route.system == "sipd":
            scheme, _, token = (headers.get("Authorization") or "").partition(" ")
            if scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), self.token.encode()):
                return None
            return _error(401, "unauthorized", "Token akses tidak valid atau tidak ada.",
                          {"WWW-Authenticate": 'Bearer realm="SIPD", error="invalid_token"'})
        if hmac.compare_digest((headers.get("X-API-Key") or "").encode(), self.api_key.encode()):
            return None
        return _error(401, "unauthorized", "API key tidak valid atau tidak ada (header X-API-Key).")

    def _listing(self, route: Route, path: str, query: dict[str, str], headers: Any) -> Response:
        faults = self.store.faults(path)
        if "hang" in faults:
            self.store.wait_released()
            faults = self.store.faults(path)
        if "slow" in faults:
            time.sleep(faults["slow"]["seconds"])
        if "status" in faults:
            code = faults["status"]["code"]
            return _error(code, "fault", f"Gangguan server (HTTP {code}).")
        denied = self._denied(route, headers)
        if denied:
            return denied
        collection = self.store.collection(route.system)
        records = _select(route, collection, query)
        try:
            start, size = _window(route, query, records, collection.id_field)
        except BadRequest as err:
            return _error(400, "bad_request", str(err))
        page = Page(route, path, query, f"http://{headers.get('Host') or f'{self.host}:{self.port}'}", collection,
                    records, records[start:start + size], start, size)
        if "fail_page" in faults and faults["fail_page"]["page"] == page.number:
            return _error(500, "fault", f"Gangguan server pada halaman {page.number}.")
        if "duplicate" in faults and faults["duplicate"]["page"] == page.number and records:
            wanted = faults["duplicate"].get("id")
            page.chunk = [*page.chunk, (collection.find(wanted) if wanted else None) or records[0]]
        if "drift" in faults:
            page.chunk = [_drift(r, faults["drift"]) for r in page.chunk]
        response = self._render(page, faults.get("drift"))
        if "invalid_json" in faults:
            response.body = response.body[:len(response.body) // 2]
        if "oversize" in faults:
            _oversize(response, route, faults["oversize"])
        etag = _etag(response.body, response.padding)
        response.headers.update({"ETag": etag,
                                 "Last-Modified": email.utils.formatdate(collection.changed, usegmt=True)})
        if _not_modified(headers, etag, collection.changed):
            return Response(304, headers={k: response.headers[k] for k in ("ETag", "Last-Modified")})
        return response

    def _render(self, page: Page, drift: dict[str, Any] | None) -> Response:
        if page.route.format == "csv":
            return Response(200, _csv(page.chunk), _CONTENT_TYPES["csv"])
        if page.route.format == "xlsx":
            # Building a workbook takes a while: keep the last one while neither the data nor the request changes.
            key = (page.collection, tuple(sorted(page.query.items())), json.dumps(drift))
            if self._xlsx_cache is None or self._xlsx_cache[0] != key:
                self._xlsx_cache = (key, _xlsx(page.chunk, page.collection.changed))
            return Response(200, self._xlsx_cache[1], _CONTENT_TYPES["xlsx"],
                            {"Content-Disposition": 'attachment; filename="rekap-kehadiran.xlsx"'})
        total, size = len(page.records), page.size
        if page.route.mode == "page":
            meta = {"page": page.number, "per_page": size, "total": total, "total_pages": math.ceil(total / size)}
            return Response(200, _json({"data": page.chunk, "meta": meta}))
        if page.route.mode == "cursor":
            last = page.records[page.start + size - 1][page.collection.id_field] if page.more else None
            meta = {"limit": size, "total": total, "next_cursor": last and _cursor_encode(last)}
            return Response(200, _json({"data": page.chunk, "meta": meta}))
        links = {"self": page.link(page.number), "next": page.link(page.number + 1) if page.more else None,
                 "prev": page.link(page.number - 1) if page.number > 1 else None}
        meta = {"current_page": page.number, "per_page": size, "total": total,
                "last_page": max(math.ceil(total / size), 1)}
        response = Response(200, _json({"data": page.chunk, "links": links, "meta": meta}))
        if page.more:
            response.headers["Link"] = f'<{links["next"]}>; rel="next"'
        return response


@dataclass
class Page:
    """One answer of a listing: the slice `chunk` of `records` (filtered, in id order) starting at `start`."""

    route: Route
    path: str
    query: dict[str, str]
    base: str
    collection: Collection
    records: list[dict[str, Any]]
    chunk: list[dict[str, Any]]
    start: int
    size: int

    @property
    def number(self) -> int:
        """The page's ordinal in a walk from the start, whatever the pagination (fail_page and duplicate use it)."""
        return self.start // self.size + 1

    @property
    def more(self) -> bool:
        return self.start + self.size < len(self.records)

    def link(self, number: int) -> str:
        return f"{self.base}{self.path}?{urlencode({**self.query, 'page': number, 'per_page': self.size})}"


def _oversize(response: Response, route: Route, params: dict[str, Any]) -> None:
    """Make the body exactly `bytes` long, the filler streamed (JSON stays valid where the size allows)."""
    wanted, body = params["bytes"], response.body
    if route.format == "json" and body.endswith(b"}") and wanted >= len(body) + 14:
        response.body, response.tail = body[:-1] + b',"padding":"', b'"}'
    else:
        response.body, response.tail = body[:wanted], b""
    response.padding = wanted - len(response.body) - len(response.tail)
    response.send_length = not params.get("no_length", False)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    app: OPDServer


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "OPDServer/1.0"
    timeout = 60  # a stalled client must not hold a thread forever

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            response = self.server.app.handle(method, self.path, self.headers, body)
            self._write(response, method == "HEAD")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a harvester's timeout during a slow or hang fault)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def _write(self, response: Response, head: bool) -> None:
        self.send_response(response.status)
        if response.status != 304:
            self.send_header("Content-Type", response.content_type)
            if response.send_length:
                self.send_header("Content-Length", str(len(response.body) + response.padding + len(response.tail)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if head or response.status == 304:
            return
        self.wfile.write(response.body)
        for chunk in _filler(response.padding):
            self.wfile.write(chunk)
        self.wfile.write(response.tail)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        if self.server.app.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


def _filler(size: int, chunk: int = 1 << 16) -> Iterator[bytes]:
    block = b"x" * chunk
    while size > 0:
        yield block[:size]
        size -= chunk
