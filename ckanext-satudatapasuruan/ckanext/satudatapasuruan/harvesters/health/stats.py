"""What happened to each harvest source, read from ckanext-harvest's own tables.

A run is one ``harvest_job``. Its record counts come from its ``harvest_object`` rows' ``report_status``
(``added``, ``updated``, ``deleted`` = withdrawn: our harvesters withdraw datasets gone from the source instead
of deleting them, ``not modified`` = unchanged) plus, for our harvesters, the records their gather skipped as
unchanged (``satudata_harvest.run``). Its errors are its ``harvest_gather_error`` rows (the source as a whole,
a duplicate identifier, a timeout) plus each record with ``harvest_object_error`` rows, left in state ``ERROR``
or, once the job is finished, left unfinished (a timeout or an abort).

A finished run has **failed** when its listing did not complete (our harvesters record whether it did; for
others, any gather error counts as that: connection refused, HTTP status, invalid body, bad configuration),
or when at least one record failed and not one went through (added, updated, withdrawn or unchanged). With
errors but a complete listing and some records through it is **partial**; without errors it **succeeded**.
Consecutive failures count the failed runs since the last run that did not fail; running and aborted jobs
are skipped.
"""
from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError, HarvestSource
from ckanext.satudatapasuruan import priority
from ckanext.satudatapasuruan.messages import N_

from .. import store
from . import config
from .schedule import PERIOD, SCHEDULED, Frequency, frequency_of, utc

__all__ = ["RunStatus", "NEVER", "LABELS", "Counts", "Run", "sources", "runs", "streak", "run_errors", "health",
           "totals", "priority_sync", "label"]


