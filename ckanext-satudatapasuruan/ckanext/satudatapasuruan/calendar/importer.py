"""Bulk load of calendar entries from XLSX/CSV, with the data uploads' own validation core.

The file is read and type-checked by ``entry.validation`` (the same reader, encodings, formula refusal, date
and yes/no rules and row/column messages as data uploads) against the columns below described as MS-Var
variables; then each typed row is checked against the portal (the OPD exists and is the uploader's, the
dataset exists and belongs to it). Every problem is a :class:`CellError` naming the row and the column;
the action saves nothing unless there are none.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.entry.validation import CellError, FileError, Table, Validator, Variable, open_table
from ckanext.satudatapasuruan.messages import N_

from .visibility import Viewer

__all__ = ["COLUMNS", "variables", "parse", "ImportProblem"]

# (alias, header, tipe_data, wajib): the template's columns; headers match by alias or name, case-insensitive.
COLUMNS = (
    ("opd", "OPD", "teks", True),
    ("sektor", "Sektor", "kategori", False),
    ("judul", "Judul", "teks", True),
    ("periode", "Periode", "teks", True),
    ("tanggal", "Tanggal rilis", "tanggal", True),
    ("dataset", "Dataset", "teks", False),
    ("prioritas", "Prioritas", "ya_tidak", False),
    ("publik", "Publik", "ya_tidak", False),
    ("keterangan", "Keterangan", "teks", False),
)
_HEADERS = {alias: header for alias, header, _t, _w in COLUMNS}
_LIMITS = {"judul": 200, "periode": 100, "keterangan": 2000, "opd": 100, "dataset": 100}

MSG = {
    "opd_tidak_ada": N_("OPD \u201c{value}\u201d tidak ditemukan; tulis nama (alamat URL) OPD, mis. dinas-kesehatan."),
    "opd_bukan_milik": N_("Anda tidak berhak mengelola jadwal rilis OPD \u201c{value}\u201d."),
    "dataset_tidak_ada": N_("Dataset \u201c{value}\u201d tidak ditemukan."),
    "dataset_opd_lain": N_("Dataset \u201c{value}\u201d bukan milik OPD pada baris ini."),
    "sektor_wajib": N_("Sektor wajib diisi bila tidak ada dataset tertaut."),
    "terlalu_panjang": N_("Teks terlalu panjang: {length} karakter, maksimum {max}."),
}


class ImportProblem(Exception):
    """The file as a whole cannot be read (``message`` in Indonesian)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _(message: str) -> str:
    try:
        return tk._(message)
    except (RuntimeError, TypeError):
        return message


def variables() -> list[Variable]:
    sektor = tuple((e.code, e.name) for e in refdata.entries("urusan"))
    return [Variable(alias=a, nama=n, tipe_data=t, wajib=w, pilihan=sektor if a == "sektor" else ())
            for a, n, t, w in COLUMNS]


class _Tracked:
    """A Table whose current row the caller can read while the validator streams it; the raw rows are kept
    (at most ``import_max_rows``) so that rows after a type error can still be checked one by one."""

    def __init__(self, table: Table):
        self.table = table
        self.header = table.header
        self.header_row = table.header_row
        self.current = table.header_row
        self.raw: list[tuple[int, list[Any]]] = []

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        for number, cells in self.table:
            self.current = number
            self.raw.append((number, cells))
            yield number, cells


def _org(value: str) -> model.Group | None:
    group = model.Group.get(value)
    if group is None:  # by its official name too
        group = model.Session.query(model.Group).filter(model.Group.title.ilike(value),
                                                        model.Group.is_organization.is_(True)).first()
    return group if group is not None and group.is_organization and group.state == "active" else None


def _check(number: int, row: dict[str, Any], viewer: Viewer, errors: list[CellError]) -> dict[str, Any] | None:
    def fail(column: str, key: str, value: Any, code: str, **extra: Any) -> None:
        errors.append(CellError(row=number, column=_HEADERS[column], value=str(value or ""), code=code,
                                reason=_(MSG[key]).format(value=value, **extra)))

    bad = False
    for alias, limit in _LIMITS.items():
        if row.get(alias) and len(row[alias]) > limit:
            fail(alias, "terlalu_panjang", row[alias][:50], "terlalu_panjang", length=len(row[alias]), max=limit)
            bad = True
    org = _org(row["opd"])
    if org is None:
        fail("opd", "opd_tidak_ada", row["opd"], "kode_tidak_dikenal")
        return None
    if not viewer.may_manage(org.id):
        fail("opd", "opd_bukan_milik", row["opd"], "wewenang")
        return None
    package = None
    if row.get("dataset"):
        package = model.Package.get(row["dataset"])
        if package is None or package.state == "deleted":
            fail("dataset", "dataset_tidak_ada", row["dataset"], "kode_tidak_dikenal")
            bad = True
        elif package.owner_org != org.id:
            fail("dataset", "dataset_opd_lain", row["dataset"], "kode_tidak_dikenal")
            bad = True
    urusan = row.get("sektor") or (package.extras.get("urusan") if package is not None else None)
    if not urusan:
        fail("sektor", "sektor_wajib", "", "wajib")
        bad = True
    if bad:
        return None
    return {"owner_org": org.id, "urusan": urusan, "title": " ".join(row["judul"].split()),
            "period": " ".join(row["periode"].split()), "scheduled_date": row["tanggal"],
            "package_id": package.id if package is not None else None, "priority": bool(row.get("prioritas")),
            "public": True if row.get("publik") is None else bool(row["publik"]),
            "notes": (row.get("keterangan") or "").strip()}


def _typed_rows(validator: Validator, tracked: _Tracked) -> Iterator[tuple[int, dict[str, Any]]]:
    aliases = [v.alias for v in validator.variables]
    done: set[int] = set()
    for typed in validator.rows():
        done.add(tracked.current)
        yield tracked.current, dict(zip(aliases, typed, strict=True))
    if not validator.error_count:
        return
    # The core stops handing rows over at its first error; the rows after it are checked one at a time so the
    # report names every problem of the file (header problems stop here: they concern every row).
    failed = {e.row for e in validator.errors}
    if tracked.header_row in failed:
        return
    for number, cells in tracked.raw:
        if number in done or number in failed:
            continue
        single = Table("calendar", iter([(tracked.header_row, list(tracked.header)), (number, cells)]),
                       lambda: None)
        one = Validator(single, validator.variables)
        for typed in one.rows():
            yield number, dict(zip(aliases, typed, strict=True))


def parse(path: str | os.PathLike[str], viewer: Viewer, *, max_bytes: int, max_rows: int
          ) -> tuple[list[dict[str, Any]], list[CellError]]:
    """(entry values, []) when every row is good, else ([], every problem found)."""
    try:
        with open_table(path, max_bytes=max_bytes) as table:
            tracked = _Tracked(table)
            validator = Validator(tracked, variables(), max_rows=max_rows)  # type: ignore[arg-type]
            semantic: list[CellError] = []
            good = []
            for number, row in _typed_rows(validator, tracked):
                values = _check(number, row, viewer, semantic)
                if values is not None:
                    good.append(values)
    except FileError as err:
        raise ImportProblem(err.message) from err
    errors = sorted([*validator.errors, *semantic], key=lambda e: (e.row, e.column))
    if errors:
        return [], errors
    if not good:
        raise ImportProblem(_(N_("Berkas tidak memuat baris jadwal rilis.")))
    return good, []
