"""Who sees and manages which entries, and how an entry is shown to a viewer.

Rules (decided once, tested in tests/calendar/test_access.py):

- an entry's own fields (OPD, sektor, title, period, dates, status) are public unless the entry is flagged
  non-public (``public`` false): then only the OPD's members, the walidata and sysadmins see it at all;
- the linked dataset (its id, name, title, address, priority flag) is shown only to viewers who may
  ``package_show`` it (the workflow's permission labels decide: drafts, embargoed and rahasia datasets stay
  hidden); others see the entry's own title only;
- the OPD's editors and admins (operator, verifikator) manage their OPD's entries; the walidata and sysadmins
  manage all.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.satudatapasuruan import refdata

from . import config, records
from .status import LABELS, Status, compute, on_original_schedule

__all__ = ["Viewer", "viewer_of", "is_walidata", "present", "status_of", "published_date", "lang"]


def _(message: str) -> str:
    # Entries are also shown outside requests (tick, CLI): there, the default (Indonesian) text.
    try:
        return tk._(message)
    except (RuntimeError, TypeError):
        return message


def lang() -> str:
    try:
        return "en" if (tk.h.lang() or "id").startswith("en") else "id"
    except (RuntimeError, AttributeError, TypeError):
        return "id"


def is_walidata(user: model.User | None) -> bool:
    """A sysadmin or a holder of the workflow's walidata role (asked through the workflow's action)."""
    if user is None:
        return False
    if authz.is_sysadmin(user.name):
        return True
    roles = tk.get_action("satudata_role_list")({"ignore_auth": True}, {"user": user.id})
    return any(r["role"] == "walidata" for r in roles)


def _org_ids(user: model.User, permission: str) -> set[str]:
    orgs = tk.get_action("organization_list_for_user")({"user": user.name, "ignore_auth": True},
                                                      {"id": user.id, "permission": permission})
    return {o["id"] for o in orgs}


@dataclass
class Viewer:
    user: model.User | None
    walidata: bool = False
    read_orgs: set[str] = field(default_factory=set)
    manage_orgs: set[str] = field(default_factory=set)
    _datasets: dict[str, bool] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.user.name if self.user is not None else ""

    def may_manage(self, org_id: str | None) -> bool:
        return self.walidata or bool(org_id and org_id in self.manage_orgs)

    def may_see(self, row: dict[str, Any]) -> bool:
        return bool(row["public"]) or self.walidata or row["owner_org"] in self.read_orgs

    def may_see_dataset(self, package_id: str | None) -> bool:
        if not package_id:
            return False
        if package_id not in self._datasets:
            try:
                tk.check_access("package_show", {"user": self.name, "auth_user_obj": self.user}, {"id": package_id})
                self._datasets[package_id] = True
            except (tk.NotAuthorized, tk.ObjectNotFound):
                self._datasets[package_id] = False
        return self._datasets[package_id]


def viewer_of(context: dict[str, Any]) -> Viewer:
    user = context.get("auth_user_obj")
    if not isinstance(user, model.User):
        user = model.User.get(context.get("user") or "") if context.get("user") else None
    if user is None or not user.is_active:
        return Viewer(None)
    return Viewer(user, walidata=is_walidata(user), read_orgs=_org_ids(user, "read"),
                  manage_orgs=_org_ids(user, "create_dataset"))


def published_date(row: dict[str, Any]) -> dt.date | None:
    return config.local_date(row["published_at"]) if row.get("published_at") else None


def status_of(row: dict[str, Any], today: dt.date | None = None) -> Status:
    return compute(row["scheduled_date"], published_date(row), row["postponements"] > 0, today or config.today())


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _org(org_id: str, cache: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if org_id not in cache:
        group = model.Group.get(org_id)
        cache[org_id] = ({"id": group.id, "name": group.name, "title": group.title or group.name}
                         if group is not None else {"id": org_id, "name": org_id, "title": org_id})
    return cache[org_id]


def present(row: dict[str, Any], viewer: Viewer, *, today: dt.date | None = None,
            orgs: dict[str, dict[str, Any]] | None = None, history: bool = False) -> dict[str, Any]:
    """The entry as ``viewer`` may see it (the caller has checked :meth:`Viewer.may_see`)."""
    today = today or config.today()
    status = status_of(row, today)
    published = published_date(row)
    dataset = None
    if viewer.may_see_dataset(row["package_id"]):
        package = model.Package.get(row["package_id"])
        if package is not None:
            dataset = {"id": package.id, "name": package.name, "title": package.title or package.name,
                       "url": f"{config.site_url()}/dataset/{package.name}",
                       "data_prioritas": package.extras.get("data_prioritas") or "tidak"}
    out = {
        "id": row["id"], "owner_org": row["owner_org"], "organization": _org(row["owner_org"], orgs or {}),
        "urusan": row["urusan"], "urusan_label": refdata.label("urusan", row["urusan"], lang()),
        "title": row["title"], "period": row["period"], "notes": row["notes"],
        "scheduled_date": _iso(row["scheduled_date"]), "original_date": _iso(row["original_date"]),
        "status": status.value, "status_label": _(LABELS[status]),
        "published": published is not None, "published_date": _iso(published),
        "on_original_schedule": on_original_schedule(row["original_date"], published),
        "priority": bool(row["priority"]), "public": bool(row["public"]), "postponements": row["postponements"],
        "sequence": row["sequence"], "created": _iso(row["created"]), "updated": _iso(row["updated"]),
        "dataset": dataset, "may_edit": viewer.may_manage(row["owner_org"]),
    }
    if history:
        out["history"] = [{"action": e["action"], "old_date": _iso(e["old_date"]), "new_date": _iso(e["new_date"]),
                           "reason": e["reason"], "created": _iso(e["created"])}
                          for e in records.events(row["id"]) if e["action"] in ("create", "postpone", "publish")]
    return out
