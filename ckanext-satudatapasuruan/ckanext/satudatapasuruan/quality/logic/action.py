"""Actions of the quality plugin: the rule registry, scans, repair tickets and their KPI."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.logic import validate
from ckan.types import Action, Context, DataDict
from sqlalchemy.exc import SQLAlchemyError

from .. import access, config, gate, links, records, rules
from ..records import Status, Via
from ..scan import scan_package
from . import schema

__all__ = ["satudata_quality_rule_list", "satudata_quality_scan", "satudata_quality_ticket_list",
           "satudata_quality_ticket_show", "satudata_quality_ticket_update", "satudata_quality_ticket_comment",
           "satudata_quality_kpi", "satudata_quality_gate_check", "satudata_workflow_publish",
           "satudata_quality_open_ticket_datasets"]

log = logging.getLogger(__name__)

# The shortest reason the walidata may give for publishing past the gate.
MIN_OVERRIDE_REASON = 10
MAX_OVERRIDE_REASON = 1000
OVERRIDE_KEY = "gate_override_reason"


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def _lang() -> str:
    try:
        return tk.h.lang() or "id"
    except (RuntimeError, TypeError, AttributeError):
        return "id"


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def ticket_out(row: dict[str, Any], now: dt.datetime | None = None) -> dict[str, Any]:
    """A ticket as the API and the board show it: messages in the reader's language, its age in days."""
    now = now or dt.datetime.utcnow()
    rule = rules.get(row["rule_code"])
    lang = _lang()
    findings = [dict(f, message=rules.finding_text(f, tk._, lang)) for f in row.get("findings") or []]
    end = row["closed_at"] or now
    return {
        "id": row["id"], "package_id": row["package_id"], "package_name": row.get("package_name"),
        "package_title": row.get("package_title"), "organization_id": row["organization_id"],
        "organization": row.get("organization_name"), "organization_title": row.get("organization_title"),
        "rule": row["rule_code"], "rule_title": tk._(rule.title) if rule else row["rule_code"],
        "remedy": tk._(rule.remedy) if rule else "", "severity": row["severity"], "status": row["status"],
        "findings": findings, "message": " ".join(f["message"] for f in findings),
        "opened_at": _iso(row["opened_at"]), "closed_at": _iso(row["closed_at"]),
        "age_days": max(0, (end - row["opened_at"]).days), "last_scan_at": _iso(row["last_scan_at"]),
        "updated_at": _iso(row["updated_at"]),
    }


