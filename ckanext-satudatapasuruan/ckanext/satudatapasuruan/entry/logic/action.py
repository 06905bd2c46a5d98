"""Actions of the data-entry plugin: upload a file into a dataset's DataStore table, follow it."""
from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from .. import config, loader, rows, uploads
from ..validation import parse_variables

__all__ = ["satudata_upload_create", "satudata_upload_show", "satudata_upload_list", "satudata_row_save",
           "satudata_row_delete"]

_MAGIC_XLSX = b"PK\x03\x04"
_MODES = ("replace", "append")


def _save(upload: Any, upload_id: str) -> tuple[str, int]:
    """Stream the uploaded file to storage, refusing it past the size cap; returns (format, size)."""
    stream = getattr(upload, "stream", None) or getattr(upload, "file", None)
    if stream is None:
        raise tk.ValidationError({"upload": [tk._("Pilih berkas XLSX atau CSV untuk diunggah")]})
    limit = config.max_bytes()
    path = os.path.join(config.storage_dir(), upload_id)
    size, head = 0, b""
    with open(path, "wb") as out:
        while block := stream.read(1024 * 1024):
            if not head:
                head = block[:8]
            size += len(block)
            if size > limit:
                out.close()
                os.remove(path)
                raise tk.ValidationError({"upload": [tk._(
                    "Berkas lebih besar dari batas {max} MB; pecah berkas menjadi beberapa bagian").format(
                        max=limit // (1024 * 1024))]})
            out.write(block)
    if size == 0:
        os.remove(path)
        raise tk.ValidationError({"upload": [tk._("Berkas kosong")]})
    return ("xlsx" if head.startswith(_MAGIC_XLSX) else "csv"), size


def satudata_upload_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Upload an XLSX or CSV file into the dataset's DataStore table.

    Every row is validated against the dataset's MS-Var variables first; only a file without
    errors is loaded, in one transaction. Small files are handled at once, larger ones by a
    background job: follow them with ``satudata_upload_show``.

    :param id: the dataset's id or name
    :param upload: the file (multipart form field)
    :param mode: ``replace`` (default) the table's rows, or ``append`` to them
    :returns: the upload record (``state``: menunggu, memeriksa, memuat, selesai, ditolak, gagal;
        ``errors``: row, column, value, reason)
    """
    tk.check_access("satudata_upload_create", context, data_dict)
    mode = data_dict.get("mode") or "replace"
    if mode not in _MODES:
        raise tk.ValidationError({"mode": [tk._("Pilih 'replace' (ganti) atau 'append' (tambah)")]})
    pkg = tk.get_action("package_show")(dict(context), {"id": tk.get_or_bust(data_dict, "id")})
    _variables(pkg)
    upload = data_dict.get("upload")
    filename = os.path.basename(getattr(upload, "filename", "") or "data")
    tmp_id = uploads.new_id()
    fmt, size = _save(upload, tmp_id)
    user = context.get("auth_user_obj")
    upload_id = uploads.create(upload_id=tmp_id, package_id=pkg["id"], user_id=getattr(user, "id", None),
                               filename=filename, fmt=fmt, size=size, mode=mode)
    if size <= config.background_bytes():
        return _public(loader.run(upload_id))
    tk.enqueue_job(loader.run, [upload_id], title=f"satudata upload {upload_id}", rq_kwargs={"timeout": 3600})
    return _public(uploads.get(upload_id))


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return dict(record, done=uploads.State(record["state"]).finished)


@tk.side_effect_free
def satudata_upload_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An upload's state, progress (``rows_done`` of ``rows_total``) and errors.

    :param id: the upload id
    """
    record = uploads.get(tk.get_or_bust(data_dict, "id"))
    if record is None:
        raise tk.ObjectNotFound(tk._("Unggahan tidak ditemukan"))
    tk.check_access("satudata_upload_show", context, {"package_id": record["package_id"]})
    return _public(record)


@tk.side_effect_free
def satudata_upload_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The latest uploads of a dataset, newest first.

    :param id: the dataset's id or name
    """
    pkg = tk.get_action("package_show")(dict(context), {"id": tk.get_or_bust(data_dict, "id")})
    tk.check_access("satudata_upload_show", context, {"package_id": pkg["id"]})
    return uploads.list_for_package(pkg["id"])


def _variables(pkg: dict[str, Any]):
    """The dataset's variables (MS-Var), or a keyed error saying why data cannot be entered yet."""
    if not pkg.get("variabel"):
        raise tk.ValidationError({"variabel": [tk._(
            "Dataset belum memiliki variabel (MS-Var); lengkapi metadata variabel sebelum mengisi data")]})
    try:
        return parse_variables(pkg["variabel"])
    except ValueError as err:
        raise tk.ValidationError({"variabel": [str(err)]}) from err


def satudata_row_save(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add one row to the dataset's DataStore table, or change one (the web entry form).

    The row is checked by the same rules as an uploaded file; errors are keyed by column alias.

    :param id: the dataset's id or name
    :param row: the values keyed by variable alias
    :param mode: ``insert`` (default; a row whose key exists is refused) or ``update`` (replace the
        row with the same key values)
    :returns: the stored row
    """
    tk.check_access("satudata_upload_create", context, data_dict)
    pkg = tk.get_action("package_show")(dict(context), {"id": tk.get_or_bust(data_dict, "id")})
    variables = _variables(pkg)
    mode = data_dict.get("mode") or "insert"
    if mode not in ("insert", "update"):
        raise tk.ValidationError({"mode": [tk._("Pilih 'insert' (tambah) atau 'update' (ubah)")]})
    if mode == "update" and not any(v.kunci for v in variables):
        raise tk.ValidationError({"mode": [tk._("Dataset tanpa kolom kunci: baris tidak dapat diubah, hanya "
                                                "ditambah atau dihapus")]})
    values = data_dict.get("row")
    if not isinstance(values, dict):
        raise tk.ValidationError({"row": [tk._("Isi baris sebagai objek kolom: nilai")]})
    typed, problems = rows.validate_row(variables, values, wilayah_codes=loader.wilayah_codes())
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            for column in problem.column.split(", "):
                errors.setdefault(column or "row", []).append(problem.reason)
        raise tk.ValidationError(errors)
    resource_id = loader.ensure_table(pkg, variables)
    record = {k: rows.json_value(v) for k, v in typed.items()}
    site = loader.site_context()
    try:
        tk.get_action("datastore_upsert")(site, {"resource_id": resource_id, "records": [record], "force": True,
                                                 "method": "insert" if mode == "insert" else "update"})
    except tk.ValidationError as err:
        keys = ", ".join(v.alias for v in variables if v.kunci)
        message = (tk._("Baris dengan kunci yang sama ({keys}) sudah ada") if mode == "insert"
                   else tk._("Tidak ada baris dengan kunci ini ({keys})")).format(keys=keys)
        raise tk.ValidationError({"row": [message]}) from err
    loader.touch_resource(resource_id)
    return record


def satudata_row_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Delete one row of the dataset's DataStore table.

    :param id: the dataset's id or name
    :param row_id: the row's ``_id`` in the DataStore
    """
    tk.check_access("satudata_upload_create", context, data_dict)
    pkg = tk.get_action("package_show")(dict(context), {"id": tk.get_or_bust(data_dict, "id")})
    res = loader.datastore_resource(pkg)
    row_id = data_dict.get("row_id")
    if res is None or not str(row_id or "").isdigit():
        raise tk.ObjectNotFound(tk._("Baris tidak ditemukan"))
    site = loader.site_context()
    found = tk.get_action("datastore_search")(site, {"resource_id": res["id"], "filters": {"_id": int(row_id)},
                                                     "limit": 1})
    if not found["records"]:
        raise tk.ObjectNotFound(tk._("Baris tidak ditemukan"))
    tk.get_action("datastore_records_delete")(site, {"resource_id": res["id"], "filters": {"_id": int(row_id)},
                                                     "force": True})
    return {"deleted": int(row_id)}
