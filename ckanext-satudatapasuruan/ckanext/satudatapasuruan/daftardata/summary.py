"""What the daftar data shows and counts: entries as a viewer may see them, the availability matrix
OPD x sektor, the gap list, the diff of two versions, the KPI.

One rule everywhere: an entry is *available* when its status is ``tersedia`` and at least one linked dataset is
active (not deleted). A linked dataset is named (id, name, title) only to a viewer who may ``package_show`` it;
everybody else sees only how many there are, so a rahasia dataset is never named to outsiders.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.messages import N_

from .records import ENTRY_FIELDS, Integration, Status

__all__ = ["STATUS_LABELS", "INTEGRATION_LABELS", "Viewer", "packages_of", "is_available", "entry_out",
           "app_out", "snapshot", "diff", "matrix", "gaps", "kpi", "org_names"]

STATUS_LABELS = {Status.DIBUTUHKAN.value: N_("Dibutuhkan"), Status.DALAM_PRODUKSI.value: N_("Dalam produksi"),
                 Status.TERSEDIA.value: N_("Tersedia")}
INTEGRATION_LABELS = {Integration.BELUM.value: N_("Belum terintegrasi"),
                      Integration.API_TERDOKUMENTASI.value: N_("API terdokumentasi"),
                      Integration.DIPANEN.value: N_("Dipanen portal")}
_INTEGRATED = {Integration.API_TERDOKUMENTASI.value, Integration.DIPANEN.value}
# The fields a diff compares (the OPD's name is compared through owner_org).
_COMPARED = tuple(f for f in ENTRY_FIELDS if f != "priority")


def _(message: str) -> str:
    try:
        return tk._(message)
    except (RuntimeError, TypeError):
        return message


def _lang() -> str:
    try:
        return tk.h.lang() or "id"
    except (RuntimeError, TypeError, AttributeError):
        return "id"


class Viewer:
    """Who is looking: decides (and remembers) which linked datasets may be named."""

    def __init__(self, context: dict[str, Any]):
        user = context.get("auth_user_obj")
        if not isinstance(user, model.User):
            user = model.User.get(context.get("user") or "") if context.get("user") else None
        self.user = user if user is not None and user.is_active else None
        self.ignore_auth = bool(context.get("ignore_auth"))
        self._seen: dict[str, bool] = {}

    def may_see(self, package_id: str) -> bool:
        if self.ignore_auth:
            return True
        if package_id not in self._seen:
            name = self.user.name if self.user is not None else ""
            try:
                tk.check_access("package_show", {"user": name, "auth_user_obj": self.user}, {"id": package_id})
                self._seen[package_id] = True
            except (tk.NotAuthorized, tk.ObjectNotFound):
                self._seen[package_id] = False
        return self._seen[package_id]


def packages_of(rows: Iterable[dict[str, Any]]) -> dict[str, model.Package]:
    """The packages the rows link to, by id (deleted ones included; purged ones absent)."""
    ids = {pid for r in rows for pid in (r.get("package_ids") or [])}
    if not ids:
        return {}
    return {p.id: p for p in model.Session.query(model.Package).filter(model.Package.id.in_(list(ids)))}


def is_available(row: dict[str, Any], packages: dict[str, model.Package]) -> bool:
    if row["status"] != Status.TERSEDIA.value:
        return False
    return any(packages.get(pid) is not None and packages[pid].state == "active" for pid in row["package_ids"] or [])


def org_names(org_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    ids = [o for o in set(org_ids) if o]
    if not ids:
        return {}
    rows = model.Session.query(model.Group.id, model.Group.name, model.Group.title).filter(model.Group.id.in_(ids))
    return {i: {"id": i, "name": n, "title": t or n} for i, n, t in rows}


def _org(org_id: str, orgs: dict[str, dict[str, str]]) -> dict[str, str]:
    return orgs.get(org_id) or {"id": org_id, "name": org_id, "title": org_id}


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _datasets(package_ids: list[str], packages: dict[str, model.Package], viewer: Viewer) -> dict[str, Any]:
    shown = []
    for pid in package_ids:
        package = packages.get(pid)
        if package is not None and package.state != "deleted" and viewer.may_see(pid):
            shown.append({"id": package.id, "name": package.name, "title": package.title or package.name,
                          "state": package.state})
    return {"datasets": shown, "package_ids": [d["id"] for d in shown], "datasets_count": len(package_ids),
            "datasets_hidden": len(package_ids) - len(shown)}


def entry_out(row: dict[str, Any], packages: dict[str, model.Package], orgs: dict[str, dict[str, str]],
              viewer: Viewer) -> dict[str, Any]:
    """An entry as the API and the pages show it."""
    lang = _lang()
    return {"id": row["id"], "owner_org": row["owner_org"], "organization": _org(row["owner_org"], orgs),
            "name": row["name"], "urusan": row["urusan"], "urusan_label": refdata.label("urusan", row["urusan"], lang),
            "program": row["program"], "frekuensi": row["frekuensi"],
            "frekuensi_label": refdata.label("frekuensi", row["frekuensi"], lang), "target_year": row["target_year"],
            "priority": row["priority"], "dasar_hukum": row["dasar_hukum"], "status": row["status"],
            "status_label": _(STATUS_LABELS.get(row["status"], row["status"])),
            "available": is_available(row, packages),
            **_datasets(list(row.get("package_ids") or []), packages, viewer),
            "created": _iso(row.get("created")), "modified": _iso(row.get("modified"))}


def app_out(row: dict[str, Any], orgs: dict[str, dict[str, str]]) -> dict[str, Any]:
    return {"id": row["id"], "owner_org": row["owner_org"], "organization": _org(row["owner_org"], orgs),
            "name": row["name"], "function": row["function"], "priority": row["priority"],
            "integration": row["integration"],
            "integration_label": _(INTEGRATION_LABELS.get(row["integration"], row["integration"])),
            "harvest_source_id": row["harvest_source_id"], "created": _iso(row.get("created")),
            "modified": _iso(row.get("modified"))}


def snapshot(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The priority entries as a version keeps them (JSON-ready)."""
    return [{"id": r["id"], **{k: list(r[k]) if k == "package_ids" else r[k] for k in ENTRY_FIELDS}}
            for r in rows if r["priority"]]


def diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Entries added to, removed from and changed within the priority list from ``old`` to ``new``."""
    before = {e["id"]: e for e in old}
    after = {e["id"]: e for e in new}
    changed = []
    for id_ in after.keys() & before.keys():
        fields = [k for k in _COMPARED if (before[id_].get(k) or None) != (after[id_].get(k) or None)]
        if fields:
            changed.append({"old": before[id_], "new": after[id_], "fields": fields})
    return {"added": [after[i] for i in after.keys() - before.keys()],
            "removed": [before[i] for i in before.keys() - after.keys()],
            "changed": sorted(changed, key=lambda c: (c["new"]["name"], c["new"]["id"]))}


def _zero() -> dict[str, int]:
    return {"needed": 0, "available": 0, "priority": 0}


def matrix(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """OPD x sektor: how many data are needed (every entry), available, and priority."""
    packages = packages_of(rows)
    orgs = org_names(r["owner_org"] for r in rows)
    cells: dict[str, dict[str, dict[str, int]]] = {}
    columns: dict[str, dict[str, int]] = {}
    grand = _zero()
    for row in rows:
        counts = [cells.setdefault(row["owner_org"], {}).setdefault(row["urusan"], _zero()),
                  columns.setdefault(row["urusan"], _zero()), grand]
        available = is_available(row, packages)
        for c in counts:
            c["needed"] += 1
            c["available"] += available
            c["priority"] += bool(row["priority"])
    lang = _lang()
    sektor = [{"code": code, "label": refdata.label("urusan", code, lang)} for code in sorted(columns)]
    out_rows = []
    for org_id, by_sektor in cells.items():
        total = _zero()
        for c in by_sektor.values():
            for k in total:
                total[k] += c[k]
        out_rows.append({"organization": _org(org_id, orgs), "cells": by_sektor, "total": total})
    out_rows.sort(key=lambda r: r["organization"]["title"].lower())
    return {"sektor": sektor, "rows": out_rows, "columns": columns, "total": grand}


def gaps(rows: list[dict[str, Any]], viewer: Viewer) -> list[dict[str, Any]]:
    """Entries needed but not available: priority first, then by OPD, sektor and name."""
    packages = packages_of(rows)
    orgs = org_names(r["owner_org"] for r in rows)
    missing = [entry_out(r, packages, orgs, viewer) for r in rows if not is_available(r, packages)]
    missing.sort(key=lambda e: (not e["priority"], e["organization"]["title"].lower(), e["urusan"],
                                e["name"].lower()))
    return missing


def kpi(rows: list[dict[str, Any]], apps: list[dict[str, Any]], agreed_dates: list[dt.date]) -> dict[str, Any]:
    """The Monev dashboard's figures (the live list's priority entries; see docs/daftardata.md)."""
    priority = [r for r in rows if r["priority"]]
    packages = packages_of(priority)
    orgs = org_names([*(r["owner_org"] for r in priority), *(a["owner_org"] for a in apps)])
    per: dict[str, dict[str, int]] = {}

    def slot(org_id: str) -> dict[str, int]:
        return per.setdefault(_org(org_id, orgs)["name"], {"priority_entries": 0, "priority_available": 0,
                                                            "apps_total": 0, "apps_integrated_api": 0})

    linked: set[str] = set()
    for row in priority:
        counts = slot(row["owner_org"])
        counts["priority_entries"] += 1
        counts["priority_available"] += is_available(row, packages)
        linked.update(pid for pid in row["package_ids"] or [] if pid in packages
                      and packages[pid].state != "deleted")
    for item in apps:
        counts = slot(item["owner_org"])
        counts["apps_total"] += 1
        counts["apps_integrated_api"] += item["integration"] in _INTEGRATED
    years: dict[str, int] = {}
    for agreed in agreed_dates:
        years[str(agreed.year)] = years.get(str(agreed.year), 0) + 1
    return {"list_updates_per_year": dict(sorted(years.items())),
            "priority_entries": len(priority),
            "priority_available": sum(c["priority_available"] for c in per.values()),
            "priority_package_ids": sorted(linked),
            "apps_total": len(apps),
            "apps_integrated_api": sum(1 for a in apps if a["integration"] in _INTEGRATED),
            "per_opd": dict(sorted(per.items()))}
