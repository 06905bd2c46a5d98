"""Validate an uploaded file and load it into the dataset's DataStore table, all or nothing.

Rows stream from the file through the validator into an unlogged staging table (COPY, in
chunks, memory flat in file size). Only when every row is valid does one transaction move
them into the DataStore table (replacing or appending); any failure rolls that transaction
back and the table keeps its old rows. Staging tables live in schema ``satudata_stage``,
which the DataStore's read-only role cannot see.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import os
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import ckan.plugins.toolkit as tk
from psycopg2 import sql

from ckanext.satudatapasuruan import refdata

from . import config, uploads
from .uploads import State
from .validation import FileError, Validator, Variable, open_table, parse_variables

__all__ = ["run", "DATASTORE_TYPES", "datastore_fields", "datastore_resource", "ensure_table", "touch_resource",
           "wilayah_codes", "site_context", "wilayah_choices"]

log = logging.getLogger(__name__)

STAGE_SCHEMA = "satudata_stage"
CHUNK_ROWS = 5000
# MS-Var type -> DataStore column type.
DATASTORE_TYPES = {"bilangan_bulat": "int8", "desimal": "numeric", "teks": "text", "tanggal": "date",
                   "tahun": "int4", "kategori": "text", "kode_wilayah": "text", "lintang": "float8",
                   "bujur": "float8", "ya_tidak": "bool"}
# Marks the resource that holds a dataset's entered data.
RESOURCE_MARKER = "satudata_entry"


def datastore_fields(variables: Sequence[Variable]) -> list[dict[str, Any]]:
    return [{"id": v.alias, "type": DATASTORE_TYPES[v.tipe_data],
             "info": {"label": v.nama, "notes": v.definisi or "", "unit": v.satuan or ""}} for v in variables]


def datastore_resource(pkg: dict[str, Any]) -> dict[str, Any] | None:
    for res in pkg.get("resources", []):
        if res.get(RESOURCE_MARKER) == "ya" or res.get("url_type") == RESOURCE_MARKER:
            return res
    return None


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_chunk(cursor, table: sql.Composable, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(_copy_text(v) for v in row))
        buf.write("\n")
    buf.seek(0)
    cursor.copy_expert(sql.SQL("COPY {} ({}) FROM STDIN").format(
        table, sql.SQL(", ").join(map(sql.Identifier, columns))).as_string(cursor), buf)


def wilayah_choices() -> list[tuple[str, str]]:
    """(code, label) of every kecamatan and desa: what a kode_wilayah column accepts."""
    return [(e.code, refdata.label("wilayah", e.code)) for e in refdata.entries("wilayah") if e.level != "kabupaten"]


def wilayah_codes() -> set[str]:
    return {e.code for e in refdata.entries("wilayah")}


def site_context() -> dict[str, Any]:
    """Context of the site user, for the DataStore work done on behalf of an authorised editor."""
    return {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}


def ensure_table(pkg: dict[str, Any], variables: Sequence[Variable]) -> str:
    """The DataStore resource of the dataset, created (or widened with new columns) to fit the variables."""
    context = site_context()
    res = datastore_resource(pkg)
    keys = [v.alias for v in variables if v.kunci]
    data = {"fields": datastore_fields(variables), "force": True}
    if res is None:
        data["resource"] = {"package_id": pkg["id"], "name": tk._("Data {title}").format(title=pkg["title"]),
                            "format": "CSV", RESOURCE_MARKER: "ya",
                            "description": tk._("Data yang dimasukkan melalui portal (diunggah atau diisi).")}
        if keys:
            data["primary_key"] = keys
        return tk.get_action("datastore_create")(context, data)["resource_id"]
    data["resource_id"] = res["id"]
    existing = tk.get_action("datastore_info")(context, {"id": res["id"]})
    known = {f["id"] for f in existing.get("fields", [])}
    new = [f for f in data["fields"] if f["id"] not in known]
    if new:
        data["fields"] = existing["fields"] + new
        tk.get_action("datastore_create")(context, data)
    return res["id"]


def run(upload_id: str) -> dict[str, Any]:
    """Validate and load one upload (a background job, or called inline for small files)."""
    record = uploads.get(upload_id)
    if record is None:
        raise tk.ObjectNotFound(tk._("Unggahan tidak ditemukan"))
    path = os.path.join(config.storage_dir(), upload_id)
    try:
        _run(record, path)
    finally:
        if os.path.exists(path):
            os.remove(path)
    return uploads.get(upload_id)


def _run(record: dict[str, Any], path: str) -> None:
    from ckanext.datastore.backend.postgres import get_write_engine

    upload_id = record["id"]
    pkg = tk.get_action("package_show")(site_context(), {"id": record["package_id"]})
    variables = parse_variables(pkg.get("variabel") or [])
    uploads.update(upload_id, state=State.VALIDATING)
    stage = sql.Identifier(STAGE_SCHEMA, "u_" + uuid.UUID(upload_id).hex)
    columns = [v.alias for v in variables]
    raw = get_write_engine().raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(STAGE_SCHEMA)))
        cursor.execute(sql.SQL("CREATE UNLOGGED TABLE {} ({})").format(stage, sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(v.alias), sql.SQL(DATASTORE_TYPES[v.tipe_data]))
            for v in variables)))
        raw.commit()
        try:
            with open_table(path, record["format"], max_bytes=config.max_bytes()) as table:
                validator = Validator(table, variables, wilayah_codes=wilayah_codes(), max_rows=config.max_rows(),
                                      max_errors=uploads.MAX_STORED_ERRORS)
                chunk: list[tuple] = []
                for row in validator.rows():
                    chunk.append(row)
                    if len(chunk) >= CHUNK_ROWS:
                        _copy_chunk(cursor, stage, columns, chunk)
                        chunk.clear()
                        uploads.update(upload_id, rows_done=validator.row_count)
                if chunk and validator.ok:
                    _copy_chunk(cursor, stage, columns, chunk)
        except FileError as err:
            raw.rollback()
            uploads.update(upload_id, state=State.INVALID, message=err.message, error_count=1,
                           errors=[{"row": 0, "column": "", "value": "", "reason": err.message, "code": err.code}])
            return
        if not validator.ok:
            raw.rollback()
            uploads.update(upload_id, state=State.INVALID, rows_total=validator.row_count,
                           error_count=validator.error_count,
                           errors=[dataclasses.asdict(e) for e in validator.errors],
                           message=tk._("{n} kesalahan ditemukan; tidak ada data yang dimuat.").format(
                               n=validator.error_count))
            return
        raw.commit()
        uploads.update(upload_id, state=State.LOADING, rows_total=validator.row_count,
                       rows_done=validator.row_count)
        resource_id = ensure_table(pkg, variables)
        target = sql.Identifier(resource_id)
        cols = sql.SQL(", ").join(map(sql.Identifier, columns))
        try:
            if record["mode"] == "replace":
                cursor.execute(sql.SQL("DELETE FROM {}").format(target))
            cursor.execute(sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(target, cols, cols, stage))
            # The DataStore caches row counts (datastore_search `total`); forget this table's.
            cursor.execute("SELECT to_regclass('_table_stats') IS NOT NULL")
            if cursor.fetchone()[0]:
                cursor.execute("DELETE FROM _table_stats WHERE resource_id = %s", (resource_id,))
            raw.commit()
        except Exception as err:  # noqa: BLE001 - any database failure: roll back, keep the old rows, report
            raw.rollback()
            detail = getattr(getattr(err, "diag", None), "message_detail", None) or str(err).splitlines()[0]
            log.warning("upload %s: load into %s failed: %s", upload_id, resource_id, err)
            uploads.update(upload_id, state=State.FAILED, resource_id=resource_id,
                           message=tk._("Data gagal dimuat ke DataStore; data lama tidak berubah. Rincian: {detail}")
                           .format(detail=detail))
            return
        uploads.update(upload_id, state=State.DONE, resource_id=resource_id,
                       message=tk._("{n} baris dimuat.").format(n=validator.row_count))
        touch_resource(resource_id)
    finally:
        try:
            cursor = raw.cursor()
            cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(stage))
            raw.commit()
        finally:
            raw.close()


def touch_resource(resource_id: str) -> None:
    """Record the new data on the resource (its page, the dataset's modified date, the search index)
    and give it the default views (the data table preview) once it has data."""
    res = tk.get_action("resource_patch")(site_context(), {
        "id": resource_id, "last_modified": dt.datetime.utcnow().isoformat(), "datastore_active": True})
    if not tk.get_action("resource_view_list")(site_context(), {"id": resource_id}):
        tk.get_action("resource_create_default_resource_views")(
            site_context(), {"resource": res, "create_datastore_views": True})
