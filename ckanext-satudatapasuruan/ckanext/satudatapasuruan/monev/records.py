"""The Monev plugin's tables (schema ``satudata_monev``): the walidata's target overrides, manual IKU values,
challenges and follow-ups, the audit trail of those edits, the dashboard's monthly visits and the heartbeats.

Kept out of CKAN's own metadata like the other plugins' tables, so ``clean_db`` and ``db init`` leave them
alone; migrations in ``migration/satudata_monev``. Only this module writes them; callers commit.
"""
from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert

__all__ = ["AuditKind", "target", "manual_value", "challenge", "audit", "visit_monthly", "visit_flush", "heartbeat",
           "TABLES", "targets", "set_target", "delete_target", "manual_values", "get_manual", "set_manual",
           "delete_manual", "challenges", "get_challenge", "create_challenge", "update_challenge",
           "delete_challenge", "add_audit", "audit_rows", "batch_applied", "apply_visits", "visits_by_month",
           "first_visit_month", "add_beat", "beat_buckets", "first_beat"]

_meta = sa.MetaData(schema="satudata_monev")


class AuditKind(str, enum.Enum):
    TARGET = "target"
    MANUAL = "manual"
    TANTANGAN = "tantangan"


target = sa.Table(
    "target", _meta,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("value", sa.Numeric, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

manual_value = sa.Table(
    "manual_value", _meta,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("value", sa.Numeric, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("measured_on", sa.Date, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("entered_by", sa.Text),
    sa.Column("entered_at", sa.DateTime, nullable=False),
)

challenge = sa.Table(
    "challenge", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("tantangan", sa.Text, nullable=False),
    sa.Column("tindak_lanjut", sa.Text, nullable=False),
    sa.Column("created_by", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

audit = sa.Table(
    "audit", _meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("ref", sa.Text, nullable=False),
    sa.Column("year", sa.Integer),
    sa.Column("before", JSONB),
    sa.Column("after", JSONB),
    sa.Column("actor_id", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
)

visit_monthly = sa.Table(
    "visit_monthly", _meta,
    sa.Column("month", sa.Date, primary_key=True),
    sa.Column("count", sa.BigInteger, nullable=False),
)

visit_flush = sa.Table(
    "visit_flush", _meta,
    sa.Column("batch", sa.Text, primary_key=True),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)

heartbeat = sa.Table(
    "heartbeat", _meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("checked_at", sa.DateTime, nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("status_code", sa.Integer),
    sa.Column("latency_ms", sa.Integer),
    sa.Column("error", sa.Text),
)

# Children first: the order in which tests empty them.
TABLES = (audit, target, manual_value, challenge, visit_flush, visit_monthly, heartbeat)


def _number(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _dicts(query) -> list[dict[str, Any]]:
    return [dict(r) for r in model.Session.execute(query).mappings()]


# --- targets ----------------------------------------------------------------------------------------------

def targets() -> dict[tuple[str, int], dict[str, Any]]:
    """{(code, year): override} of every target the walidata set."""
    return {(r["code"], r["year"]): dict(r, value=_number(r["value"]))
            for r in _dicts(sa.select(target))}


def set_target(code: str, year: int, value: float, note: str | None, actor_id: str | None,
               now: dt.datetime) -> None:
    row = {"value": value, "note": note, "updated_by": actor_id, "updated_at": now}
    model.Session.execute(pg_insert(target).values(code=code, year=year, **row)
                          .on_conflict_do_update(index_elements=["code", "year"], set_=row))


def delete_target(code: str, year: int) -> None:
    model.Session.execute(target.delete().where(target.c.code == code, target.c.year == year))


# --- manual values ----------------------------------------------------------------------------------------

def manual_values() -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["code"], r["year"]): dict(r, value=_number(r["value"])) for r in _dicts(sa.select(manual_value))}


def get_manual(code: str, year: int) -> dict[str, Any] | None:
    rows = _dicts(sa.select(manual_value).where(manual_value.c.code == code, manual_value.c.year == year))
    return dict(rows[0], value=_number(rows[0]["value"])) if rows else None


def set_manual(code: str, year: int, value: float, source: str, measured_on: dt.date, note: str | None,
               actor_id: str | None, now: dt.datetime) -> None:
    row = {"value": value, "source": source, "measured_on": measured_on, "note": note, "entered_by": actor_id,
           "entered_at": now}
    model.Session.execute(pg_insert(manual_value).values(code=code, year=year, **row)
                          .on_conflict_do_update(index_elements=["code", "year"], set_=row))


def delete_manual(code: str, year: int) -> None:
    model.Session.execute(manual_value.delete().where(manual_value.c.code == code, manual_value.c.year == year))


# --- challenges and follow-ups ----------------------------------------------------------------------------

def challenges(year: int | None = None) -> list[dict[str, Any]]:
    query = sa.select(challenge).order_by(challenge.c.year.desc(), challenge.c.created_at, challenge.c.id)
    if year is not None:
        query = query.where(challenge.c.year == year)
    return _dicts(query)


def get_challenge(challenge_id: str) -> dict[str, Any] | None:
    rows = _dicts(sa.select(challenge).where(challenge.c.id == challenge_id))
    return rows[0] if rows else None


def create_challenge(year: int, tantangan: str, tindak_lanjut: str, actor_id: str | None, now: dt.datetime) -> str:
    challenge_id = str(uuid.uuid4())
    model.Session.execute(challenge.insert().values(
        id=challenge_id, year=year, tantangan=tantangan, tindak_lanjut=tindak_lanjut, created_by=actor_id,
        created_at=now, updated_by=actor_id, updated_at=now))
    return challenge_id


def update_challenge(challenge_id: str, values: Mapping[str, Any], actor_id: str | None, now: dt.datetime) -> None:
    model.Session.execute(challenge.update().where(challenge.c.id == challenge_id).values(
        **values, updated_by=actor_id, updated_at=now))


def delete_challenge(challenge_id: str) -> None:
    model.Session.execute(challenge.delete().where(challenge.c.id == challenge_id))


# --- audit trail ------------------------------------------------------------------------------------------

def _jsonable(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    out = {}
    for key, value in row.items():
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = float(value)
        out[key] = value
    return out


def add_audit(kind: AuditKind, ref: str, year: int | None, before: Mapping[str, Any] | None,
              after: Mapping[str, Any] | None, actor_id: str | None, now: dt.datetime) -> None:
    model.Session.execute(audit.insert().values(kind=kind.value, ref=ref, year=year, before=_jsonable(before),
                                                after=_jsonable(after), actor_id=actor_id, created=now))


def audit_rows(kind: str | None = None, ref: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The newest edits first, with the editor's name."""
    query = (sa.select(audit, model.User.name.label("user_name"), model.User.fullname.label("user_fullname"))
             .outerjoin(model.User, model.User.id == audit.c.actor_id)
             .order_by(audit.c.created.desc(), audit.c.id.desc()).limit(limit))
    if kind:
        query = query.where(audit.c.kind == kind)
    if ref:
        query = query.where(audit.c.ref == ref)
    return _dicts(query)


# --- visits -----------------------------------------------------------------------------------------------

def batch_applied(batch: str) -> bool:
    return model.Session.execute(sa.select(sa.func.count()).select_from(visit_flush)
                                 .where(visit_flush.c.batch == batch)).scalar_one() > 0


def apply_visits(batch: str, counts: Mapping[dt.date, int], now: dt.datetime) -> None:
    """Add a batch's counts and remember the batch, in the caller's transaction (exactly once)."""
    for month, n in counts.items():
        model.Session.execute(pg_insert(visit_monthly).values(month=month, count=n).on_conflict_do_update(
            index_elements=["month"], set_={"count": visit_monthly.c.count + n}))
    model.Session.execute(visit_flush.insert().values(batch=batch, applied_at=now))


def visits_by_month(year: int | None = None) -> dict[dt.date, int]:
    query = sa.select(visit_monthly.c.month, visit_monthly.c.count)
    if year is not None:
        query = query.where(visit_monthly.c.month.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return {month: int(n) for month, n in model.Session.execute(query).all()}


def first_visit_month() -> dt.date | None:
    return model.Session.execute(sa.select(sa.func.min(visit_monthly.c.month))).scalar_one()


# --- heartbeats -------------------------------------------------------------------------------------------

def add_beat(checked_at: dt.datetime, ok: bool, status_code: int | None, latency_ms: int | None,
             error: str | None) -> None:
    model.Session.execute(heartbeat.insert().values(checked_at=checked_at, ok=ok, status_code=status_code,
                                                    latency_ms=latency_ms, error=error))


def first_beat() -> dt.datetime | None:
    return model.Session.execute(sa.select(sa.func.min(heartbeat.c.checked_at))).scalar_one()


def beat_buckets(start: dt.datetime, end: dt.datetime, seconds: int) -> tuple[set[int], set[int]]:
    """(periods with an answered heartbeat, periods with any heartbeat) in ``[start, end)``, each period the
    number ``floor(epoch / seconds)``."""
    bucket = sa.func.floor(sa.extract("epoch", heartbeat.c.checked_at) / seconds).label("bucket")
    query = (sa.select(bucket, sa.func.bool_or(heartbeat.c.ok))
             .where(heartbeat.c.checked_at >= start, heartbeat.c.checked_at < end).group_by(bucket))
    ok: set[int] = set()
    seen: set[int] = set()
    for number, answered in model.Session.execute(query).all():
        seen.add(int(number))
        if answered:
            ok.add(int(number))
    return ok, seen
