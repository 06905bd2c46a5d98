"""An OPD application source's config, parsed and checked (pure). Format: ``docs/harvesters.md``."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["Format", "Paging", "Auth", "Pagination", "Rule", "DatastoreSpec", "OpdConfig", "parse",
           "DEFAULT_TIMEOUT", "DEFAULT_MAX_BYTES", "MAX_PAGES"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 20_000_000
# A source that keeps handing out next pages beyond this is looping.
MAX_PAGES = 10_000
_DATASTORE_TYPES = {"text", "int", "int4", "int8", "numeric", "float8", "bool", "date", "timestamp", "json"}


class Format(str, enum.Enum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class Paging(str, enum.Enum):
    NONE = "none"
    PAGE = "page"
    OFFSET = "offset"
    CURSOR = "cursor"
    NEXT_LINK = "next_link"


@dataclass(frozen=True)
class Auth:
    kind: str  # bearer | header
    header: str
    value: str

    def headers(self) -> dict[str, str]:
        return {self.header: f"Bearer {self.value}" if self.kind == "bearer" else self.value}


@dataclass(frozen=True)
class Pagination:
    kind: Paging = Paging.NONE
    param: str = ""
    start: int = 1
    size_param: str = ""
    size: int = 0
    cursor_path: str = ""
    next_path: str = ""


@dataclass(frozen=True)
class Rule:
    """How one dataset field is taken from a record: a path, a template, or a constant; optionally mapped."""

    path: str | None = None
    template: str | None = None
    value: Any = None
    mapping: dict[str, Any] | None = None
    default: Any = None
    required: bool = True


@dataclass(frozen=True)
class DatastoreSpec:
    rows_path: str
    primary_key: tuple[str, ...]
    fields: tuple[dict[str, str], ...]
    resource_name: str


@dataclass(frozen=True)
class OpdConfig:
    format: Format
    id_field: str
    records_path: str = ""
    auth: Auth | None = None
    pagination: Pagination = field(default_factory=Pagination)
    query: dict[str, str] = field(default_factory=dict)
    mapping: dict[str, Rule] = field(default_factory=dict)
    resources: tuple[dict[str, Rule], ...] = ()
    datastore: DatastoreSpec | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    sheet: str | None = None


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"{where}: {message}")


def _str(data: dict[str, Any], key: str, where: str, required: bool = False, default: str = "") -> str:
    value = data.get(key, default)
    if value in (None, "") and required:
        raise _fail(f"{where}{key}", tk._("wajib diisi"))
    if not isinstance(value, str):
        raise _fail(f"{where}{key}", tk._("harus berupa teks"))
    return value


def _number(data: dict[str, Any], key: str, default: float, where: str = "") -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise _fail(f"{where}{key}", tk._("harus berupa angka lebih dari 0"))
    return value


def _auth(data: Any) -> Auth | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise _fail("auth", tk._("harus berupa objek"))
    kind = data.get("type")
    if kind == "bearer":
        return Auth("bearer", "Authorization", _str(data, "token", "auth.", required=True))
    if kind == "header":
        return Auth("header", _str(data, "name", "auth.", required=True), _str(data, "value", "auth.", required=True))
    raise _fail("auth.type", tk._("pilih 'bearer' atau 'header'"))


def _pagination(data: Any) -> Pagination:
    if data is None:
        return Pagination()
    if not isinstance(data, dict):
        raise _fail("pagination", tk._("harus berupa objek"))
    try:
        kind = Paging(data.get("type", "none"))
    except ValueError as err:
        raise _fail("pagination.type", tk._("pilih salah satu: {choices}").format(
            choices=", ".join(p.value for p in Paging))) from err
    where = "pagination."
    if kind is Paging.PAGE:
        return Pagination(kind, _str(data, "param", where, default="page"), int(_number(data, "start", 1, where)),
                          _str(data, "size_param", where), int(_number(data, "size", 100, where)))
    if kind is Paging.OFFSET:
        return Pagination(kind, _str(data, "param", where, default="offset"), 0,
                          _str(data, "limit_param", where, default="limit"), int(_number(data, "size", 100, where)))
    if kind is Paging.CURSOR:
        return Pagination(kind, _str(data, "param", where, default="cursor"),
                          cursor_path=_str(data, "cursor_path", where, required=True))
    if kind is Paging.NEXT_LINK:
        return Pagination(kind, next_path=_str(data, "next_path", where))
    return Pagination()


def _rule(target: str, spec: Any) -> Rule:
    where = f"mapping.{target}"
    if isinstance(spec, str):
        return Rule(path=spec)
    if not isinstance(spec, dict):
        raise _fail(where, tk._("harus berupa teks (nama kolom) atau objek"))
    kinds = [k for k in ("path", "template", "value") if k in spec]
    if len(kinds) != 1:
        raise _fail(where, tk._("isi tepat satu dari 'path', 'template' atau 'value'"))
    mapping = spec.get("map")
    if mapping is not None and not isinstance(mapping, dict):
        raise _fail(f"{where}.map", tk._("harus berupa objek nilai sumber -> nilai portal"))
    if "template" in spec and not isinstance(spec["template"], str):
        raise _fail(f"{where}.template", tk._("harus berupa teks"))
    if "path" in spec and (not isinstance(spec["path"], str) or not spec["path"]):
        raise _fail(f"{where}.path", tk._("harus berupa nama kolom"))
    return Rule(path=spec.get("path"), template=spec.get("template"), value=spec.get("value"), mapping=mapping,
                default=spec.get("default"), required=bool(spec.get("required", "default" not in spec)))


def _datastore(data: Any) -> DatastoreSpec | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise _fail("datastore", tk._("harus berupa objek"))
    fields = data.get("fields")
    if not isinstance(fields, list) or not fields or not all(
            isinstance(f, dict) and isinstance(f.get("id"), str) and f["id"] for f in fields):
        raise _fail("datastore.fields", tk._("daftar kolom, masing-masing dengan 'id' dan 'type'"))
    for f in fields:
        if f.get("type", "text") not in _DATASTORE_TYPES:
            raise _fail(f"datastore.fields.{f['id']}", tk._("tipe tidak dikenal; pilih salah satu: {choices}").format(
                choices=", ".join(sorted(_DATASTORE_TYPES))))
    key = data.get("primary_key")
    if isinstance(key, str):
        key = [key]
    ids = {f["id"] for f in fields}
    if not isinstance(key, list) or not key or not set(key) <= ids:
        raise _fail("datastore.primary_key", tk._("kolom kunci harus ada di antara datastore.fields"))
    return DatastoreSpec(_str(data, "rows_path", "datastore.", required=True), tuple(key),
                         tuple({"id": f["id"], "type": f.get("type", "text")} for f in fields),
                         _str(data, "resource_name", "datastore.", default="Data"))


def parse(data: dict[str, Any]) -> OpdConfig:
    """The config of an OPD application source; ValueError naming the key, in Indonesian, when wrong."""
    try:
        fmt = Format(data.get("format", "json"))
    except ValueError as err:
        raise _fail("format", tk._("pilih json, csv atau xlsx")) from err
    mapping = data.get("mapping")
    if not isinstance(mapping, dict) or not mapping:
        raise _fail("mapping", tk._("wajib diisi: padanan kolom sumber ke kolom dataset"))
    for required in ("title",):
        if required not in mapping:
            raise _fail(f"mapping.{required}", tk._("wajib dipetakan"))
    resources = data.get("resources") or []
    if not isinstance(resources, list) or not all(isinstance(r, dict) and "url" in r for r in resources):
        raise _fail("resources", tk._("daftar sumber daya, masing-masing dengan 'url'"))
    query = data.get("query") or {}
    if not isinstance(query, dict):
        raise _fail("query", tk._("harus berupa objek parameter -> nilai"))
    pagination = _pagination(data.get("pagination"))
    if fmt is not Format.JSON and pagination.kind in (Paging.CURSOR, Paging.NEXT_LINK) and not (
            pagination.kind is Paging.NEXT_LINK and not pagination.next_path):
        raise _fail("pagination.type", tk._("CSV dan XLSX hanya dapat dipaginasi dengan page, offset atau tautan "
                                            "Link di header"))
    return OpdConfig(
        format=fmt,
        id_field=_str(data, "id_field", "", required=True),
        records_path=_str(data, "records_path", ""),
        auth=_auth(data.get("auth")),
        pagination=pagination,
        query={str(k): str(v) for k, v in query.items()},
        mapping={target: _rule(target, spec) for target, spec in mapping.items()},
        resources=tuple({k: _rule(f"resources.{k}", v) for k, v in r.items()} for r in resources),
        datastore=_datastore(data.get("datastore")),
        timeout=_number(data, "timeout", DEFAULT_TIMEOUT),
        max_bytes=int(_number(data, "max_bytes", DEFAULT_MAX_BYTES)),
        sheet=data.get("sheet"),
    )
