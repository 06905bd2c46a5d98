"""Listing an OPD application: HTTP with timeouts, a size cap, conditional requests and pagination."""
from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import ckan.plugins.toolkit as tk
import requests
from charset_normalizer import from_bytes

from .. import store
from ..base import SourceError
from .config import MAX_PAGES, Format, OpdConfig, Paging
from .convert import MISSING, get_path

__all__ = ["Page", "fetch", "parse_body", "pages", "USER_AGENT"]

USER_AGENT = "PortalSatuData-Pasuruan-Harvester/1.0"
_CHUNK = 65536


@dataclass(frozen=True)
class Page:
    url: str
    records: list[dict[str, Any]]
    body: Any  # the parsed JSON body (None for CSV/XLSX), for cursors and next links
    next_link: str | None  # from the HTTP Link header


def _with_query(url: str, params: dict[str, Any]) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: str(v) for k, v in params.items()})
    return urlunsplit(parts._replace(query=urlencode(query)))


def _same_origin(a: str, b: str) -> bool:
    return urlsplit(a)[:2] == urlsplit(b)[:2]


def fetch(url: str, config: OpdConfig, source_id: str, origin: str) -> tuple[bytes, str | None]:
    """The body of ``url`` (from the cache on 304) and the next link of its Link header."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, text/csv, */*"}
    if config.auth and _same_origin(url, origin):
        # Credentials go to the source's own server only, never to a host a next link points at.
        headers.update(config.auth.headers())
    cached = store.get_page(source_id, url)
    if cached is not None:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    deadline = time.monotonic() + config.timeout
    try:
        with requests.get(url, headers=headers, stream=True, timeout=(min(10.0, config.timeout), config.timeout),
                          allow_redirects=True) as response:
            if response.status_code == 304 and cached is not None:
                return cached.body, response.links.get("next", {}).get("url")
            if response.status_code in (401, 403):
                raise SourceError(tk._("Sumber menolak kredensial (HTTP {status}) untuk {url}; periksa token atau "
                                       "kunci API pada konfigurasi").format(status=response.status_code, url=url))
            if response.status_code >= 400:
                raise SourceError(tk._("Sumber menjawab HTTP {status} untuk {url}").format(
                    status=response.status_code, url=url))
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > config.max_bytes:
                raise _too_big(url, config.max_bytes)
            chunks, size = [], 0
            for chunk in response.iter_content(_CHUNK):
                size += len(chunk)
                if size > config.max_bytes:
                    raise _too_big(url, config.max_bytes)
                if time.monotonic() > deadline:
                    raise _timeout(url, config.timeout)
                chunks.append(chunk)
            body = b"".join(chunks)
            store.put_page(source_id, url, response.headers.get("ETag"), response.headers.get("Last-Modified"), body)
            return body, response.links.get("next", {}).get("url")
    except requests.exceptions.Timeout as err:
        raise _timeout(url, config.timeout) from err
    except requests.exceptions.ConnectionError as err:
        raise SourceError(tk._("Sumber tidak dapat dihubungi: {url} ({reason})").format(
            url=url, reason=_reason(err))) from err
    except requests.exceptions.RequestException as err:
        raise SourceError(tk._("Permintaan ke {url} gagal: {reason}").format(url=url, reason=_reason(err))) from err


def _reason(err: Exception) -> str:
    text = str(err)
    if "Connection refused" in text:
        return tk._("koneksi ditolak")
    return text[:200]


def _too_big(url: str, limit: int) -> SourceError:
    return SourceError(tk._("Jawaban dari {url} melebihi batas ukuran {limit} bita (max_bytes)").format(
        url=url, limit=limit))


def _timeout(url: str, seconds: float) -> SourceError:
    return SourceError(tk._("Sumber tidak menjawab dalam {seconds:g} detik: {url}").format(seconds=seconds, url=url))


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(body).best()
        return str(best) if best is not None else body.decode("latin-1")


def parse_body(body: bytes, config: OpdConfig, url: str) -> tuple[list[dict[str, Any]], Any]:
    """The records of one page, and the parsed JSON body (None for tables)."""
    if config.format is Format.JSON:
        try:
            data = json.loads(_text(body))
        except json.JSONDecodeError as err:
            raise SourceError(tk._("Jawaban dari {url} bukan JSON yang sah (baris {line}, kolom {col}: {msg})").format(
                url=url, line=err.lineno, col=err.colno, msg=err.msg)) from err
        records = get_path(data, config.records_path) if config.records_path else data
        if records is MISSING or not isinstance(records, list):
            raise SourceError(tk._("Jawaban dari {url} tidak memuat daftar rekaman di '{path}'").format(
                url=url, path=config.records_path or "."))
        if not all(isinstance(r, dict) for r in records):
            raise SourceError(tk._("Daftar rekaman dari {url} harus berisi objek").format(url=url))
        return records, data
    if config.format is Format.CSV:
        text = _text(body)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        return [dict(row) for row in csv.DictReader(io.StringIO(text), dialect=dialect)], None
    return _xlsx_rows(body, config, url), None


def _xlsx_rows(body: bytes, config: OpdConfig, url: str) -> list[dict[str, Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as err:
        raise SourceError(tk._("Berkas dari {url} bukan XLSX yang dapat dibaca").format(url=url)) from err
    try:
        sheet = book[config.sheet] if config.sheet else book.worksheets[0]
    except KeyError as err:
        raise SourceError(tk._("Lembar '{sheet}' tidak ada di berkas dari {url}").format(
            sheet=config.sheet, url=url)) from err
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    records = []
    for row in rows:
        if row is None or all(v in (None, "") for v in row):
            continue
        cells = zip(header, row, strict=False)  # openpyxl trims trailing empty cells
        records.append({h: (v.isoformat() if hasattr(v, "isoformat") else v) for h, v in cells if h})
    book.close()
    return records


def pages(url: str, config: OpdConfig, source_id: str) -> Iterator[Page]:
    """Every page of the listing, in order; SourceError when one fails (the listing is then incomplete)."""
    paging = config.pagination
    base = _with_query(url, config.query) if config.query else url
    number = paging.start
    offset = 0
    next_url: str | None = base
    seen_urls: set[str] = set()
    previous_body: bytes | None = None
    for _ in range(MAX_PAGES):
        if paging.kind is Paging.PAGE:
            params = {paging.param: number} | ({paging.size_param: paging.size} if paging.size_param else {})
            page_url = _with_query(base, params)
        elif paging.kind is Paging.OFFSET:
            page_url = _with_query(base, {paging.param: offset, paging.size_param: paging.size})
        else:
            page_url = next_url
        if page_url in seen_urls:
            raise SourceError(tk._("Paginasi sumber berulang pada {url}; daftar dihentikan").format(url=page_url))
        seen_urls.add(page_url)
        body, link = fetch(page_url, config, source_id, url)
        if body == previous_body and paging.kind is not Paging.NONE:
            raise SourceError(tk._("Sumber mengabaikan parameter paginasi: {url} sama dengan halaman sebelumnya; "
                                   "periksa konfigurasi pagination").format(url=page_url))
        previous_body = body
        records, data = parse_body(body, config, page_url)
        yield Page(page_url, records, data, link)
        if paging.kind in (Paging.PAGE, Paging.OFFSET):
            if not records or (paging.size and len(records) < paging.size):
                return
            number += 1
            offset += len(records)
        elif paging.kind is Paging.CURSOR:
            cursor = get_path(data, paging.cursor_path)
            if cursor in (MISSING, None, ""):
                return
            next_url = _with_query(base, {paging.param: cursor})
        elif paging.kind is Paging.NEXT_LINK:
            target = get_path(data, paging.next_path) if paging.next_path and data is not None else link
            if target in (MISSING, None, ""):
                return
            next_url = urljoin(page_url, str(target))
        else:
            return
    raise SourceError(tk._("Sumber memberi lebih dari {n} halaman; daftar dihentikan").format(n=MAX_PAGES))
