"""IKU "priority datasets released on calendar schedule", computed from the calendar's entries."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.satudatapasuruan import priority

from . import records
from .status import on_original_schedule
from .visibility import published_date

__all__ = ["TARGETS", "compute", "is_priority"]

# Targets of the IKU per year (the Rencana Aksi of Satu Data Kabupaten Pasuruan, its table of "KPI
# targets"): share of priority datasets released on calendar schedule.
TARGETS = {2025: 0.50, 2026: 0.70, 2027: 0.85, 2028: 0.95, 2029: 1.00}


def is_priority(row: dict[str, Any], packages: dict[str, model.Package],
                listed: frozenset[str] | None = None) -> bool:
    """A linked dataset is priority data when the daftar data prioritas lists it (``listed``, when that plugin
    is enabled), else by its ``data_prioritas``; the entry's own flag decides only when none is linked."""
    package = packages.get(row["package_id"] or "")
    if package is not None:
        if listed is not None:
            return package.id in listed
        return (package.extras.get("data_prioritas") or "tidak") == "ya"
    return bool(row["priority"])


def _share(on_time: int, due: int) -> float | None:
    return round(on_time / due, 4) if due else None


def compute(year: int, org_id: str | None, today: dt.date) -> dict[str, Any]:
    query = sa.select(records.entry).where(
        records.entry.c.state == "active",
        records.entry.c.original_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if org_id:
        query = query.where(records.entry.c.owner_org == org_id)
    rows = [dict(r) for r in model.Session.execute(query).mappings()]
    ids = {r["package_id"] for r in rows if r["package_id"]}
    packages = {p.id: p for p in model.Session.query(model.Package).filter(model.Package.id.in_(ids))} if ids else {}
    listed = priority.listed_package_ids()
    per: dict[str, dict[str, int]] = {}
    for row in rows:
        if not is_priority(row, packages, listed):
            continue
        counts = per.setdefault(row["owner_org"], {"priority_entries": 0, "due": 0, "on_schedule": 0})
        counts["priority_entries"] += 1
        published = published_date(row)
        if published is not None or row["original_date"] < today:
            counts["due"] += 1
            counts["on_schedule"] += on_original_schedule(row["original_date"], published)
    groups = {g.id: g for g in model.Session.query(model.Group).filter(model.Group.id.in_(list(per)))} if per else {}
    per_opd = []
    for org, counts in sorted(per.items(), key=lambda kv: (groups[kv[0]].title or "") if kv[0] in groups else kv[0]):
        group = groups.get(org)
        per_opd.append({"organization": org, "name": group.name if group else org,
                        "title": (group.title or group.name) if group else org, **counts,
                        "share": _share(counts["on_schedule"], counts["due"])})
    total = {k: sum(c[k] for c in per.values()) for k in ("priority_entries", "due", "on_schedule")}
    return {"year": year, "organization": org_id, **total, "share": _share(total["on_schedule"], total["due"]),
            "target": TARGETS.get(year), "per_opd": per_opd}
