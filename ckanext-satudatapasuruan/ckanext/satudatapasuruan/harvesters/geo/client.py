"""HTTP for the geospatial harvester: one GET with a timeout and a size cap, the body checked as XML or JSON.

Every failure becomes the base's ``SourceError`` with an Indonesian message naming the URL, so the job
shows what failed and where.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import ckan.plugins.toolkit as tk
import requests
from lxml import etree

from ..base import SourceError

__all__ = ["Fetcher", "with_query", "base_url", "DEFAULT_TIMEOUT", "DEFAULT_MAX_BYTES"]

DEFAULT_TIMEOUT = 30
DEFAULT_MAX_BYTES = 20_000_000
_CHUNK = 64 * 1024
# Query parameters that select an OGC/ArcGIS operation, not the service itself.
_OPERATION_PARAMS = {"service", "request", "version", "f", "typename", "typenames", "outputformat"}
# A parser that never reaches the network (no DTDs, no entities): capabilities come from outside.
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def with_query(url: str, **params: Any) -> str:
    """``url`` with its operation parameters replaced by ``params`` (others, e.g. MapServer's ``map``, kept)."""
    parts = urlsplit(url)
    names = {k.lower() for k in params} | _OPERATION_PARAMS
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in names]
    query = urlencode(kept + [(k, str(v)) for k, v in params.items() if v is not None], safe=":,/")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def base_url(url: str) -> str:
    """The service's own URL: without operation parameters, fragment or trailing slash."""
    return with_query(url.strip()).rstrip("/").rstrip("?")


@dataclass
class Fetcher:
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    session: requests.Session | None = None

    def get(self, url: str) -> bytes:
        """The body of a GET to ``url``; SourceError on connection, timeout, HTTP status or size."""
        http = self.session or requests
        try:
            with http.get(url, timeout=self.timeout, stream=True, headers={"User-Agent": "satudata-harvester"}) as r:
                if r.status_code >= 400:
                    raise SourceError(tk._("Layanan {url} menjawab dengan galat HTTP {status}").format(
                        url=url, status=r.status_code))
                return self._read(r, url)
        except requests.Timeout as err:
            raise self._timed_out(url) from err
        except requests.ConnectionError as err:
            if "timed out" in str(err):  # a read timeout while streaming the body surfaces as ConnectionError
                raise self._timed_out(url) from err
            raise SourceError(tk._("Layanan {url} tidak dapat dihubungi ({error})").format(
                url=url, error=_reason(err))) from err
        except requests.RequestException as err:
            raise SourceError(tk._("Permintaan ke {url} gagal ({error})").format(url=url, error=err)) from err

    def _read(self, response: requests.Response, url: str) -> bytes:
        # requests' timeout bounds each socket read; the deadline bounds a server that drips its answer.
        deadline = time.monotonic() + self.timeout
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large(url)
        body = bytearray()
        for chunk in response.iter_content(_CHUNK):
            body += chunk
            if len(body) > self.max_bytes:
                raise self._too_large(url)
            if time.monotonic() > deadline:
                raise self._timed_out(url)
        return bytes(body)

    def _timed_out(self, url: str) -> SourceError:
        return SourceError(tk._("Layanan {url} tidak menjawab dalam {timeout} detik").format(
            url=url, timeout=self.timeout))

    def _too_large(self, url: str) -> SourceError:
        return SourceError(tk._("Jawaban {url} melebihi batas ukuran {limit} bita").format(
            url=url, limit=self.max_bytes))

    def xml(self, url: str) -> etree._Element:
        """The parsed XML body; SourceError when it is not XML or is an OGC exception report."""
        body = self.get(url)
        try:
            root = etree.fromstring(body, _XML_PARSER)
        except etree.XMLSyntaxError as err:
            raise SourceError(tk._("Jawaban {url} bukan XML yang valid ({error})").format(url=url, error=err)) from err
        if etree.QName(root).localname in ("ExceptionReport", "ServiceExceptionReport"):
            text = " ".join(t.strip() for t in root.itertext() if t.strip())
            raise SourceError(tk._("Layanan {url} melaporkan galat: {error}").format(url=url, error=text[:500]))
        return root

    def json(self, url: str) -> Any:
        """The parsed JSON body; SourceError when it is not JSON or is an ArcGIS error object."""
        body = self.get(url)
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as err:
            raise SourceError(tk._("Jawaban {url} bukan JSON yang valid ({error})").format(
                url=url, error=err)) from err
        # ArcGIS answers HTTP 200 with {"error": {...}} for a missing service or layer.
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            error = data["error"]
            raise SourceError(tk._("Layanan {url} melaporkan galat {code}: {error}").format(
                url=url, code=error.get("code", "?"), error=error.get("message", "")))
        return data


def _reason(err: requests.ConnectionError) -> str:
    text = str(err)
    if "Connection refused" in text:
        return tk._("koneksi ditolak")
    if "Name or service not known" in text or "nodename nor servname" in text:
        return tk._("nama host tidak dikenal")
    return text[:200]
