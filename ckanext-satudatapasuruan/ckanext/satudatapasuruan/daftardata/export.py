"""The availability matrix and the gap list as XLSX or CSV (what /daftar-data/matriks offers to download)."""
from __future__ import annotations

import csv
import io
from typing import Any

import ckan.plugins.toolkit as tk
from openpyxl import Workbook

__all__ = ["matrix_rows", "gap_rows", "to_csv", "to_xlsx"]


def matrix_rows(found: dict[str, Any]) -> list[list[Any]]:
    """One row per OPD and sektor (long form, easy to pivot)."""
    out: list[list[Any]] = [[tk._("OPD"), tk._("Kode sektor"), tk._("Sektor"), tk._("Dibutuhkan"), tk._("Tersedia"),
                             tk._("Prioritas")]]
    labels = {s["code"]: s["label"] for s in found["sektor"]}
    for row in found["rows"]:
        for code in sorted(row["cells"]):
            c = row["cells"][code]
            out.append([row["organization"]["title"], code, labels.get(code, code), c["needed"], c["available"],
                        c["priority"]])
    return out


def gap_rows(entries: list[dict[str, Any]]) -> list[list[Any]]:
    """The gap list; linked datasets as a count only (the file may travel beyond the viewer)."""
    out: list[list[Any]] = [[tk._("OPD"), tk._("Nama data"), tk._("Kode sektor"), tk._("Sektor"), tk._("Prioritas"),
                             tk._("Status"), tk._("Tahun target"), tk._("Frekuensi"), tk._("Dasar hukum"),
                             tk._("Jumlah dataset tertaut")]]
    for e in entries:
        out.append([e["organization"]["title"], e["name"], e["urusan"], e["urusan_label"],
                    tk._("ya") if e["priority"] else tk._("tidak"), e["status_label"], e["target_year"],
                    e["frekuensi_label"], e["dasar_hukum"], e["datasets_count"]])
    return out


def to_csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([[_safe(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


def _safe(value: Any) -> Any:
    # A text starting like a formula stays text in the sheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_xlsx(rows: list[list[Any]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
