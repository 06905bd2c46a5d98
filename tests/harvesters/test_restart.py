"""Issue 6: a Redis restart or a DB restart during a harvest job loses nothing, with the real queue.

ckanext-harvest's own consumers (``ckan harvester gather-consumer`` / ``fetch-consumer``) run as child processes
against a redis-server this module starts on a free port; the source is the loopback OPD application server.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.common import config
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.satudatapasuruan.harvesters import recovery, sources, store
from ckanext.satudatapasuruan.harvesters.opdserver.testing import running_server

from .consumers import REDIS_DB, Consumer, RedisServer, Supervisor, write_ini
from .opd.conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")]

RECORDS = 50
TOKEN = "token-uji-restart"
SOURCE = "bpkad-realisasi-anggaran"
# The scheduler's recovery thresholds, short here: one import takes well under a second in these tests.
SETTLE = dt.timedelta(seconds=2)
STALE_AFTER = dt.timedelta(seconds=5)


@pytest.fixture
def opd():
    with running_server(records=RECORDS, token=TOKEN) as server:
        yield server


@pytest.fixture
def redis_server(tmp_path, monkeypatch):
    """Our own redis-server; this process (the web app's side: job creation, harvest_jobs_run) uses it too."""
    server = RedisServer(tmp_path).start()
    for key, value in {"ckan.harvest.mq.type": "redis", "ckan.harvest.mq.hostname": "127.0.0.1",
                       "ckan.harvest.mq.port": str(server.port), "ckan.harvest.mq.redis_db": str(REDIS_DB),
                       "ckan.redis.url": f"redis://127.0.0.1:{server.port}/{REDIS_DB}"}.items():
        monkeypatch.setitem(config, key, value)
    yield server
    server.stop()


@pytest.fixture
def consumers(request, tmp_path, redis_server, clean_db):
    """The gather and the fetch consumer as child processes, restarted when they exit (as systemd would)."""
    ini = write_ini(tmp_path, request.config.getoption("--ckan-ini"), redis_server.port, PLUGINS)
    supervisor = Supervisor([Consumer("gather-consumer", ini, tmp_path), Consumer("fetch-consumer", ini, tmp_path)])
    supervisor.start()
    yield supervisor
    supervisor.stop()


@pytest.fixture
def source(opd):
    factories.Sysadmin(name="sysadmin")
    owner = sources.definition(SOURCE)["owner_org"]
    factories.Organization(name=owner)
    data = sources.load(SOURCE, opd.url, {"BPKAD_TOKEN": TOKEN})
    harvest_config = json.loads(data["config"])
    harvest_config["pagination"]["size"] = 20  # ten pages, so that a slow source stretches the gather
    data["config"] = json.dumps(harvest_config)
    return helpers.call_action("harvest_source_create", context={"user": "sysadmin"}, **data)


# --- reading what the consumers did (other processes' commits: plain SQL, each read its own transaction) --------

def _rows(query: str, **params: Any) -> list[Any]:
    try:
        return list(model.Session.execute(sa.text(query), params))
    finally:
        model.Session.commit()


def states(job_id: str) -> Counter[str]:
    return Counter(dict(_rows("SELECT state, count(*) FROM harvest_object WHERE harvest_job_id = :j GROUP BY state",
                              j=job_id)))


def job_status(job_id: str) -> str:
    return _rows("SELECT status FROM harvest_job WHERE id = :j", j=job_id)[0][0]


def start_job(source_id: str) -> str:
    """What the "Reharvest" button does: a job, put on the gather queue."""
    return helpers.call_action("harvest_job_create", context={"user": "sysadmin"}, source_id=source_id,
                               run=True)["id"]


def wait_for(predicate, timeout: float, what, supervisor: Supervisor, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    what = what() if callable(what) else what
    sessions = _rows("SELECT pid, state, wait_event_type, wait_event, left(query, 160) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    raise AssertionError(f"timed out waiting for {what}\nDB sessions: {sessions}\n{supervisor.logs()}")


def scheduler_tick(source_id: str) -> recovery.Requeued:
    """What each scheduler tick does: ckanext-harvest's harvest_jobs_run (``ckan harvester run``: finishes jobs,
    resubmits WAITING objects missing from Redis), then our recovery of stranded objects and lost gathers."""
    helpers.call_action("harvest_jobs_run", context={"ignore_auth": True}, source_id=source_id)
    return recovery.requeue_stranded(settle=SETTLE, stale_after=STALE_AFTER)


def run_until_finished(source_id: str, job_id: str, supervisor: Supervisor, timeout: float = 60) -> list[str]:
    """Scheduler ticks until the job is Finished; the ids recovery requeued on the way."""
    requeued: list[str] = []

    def finished() -> bool:
        done = scheduler_tick(source_id)
        requeued.extend(done.objects + done.jobs)
        return job_status(job_id) == "Finished"
    wait_for(finished, timeout, lambda: f"job {job_id} to finish ({states(job_id)})", supervisor, step=1.0)
    return requeued


def expected_titles(opd) -> Counter[str]:
    return Counter(f"Realisasi Anggaran {r['nama_skpd']} Tahun {r['tahun']}" for r in opd.records("sipd"))


def assert_nothing_lost(opd, source: dict[str, Any], job_id: str, supervisor: Supervisor) -> None:
    """Every record is one dataset with all its rows, the job's objects all COMPLETE, and a next run unchanged."""
    assert states(job_id) == {"COMPLETE": RECORDS}
    records = {r["id"]: r for r in opd.records("sipd")}
    packages = dict(_rows("SELECT p.id, p.title FROM package p JOIN \"group\" g ON g.id = p.owner_org "
                          "WHERE g.name = :org AND p.type = 'dataset' AND p.state = 'active'",
                          org=sources.definition(SOURCE)["owner_org"]))
    assert Counter(packages.values()) == expected_titles(opd)  # none missing, none twice
    current = _rows("SELECT guid, package_id FROM harvest_object WHERE harvest_source_id = :s AND current",
                    s=source["id"])
    assert sorted(g for g, _ in current) == sorted(records)
    assert {p for _, p in current} == set(packages)
    # The DataStore rows of every dataset: one table each, with all of the record's rincian.
    tables = dict(_rows("SELECT package_id, id FROM resource WHERE state = 'active' AND url_type = 'datastore'"))
    engine = sa.create_engine(config["ckan.datastore.write_url"])
    try:
        with engine.connect() as conn:
            for guid, package_id in current:
                count = conn.execute(sa.text(f'SELECT count(*) FROM "{tables[package_id]}"')).scalar()
                assert count == len(records[guid]["rincian"]), guid
    finally:
        engine.dispose()
    # The next run finds everything as it is (and the queue working again).
    again = start_job(source["id"])
    run_until_finished(source["id"], again, supervisor)
    run = store.get_run(again)
    assert (run.listed, run.unchanged, run.queued, run.complete) == (RECORDS, RECORDS, 0, True)
    assert states(again) == {}


def fetch_under_way(job_id: str) -> Counter[str] | None:
    found = states(job_id)
    return found if found["COMPLETE"] >= 10 and found["WAITING"] >= 20 else None


def terminate_db_sessions() -> int:
    """What every client sees in a PostgreSQL restart: all its connections to the database cut at once."""
    return len(_rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()"))


def test_redis_restart_during_fetch_loses_nothing(opd, source, consumers, redis_server):
    """redis-server is SIGKILLed and started again empty while the fetch consumer works through the job; the
    scheduler's harvest_jobs_run puts the WAITING objects back, and every record still becomes exactly one
    dataset with all its DataStore rows, no object is left unfinished, and the next run finds nothing changed."""
    opd.fault("slow", seconds=0.3)
    job = start_job(source["id"])
    wait_for(lambda: fetch_under_way(job), 60, "the fetch stage", consumers)
    redis_server.kill()
    time.sleep(1)
    redis_server.start()
    client = redis_server.client()
    assert client.dbsize() == 0  # the queued object ids are really gone
    run_until_finished(source["id"], job, consumers)
    assert_nothing_lost(opd, source, job, consumers)


def test_db_restart_during_fetch_loses_nothing(opd, source, consumers):
    """Every other PostgreSQL session of the test database is terminated while the fetch consumer imports; a
    consumer the cut killed is started again (as systemd would; whether the cut kills it depends on where it was),
    recovery requeues what was left in FETCH/IMPORT, and every record still becomes exactly one dataset with all its
    rows, nothing unfinished, next run unchanged."""
    job = start_job(source["id"])
    wait_for(lambda: fetch_under_way(job), 60, "the fetch stage", consumers)
    assert terminate_db_sessions() >= 2  # at least the two consumers' connections
    run_until_finished(source["id"], job, consumers)
    assert_nothing_lost(opd, source, job, consumers)


def gather_under_way(opd, job_id: str) -> bool:
    listed = [r for r in opd.requests() if r["path"] == "/sipd/api/v1/realisasi"]
    return bool(listed) and _rows("SELECT gather_finished FROM harvest_job WHERE id = :j", j=job_id)[0][0] is None


def test_db_restart_during_gather_loses_nothing(opd, source, consumers):
    """Every other PostgreSQL session is terminated while the gather consumer lists a slow source (1 s a page);
    recovery puts the job, left Running without a gather, back on the gather queue, and the harvest completes:
    every record exactly one dataset with its rows, nothing unfinished, the next run unchanged."""
    opd.fault("slow", seconds=1.0)
    job = start_job(source["id"])
    wait_for(lambda: gather_under_way(opd, job), 30, "the gather stage", consumers, step=0.1)
    assert terminate_db_sessions() >= 1
    opd.clear("slow")
    requeued = run_until_finished(source["id"], job, consumers)
    if consumers.restarts()["gather-consumer"]:  # the cut killed the gather: only recovery brings the job back
        assert job in requeued
    assert_nothing_lost(opd, source, job, consumers)


# --- requeue_stranded's decisions, one by one, against the same redis-server without consumers ------------------

def _gathered(source_id: str) -> tuple[str, list[str]]:
    """A job gathered in this process as the gather consumer would, but whose objects never reached Redis."""
    from ckanext.satudatapasuruan.harvesters.opd.harvester import OpdHarvester

    job_id = helpers.call_action("harvest_job_create", context={"ignore_auth": True}, source_id=source_id,
                                 run=False)["id"]
    job = HarvestJob.get(job_id)
    job.status = "Running"
    job.save()
    ids = queue.gather_stage(OpdHarvester(), job)
    model.Session.commit()
    return job_id, ids


def _fetch_queue(redis_server) -> list[str]:
    return [json.loads(m)["harvest_object_id"] for m in redis_server.client().lrange(queue.get_fetch_routing_key(),
                                                                                        0, -1)]


def _converted(obj: HarvestObject, source: dict[str, Any]) -> dict[str, Any]:
    """The dataset the record converts to, as the import would create it."""
    from ckanext.satudatapasuruan.harvesters import credentials
    from ckanext.satudatapasuruan.harvesters.opd.harvester import OpdHarvester

    harvester = OpdHarvester()
    config_ = harvester.parse_config(credentials.resolve(source["id"], json.loads(source["config"])))
    return dict(harvester.convert(json.loads(obj.content), config_), owner_org=source["owner_org"],
                name="potongan-impor")


NOW = dict(settle=dt.timedelta(0), stale_after=dt.timedelta(0))


class TestRequeueStranded:
    def test_a_lost_gather_is_requeued_once(self, source, redis_server):
        """A Running job missing from the gather queue goes back on it; one still queued, or just taken by a
        consumer, or younger than `settle`, is left alone."""
        job = start_job(source["id"])
        client, key = redis_server.client(), queue.get_gather_routing_key()
        assert recovery.requeue_stranded(**NOW).jobs == []  # still queued
        client.delete(key)
        assert recovery.requeue_stranded(settle=dt.timedelta(hours=1)).jobs == []  # too recent to tell
        client.set(f"{key}:{job}", str(dt.datetime.now()))
        assert recovery.requeue_stranded(**NOW).jobs == []  # a consumer has it
        client.delete(f"{key}:{job}")
        assert recovery.requeue_stranded(**NOW).jobs == [job]
        assert client.lrange(key, 0, -1) == [json.dumps({"harvest_job_id": job})]
        assert recovery.requeue_stranded(**NOW).jobs == []

    def test_waiting_objects_missing_from_redis_are_requeued(self, source, redis_server):
        """Every WAITING object of a gathered job not in the fetch queue goes back on it, once."""
        job, ids = _gathered(source["id"])
        assert len(ids) == RECORDS and _fetch_queue(redis_server) == []
        assert sorted(recovery.requeue_stranded(**NOW).objects) == sorted(ids)
        assert recovery.requeue_stranded(**NOW).objects == []
        assert sorted(_fetch_queue(redis_server)) == sorted(ids)

    def test_an_object_left_in_import_is_requeued_only_once_stale(self, source, redis_server):
        """An object in IMPORT is someone's work until `stale_after`; then it is WAITING and queued again."""
        job, ids = _gathered(source["id"])
        redis_server.client().rpush(queue.get_fetch_routing_key(),
                                    *[json.dumps({"harvest_object_id": i}) for i in ids[1:]])
        obj = HarvestObject.get(ids[0])
        obj.state, obj.import_started = "IMPORT", dt.datetime.utcnow()
        obj.save()
        assert recovery.requeue_stranded(settle=dt.timedelta(0), stale_after=dt.timedelta(hours=1)).objects == []
        assert recovery.requeue_stranded(**NOW).objects == [ids[0]]
        assert states(job)["WAITING"] == RECORDS

    @pytest.mark.parametrize("by_site_user", [True, False])
    def test_the_dataset_of_a_cut_import_is_linked_only_if_the_harvest_made_it(self, source, redis_server,
                                                                                by_site_user):
        """The dataset an interrupted import created (site user, the source's OPD, the record's title, no
        object pointing at it) is linked to the object before the retry; one made by a person is not."""
        job, ids = _gathered(source["id"])
        obj = HarvestObject.get(ids[0])
        obj.state, obj.import_started = "IMPORT", dt.datetime.utcnow() - dt.timedelta(seconds=1)
        obj.save()
        user = (helpers.call_action("get_site_user", context={"ignore_auth": True}) if by_site_user
                else factories.Sysadmin())
        made = helpers.call_action("package_create", context={"user": user["name"], "ignore_auth": True},
                                   **_converted(obj, source))
        recovery.requeue_stranded(**NOW)
        assert HarvestObject.get(ids[0]).package_id == (made["id"] if by_site_user else None)
