"""Requeue harvest work the Redis queue lost, so that a job interrupted by a Redis or DB restart still finishes.

ckanext-harvest's ``harvest_jobs_run`` resubmits WAITING objects missing from Redis (``resubmit_objects``) and,
after 3 minutes / 2 hours, messages a consumer took but never acknowledged (``resubmit_jobs``, which needs the
consumer's persistence key: a Redis restart loses it). It does not bring back

* an object a consumer was fetching or importing when it died (state FETCH/IMPORT): e.g. the fetch consumer
  exits when ``datastore_create`` cannot reach Redis, or when the DB connection is cut mid-import. Its job then
  never finishes and the source can never run again;
* a dataset whose import was cut between ``package_create``'s commit and the commit linking it to its harvest
  object (a DB restart at that moment): the retry would create the dataset a second time;
* a job lost from the gather queue (Redis restarted while it waited) or whose gather consumer died mid-gather
  (the DB connection cut): it stays Running without a gather, for ever.

:func:`requeue_stranded` links such a dataset to its object first, then puts the stranded objects and jobs back
on their queue. Call it on every scheduler tick, right
after ``harvest_jobs_run``. Requeueing an object is safe: the import is idempotent once the object knows its
dataset, and ckanext-harvest gives up on an object after 5 tries.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.common import config

from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from . import credentials
from .base import RecordError, SatuDataHarvester

__all__ = ["DEFAULT_GATHER_STALE_AFTER", "DEFAULT_SETTLE", "DEFAULT_STALE_AFTER", "Requeued", "requeue_stranded"]

log = logging.getLogger(__name__)

# A message published a moment ago may not be in Redis yet (a gather publishes its objects after committing).
DEFAULT_SETTLE = dt.timedelta(seconds=60)
# How long one object's fetch and import may take before it counts as abandoned (ckanext-harvest's own limit).
DEFAULT_STALE_AFTER = dt.timedelta(minutes=3)
# The same for a gather that a consumer took (ckanext-harvest's resubmit_jobs uses 2 hours).
DEFAULT_GATHER_STALE_AFTER = dt.timedelta(hours=2)
_UNFINISHED = ("WAITING", "FETCH", "IMPORT")


@dataclass
class Requeued:
    """What :func:`requeue_stranded` put back: harvest object ids (fetch queue) and job ids (gather queue)."""

    objects: list[str] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)


def requeue_stranded(job_id: str | None = None, *, settle: dt.timedelta = DEFAULT_SETTLE,
                     stale_after: dt.timedelta = DEFAULT_STALE_AFTER,
                     gather_stale_after: dt.timedelta = DEFAULT_GATHER_STALE_AFTER) -> Requeued:
    """Put back on their queues the Running jobs and unfinished objects (of `job_id`, or of every Running job)
    that no queue holds and no live consumer works on."""
    if config.get("ckan.harvest.mq.type") != "redis":
        return Requeued()  # AMQP redelivers unacknowledged messages itself
    redis = queue.get_connection()
    done = Requeued()
    jobs = model.Session.query(HarvestJob).filter(HarvestJob.status == "Running")
    if job_id:
        jobs = jobs.filter(HarvestJob.id == job_id)
    jobs = jobs.all()
    if not jobs:
        return done
    fetch_key, gather_key = queue.get_fetch_routing_key(), queue.get_gather_routing_key()
    queued = _queued(redis, fetch_key, "harvest_object_id") | _queued(redis, gather_key, "harvest_job_id")
    now = dt.datetime.utcnow()  # the harvest tables hold UTC
    for job in jobs:
        if job.gather_finished is None:
            if _lost_gather(redis, job, queued, f"{gather_key}:{job.id}", now, settle, gather_stale_after):
                done.jobs.append(job.id)
            continue
        objects = model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == job.id,
                                                            HarvestObject.state.in_(_UNFINISHED)).all()
        for obj in objects:
            # Started long ago and not done: its consumer is gone (a live one may have taken it before a Redis
            # restart, so the persistence key alone cannot tell).
            abandoned = obj.state != "WAITING" and now - (
                obj.import_started or obj.fetch_started or job.gather_finished) >= stale_after
            if abandoned and obj.package_id is None and obj.import_started is not None:
                _adopt_orphan(obj)  # whoever requeues it (we, or ckanext-harvest's resubmit_jobs)
            if obj.id in queued or _taken(redis, f"{fetch_key}:{obj.id}", stale_after):
                continue
            if obj.state == "WAITING" and now - job.gather_finished < settle:
                continue
            if obj.state != "WAITING" and not abandoned:
                continue
            obj.state = "WAITING"
            done.objects.append(obj.id)
    model.Session.commit()
    _publish(redis, queue.get_fetch_publisher(), fetch_key, "harvest_object_id", done.objects)
    _publish(redis, queue.get_gather_publisher(), gather_key, "harvest_job_id", done.jobs)
    if done.objects or done.jobs:
        log.warning("Requeued %d stranded harvest objects and %d stalled gathers", len(done.objects),
                    len(done.jobs))
    return done


def _queued(redis, routing_key: str, message_key: str) -> set[str]:
    return {json.loads(m)[message_key] for m in redis.lrange(routing_key, 0, -1)}


def _taken(redis, persistence_key: str, limit: dt.timedelta) -> bool:
    """A consumer took the message less than `limit` ago and has not acknowledged it yet."""
    value = redis.get(persistence_key)
    if value is None:
        return False
    # The consumer stores str(datetime.now()): local time.
    return dt.datetime.now() - dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S.%f") < limit


def _lost_gather(redis, job: HarvestJob, queued: set[str], persistence_key: str, now: dt.datetime,
                 settle: dt.timedelta, limit: dt.timedelta) -> bool:
    if job.id in queued or _taken(redis, persistence_key, limit) or now - job.created < settle:
        return False
    # A live gather holds a lock on its job's row (the gather_started update, the objects' foreign keys) until
    # it commits: a job whose row we can lock has no gather running, even if Redis forgot who took it.
    free = model.Session.execute(sa.text("SELECT id FROM harvest_job WHERE id = :id FOR UPDATE SKIP LOCKED"),
                                 {"id": job.id}).first()
    return free is not None


def _publish(redis, publisher, routing_key: str, message_key: str, ids: list[str]) -> None:
    for id_ in ids:
        redis.delete(f"{routing_key}:{id_}")
        publisher.send({message_key: id_})
    publisher.close()


def _adopt_orphan(obj: HarvestObject) -> None:
    """Link the dataset an interrupted import created for `obj`, if there is exactly one: the source's OPD, the
    title the record converts to, created by the site user since the import started, and no object points at it."""
    source = obj.source or obj.job.source
    harvester = queue.get_harvester(source.type)
    owner = model.Package.get(source.id)
    if not isinstance(harvester, SatuDataHarvester) or owner is None or not obj.content:
        return
    try:
        raw = json.loads(source.config or "{}")
        config_ = harvester.parse_config(credentials.resolve(source.id, raw))
        title = harvester.convert(json.loads(obj.content), config_).get("title")
    except (ValueError, RecordError):
        return  # the retry fails the same way and reports it
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    found = model.Session.execute(sa.text(
        "SELECT p.id FROM package p WHERE p.owner_org = :org AND p.title = :title AND p.state = 'active' "
        "AND p.creator_user_id = :user AND p.metadata_created >= :since "
        "AND NOT EXISTS (SELECT 1 FROM harvest_object o WHERE o.package_id = p.id) LIMIT 2"),
        {"org": owner.owner_org, "title": title, "user": site_user["id"], "since": obj.import_started}).all()
    if len(found) == 1:
        obj.package_id = found[0][0]
        log.warning("Harvest object %s linked to dataset %s, created by its interrupted import", obj.id,
                    obj.package_id)
