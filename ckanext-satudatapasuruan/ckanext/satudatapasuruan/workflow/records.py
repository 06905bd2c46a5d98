"""The workflow's tables (schema ``satudata_workflow``): each dataset's state and the audit trail.

Kept out of CKAN's own metadata so that CKAN's ``clean_db`` (tests) and ``db init`` leave them
alone, as with the other plugins' schemas; migrations in ``migration/satudata_workflow``.
"""
from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert

from .machine import State

__all__ = ["dataset_state", "event", "get_state", "get_states", "set_state", "add_event", "events",
           "packages_in_states", "RequestState", "access_request", "create_request", "get_request",
           "decide_request", "requests", "has_grant", "RevisionState", "revision", "create_revision",
           "open_revision", "latest_revision", "set_revision_state", "packages_with_open_revisions",
           "harvest_policy", "set_harvest_policy", "harvest_policy_of"]

_meta = sa.MetaData(schema="satudata_workflow")

dataset_state = sa.Table(
    "dataset_state", _meta,
    sa.Column("package_id", sa.Text, primary_key=True),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("published", sa.DateTime),
)

event = sa.Table(
    "event", _meta,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("package_id", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("from_state", sa.Text),
    sa.Column("to_state", sa.Text),
    sa.Column("user_id", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
)


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def _as_dict(row) -> dict[str, Any]:
    """A row as JSON-ready values (dates and times in ISO form)."""
    return {k: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for k, v in dict(row).items()}


def get_state(package: model.Package) -> State:
    """The dataset's workflow state.

    A dataset with no workflow row predates the plugin: a public one counts as published, a private
    one as a draft, so enabling the plugin never changes what anyone sees.
    """
    value = model.Session.execute(
        sa.select(dataset_state.c.state).where(dataset_state.c.package_id == package.id)).scalar()
    if value is None:
        return State.DRAFT if package.private else State.TERBIT
    return State(value)


def get_states(package_ids: list[str]) -> dict[str, State]:
    rows = model.Session.execute(sa.select(dataset_state.c.package_id, dataset_state.c.state)
                                 .where(dataset_state.c.package_id.in_(package_ids)))
    return {pid: State(state) for pid, state in rows}


def set_state(package_id: str, state: State) -> None:
    now = _now()
    values: dict[str, Any] = {"state": state.value, "updated": now}
    if state is State.TERBIT:
        values["published"] = now
    stmt = pg_insert(dataset_state).values(package_id=package_id, **values)
    model.Session.execute(stmt.on_conflict_do_update(index_elements=["package_id"], set_=values))


def add_event(package_id: str, action: str, from_state: State | None, to_state: State | None,
              user_id: str | None, note: str | None = None) -> None:
    model.Session.execute(event.insert().values(
        package_id=package_id, action=action, from_state=from_state.value if from_state else None,
        to_state=to_state.value if to_state else None, user_id=user_id, note=note, created=_now()))


def events(package_id: str) -> list[dict[str, Any]]:
    rows = model.Session.execute(sa.select(event).where(event.c.package_id == package_id).order_by(event.c.id))
    return [_as_dict(row) for row in rows.mappings()]


def packages_in_states(states: list[State]) -> list[str]:
    rows = model.Session.execute(sa.select(dataset_state.c.package_id)
                                 .where(dataset_state.c.state.in_([s.value for s in states])))
    return [r[0] for r in rows]


# --- access requests (terbatas data) ---------------------------------------------------------------

class RequestState(str, enum.Enum):
    DIAJUKAN = "diajukan"
    DISETUJUI = "disetujui"
    DITOLAK = "ditolak"
    DICABUT = "dicabut"


access_request = sa.Table(
    "access_request", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("package_id", sa.Text, nullable=False),
    sa.Column("user_id", sa.Text, nullable=False),
    sa.Column("purpose", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("decided_by", sa.Text),
    sa.Column("decided", sa.DateTime),
    sa.Column("decision_note", sa.Text),
    sa.Column("expires", sa.Date),
)


def create_request(package_id: str, user_id: str, purpose: str) -> str:
    request_id = str(uuid.uuid4())
    model.Session.execute(access_request.insert().values(
        id=request_id, package_id=package_id, user_id=user_id, purpose=purpose,
        state=RequestState.DIAJUKAN.value, created=_now()))
    return request_id


def get_request(request_id: str) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(access_request).where(access_request.c.id == request_id)).mappings().first()
    return _as_dict(row) if row else None


def decide_request(request_id: str, state: RequestState, user_id: str | None, note: str | None,
                   expires: dt.date | None = None) -> None:
    model.Session.execute(access_request.update().where(access_request.c.id == request_id).values(
        state=state.value, decided_by=user_id, decided=_now(), decision_note=note, expires=expires))


def requests(package_ids: list[str] | None = None, user_id: str | None = None,
             states: list[RequestState] | None = None) -> list[dict[str, Any]]:
    query = sa.select(access_request).order_by(access_request.c.created)
    if package_ids is not None:
        query = query.where(access_request.c.package_id.in_(package_ids))
    if user_id is not None:
        query = query.where(access_request.c.user_id == user_id)
    if states:
        query = query.where(access_request.c.state.in_([s.value for s in states]))
    return [_as_dict(r) for r in model.Session.execute(query).mappings()]


def has_grant(package_id: str, user_id: str, today: dt.date) -> bool:
    """An approved, unexpired, unrevoked request of this user for this dataset."""
    return model.Session.execute(sa.select(sa.literal(True)).where(
        access_request.c.package_id == package_id, access_request.c.user_id == user_id,
        access_request.c.state == RequestState.DISETUJUI.value, access_request.c.expires >= today)).first() is not None


# --- revisions of published datasets -----------------------------------------------------------------

class RevisionState(str, enum.Enum):
    DIAJUKAN = "diajukan"
    DIVERIFIKASI_OPD = "diverifikasi_opd"
    DITERAPKAN = "diterapkan"
    DIKEMBALIKAN = "dikembalikan"


OPEN_REVISION = (RevisionState.DIAJUKAN.value, RevisionState.DIVERIFIKASI_OPD.value)

revision = sa.Table(
    "revision", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("package_id", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("data", JSONB, nullable=False),
    sa.Column("proposed", JSONB, nullable=False),
    sa.Column("created_by", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
)


def create_revision(package_id: str, data: dict[str, Any], proposed: dict[str, Any], user_id: str | None) -> str:
    revision_id = str(uuid.uuid4())
    now = _now()
    model.Session.execute(revision.insert().values(
        id=revision_id, package_id=package_id, state=RevisionState.DIAJUKAN.value, data=data, proposed=proposed,
        created_by=user_id, created=now, updated=now))
    return revision_id


def open_revision(package_id: str) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(revision).where(
        revision.c.package_id == package_id, revision.c.state.in_(OPEN_REVISION))).mappings().first()
    return _as_dict(row) if row else None


def latest_revision(package_id: str) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(revision).where(revision.c.package_id == package_id)
                                .order_by(revision.c.created.desc()).limit(1)).mappings().first()
    return _as_dict(row) if row else None


def set_revision_state(revision_id: str, state: RevisionState) -> None:
    model.Session.execute(revision.update().where(revision.c.id == revision_id)
                          .values(state=state.value, updated=_now()))


def packages_with_open_revisions() -> dict[str, str]:
    rows = model.Session.execute(sa.select(revision.c.package_id, revision.c.state)
                                 .where(revision.c.state.in_(OPEN_REVISION)))
    return dict(rows.all())


# --- harvest sources allowed to publish directly -------------------------------------------------------

harvest_policy = sa.Table(
    "harvest_policy", _meta,
    sa.Column("source_id", sa.Text, primary_key=True),
    sa.Column("publish_directly", sa.Boolean, nullable=False),
    sa.Column("decided_by", sa.Text),
    sa.Column("decided", sa.DateTime, nullable=False),
)


def set_harvest_policy(source_id: str, publish_directly: bool, user_id: str | None) -> None:
    values = {"publish_directly": publish_directly, "decided_by": user_id, "decided": _now()}
    stmt = pg_insert(harvest_policy).values(source_id=source_id, **values)
    model.Session.execute(stmt.on_conflict_do_update(index_elements=["source_id"], set_=values))


def harvest_policy_of(source_id: str) -> dict[str, Any]:
    row = model.Session.execute(sa.select(harvest_policy).where(harvest_policy.c.source_id == source_id)
                                ).mappings().first()
    return _as_dict(row) if row else {"source_id": source_id, "publish_directly": False, "decided_by": None,
                                      "decided": None}
