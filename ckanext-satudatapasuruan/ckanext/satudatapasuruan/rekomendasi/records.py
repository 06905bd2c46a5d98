"""The rekomendasi plugin's tables (schema ``satudata_rekomendasi``): applications, their documents and timeline,
the letters' running numbers, and the verifiable documents register with its events.

Kept out of CKAN's own metadata like the other plugins' tables, so that ``clean_db`` and ``db init`` leave them
alone; migrations in ``migration/satudata_rekomendasi``. Only this module reads and writes them; callers commit.
"""
from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert

from .machine import Status, Step

__all__ = ["DocumentStatus", "DocumentStep", "application", "application_document", "application_event",
           "letter_sequence", "document", "document_event", "TABLES", "insert_application", "get_application",
           "update_application", "set_status", "add_event", "events", "add_document", "documents", "get_document_file",
           "query_applications", "open_application_of", "next_letter_number", "insert_document", "get_document",
           "revoke_document", "document_events", "query_documents", "kpi_rows"]

_meta = sa.MetaData(schema="satudata_rekomendasi")


class DocumentStatus(str, enum.Enum):
    SAH = "sah"
    DICABUT = "dicabut"


class DocumentStep(str, enum.Enum):
    DITERBITKAN = "diterbitkan"
    DICABUT = "dicabut"


