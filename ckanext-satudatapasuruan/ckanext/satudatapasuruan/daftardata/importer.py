"""Bulk load of daftar data entries from XLSX/CSV, all or nothing.

The file is read by the data uploads' core (``entry.validation.open_table``: the same reader, encodings,
formula refusal and size limits as data uploads and the calendar import); each row then goes through the
action's own schema, so a row is refused for exactly what the form refuses, and the messages name the row as
the spreadsheet shows it: ``Baris 3: kode OPD 'xyz' tidak dikenal``.
"""
from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from openpyxl import Workbook

from ckanext.satudatapasuruan.entry.validation import FileError, open_table
from ckanext.satudatapasuruan.messages import N_

from . import records
from .logic import schema

__all__ = ["COLUMNS", "ImportProblem", "parse", "template_xlsx"]

# (field, header, required): the template's columns; headers match by header or field name, case-insensitive.
COLUMNS = (
    ("owner_org", "OPD", True),
    ("name", "Nama data", True),
    ("urusan", "Sektor", True),
    ("program", "Program/Indikator RPJMD", False),
    ("frekuensi", "Frekuensi", True),
    ("target_year", "Tahun target", True),
    ("priority", "Prioritas", False),
    ("dasar_hukum", "Dasar hukum", False),
    ("status", "Status", False),
    ("package_ids", "Dataset", False),
)
EXAMPLE = ("dinas-kesehatan", "Jumlah puskesmas menurut kecamatan", "1.02", "Indikator RPJMD: rasio puskesmas",
           "tahunan", 2026, "ya", "Perbup Pasuruan Nomor 10 Tahun 2024", "dibutuhkan", "")


class ImportProblem(Exception):
    """The file as a whole cannot be read (``message`` in Indonesian)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _key(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").split())


def _columns(header: list[str]) -> dict[str, int]:
    wanted = {}
    for field, title, _required in COLUMNS:
        wanted[_key(title)] = field
        wanted[_key(field)] = field
    found = {}
    for index, text in enumerate(header):
        field = wanted.get(_key(text))
        if field and field not in found:
            found[field] = index
    missing = [title for field, title, required in COLUMNS if required and field not in found]
    if missing:
        raise ImportProblem(tk._("Kolom wajib tidak ada di baris judul: {columns}").format(columns=", ".join(missing)))
    return found


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return str(value).strip()


def _sentence(message: str) -> str:
    """A message after "Baris N: " starts in lower case unless its first word is an acronym (OPD) or the
    polite "Anda"."""
    if len(message) > 1 and message[0].isupper() and message[1].islower() and not message.startswith("Anda "):
        return message[0].lower() + message[1:]
    return message


def _messages(errors: dict[str, Any]) -> list[str]:
    order = [f for f, _t, _r in COLUMNS]
    out = []
    for field in sorted(errors, key=lambda f: order.index(f) if f in order else len(order)):
        msgs = errors[field]
        out += [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
    return out


def parse(path: str | os.PathLike[str], context: dict[str, Any], may_manage: Callable[[str], bool],
          may_link: Callable[[str], bool], *, max_bytes: int, max_rows: int
          ) -> tuple[list[dict[str, Any]], list[str]]:
    """(validated entry values, []) when every row is good, else ([], every problem found).

    ``may_manage(org_id)``: may the uploader write that OPD's entries; ``may_link(package_id)``: may the
    uploader see (and so link) that dataset."""
    problems: list[str] = []
    good: list[dict[str, Any]] = []
    try:
        with open_table(path, max_bytes=max_bytes) as table:
            columns = _columns(table.header)
            for count, (number, cells) in enumerate(table, start=1):
                if count > max_rows:
                    problems.append(tk._("Berkas memuat lebih dari {max} baris data").format(max=max_rows))
                    break
                raw = {field: _cell(cells[index]) if index < len(cells) else "" for field, index in columns.items()}
                raw = {k: v for k, v in raw.items() if v != "" or k in ("owner_org", "name", "urusan",
                                                                         "frekuensi", "target_year")}
                data, errors = tk.navl_validate(raw, schema.entry_create(), dict(context))
                row_problems = _messages(errors)
                if not errors and not may_manage(data["owner_org"]):
                    row_problems.append(tk._("Anda tidak berhak mengelola daftar data OPD '{value}'").format(
                        value=raw["owner_org"]))
                if not errors:
                    row_problems += [tk._("Dataset '{value}' tidak ditemukan").format(value=pid)
                                     for pid in data["package_ids"] if not may_link(pid)]
                problems += [tk._("Baris {row}: {message}").format(row=number, message=_sentence(m))
                             for m in row_problems]
                if not row_problems:
                    good.append({**data, "_row": number, "_org_text": raw["owner_org"]})
    except FileError as err:
        raise ImportProblem(err.message) from err
    problems += _duplicates(good)
    if problems:
        return [], problems
    if not good:
        raise ImportProblem(tk._(N_("Berkas tidak memuat baris daftar data.")))
    return good, []


def _duplicates(rows: list[dict[str, Any]]) -> list[str]:
    """A data name given twice for one OPD, in the file or already in the list, is refused: importing the same
    file again must not double the list."""
    known = records.names_of({r["owner_org"] for r in rows})
    seen: set[tuple[str, str]] = set()
    out = []
    for row in rows:
        key = (row["owner_org"], row["name"].lower())
        if key in known:
            out.append(tk._("Baris {row}: OPD '{org}' sudah memiliki entri '{name}'; ubah entri itu di halaman "
                            "daftar data").format(row=row["_row"], org=row["_org_text"], name=row["name"]))
        elif key in seen:
            out.append(tk._("Baris {row}: data '{name}' untuk OPD '{org}' muncul lebih dari sekali dalam berkas")
                       .format(row=row["_row"], org=row["_org_text"], name=row["name"]))
        seen.add(key)
    for row in rows:
        del row["_row"], row["_org_text"]
    return out


def template_xlsx() -> bytes:
    """The import template: the header row and one example row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Daftar data"
    sheet.append([title for _f, title, _r in COLUMNS])
    sheet.append(list(EXAMPLE))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
