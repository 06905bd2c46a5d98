"""Actions of sync health and the KPI, and ckanext-harvest's scheduler tick (``harvest_jobs_run``), chained."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.logic import validate
from ckan.types import Action, Context, DataDict

from ckanext.harvest.model import HarvestJob, HarvestSource

from ...logic.action import package_create, package_update  # harvest sources: credentials, walidata
from .. import config, notify, schedule, stats
from . import schema
from .auth import satudata_permission_harvest_scope, source_package

__all__ = ["satudata_harvest_health_show", "satudata_harvest_health_list", "satudata_harvest_kpi",
           "harvest_jobs_run", "package_create", "package_update"]


def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    return user if isinstance(user, model.User) else None


def _source(package: model.Package) -> HarvestSource:
    source = HarvestSource.get(package.id)
    if source is None:  # a harvest dataset without ckanext-harvest's row: nothing to report on
        raise tk.ObjectNotFound(tk._("Sumber panen tidak ditemukan: {id}").format(id=package.name))
    return source


@tk.side_effect_free
@validate(schema.health_show)
def satudata_harvest_health_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The sync health of one harvest source: its last finished run (start, end, duration, status, counts
    added / updated / withdrawn / unchanged / errors), the errors of that run (gather errors, and record errors
    with the record's guid, its dataset and the stage), the run in progress, consecutive failed runs, whether
    the failure e-mail threshold is reached (``alert``), the next scheduled run and the recent runs.

    Visible to sysadmins, the walidata and the members of the organisation owning the source.

    :param id: the harvest source's id or name
    :param history: how many recent runs to list (1-100; default ``ckanext.satudatapasuruan.harvest.history_size``)
    """
    tk.check_access("satudata_harvest_health_show", context, data_dict)
    package = source_package(data_dict["id"])
    source = _source(package)
    history = data_dict.get("history") or config.history_size()
    newest = stats.runs([source.id], history)[source.id]
    return stats.health(source, package, newest, history, errors=True)


@tk.side_effect_free
@validate(schema.health_list)
def satudata_harvest_health_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The sync health of every harvest source the user may watch (as ``satudata_harvest_health_show``,
    without the error lists), by title, and ``totals``: sources per status, running, failing (at least one
    consecutive failure), alerting (at the e-mail threshold), and the sums of their last runs' counts.

    Sysadmins and the walidata see every source; an OPD's members see their organisation's sources.
    """
    tk.check_access("satudata_harvest_health_list", context, data_dict)
    pairs = stats.sources(satudata_permission_harvest_scope(_user(context)))
    newest = stats.runs([source.id for source, _ in pairs], config.history_size())
    items = [stats.health(source, package, newest[source.id]) for source, package in pairs]
    return {"sources": items, "totals": stats.totals(items)}


def _may_read(context: Context, package_id: str) -> bool:
    try:
        tk.check_access("package_show", {"user": context.get("user") or ""}, {"id": package_id})
    except tk.NotAuthorized:
        return False
    return True


def _share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


@tk.side_effect_free
@validate(schema.kpi)
def satudata_harvest_kpi(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """KPI "priority datasets updated by automated sync": of the active priority datasets (``data_prioritas``
    = ``ya``; the denominator), those kept current by a scheduled harvest (the numerator): the dataset is the
    current object of an active harvest source whose frequency is not MANUAL, the source's newest run that did
    not fail finished within its period (1 day DAILY, 7 WEEKLY, 14 BIWEEKLY, 31 MONTHLY) plus
    ``ckanext.satudatapasuruan.harvest.kpi_grace_hours``, and that run neither failed on nor withdrew the
    dataset's record. Returns ``numerator``, ``denominator``, ``share`` (0-1, null without priority datasets),
    ``measured_at`` and ``organizations`` (the same per owning OPD). Public: counts only.

    :param include_datasets: also list the priority datasets (``name``, ``title``, ``organization``,
        ``synced``), only those the user may read (default ``false``)
    """
    tk.check_access("satudata_harvest_kpi", context, data_dict)
    now = dt.datetime.utcnow()
    rows = stats.priority_sync(now)
    per_org: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        per_org[row["owner_org"]].append(row)
    orgs = {g.id: g for g in model.Session.execute(
        sa.select(model.Group).where(model.Group.id.in_([o for o in per_org if o]))).scalars()}
    organizations = []
    for org_id, items in per_org.items():
        org = orgs.get(org_id) if org_id else None
        synced = sum(r["synced"] for r in items)
        organizations.append({"id": org_id, "name": org.name if org else None, "title": org.title if org else None,
                              "numerator": synced, "denominator": len(items), "share": _share(synced, len(items))})
    organizations.sort(key=lambda o: (o["title"] or o["name"] or "").lower())
    numerator = sum(r["synced"] for r in rows)
    out: dict[str, Any] = {"numerator": numerator, "denominator": len(rows), "share": _share(numerator, len(rows)),
                           "measured_at": schedule.utc(now).isoformat(), "organizations": organizations}
    if data_dict["include_datasets"]:
        out["datasets"] = [
            {"name": r["name"], "title": r["title"],
             "organization": orgs[r["owner_org"]].name if r["owner_org"] in orgs else None, "synced": r["synced"]}
            for r in rows if not r["private"] or _may_read(context, r["id"])]
    return out


# --- ckanext-harvest's tick, chained --------------------------------------------------------------------

@tk.chained_action
def harvest_jobs_run(next_action: Action, context: Context, data_dict: DataDict):
    """ckanext-harvest's scheduler tick (make due jobs, mark finished ones), with ``next_run`` kept on the
    schedule's boundaries (``ckanext.satudatapasuruan.harvest.run_at`` in ``ckan.display_timezone``) and one
    e-mail when a source reaches ``ckanext.satudatapasuruan.harvest.failure_mail_after`` consecutive failures.

    :param source_id: only check this source's running jobs (no scheduling), as in ckanext-harvest
    """
    tk.check_access("harvest_jobs_run", context, data_dict)
    schedule.align()  # before ckanext-harvest picks the due sources: missing or drifted next_run
    unfinished = set(model.Session.execute(
        sa.select(HarvestJob.id).where(HarvestJob.status.in_(("New", "Running")))).scalars())
    result = next_action(context, data_dict)
    schedule.align()  # ckanext-harvest set next_run = now + period for the jobs it made
    _report_finished(unfinished)
    return result


def _report_finished(job_ids: set[str]) -> None:
    threshold = config.failure_mail_after()
    if not threshold or not job_ids:
        return
    finished = set(model.Session.execute(
        sa.select(HarvestJob.source_id).where(HarvestJob.id.in_(job_ids), HarvestJob.status == "Finished")).scalars())
    for source_id in sorted(finished):
        for source, package in stats.sources(source_id=source_id):
            health = stats.health(source, package, stats.runs([source.id], config.history_size())[source.id],
                                  errors=True)
            if health["status"] == stats.RunStatus.FAILED.value and health["consecutive_failures"] == threshold:
                notify.failure_streak(package, health)
