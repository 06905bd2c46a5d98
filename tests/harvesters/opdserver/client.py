"""A minimal client of the harvester contract's source config (pagination, auth, formats), to walk the server
the way a harvester will. It is the tests' yardstick, not the product's harvester."""
from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import openpyxl


@dataclass
class Reply:
    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> Reply:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as err:
        return Reply(err.code, err.headers, err.read())


def auth_headers(config: dict[str, Any]) -> dict[str, str]:
    auth = config.get("auth") or {}
    if auth.get("type") == "bearer":
        return {"Authorization": f"Bearer {auth['token']}"}
    if auth.get("type") == "header":
        return {auth["name"]: auth["value"]}
    return {}


def dig(data: Any, path: str) -> Any:
    for part in filter(None, path.split(".")):
        data = data[part]
    return data


def parse(config: dict[str, Any], body: bytes) -> tuple[list[dict[str, Any]], Any]:
    kind = config.get("format", "json")
    if kind == "csv":
        return list(csv.DictReader(io.StringIO(body.decode("utf-8")))), None
    if kind == "xlsx":
        rows = list(openpyxl.load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], None
    document = json.loads(body)
    return dig(document, config.get("records_path", "")), document


def walk(url: str, config: dict[str, Any], max_pages: int = 10_000) -> tuple[list[dict[str, Any]], list[Reply]]:
    """Every record of the listing at `url`, page by page as `config` says; also the replies, in order."""
    pagination = config.get("pagination") or {"type": "none"}
    kind, size = pagination["type"], pagination.get("size")
    headers, query = auth_headers(config), dict(config.get("query") or {})
    records: list[dict[str, Any]] = []
    replies: list[Reply] = []
    state: Any = pagination.get("start", 1 if kind == "page" else 0)
    next_url: str | None = None
    for _ in range(max_pages):
        params = dict(query)
        if kind == "page":
            params.update({pagination["param"]: state, pagination["size_param"]: size})
        elif kind == "offset":
            params.update({pagination["param"]: state, pagination["limit_param"]: size})
        elif kind == "cursor" and state:
            params[pagination["param"]] = state
        target = next_url or (f"{url}?{urlencode(params)}" if params else url)
        reply = get(target, headers)
        replies.append(reply)
        assert reply.status == 200, (target, reply.status, reply.body[:300])
        page, document = parse(config, reply.body)
        records.extend(page)
        if kind in ("page", "offset"):
            if not page or len(page) < size:
                break
            state += 1 if kind == "page" else size
        elif kind == "cursor":
            state = dig(document, pagination["cursor_path"])
            if not state:
                break
        elif kind == "next_link":
            if "next_path" in pagination:
                next_url = dig(document, pagination["next_path"])
            else:
                link = re.search(r'<([^>]+)>;\s*rel="next"', reply.headers.get("Link") or "")
                next_url = link and link.group(1)
            if not next_url:
                break
        else:
            break
    else:
        raise AssertionError("the walk did not end")
    return records, replies
