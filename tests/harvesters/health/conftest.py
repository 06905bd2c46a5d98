"""Actors, harvest sources and finished runs written with ckanext-harvest's own model, as its workers would."""
from __future__ import annotations

import datetime as dt
import email
import socket
import time
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from ckan import model
from ckan.tests import factories, helpers

from ...metadata.conftest import complete_dataset

PLUGINS = ("satudata_pgsearch satudata_metadata satudata_workflow scheming_datasets scheming_organizations "
           "activity satudata_harvest harvest ckan_harvester")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's database with the activity plugin's and ckanext-harvest's migrations, empty: rebuilt when those
    tables are missing (first test, or after another suite's reset), otherwise emptied with one TRUNCATE,
    several times faster than dropping and migrating again for every test."""
    inspector = sa.inspect(model.meta.engine)
    if not (inspector.has_table("harvest_job") and inspector.has_table("activity")
            and "permission_labels" in {c["name"] for c in inspector.get_columns("activity")}
            and inspector.has_table("run", schema="satudata_harvest")):
        reset_db()
        migrate_db_for("activity")
        migrate_db_for("harvest")
        migrate_db_for("satudata_harvest")
        return
    model.Session.remove()
    tables = [f'"{t}"' for t in inspector.get_table_names() if not t.endswith("alembic_version")]
    tables += [f"satudata_harvest.{t}" for t in ("run", "page", "secret")]
    with model.meta.engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    factories.fake.unique.clear()


@pytest.fixture(autouse=True)
def empty_queues(with_plugins):
    """The gather queue (our Redis db) holds no job from another test."""
    from ckanext.harvest.queue import purge_queues
    purge_queues()
    yield
    purge_queues()


@pytest.fixture(autouse=True)
def frozen_defaults(monkeypatch):
    """ckanext-harvest's timestamp columns default to the ``datetime.utcnow`` captured at import, out of
    freezegun's reach: made to read the clock at insert time, so frozen tests see frozen timestamps."""
    from ckanext.harvest import model as harvest_model
    from sqlalchemy.schema import ColumnDefault

    for cls, column in ((harvest_model.HarvestSource, "created"), (harvest_model.HarvestJob, "created"),
                        (harvest_model.HarvestObject, "gathered"), (harvest_model.HarvestGatherError, "created"),
                        (harvest_model.HarvestObjectError, "created")):
        # The mapped table's column (a reset database may leave other Table objects in the metadata), and its
        # default object changed in place: inserts compiled by earlier tests refer to it.
        default = cls.__table__.c[column].default
        assert isinstance(default, ColumnDefault) and default.is_callable, (cls, column)
        monkeypatch.setattr(default, "arg", lambda _context: dt.datetime.utcnow())


def _row_ids() -> set[str]:
    from ckanext.harvest.model import HarvestJob, HarvestSource

    return {row.id for cls in (HarvestSource, HarvestJob) for row in model.Session.query(cls.id)}


def _on_the_clock(before: set[str]) -> None:
    """Sources and jobs made since ``before`` are stamped with the (frozen) clock. Once another suite has
    compiled ckanext-harvest's inserts in this process, SQLAlchemy keeps stamping them with the real time despite
    ``frozen_defaults``; this keeps the schedule tests independent of the order the suites run in."""
    from ckanext.harvest.model import HarvestJob, HarvestSource

    from ckanext.satudatapasuruan.harvesters.health import schedule

    new = _row_ids() - before
    if not new:
        return
    now = dt.datetime.utcnow()
    for cls in (HarvestSource, HarvestJob):
        model.Session.query(cls).filter(cls.id.in_(new)).update({"created": now}, synchronize_session=False)
    model.Session.commit()
    schedule.align()


@dataclass
class Portal:
    opd: dict[str, Any]
    other_opd: dict[str, Any]
    users: dict[str, dict[str, Any]] = field(default_factory=dict)

    def call(self, action: str, who: str | None, **data: Any) -> Any:
        context = {"user": self.users[who]["name"] if who else "", "ignore_auth": False}
        return helpers.call_action(action, context=context, **data)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": self.users[who]["token"]}

    def source(self, name: str = "simpeg-bkpsdm", org: dict | None = None, frequency: str = "MANUAL",
               **extra: Any) -> dict[str, Any]:
        before = _row_ids()
        source = self.call("harvest_source_create", "sysadmin", name=name, title=extra.pop("title", name.upper()),
                           url=f"http://127.0.0.1:9/{name}", source_type="ckan", frequency=frequency,
                           owner_org=(org or self.opd)["id"], **extra)
        _on_the_clock(before)
        return source

    def dataset(self, name: str, org: dict | None = None, **overrides: Any) -> dict[str, Any]:
        """A complete SDI dataset (a private draft, as the workflow makes every new one)."""
        data = complete_dataset((org or self.opd)["id"], name=name, **overrides)
        return self.call("package_create", "sysadmin", **data)

    def tick(self) -> None:
        """One scheduler tick: ckanext-harvest's harvest_jobs_run (chained by ours), as the CLI runs it."""
        before = _row_ids()
        self.call("harvest_jobs_run", "sysadmin")
        _on_the_clock(before)


@pytest.fixture
def portal() -> Portal:
    users = {name: factories.UserWithToken(name=name, email=f"{name}@pasuruankab.test")
             for name in ("operator", "verifikator", "operator_lain", "walidata", "warga")}
    users["sysadmin"] = factories.SysadminWithToken(name="sysadmin", email="sysadmin@pasuruankab.test")
    opd = factories.Organization(name="bkpsdm", title="Badan Kepegawaian dan Pengembangan SDM",
                                 users=[{"name": "operator", "capacity": "editor"},
                                        {"name": "verifikator", "capacity": "admin"}])
    other = factories.Organization(name="dinas-kesehatan", title="Dinas Kesehatan",
                                   users=[{"name": "operator_lain", "capacity": "admin"}])
    factories.Organization(name="walidata", title="Walidata (Diskominfo)",
                           users=[{"name": "walidata", "capacity": "editor"}])
    return Portal(opd=opd, other_opd=other, users=users)


_clock = {"t": dt.datetime(2026, 11, 1, 17, 0)}


def finished_run(source_id: str, *, added: int = 0, updated: int = 0, withdrawn: int = 0, unchanged: int = 0,
                 record_errors: tuple[tuple[str, str, str], ...] = (), gather_errors: tuple[str, ...] = (),
                 start: dt.datetime | None = None, seconds: int = 90, packages: dict[str, str] | None = None,
                 running: bool = False, listing: Any = None) -> str:
    """A job as ckanext-harvest's gather and fetch consumers leave it (gather finished, every object COMPLETE
    or ERROR, errors recorded), for ``harvest_jobs_run`` to mark finished. Times are naive UTC.

    ``record_errors`` are (guid, stage, message). ``packages`` maps guids to dataset ids: each is updated by
    this run and becomes the current object of its dataset, unless the run failed on that guid. ``listing`` is
    what our harvesters' gather records (``store.RunSummary``), if the run is one of theirs."""
    from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError, HarvestSource

    if start is None:
        _clock["t"] += dt.timedelta(days=1)
        start = _clock["t"]
    end = start + dt.timedelta(seconds=seconds)
    source = HarvestSource.get(source_id)
    job = HarvestJob(source=source, status="Running", created=start, gather_started=start,
                     gather_finished=None if running else start + dt.timedelta(seconds=5))
    model.Session.add(job)
    packages = packages or {}
    counter = iter(range(10_000))

    def obj(status: str, state: str = "COMPLETE", guid: str | None = None) -> HarvestObject:
        guid = guid or f"{status.replace(' ', '-')}-{next(counter)}"
        o = HarvestObject(guid=guid, job=job, source=source, state=state, report_status=status,
                          gathered=start, import_finished=end if state == "COMPLETE" else None,
                          package_id=packages.get(guid))
        model.Session.add(o)
        return o

    for status, n in (("added", added), ("updated", updated), ("deleted", withdrawn), ("not modified", unchanged)):
        for _ in range(n):
            obj(status)
    failed = {guid for guid, _, _ in record_errors}
    for guid, stage, message in record_errors:
        model.Session.add(HarvestObjectError(object=obj("errored", "ERROR", guid), stage=stage, message=message,
                                             created=end))
    for message in gather_errors:
        model.Session.add(HarvestGatherError(job=job, message=message, created=start + dt.timedelta(seconds=5)))
    for guid in set(packages) - failed:
        model.Session.query(HarvestObject).filter_by(guid=guid, current=True).update({"current": False})
        obj("updated", guid=guid).current = True
    if listing is not None:
        from ckanext.satudatapasuruan.harvesters import store

        model.Session.flush()
        store.save_run(job.id, source_id, listing)
    model.Session.commit()
    return job.id


# --- a real SMTP server on loopback (as tests/workflow/test_notify.py) --------------------------------

class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content)
        message["X-Rcpt"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for m in self.messages]

    def recipients(self) -> set[str]:
        return {r for m in self.messages for r in m["X-Rcpt"].split(",")}

    def body(self, index: int = 0) -> str:
        return self.messages[index].get_payload(decode=True).decode("utf-8")

    def wait(self, count: int, seconds: float = 5.0) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end and len(self.messages) < count:
            time.sleep(0.05)
        return len(self.messages) >= count


@pytest.fixture
def inbox(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
    yield handler
    controller.stop()