document = sa.Table(
    "document", _meta,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("issuer", sa.Text, nullable=False),
    sa.Column("issuer_organization_id", sa.Text),
    sa.Column("recipient_organization_id", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("issued_at", sa.DateTime, nullable=False),
    sa.Column("issued_by", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("revoked_at", sa.DateTime),
    sa.Column("revoked_by", sa.Text),
    sa.Column("revoke_reason", sa.Text),
    sa.Column("external_url", sa.Text),
    sa.Column("stamped", sa.Boolean, nullable=False),
    sa.Column("stored_name", sa.Text),
    sa.Column("filename", sa.Text),
    sa.Column("size", sa.BigInteger),
)

document_event = sa.Table(
    "document_event", _meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("step", sa.Text, nullable=False),
    sa.Column("actor_id", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
)

application = sa.Table(
    "application", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("organization_id", sa.Text, nullable=False),
    sa.Column("package_id", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("tahun", sa.Integer),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("jalur", sa.Text, nullable=False),
    sa.Column("catatan", sa.Text, nullable=False),
    sa.Column("letter_number", sa.Text),
    sa.Column("document_code", sa.Text),
    sa.Column("external_reference", sa.Text),
    sa.Column("external_url", sa.Text),
    sa.Column("decision_note", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("submitted_at", sa.DateTime),
    sa.Column("decided_at", sa.DateTime),
    sa.Column("decided_by", sa.Text),
)

application_document = sa.Table(
    "application_document", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("application_id", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("filename", sa.Text, nullable=False),
    sa.Column("stored_name", sa.Text, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text),
)

application_event = sa.Table(
    "application_event", _meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("application_id", sa.Text, nullable=False),
    sa.Column("step", sa.Text, nullable=False),
    sa.Column("from_status", sa.Text),
    sa.Column("to_status", sa.Text),
    sa.Column("actor_id", sa.Text),
    sa.Column("note", sa.Text),
    # What the step concerns, shown in the reader's language: {kind, filename}, {letter_number, code},
    # {reference, url, code}.
    sa.Column("detail", JSONB, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
)

letter_sequence = sa.Table(
    "letter_sequence", _meta,
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("last", sa.Integer, nullable=False),
)

# In the order a test (or a reset) empties them.
TABLES = (application_event, application_document, application, letter_sequence, document_event, document)


def _row(row) -> dict[str, Any] | None:
    return None if row is None else dict(row)


# --- applications -------------------------------------------------------------------------------------------

def insert_application(values: dict[str, Any], actor_id: str | None, now: dt.datetime) -> str:
    application_id = str(uuid.uuid4())
    model.Session.execute(application.insert().values(
        id=application_id, status=Status.DRAF.value, created=now, created_by=actor_id, updated=now, **values))
    add_event(application_id, Step.DIBUAT, None, Status.DRAF, actor_id, None, now)
    return application_id


def get_application(application_id: str, lock: bool = False) -> dict[str, Any] | None:
    query = sa.select(application).where(application.c.id == application_id)
    if lock:
        query = query.with_for_update()
    return _row(model.Session.execute(query).mappings().first())


def update_application(application_id: str, values: dict[str, Any], now: dt.datetime) -> None:
    model.Session.execute(application.update().where(application.c.id == application_id).values(updated=now,
                                                                                               **values))


def set_status(current: dict[str, Any], to: Status, step: Step, actor_id: str | None, note: str | None,
               now: dt.datetime, detail: dict[str, Any] | None = None, **values: Any) -> None:
    update_application(current["id"], {"status": to.value, **values}, now)
    add_event(current["id"], step, current["status"], to, actor_id, note, now, detail)


def add_event(application_id: str, step: Step, from_status: str | Status | None, to_status: str | Status | None,
              actor_id: str | None, note: str | None, now: dt.datetime, detail: dict[str, Any] | None = None) -> None:
    def value(status):
        return status.value if isinstance(status, Status) else status

    model.Session.execute(application_event.insert().values(
        application_id=application_id, step=step.value, from_status=value(from_status), to_status=value(to_status),
        actor_id=actor_id, note=note or None, detail={k: v for k, v in (detail or {}).items() if v}, created=now))


def _with_user(table: sa.Table, column: str, where, order) -> list[dict[str, Any]]:
    query = (sa.select(table, model.User.name.label("user_name"), model.User.fullname.label("user_fullname"))
             .outerjoin(model.User, model.User.id == table.c[column]).where(where).order_by(*order))
    return [dict(r) for r in model.Session.execute(query).mappings()]


def events(application_id: str) -> list[dict[str, Any]]:
    # In the order recorded (a step's time may be set by the caller, e.g. a test's frozen clock).
    return _with_user(application_event, "actor_id", application_event.c.application_id == application_id,
                      (application_event.c.id,))


def add_document(application_id: str, kind: str, filename: str, stored_name: str, size: int, sha256: str,
                 actor_id: str | None, now: dt.datetime) -> str:
    document_id = str(uuid.uuid4())
    model.Session.execute(application_document.insert().values(
        id=document_id, application_id=application_id, kind=kind, filename=filename, stored_name=stored_name,
        size=size, sha256=sha256, created=now, created_by=actor_id))
    return document_id


def documents(application_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """{application id: its documents, oldest first}."""
    ids = list(application_ids)
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        for row in _with_user(application_document, "created_by", application_document.c.application_id.in_(ids),
                              (application_document.c.created, application_document.c.id)):
            out[row["application_id"]].append(row)
    return out


def get_document_file(application_id: str, document_id: str) -> dict[str, Any] | None:
    query = sa.select(application_document).where(application_document.c.id == document_id,
                                                  application_document.c.application_id == application_id)
    return _row(model.Session.execute(query).mappings().first())


def _application_query():
    return (sa.select(application, model.Group.name.label("organization_name"),
                      model.Group.title.label("organization_title"))
            .outerjoin(model.Group, model.Group.id == application.c.organization_id))


def query_applications(*, organization_ids: Iterable[str] | None, pembina: bool = False,
                       statuses: Iterable[str] | None = None, organization_id: str | None = None,
                       package_id: str | None = None, oldest_first: bool = False) -> list[dict[str, Any]]:
    """Applications the caller may see: ``organization_ids`` None: every OPD's; otherwise those OPDs' and, for a
    pembina, every application past its draft."""
    query = _application_query()
    if organization_ids is not None:
        ids = list(organization_ids)
        seen = application.c.organization_id.in_(ids) if ids else sa.false()
        if pembina:
            seen = sa.or_(seen, application.c.status != Status.DRAF.value)
        query = query.where(seen)
    if statuses:
        query = query.where(application.c.status.in_(list(statuses)))
    if organization_id:
        query = query.where(application.c.organization_id == organization_id)
    if package_id:
        query = query.where(application.c.package_id == package_id)
    if oldest_first:
        query = query.order_by(sa.func.coalesce(application.c.submitted_at, application.c.created), application.c.id)
    else:
        query = query.order_by(application.c.updated.desc(), application.c.id)
    return [dict(r) for r in model.Session.execute(query).mappings()]


def open_application_of(package_id: str, except_id: str | None = None) -> dict[str, Any] | None:
    query = sa.select(application).where(application.c.package_id == package_id,
                                         application.c.status.in_([s.value for s in Status
                                                                   if s not in (Status.TERBIT, Status.DITOLAK)]))
    if except_id:
        query = query.where(application.c.id != except_id)
    return _row(model.Session.execute(query).mappings().first())


def next_letter_number(year: int) -> int:
    """The year's next running number, taken in the caller's transaction (a rollback gives it back)."""
    stmt = (pg_insert(letter_sequence).values(year=year, last=1)
            .on_conflict_do_update(index_elements=["year"], set_={"last": letter_sequence.c.last + 1})
            .returning(letter_sequence.c.last))
    return int(model.Session.execute(stmt).scalar_one())


def kpi_rows() -> list[dict[str, Any]]:
    """Every application past its draft, with whether its letter is a stamped document of the register."""
    query = (sa.select(application.c.id, application.c.organization_id, application.c.status,
                       application.c.submitted_at, application.c.decided_at, application.c.document_code,
                       document.c.stamped, model.Group.name.label("organization_name"),
                       model.Group.title.label("organization_title"))
             .outerjoin(document, document.c.code == application.c.document_code)
             .outerjoin(model.Group, model.Group.id == application.c.organization_id)
             .where(application.c.status != Status.DRAF.value))
    return [dict(r) for r in model.Session.execute(query).mappings()]


# --- the verifiable documents register ----------------------------------------------------------------------

def insert_document(values: dict[str, Any], actor_id: str | None, now: dt.datetime) -> bool:
    """A new register entry; False when its code is taken (the caller draws another)."""
    inserted = model.Session.execute(pg_insert(document).values(
        status=DocumentStatus.SAH.value, issued_at=now, issued_by=actor_id, **values
    ).on_conflict_do_nothing(index_elements=["code"])).rowcount
    if inserted:
        _document_event(values["code"], DocumentStep.DITERBITKAN, actor_id, None, now)
    return bool(inserted)


def _document_event(code: str, step: DocumentStep, actor_id: str | None, note: str | None, now: dt.datetime) -> None:
    model.Session.execute(document_event.insert().values(code=code, step=step.value, actor_id=actor_id, note=note,
                                                         created=now))


def _document_query():
    issuer_org = model.Group.__table__.alias("issuer_org")
    revoker = model.User.__table__.alias("revoker")
    return (sa.select(document, issuer_org.c.name.label("issuer_organization_name"),
                      issuer_org.c.title.label("issuer_organization_title"),
                      revoker.c.name.label("revoked_by_name"), revoker.c.fullname.label("revoked_by_fullname"))
            .outerjoin(issuer_org, issuer_org.c.id == document.c.issuer_organization_id)
            .outerjoin(revoker, revoker.c.id == document.c.revoked_by))


def get_document(code: str, lock: bool = False) -> dict[str, Any] | None:
    if lock:
        query = sa.select(document).where(document.c.code == code).with_for_update()
    else:
        query = _document_query().where(document.c.code == code)
    return _row(model.Session.execute(query).mappings().first())


def revoke_document(code: str, reason: str, actor_id: str | None, now: dt.datetime) -> None:
    model.Session.execute(document.update().where(document.c.code == code).values(
        status=DocumentStatus.DICABUT.value, revoked_at=now, revoked_by=actor_id, revoke_reason=reason))
    _document_event(code, DocumentStep.DICABUT, actor_id, reason, now)


def document_events(code: str) -> list[dict[str, Any]]:
    return _with_user(document_event, "actor_id", document_event.c.code == code, (document_event.c.id,))


def query_documents(*, organization_ids: Iterable[str] | None, user_id: str | None = None,
                    status: str | None = None, kind: str | None = None,
                    issuer_organization_id: str | None = None) -> list[dict[str, Any]]:
    """Register entries, newest first: ``organization_ids`` None: all; otherwise those issued by or to these
    organisations, or by ``user_id``."""
    query = _document_query().order_by(document.c.issued_at.desc(), document.c.code)
    if organization_ids is not None:
        ids = list(organization_ids)
        seen = [document.c.issued_by == user_id] if user_id else []
        if ids:
            seen += [document.c.issuer_organization_id.in_(ids), document.c.recipient_organization_id.in_(ids)]
        query = query.where(sa.or_(*seen) if seen else sa.false())
    if status:
        query = query.where(document.c.status == status)
    if kind:
        query = query.where(document.c.kind == kind)
    if issuer_organization_id:
        query = query.where(document.c.issuer_organization_id == issuer_organization_id)
    return [dict(r) for r in model.Session.execute(query).mappings()]
