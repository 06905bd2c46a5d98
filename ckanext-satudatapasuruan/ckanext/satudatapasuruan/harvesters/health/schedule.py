"""When scheduled harvest sources run: at fixed moments of the portal's clock, not "a period after the last job".

ckanext-harvest makes a job for every source whose ``harvest_source.next_run`` has passed and then sets
``next_run = now + period``, so a nightly source drifts later by up to one scheduler tick each night. We keep
``next_run`` on the boundary instead: the first boundary after the source's last job (or, before its first job,
after the source was created). A boundary missed while the scheduler was down, or while the previous job was
still running, is caught up once at the next tick.
"""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from ckan import model

from ckanext.harvest.model import HarvestJob, HarvestSource

from . import config

__all__ = ["Frequency", "SCHEDULED", "PERIOD", "BIWEEKLY_EPOCH", "frequency_of", "next_boundary", "utc", "naive_utc",
           "expected_next_run", "align"]


class Frequency(enum.Enum):
    """ckanext-harvest 1.6.3's frequencies (``ckanext.harvest.model.UPDATE_FREQUENCIES``)."""

    MANUAL = "MANUAL"
    ALWAYS = "ALWAYS"  # a job at every tick, whenever the previous one has finished
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    BIWEEKLY = "BIWEEKLY"
    MONTHLY = "MONTHLY"


SCHEDULED = (Frequency.DAILY, Frequency.WEEKLY, Frequency.BIWEEKLY, Frequency.MONTHLY)
# How long a run stays current (the KPI's window, before its grace).
PERIOD = {Frequency.ALWAYS: dt.timedelta(days=1), Frequency.DAILY: dt.timedelta(days=1),
          Frequency.WEEKLY: dt.timedelta(days=7), Frequency.BIWEEKLY: dt.timedelta(days=14),
          Frequency.MONTHLY: dt.timedelta(days=31)}
# BIWEEKLY runs on the Mondays of even weeks counted from this Monday, so the weeks do not depend on when the
# source was made.
BIWEEKLY_EPOCH = dt.date(2024, 1, 1)


def frequency_of(value: str | None) -> Frequency:
    try:
        return Frequency((value or "MANUAL").upper())
    except ValueError:
        return Frequency.MANUAL  # unknown values never run on a schedule, as in ckanext-harvest


def _runs_on(frequency: Frequency, day: dt.date) -> bool:
    if frequency is Frequency.DAILY:
        return True
    if frequency is Frequency.WEEKLY:
        return day.weekday() == 0
    if frequency is Frequency.BIWEEKLY:
        return day.weekday() == 0 and (day - BIWEEKLY_EPOCH).days // 7 % 2 == 0
    return day.day == 1  # MONTHLY


def next_boundary(frequency: Frequency, after: dt.datetime, at: dt.time, tz: dt.tzinfo) -> dt.datetime | None:
    """The first moment strictly after ``after`` (aware) at which a ``frequency`` source runs, in UTC;
    None for sources that do not run on a schedule (MANUAL, ALWAYS)."""
    if frequency not in SCHEDULED:
        return None
    day = after.astimezone(tz).date()
    for _ in range(64):  # a month and a fortnight are always within 64 days
        if _runs_on(frequency, day):
            moment = dt.datetime.combine(day, at, tzinfo=tz)
            if moment > after:
                return moment.astimezone(dt.timezone.utc)
        day += dt.timedelta(days=1)
    raise AssertionError("no boundary within 64 days")  # unreachable for the frequencies above


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """A naive UTC timestamp from ckanext-harvest's tables, made aware."""
    return value.replace(tzinfo=dt.timezone.utc) if value is not None else None


def naive_utc(value: dt.datetime) -> dt.datetime:
    """An aware timestamp the way ckanext-harvest stores and compares them (naive, UTC)."""
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None)


def expected_next_run(frequency: Frequency, created: dt.datetime, last_job: dt.datetime | None) -> dt.datetime | None:
    """The ``next_run`` a source should have (naive UTC), given when it was made and its last job was made."""
    anchor = max(created, last_job) if last_job else created
    moment = next_boundary(frequency, utc(anchor), config.run_at(), config.timezone())
    return naive_utc(moment) if moment else None


def align(source_id: str | None = None) -> int:
    """Put ``next_run`` of every scheduled source (or only ``source_id``) on its boundary; commit.

    Returns how many sources changed. Sources with another frequency are left to ckanext-harvest."""
    last_job = (sa.select(HarvestJob.source_id, sa.func.max(HarvestJob.created).label("created"))
                .group_by(HarvestJob.source_id).subquery())
    query = (sa.select(HarvestSource, last_job.c.created)
             .outerjoin(last_job, last_job.c.source_id == HarvestSource.id)
             .where(sa.func.upper(HarvestSource.frequency).in_([f.value for f in SCHEDULED])))
    if source_id is not None:
        query = query.where(HarvestSource.id == source_id)
    changed = 0
    for source, last_created in model.Session.execute(query).all():
        want = expected_next_run(frequency_of(source.frequency), source.created or dt.datetime.utcnow(),
                                 last_created)
        if source.next_run != want:
            source.next_run = want
            changed += 1
    if changed:
        model.Session.commit()
    return changed