@tk.side_effect_free
@validate(schema.rule_list)
def satudata_quality_rule_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The metadata quality rules every dataset is checked against (public).

    :returns: a list of ``{code, severity (kritis|tinggi|sedang), title, remedy}``, in code order
    """
    tk.check_access("satudata_quality_rule_list", context, data_dict)
    return [r.as_dict(tk._) for r in sorted(rules.RULES.values(), key=lambda r: r.code)]


def scan_ids() -> list[str]:
    """Active datasets of the configured types, for the nightly scan."""
    query = (sa.select(model.Package.id)
             .where(model.Package.state == "active", model.Package.type.in_(config.dataset_types()))
             .order_by(model.Package.name))
    return list(model.Session.execute(query).scalars())


def _active_ids(refs: list[str]) -> list[str]:
    """Ids of the given active datasets (by id or name) of the configured types, in order; unknown or deleted
    ones refused, all named."""
    found = {}
    for column in (model.Package.id, model.Package.name):
        query = sa.select(model.Package.id, model.Package.name, model.Package.type).where(
            column.in_(refs), model.Package.state == "active")
        for row in model.Session.execute(query):
            found.setdefault(row.id, row)
            found.setdefault(row.name, row)
    missing = [r for r in refs if r not in found]
    if missing:
        raise tk.ValidationError({"ids": [tk._("Dataset tidak ditemukan: {names}").format(
            names=", ".join(missing[:20]) + (" …" if len(missing) > 20 else ""))]})
    types = config.dataset_types()
    return list(dict.fromkeys(found[r].id for r in refs if found[r].type in types))


def _show(package_id: str) -> dict[str, Any]:
    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    if pkg.get("type") not in config.dataset_types():
        raise tk.ValidationError({"id": [tk._("Jenis dataset ini tidak diperiksa aturan mutu metadata")]})
    return pkg


def _result(pkg: dict[str, Any], outcome) -> dict[str, Any]:
    return {"id": pkg["id"], "name": pkg["name"], **outcome.as_dict()}


def _scan_one(package_id: str, actor_id: str | None) -> dict[str, Any]:
    pkg = _show(package_id)
    outcome = scan_package(pkg, actor_id)
    model.repo.commit()
    return _result(pkg, outcome)


# Datasets per transaction of the nightly scan: their tickets and broken links are read in one query each and
# committed together, where a query of each and a commit per dataset were most of the scan's round trips.
SCAN_BATCH = 200


def _scan_batch(package_ids: list[str], actor_id: str | None) -> list[dict[str, Any]]:
    """Scan a batch in one transaction; a database error rolls it back and the batch is redone one dataset
    per transaction, so one bad dataset costs only its own tickets. Datasets gone or retyped are skipped."""
    results = []
    now = dt.datetime.utcnow()
    touched: list[str] = []
    try:
        existing = records.tickets_of_packages(package_ids)
        with links.preloaded(package_ids):
            for package_id in package_ids:
                try:
                    pkg = _show(package_id)
                except (tk.ValidationError, tk.ObjectNotFound):
                    continue
                outcome = scan_package(pkg, actor_id, now, existing=existing[package_id], touched=touched)
                results.append(_result(pkg, outcome))
        records.touch_tickets(touched, now)
        model.repo.commit()
        return results
    except SQLAlchemyError as err:
        model.Session.rollback()
        log.warning("quality scan batch rolled back (%s); scanning its %d datasets one by one", err,
                    len(package_ids))
    results = []
    for package_id in package_ids:
        try:
            results.append(_scan_one(package_id, actor_id))
        except (tk.ValidationError, tk.ObjectNotFound):
            continue
        except SQLAlchemyError:
            model.Session.rollback()
            log.exception("quality scan of dataset %s failed", package_id)
    return results


@validate(schema.scan)
def satudata_quality_scan(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Run every quality rule over one dataset or all of them and update the repair tickets (walidata only).

    Tickets open for new faults, close (``selesai``) when the rule now passes and reopen when a fault returns.

    :param id: a dataset's id or name
    :param ids: a list of datasets' ids or names, scanned in batches like ``all`` (datasets of types the rules
        do not check are left out; an unknown one is refused before anything is scanned)
    :param all: true to scan every active dataset of the configured types (the nightly run)
    :returns: ``{"scanned": n, "datasets": [{id, name, opened, reopened, closed, still_open, errors}]}``
        (rule codes per dataset)
    """
    tk.check_access("satudata_quality_scan", context, data_dict)
    user = _user(context)
    actor_id = user.id if user else None
    if data_dict.get("all") or "ids" in data_dict:
        ids = scan_ids() if data_dict.get("all") else _active_ids(data_dict["ids"])
        results = []
        for start in range(0, len(ids), SCAN_BATCH):
            results += _scan_batch(ids[start:start + SCAN_BATCH], actor_id)
        return {"scanned": len(results), "datasets": results}
    if not data_dict.get("id"):
        raise tk.ValidationError({"id": [tk._("Sebutkan dataset (id) atau pindai semua (all=true)")]})
    package = model.Package.get(data_dict["id"])
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset tidak ditemukan"))
    return {"scanned": 1, "datasets": [_scan_one(package.id, actor_id)]}