class RunStatus(enum.Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    FAILED = "failed"
    ABORTED = "aborted"


NEVER = "never"  # a source's status before its first finished run
LABELS = {
    RunStatus.RUNNING.value: N_("Berjalan"),
    RunStatus.SUCCEEDED.value: N_("Berhasil"),
    RunStatus.PARTIAL.value: N_("Sebagian gagal"),
    RunStatus.FAILED.value: N_("Gagal"),
    RunStatus.ABORTED.value: N_("Dibatalkan"),
    NEVER: N_("Belum pernah berjalan"),
}
_SKIPPED = (RunStatus.RUNNING, RunStatus.ABORTED)
_PAGE = 25  # runs read at a time while looking back for the end of a streak


def label(status: str) -> str:
    """The Indonesian label of a run or source status (the default text outside a request)."""
    try:
        return tk._(LABELS[status])
    except (RuntimeError, TypeError):
        return LABELS[status]


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    error_records: int = 0  # records with an error (a record may also be counted as added: ckanext-harvest's way)
    ok_records: int = 0     # records through without any error
    gather_errors: int = 0
    pending: int = 0        # records not yet imported (errors once the job is finished)
    listing_complete: bool | None = None  # our harvesters' gather: did the listing complete? (None: unknown)

    @property
    def errors(self) -> int:
        return self.error_records + self.gather_errors


@dataclass
class Run:
    job_id: str
    source_id: str
    job_status: str
    created: dt.datetime
    started: dt.datetime | None
    finished: dt.datetime | None
    counts: Counts = field(default_factory=Counts)

    @property
    def status(self) -> RunStatus:
        if self.job_status in ("New", "Running"):
            return RunStatus.RUNNING
        if self.job_status == "Aborted":
            return RunStatus.ABORTED
        c = self.counts
        listing_failed = not c.listing_complete if c.listing_complete is not None else bool(c.gather_errors)
        if listing_failed or (c.error_records and not (c.ok_records or c.unchanged)):
            return RunStatus.FAILED
        return RunStatus.PARTIAL if c.errors else RunStatus.SUCCEEDED

    def as_dict(self) -> dict[str, Any]:
        start = self.started or self.created
        c = self.counts
        return {
            "job_id": self.job_id, "status": self.status.value, "status_label": label(self.status.value),
            "created": _iso(self.created), "started": _iso(start), "finished": _iso(self.finished),
            "duration_seconds": round((self.finished - start).total_seconds()) if self.finished else None,
            "counts": {"added": c.added, "updated": c.updated, "withdrawn": c.withdrawn, "unchanged": c.unchanged,
                       "errors": c.errors, "record_errors": c.error_records, "gather_errors": c.gather_errors},
        }


def _iso(value: dt.datetime | None) -> str | None:
    return utc(value).isoformat() if value else None


# --- reading -------------------------------------------------------------------------------------------

def sources(org_ids: Iterable[str] | None = None, source_id: str | None = None
            ) -> list[tuple[HarvestSource, model.Package]]:
    """Harvest sources whose dataset is active (all, of the given organisations, or one by id or name),
    by title."""
    query = (sa.select(HarvestSource, model.Package).join(model.Package, model.Package.id == HarvestSource.id)
             .where(model.Package.state == "active", model.Package.type == "harvest")
             .order_by(sa.func.lower(sa.func.coalesce(model.Package.title, model.Package.name))))
    if org_ids is not None:
        query = query.where(model.Package.owner_org.in_(list(org_ids)))
    if source_id is not None:
        query = query.where(sa.or_(model.Package.id == source_id, model.Package.name == source_id))
    return [tuple(row) for row in model.Session.execute(query).all()]


def runs(source_ids: list[str], limit: int, offset: int = 0) -> dict[str, list[Run]]:
    """The newest ``limit`` runs of each source (after skipping ``offset``), newest first, with their counts."""
    found: dict[str, list[Run]] = {sid: [] for sid in source_ids}
    if not source_ids:
        return found
    rank = sa.func.row_number().over(partition_by=HarvestJob.source_id,
                                     order_by=(HarvestJob.created.desc(), HarvestJob.id)).label("rank")
    ranked = (sa.select(HarvestJob.id, HarvestJob.source_id, HarvestJob.status, HarvestJob.created,
                        HarvestJob.gather_started, HarvestJob.finished, rank)
              .where(HarvestJob.source_id.in_(source_ids)).subquery())
    rows = model.Session.execute(sa.select(ranked).where(ranked.c.rank > offset, ranked.c.rank <= offset + limit)
                                 .order_by(ranked.c.source_id, ranked.c.rank)).all()
    by_id = {}
    for row in rows:
        run = Run(row.id, row.source_id, row.status, row.created, row.gather_started, row.finished)
        found[row.source_id].append(run)
        by_id[row.id] = run
    for job_id, counts in _counts(list(by_id)).items():
        if by_id[job_id].job_status == "Finished":
            counts.error_records, counts.pending = counts.error_records + counts.pending, 0
        by_id[job_id].counts = counts
    return found


def _counts(job_ids: list[str]) -> dict[str, Counts]:
    if not job_ids:
        return {}
    obj = HarvestObject
    has_error = sa.exists().where(HarvestObjectError.harvest_object_id == obj.id)
    errored = sa.or_(obj.state == "ERROR", has_error)

    def count(condition):
        return sa.func.count().filter(condition)

    rows = model.Session.execute(
        sa.select(obj.harvest_job_id, count(obj.report_status == "added"), count(obj.report_status == "updated"),
                  count(obj.report_status == "deleted"), count(obj.report_status == "not modified"),
                  count(errored), count(sa.and_(obj.state == "COMPLETE", ~has_error)),
                  count(sa.and_(obj.state.not_in(("COMPLETE", "ERROR")), ~has_error)))
        .where(obj.harvest_job_id.in_(job_ids)).group_by(obj.harvest_job_id)).all()
    found = {row[0]: Counts(*row[1:6], ok_records=row[6], pending=row[7]) for row in rows}
    for job_id, gather in model.Session.execute(
            sa.select(HarvestGatherError.harvest_job_id, sa.func.count())
            .where(HarvestGatherError.harvest_job_id.in_(job_ids)).group_by(HarvestGatherError.harvest_job_id)):
        found.setdefault(job_id, Counts()).gather_errors = gather
    for job_id, unchanged, complete in model.Session.execute(
            sa.select(store.run.c.job_id, store.run.c.unchanged, store.run.c.complete)
            .where(store.run.c.job_id.in_(job_ids))):
        counts = found.setdefault(job_id, Counts())
        counts.unchanged += unchanged
        counts.listing_complete = complete
    return found


def streak(source_id: str, newest: list[Run]) -> int:
    """Consecutive failed runs of the source, ``newest`` being its newest runs as read by ``runs``."""
    failures, page, offset = 0, newest, 0
    while True:
        for run in page:
            if run.status in _SKIPPED:
                continue
            if run.status is not RunStatus.FAILED:
                return failures
            failures += 1
        if not page:
            return failures
        offset += len(page)
        page = runs([source_id], _PAGE, offset)[source_id]


def run_errors(job_id: str, limit: int) -> dict[str, Any]:
    """The run's gather errors and record errors (each with the record's guid, its dataset, the stage)."""
    gather = model.Session.execute(
        sa.select(HarvestGatherError.message, HarvestGatherError.created)
        .where(HarvestGatherError.harvest_job_id == job_id)
        .order_by(HarvestGatherError.created, HarvestGatherError.id)).all()
    records_query = (
        sa.select(HarvestObjectError.message, HarvestObjectError.stage, HarvestObjectError.line,
                  HarvestObjectError.created, HarvestObject.id.label("object_id"), HarvestObject.guid,
                  model.Package.name.label("dataset"))
        .join(HarvestObject, HarvestObject.id == HarvestObjectError.harvest_object_id)
        .outerjoin(model.Package, model.Package.id == HarvestObject.package_id)
        .where(HarvestObject.harvest_job_id == job_id))
    total = model.Session.execute(sa.select(sa.func.count()).select_from(records_query.subquery())).scalar_one()
    records = model.Session.execute(
        records_query.order_by(HarvestObjectError.created, HarvestObjectError.id).limit(limit)).all()
    return {
        "gather": [{"message": r.message, "created": _iso(r.created)} for r in gather[:limit]],
        "gather_total": len(gather),
        "records": [{"guid": r.guid, "stage": r.stage, "message": r.message, "line": r.line,
                     "object_id": r.object_id, "dataset": r.dataset, "created": _iso(r.created)} for r in records],
        "records_total": total,
    }


def _next_run(source: HarvestSource) -> dt.datetime | None:
    frequency = frequency_of(source.frequency)
    if not source.active or frequency is Frequency.MANUAL:
        return None
    if frequency in SCHEDULED:
        return source.next_run
    return source.next_run or dt.datetime.utcnow()  # ALWAYS: the next tick


def health(source: HarvestSource, package: model.Package, newest: list[Run], history: int | None = None,
           errors: bool = False) -> dict[str, Any]:
    """The health of one source: its newest runs as read by ``runs`` (at least ``history`` of them)."""
    finished = [r for r in newest if r.status not in _SKIPPED]
    last = finished[0] if finished else None
    current = next((r for r in newest if r.status is RunStatus.RUNNING), None)
    failures = streak(source.id, newest)
    threshold = config.failure_mail_after()
    org = model.Group.get(package.owner_org) if package.owner_org else None
    status = last.status.value if last else NEVER
    out = {
        "source": {"id": source.id, "name": package.name, "title": package.title or package.name, "url": source.url,
                   "type": source.type, "frequency": frequency_of(source.frequency).value,
                   "active": bool(source.active), "owner_org": package.owner_org,
                   "organization": {"id": org.id, "name": org.name, "title": org.title} if org else None},
        "status": status, "status_label": label(status),
        "running": current is not None,
        "current_run": current.as_dict() if current else None,
        "last_run": last.as_dict() if last else None,
        "consecutive_failures": failures,
        "alert": bool(threshold) and failures >= threshold,
        "next_run": _iso(_next_run(source)),
        "history": [r.as_dict() for r in newest[:history or config.history_size()]],
    }
    if errors:
        out["errors"] = run_errors(last.job_id, config.error_limit()) if last else None
    return out


def totals(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Sums over the sources' health: how many in each status, failing, alerting, and their last runs' counts."""
    by_status = {s: 0 for s in (*(r.value for r in RunStatus if r not in _SKIPPED), NEVER)}
    counts = {"added": 0, "updated": 0, "withdrawn": 0, "unchanged": 0, "errors": 0}
    for item in items:
        by_status[item["status"]] += 1
        for key in counts:
            counts[key] += item["last_run"]["counts"][key] if item["last_run"] else 0
    return {"sources": len(items), "by_status": by_status, "running": sum(i["running"] for i in items),
            "failing": sum(i["consecutive_failures"] > 0 for i in items), "alerting": sum(i["alert"] for i in items),
            "last_run_counts": counts}


# --- KPI -----------------------------------------------------------------------------------------------

def _latest_good_run(source_id: str, since: dt.datetime) -> Run | None:
    """The newest finished run that did not fail, if it finished at or after ``since``."""
    offset = 0
    while page := runs([source_id], _PAGE, offset)[source_id]:
        for run in page:
            if run.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL):
                return run if run.finished and run.finished >= since else None
            if run.finished and run.finished < since:
                return None
        offset += len(page)
    return None


def priority_sync(now: dt.datetime) -> list[dict[str, Any]]:
    """Every active priority dataset (the daftar data prioritas', else ``data_prioritas`` = ``ya``: see
    ``ckanext.satudatapasuruan.priority``) and whether automated sync keeps it current.

    A dataset counts as synced when it is the current object of an active harvest source with a schedule
    (not MANUAL), that source's newest run that did not fail finished within its period plus the grace
    (``kpi_grace_hours``), and that run neither failed on nor withdrew the dataset's record.
    ``now`` is naive UTC."""
    listed = priority.listed_package_ids()
    is_priority = (model.Package.id.in_(sorted(listed)) if listed is not None
                   else model.Package.extras["data_prioritas"].astext == "ya")
    datasets = model.Session.execute(
        sa.select(model.Package.id, model.Package.name, model.Package.title, model.Package.owner_org,
                  model.Package.private)
        .where(model.Package.state == "active", model.Package.type != "harvest", is_priority)
        .order_by(model.Package.name)).all()
    current = model.Session.execute(
        sa.select(HarvestObject.package_id, HarvestObject.guid, HarvestSource.id, HarvestSource.frequency)
        .join(HarvestSource, HarvestSource.id == HarvestObject.harvest_source_id)
        .where(HarvestObject.current.is_(True), HarvestSource.active.is_(True),
               HarvestObject.package_id.in_([d.id for d in datasets]))).all()
    good: dict[str, Run | None] = {}
    spoiled: dict[str, set[str]] = {}
    synced: dict[str, str] = {}
    for package_id, guid, source_id, frequency in current:
        frequency = frequency_of(frequency)
        if frequency is Frequency.MANUAL:
            continue
        if source_id not in good:
            good[source_id] = _latest_good_run(source_id, now - PERIOD[frequency] - config.kpi_grace())
            spoiled[source_id] = _spoiled_guids(good[source_id].job_id) if good[source_id] else set()
        if good[source_id] and guid not in spoiled[source_id]:
            synced[package_id] = source_id
    return [{"id": d.id, "name": d.name, "title": d.title, "owner_org": d.owner_org, "private": d.private,
             "synced": d.id in synced, "source_id": synced.get(d.id)} for d in datasets]


def _spoiled_guids(job_id: str) -> set[str]:
    """Records the run failed on or withdrew."""
    has_error = sa.exists().where(HarvestObjectError.harvest_object_id == HarvestObject.id)
    return set(model.Session.execute(
        sa.select(HarvestObject.guid).where(HarvestObject.harvest_job_id == job_id,
                                            sa.or_(HarvestObject.state != "COMPLETE", has_error,
                                                   HarvestObject.report_status == "deleted"))).scalars())
