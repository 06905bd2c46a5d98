"""The release calendar's tables (schema ``satudata_calendar``): entries, their history, reminders sent and
scheduled releases (embargo).

Kept out of CKAN's own metadata like the workflow's tables, so that ``clean_db`` and ``db init`` leave them
alone; migrations in ``migration/satudata_calendar``. Only this module writes them; callers commit.
"""
from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert as pg_insert

__all__ = ["entry", "entry_event", "reminder", "release_schedule", "ScheduleState", "ENTRY_FIELDS",
           "insert_entry", "update_entry", "get_entry", "entries", "add_event", "events", "open_entries_for_package",
           "set_published", "reminder_sent", "record_reminder", "insert_schedule", "pending_schedule",
           "latest_schedule", "move_schedule", "finish_schedule", "claim_schedule", "due_schedules",
           "pending_schedules"]

_meta = sa.MetaData(schema="satudata_calendar")

entry = sa.Table(
    "entry", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("owner_org", sa.Text, nullable=False),
    sa.Column("urusan", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("period", sa.Text, nullable=False),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("scheduled_date", sa.Date, nullable=False),
    sa.Column("original_date", sa.Date, nullable=False),
    sa.Column("package_id", sa.Text),
    sa.Column("priority", sa.Boolean, nullable=False),
    sa.Column("public", sa.Boolean, nullable=False),
    sa.Column("published_at", sa.DateTime),
    sa.Column("postponements", sa.Integer, nullable=False),
    sa.Column("sequence", sa.Integer, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("created_by", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
)

entry_event = sa.Table(
    "entry_event", _meta,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("entry_id", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("old_date", sa.Date),
    sa.Column("new_date", sa.Date),
    sa.Column("reason", sa.Text),
    sa.Column("user_id", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
)

reminder = sa.Table(
    "reminder", _meta,
    sa.Column("entry_id", sa.Text, primary_key=True),
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("due_date", sa.Date, primary_key=True),
    sa.Column("recipients", sa.Text, nullable=False),
    sa.Column("sent", sa.DateTime, nullable=False),
)

release_schedule = sa.Table(
    "release_schedule", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("package_id", sa.Text, nullable=False),
    sa.Column("publish_at", sa.DateTime, nullable=False),  # UTC, naive like CKAN's own timestamps
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("scheduled_by", sa.Text),
    sa.Column("published_by", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("done", sa.DateTime),
)


class ScheduleState(str, enum.Enum):
    TERJADWAL = "terjadwal"
    TERBIT = "terbit"
    DIBATALKAN = "dibatalkan"
    GAGAL = "gagal"


# What the OPD sets on an entry (everything but identity, dates, publication and counters).
ENTRY_FIELDS = ("owner_org", "urusan", "title", "period", "notes", "package_id", "priority", "public")


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def _row(row) -> dict[str, Any] | None:
    return dict(row) if row is not None else None


# --- entries -----------------------------------------------------------------------------------------------

def insert_entry(values: dict[str, Any], scheduled_date: dt.date, user_id: str | None) -> str:
    entry_id = str(uuid.uuid4())
    now = _now()
    model.Session.execute(entry.insert().values(
        id=entry_id, scheduled_date=scheduled_date, original_date=scheduled_date, postponements=0, sequence=0,
        state="active", created_by=user_id, created=now, updated=now,
        **{k: values.get(k) for k in ENTRY_FIELDS}))
    add_event(entry_id, "create", None, scheduled_date, None, user_id)
    return entry_id


def update_entry(entry_id: str, values: dict[str, Any], *, bump: bool = True) -> None:
    """Change an entry; every change a subscriber would see raises the iCalendar SEQUENCE."""
    extra: dict[str, Any] = {"updated": _now()}
    if bump:
        extra["sequence"] = entry.c.sequence + 1
    model.Session.execute(entry.update().where(entry.c.id == entry_id).values(**values, **extra))


def get_entry(entry_id: str) -> dict[str, Any] | None:
    return _row(model.Session.execute(sa.select(entry).where(entry.c.id == entry_id)).mappings().first())


def entries(*, owner_org: str | None = None, urusan: str | None = None, start: dt.date | None = None,
            end: dt.date | None = None, package_id: str | None = None) -> list[dict[str, Any]]:
    """Active entries, by date then title; ``start``/``end`` bound the (current) scheduled date, inclusive."""
    query = sa.select(entry).where(entry.c.state == "active")
    if owner_org:
        query = query.where(entry.c.owner_org == owner_org)
    if urusan:
        query = query.where(entry.c.urusan == urusan)
    if start:
        query = query.where(entry.c.scheduled_date >= start)
    if end:
        query = query.where(entry.c.scheduled_date <= end)
    if package_id:
        query = query.where(entry.c.package_id == package_id)
    query = query.order_by(entry.c.scheduled_date, entry.c.title, entry.c.id)
    return [dict(r) for r in model.Session.execute(query).mappings()]


def add_event(entry_id: str, action: str, old_date: dt.date | None, new_date: dt.date | None,
              reason: str | None, user_id: str | None) -> None:
    model.Session.execute(entry_event.insert().values(
        entry_id=entry_id, action=action, old_date=old_date, new_date=new_date, reason=reason, user_id=user_id,
        created=_now()))


def events(entry_id: str) -> list[dict[str, Any]]:
    rows = model.Session.execute(sa.select(entry_event).where(entry_event.c.entry_id == entry_id)
                                 .order_by(entry_event.c.id))
    return [dict(r) for r in rows.mappings()]


def open_entries_for_package(package_id: str) -> list[dict[str, Any]]:
    """Active entries of a dataset not yet marked published, earliest first."""
    query = (sa.select(entry).where(entry.c.package_id == package_id, entry.c.state == "active",
                                    entry.c.published_at.is_(None))
             .order_by(entry.c.scheduled_date, entry.c.created))
    return [dict(r) for r in model.Session.execute(query).mappings()]


def set_published(entry_id: str, when: dt.datetime | None) -> None:
    update_entry(entry_id, {"published_at": when})


# --- reminders -----------------------------------------------------------------------------------------------

def reminder_sent(entry_id: str, kind: str, due_date: dt.date) -> bool:
    return model.Session.execute(sa.select(sa.literal(True)).where(
        reminder.c.entry_id == entry_id, reminder.c.kind == kind, reminder.c.due_date == due_date)).first() is not None


def record_reminder(entry_id: str, kind: str, due_date: dt.date, recipients: list[str]) -> bool:
    """Claim a reminder; False when another run already recorded it (the caller then does not send)."""
    stmt = pg_insert(reminder).values(entry_id=entry_id, kind=kind, due_date=due_date,
                                      recipients=",".join(recipients), sent=_now()).on_conflict_do_nothing()
    return bool(model.Session.execute(stmt).rowcount)


# --- scheduled releases ----------------------------------------------------------------------------------------

def insert_schedule(package_id: str, publish_at: dt.datetime, user_id: str | None, note: str | None) -> str:
    schedule_id = str(uuid.uuid4())
    now = _now()
    model.Session.execute(release_schedule.insert().values(
        id=schedule_id, package_id=package_id, publish_at=publish_at, state=ScheduleState.TERJADWAL.value,
        scheduled_by=user_id, note=note, created=now, updated=now))
    return schedule_id


def pending_schedule(package_id: str) -> dict[str, Any] | None:
    return _row(model.Session.execute(sa.select(release_schedule).where(
        release_schedule.c.package_id == package_id,
        release_schedule.c.state == ScheduleState.TERJADWAL.value)).mappings().first())


def latest_schedule(package_id: str) -> dict[str, Any] | None:
    return _row(model.Session.execute(sa.select(release_schedule).where(
        release_schedule.c.package_id == package_id).order_by(release_schedule.c.created.desc())
        .limit(1)).mappings().first())


def pending_schedules() -> list[dict[str, Any]]:
    query = (sa.select(release_schedule).where(release_schedule.c.state == ScheduleState.TERJADWAL.value)
             .order_by(release_schedule.c.publish_at))
    return [dict(r) for r in model.Session.execute(query).mappings()]


def move_schedule(schedule_id: str, publish_at: dt.datetime, user_id: str | None, note: str | None) -> None:
    model.Session.execute(release_schedule.update().where(release_schedule.c.id == schedule_id).values(
        publish_at=publish_at, scheduled_by=user_id, note=note, updated=_now()))


def finish_schedule(schedule_id: str, state: ScheduleState, user_id: str | None, note: str | None = None) -> None:
    values: dict[str, Any] = {"state": state.value, "published_by": user_id, "updated": _now(), "done": _now()}
    if note is not None:
        values["note"] = note
    model.Session.execute(release_schedule.update().where(release_schedule.c.id == schedule_id).values(**values))


def due_schedules(now: dt.datetime) -> list[str]:
    rows = model.Session.execute(sa.select(release_schedule.c.id).where(
        release_schedule.c.state == ScheduleState.TERJADWAL.value, release_schedule.c.publish_at <= now)
        .order_by(release_schedule.c.publish_at))
    return [r[0] for r in rows]


def claim_schedule(schedule_id: str, now: dt.datetime) -> dict[str, Any] | None:
    """Lock a due, still pending schedule for this transaction (a concurrent tick waits, then finds it done)."""
    return _row(model.Session.execute(sa.select(release_schedule).where(
        release_schedule.c.id == schedule_id, release_schedule.c.state == ScheduleState.TERJADWAL.value,
        release_schedule.c.publish_at <= now).with_for_update()).mappings().first())