def _visible_rows(user: model.User | None, organization: str | None = None, light: bool = False,
                  **filters: Any) -> list[dict[str, Any]]:
    org_ids = access.visible_org_ids(user)
    if organization:
        group = model.Group.get(organization)
        if group is None or not group.is_organization:
            raise tk.ValidationError({"organization": [tk._("OPD tidak ditemukan")]})
        org_ids = [group.id] if org_ids is None or group.id in org_ids else []
    rows = records.query_tickets(organization_ids=org_ids, light=light, **filters)
    if access.is_walidata(user):
        return rows
    # The OPD's own datasets: package_show allows its members; checked anyway, once per dataset.
    shown: dict[str, bool] = {}
    out = []
    for row in rows:
        if row["package_id"] not in shown:
            shown[row["package_id"]] = access.may_show_package(user, row["package_id"])
        if shown[row["package_id"]]:
            out.append(row)
    return out


@tk.side_effect_free
@validate(schema.ticket_list)
def satudata_quality_ticket_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Repair tickets the caller may see: an OPD's members their OPD's, the walidata every OPD's; never
    tickets of a dataset the caller may not ``package_show``. Newest first.

    :param organization: an OPD's name or id (optional)
    :param status: ``terbuka``, ``dikerjakan`` or ``selesai`` (optional)
    :param severity: ``kritis``, ``tinggi`` or ``sedang`` (optional)
    :param rule: a rule code, e.g. ``MQ-001`` (optional)
    :param package: a dataset's id (optional)
    :param limit: at most this many (default 100, up to 1000)
    :param offset: skip this many (default 0)
    :returns: ``{"count": n, "results": [ticket, …]}``
    """
    tk.check_access("satudata_quality_ticket_list", context, data_dict)
    rows = _visible_rows(_user(context), data_dict.get("organization"), status=data_dict.get("status"),
                         severity=data_dict.get("severity"), rule_code=data_dict.get("rule"),
                         package_id=data_dict.get("package"))
    now = dt.datetime.utcnow()
    page = rows[data_dict["offset"]:data_dict["offset"] + data_dict["limit"]]
    return {"count": len(rows), "results": [ticket_out(r, now) for r in page]}


@tk.side_effect_free
@validate(schema.open_ticket_datasets)
def satudata_quality_open_ticket_datasets(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The datasets with an open (*terbuka* or *dikerjakan*) repair ticket, for aggregates such as the Monev
    dashboard: one row per dataset and status, without the findings. The walidata and sysadmins only (it
    covers every OPD, private datasets included).

    :param package_ids: only these datasets (ids; optional, e.g. the priority datasets)
    :returns: ``{"count": n, "results": [{"package_id", "organization", "status"}, …]}``
    """
    tk.check_access("satudata_quality_open_ticket_datasets", context, data_dict)
    rows = records.open_ticket_datasets(data_dict.get("package_ids"))
    return {"count": len(rows), "results": rows}


def _full_row(ticket_id: str) -> dict[str, Any]:
    found = records.get_ticket(ticket_id)
    if found is None:
        raise tk.ObjectNotFound(tk._("Tiket mutu metadata tidak ditemukan"))
    rows = records.query_tickets(organization_ids=None, package_id=found["package_id"], rule_code=found["rule_code"])
    if not rows:  # the dataset was deleted
        raise tk.ObjectNotFound(tk._("Tiket mutu metadata tidak ditemukan"))
    return rows[0]


def _people(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: _iso(v) if isinstance(v, dt.datetime) else v for k, v in item.items()} for item in items]


@tk.side_effect_free
@validate(schema.by_id)
def satudata_quality_ticket_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One repair ticket with its status history (who, when, by scan or by hand) and comments.

    :param id: the ticket's id
    :returns: the ticket with ``history`` and ``comments``
    """
    tk.check_access("satudata_quality_ticket_show", context, data_dict)
    out = ticket_out(_full_row(data_dict["id"]))
    out["history"] = _people(records.events(data_dict["id"]))
    out["comments"] = _people(records.comments(data_dict["id"]))
    return out


@validate(schema.ticket_update)
def satudata_quality_ticket_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The OPD marks a ticket as being worked on (``dikerjakan``) or back to ``terbuka``, optionally with a
    comment. ``selesai`` is never set by hand: a rescan that passes closes the ticket.

    :param id: the ticket's id
    :param status: ``dikerjakan`` or ``terbuka`` (optional)
    :param comment: a comment (optional)
    :returns: as ``satudata_quality_ticket_show``
    """
    tk.check_access("satudata_quality_ticket_update", context, data_dict)
    current = _full_row(data_dict["id"])
    status, comment = data_dict.get("status"), data_dict.get("comment")
    if not status and not comment:
        raise tk.ValidationError({"status": [tk._("Sebutkan status baru atau komentar")]})
    user = _user(context)
    now = dt.datetime.utcnow()
    if status and status != current["status"]:
        if current["status"] == Status.SELESAI.value:
            raise tk.ValidationError({"status": [tk._("Tiket sudah selesai; tiket dibuka lagi otomatis bila "
                                                      "kesalahannya muncul kembali")]})
        records.set_status(current["id"], current["status"], Status(status), Via.MANUAL, user.id if user else None,
                           now)
    if comment:
        records.add_comment(current["id"], user.id if user else None, comment, now)
    model.repo.commit()
    return satudata_quality_ticket_show(context, {"id": current["id"]})


@validate(schema.ticket_comment)
def satudata_quality_ticket_comment(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Comment on a ticket (whoever may see it: the OPD's members, the walidata).

    :param id: the ticket's id
    :param text: the comment (not empty, up to 4000 characters)
    :returns: the comment ``{id, ticket_id, author_id, text, created}``
    """
    tk.check_access("satudata_quality_ticket_comment", context, data_dict)
    current = _full_row(data_dict["id"])
    user = _user(context)
    now = dt.datetime.utcnow()
    comment_id = records.add_comment(current["id"], user.id if user else None, data_dict["text"], now)
    model.repo.commit()
    return {"id": comment_id, "ticket_id": current["id"], "author_id": user.id if user else None,
            "text": data_dict["text"], "created": now.isoformat()}


def _month(value: dt.datetime) -> str:
    return value.strftime("%Y-%m")


def _share(closed: int, decided: int) -> float | None:
    return round(closed / decided, 4) if decided else None


@tk.side_effect_free
@validate(schema.kpi)
def satudata_quality_kpi(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Share of repair tickets closed within the target days (default 7), per month and per OPD, over the
    tickets the caller may see (IKU "tiket perbaikan metadata selesai dalam 1 minggu").

    Each opening of a ticket (first opening or reopening) counts once, in the month it opened. It is
    *closed in time* when a scan closed it within the target; *pending* while it is open and younger than the
    target (not counted in the share); otherwise late.

    :param organization: an OPD's name or id (optional)
    :param months: how many months back from the current one (default 12, up to 60)
    :returns: ``{target_days, months: [...], overall, by_month: [...], by_organization: [...],
        rows: [{month, organization, opened, closed_in_time, pending, share}]}`` (``share`` null when nothing
        is decided yet)
    """
    tk.check_access("satudata_quality_kpi", context, data_dict)
    user = _user(context)
    target = dt.timedelta(days=config.kpi_days())
    now = dt.datetime.utcnow()
    back = now.year * 12 + now.month - 1 - (data_dict["months"] - 1)
    first = dt.datetime(back // 12, back % 12 + 1, 1)
    # Counted in the database (a Python pass over every ticket and event cost 0.3 s at 12,000 tickets); the
    # walidata counts every ticket, others the tickets _visible_rows lets them see.
    ids = None if access.is_walidata(user) and not data_dict.get("organization") else [
        r["id"] for r in _visible_rows(user, data_dict.get("organization"), light=True)]
    cells: dict[tuple[str, str], list[int]] = {}  # opened, in time, pending
    titles: dict[str, str] = {}
    for row in records.kpi_cells(ids, first, target, now):
        cells[(row["month"], row["org"])] = [int(row["opened"]), int(row["in_time"]), int(row["pending"])]
        titles[row["org"]] = row["org_title"]

    def summary(items: list[list[int]]) -> dict[str, Any]:
        opened, in_time, pending = (sum(c[i] for c in items) for i in range(3))
        return {"opened": opened, "closed_in_time": in_time, "pending": pending,
                "share": _share(in_time, opened - pending)}

    months = sorted({m for m, _o in cells})
    orgs = sorted({o for _m, o in cells})
    return {
        "target_days": target.days, "since": first.date().isoformat(),
        "overall": summary(list(cells.values())),
        "by_month": [{"month": m, **summary([c for (mm, _o), c in cells.items() if mm == m])} for m in months],
        "by_organization": [{"organization": o, "organization_title": titles.get(o, ""),
                             **summary([c for (_m, oo), c in cells.items() if oo == o])} for o in orgs],
        "rows": [{"month": m, "organization": o, **summary([c])} for (m, o), c in sorted(cells.items())],
    }


# --- the publish gate (standar konten) ------------------------------------------------------------------------

def _package(package_id: Any) -> model.Package:
    package = model.Package.get(str(package_id or ""))
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset tidak ditemukan"))
    return package


@tk.side_effect_free
@validate(schema.by_id)
def satudata_quality_gate_check(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The publish gate's verdict on a dataset now, as ``satudata_workflow_publish`` will apply it (the walidata
    and the members of the owning OPD).

    :param id: the dataset's id or name
    :returns: ``{enabled, applies, min_completeness, completeness, passes, reasons: [{code, message}]}``
        (``code`` ``kelengkapan`` or the rule code of an open kritis ticket)
    """
    tk.check_access("satudata_quality_gate_check", context, data_dict)
    return gate.verdict(_package(data_dict["id"])).as_dict()


def _override_reason(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise tk.ValidationError({OVERRIDE_KEY: [tk._("Alasan pengabaian harus berupa teks")]})
    text = value.strip()
    if text and len(text) < MIN_OVERRIDE_REASON:
        raise tk.ValidationError({OVERRIDE_KEY: [tk._(
            "Alasan pengabaian paling sedikit {min} karakter").format(min=MIN_OVERRIDE_REASON)]})
    if len(text) > MAX_OVERRIDE_REASON:
        raise tk.ValidationError({OVERRIDE_KEY: [tk._(
            "Alasan pengabaian paling banyak {max} karakter").format(max=MAX_OVERRIDE_REASON)]})
    return text


@tk.chained_action
def satudata_workflow_publish(next_action: Action, context: Context, data_dict: DataDict):
    """The publish gate: a dataset below the completeness threshold or with an open kritis ticket is not
    published; every reason is listed. With ``gate_override_reason`` the walidata publishes anyway and the
    reason, with what was overridden, goes into the dataset's audit trail (who, when).

    :param gate_override_reason: why the dataset is published although the gate refuses it (optional,
        at least 10 characters)
    """
    tk.check_access("satudata_workflow_publish", context, data_dict)
    data_dict = dict(data_dict)
    reason = _override_reason(data_dict.pop(OVERRIDE_KEY, None))
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None or package.state == "deleted" or not config.gate_enabled():
        return next_action(context, data_dict)
    verdict = gate.verdict(package)
    if verdict.passes:
        return next_action(context, data_dict)
    messages = [r.message for r in verdict.reasons]
    if not reason:
        raise tk.ValidationError({"standar_konten": messages, OVERRIDE_KEY: [tk._(
            "Walidata dapat tetap menerbitkan dengan menuliskan alasannya (gate_override_reason, atau di halaman "
            "/kualitas-metadata/gerbang/{name}); alasan dan hal yang diabaikan dicatat di riwayat verifikasi"
        ).format(name=package.name)]})
    result = next_action(context, data_dict)
    user = context.get("auth_user_obj")
    note = tk._("Diterbitkan walaupun belum memenuhi standar konten. Alasan: {reason} Yang diabaikan: {reasons}"
                ).format(reason=reason, reasons=" ".join(messages))
    # Recorded as the publishing walidata (auth_user_obj), whose publication was just authorised.
    tk.get_action("satudata_workflow_comment")(
        {"user": context.get("user") or "", "auth_user_obj": user, "ignore_auth": True},
        {"id": package.id, "note": note})
    if isinstance(result, dict):
        result = dict(result, gate_override={"reason": reason, "overridden": [r.as_dict() for r in verdict.reasons]})
    return result
