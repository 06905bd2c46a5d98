"""The daftar data plugin's tables (schema ``satudata_daftardata``): entries, versions, applications.

Kept out of CKAN's own metadata like the other plugins' tables, so ``clean_db`` and ``db init`` leave them
alone; migrations in ``migration/satudata_daftardata``. Only this module writes them; callers commit.
"""
from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects import postgresql

__all__ = ["Status", "Integration", "ENTRY_FIELDS", "APP_FIELDS", "entry", "version", "app", "get_entry",
           "insert_entry", "update_entry", "delete_entry", "query_entries", "names_of", "all_entries",
           "priority_entries",
           "insert_version", "get_version", "list_versions", "delete_version", "get_app", "insert_app",
           "update_app", "delete_app", "query_apps"]

_meta = sa.MetaData(schema="satudata_daftardata")


class Status(str, enum.Enum):
    DIBUTUHKAN = "dibutuhkan"
    DALAM_PRODUKSI = "dalam_produksi"
    TERSEDIA = "tersedia"


class Integration(str, enum.Enum):
    BELUM = "belum"
    API_TERDOKUMENTASI = "api_terdokumentasi"
    DIPANEN = "dipanen"


# What an entry holds (and what a version copies and a diff compares).
ENTRY_FIELDS = ("owner_org", "name", "urusan", "program", "frekuensi", "target_year", "priority", "dasar_hukum",
                "status", "package_ids")
APP_FIELDS = ("owner_org", "name", "function", "priority", "integration", "harvest_source_id")


def _stamps() -> list[sa.Column]:
    return [sa.Column("created", sa.DateTime, nullable=False), sa.Column("created_by", sa.Text),
            sa.Column("modified", sa.DateTime, nullable=False), sa.Column("modified_by", sa.Text)]


entry = sa.Table(
    "entry", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("owner_org", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("urusan", sa.Text, nullable=False),
    sa.Column("program", sa.Text, nullable=False),
    sa.Column("frekuensi", sa.Text, nullable=False),
    sa.Column("target_year", sa.Integer, nullable=False),
    sa.Column("priority", sa.Boolean, nullable=False),
    sa.Column("dasar_hukum", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("package_ids", postgresql.ARRAY(sa.Text), nullable=False),
    *_stamps(),
)

version = sa.Table(
    "version", _meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agreed_by", sa.Text, nullable=False),
    sa.Column("agreed_date", sa.Date, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("entries", postgresql.JSONB, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text),
)

app = sa.Table(
    "app", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("owner_org", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("function", sa.Text, nullable=False),
    sa.Column("priority", sa.Boolean, nullable=False),
    sa.Column("integration", sa.Text, nullable=False),
    sa.Column("harvest_source_id", sa.Text),
    *_stamps(),
)


def _one(table: sa.Table, id_: str) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(table).where(table.c.id == id_)).mappings().first()
    return dict(row) if row else None


def _insert(table: sa.Table, fields: tuple[str, ...], values: dict[str, Any], user_id: str | None,
            now: dt.datetime) -> str:
    id_ = str(uuid.uuid4())
    model.Session.execute(table.insert().values(
        id=id_, created=now, created_by=user_id, modified=now, modified_by=user_id,
        **{k: values[k] for k in fields}))
    return id_


def _update(table: sa.Table, fields: tuple[str, ...], id_: str, values: dict[str, Any], user_id: str | None,
            now: dt.datetime) -> None:
    model.Session.execute(table.update().where(table.c.id == id_).values(
        modified=now, modified_by=user_id, **{k: values[k] for k in fields if k in values}))


# --- entries ---------------------------------------------------------------------------------------------

def get_entry(id_: str) -> dict[str, Any] | None:
    return _one(entry, id_)


def insert_entry(values: dict[str, Any], user_id: str | None, now: dt.datetime) -> str:
    return _insert(entry, ENTRY_FIELDS, values, user_id, now)


def update_entry(id_: str, values: dict[str, Any], user_id: str | None, now: dt.datetime) -> None:
    _update(entry, ENTRY_FIELDS, id_, values, user_id, now)


def delete_entry(id_: str) -> None:
    model.Session.execute(entry.delete().where(entry.c.id == id_))


def _like(token: str) -> str:
    return "%" + token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def query_entries(*, owner_org: str | None = None, urusan: str | None = None, priority: bool | None = None,
                  status: str | None = None, q: str = "", limit: int = 50,
                  offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """(count, page) of entries matching the filters, priority first, then by name."""
    query = sa.select(entry)
    if owner_org:
        query = query.where(entry.c.owner_org == owner_org)
    if urusan:
        query = query.where(entry.c.urusan == urusan)
    if priority is not None:
        query = query.where(entry.c.priority.is_(priority))
    if status:
        query = query.where(entry.c.status == status)
    for token in q.split():
        pattern = _like(token)
        query = query.where(sa.or_(entry.c.name.ilike(pattern, escape="\\"),
                                   entry.c.program.ilike(pattern, escape="\\")))
    count = model.Session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = model.Session.execute(query.order_by(entry.c.priority.desc(), entry.c.name, entry.c.id)
                                 .limit(limit).offset(offset)).mappings()
    return count, [dict(r) for r in rows]


def names_of(org_ids: set[str]) -> set[tuple[str, str]]:
    """(owner_org, lower-case name) of every entry of these OPDs (the import's duplicate check)."""
    if not org_ids:
        return set()
    query = sa.select(entry.c.owner_org, sa.func.lower(entry.c.name)).where(entry.c.owner_org.in_(list(org_ids)))
    return {(o, n) for o, n in model.Session.execute(query).all()}


def all_entries() -> list[dict[str, Any]]:
    return [dict(r) for r in model.Session.execute(sa.select(entry).order_by(entry.c.name, entry.c.id)).mappings()]


def priority_entries() -> list[dict[str, Any]]:
    query = sa.select(entry).where(entry.c.priority.is_(True)).order_by(entry.c.name, entry.c.id)
    return [dict(r) for r in model.Session.execute(query).mappings()]


# --- versions --------------------------------------------------------------------------------------------

def insert_version(agreed_by: str, agreed_date: dt.date, note: str, entries: list[dict[str, Any]],
                   user_id: str | None, now: dt.datetime) -> int:
    return model.Session.execute(version.insert().values(
        agreed_by=agreed_by, agreed_date=agreed_date, note=note, entries=entries, created=now,
        created_by=user_id).returning(version.c.id)).scalar_one()


def get_version(id_: int) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(version).where(version.c.id == id_)).mappings().first()
    return dict(row) if row else None


def list_versions() -> list[dict[str, Any]]:
    """Every version, newest agreement first."""
    query = sa.select(version).order_by(version.c.agreed_date.desc(), version.c.id.desc())
    return [dict(r) for r in model.Session.execute(query).mappings()]


def delete_version(id_: int) -> None:
    model.Session.execute(version.delete().where(version.c.id == id_))


# --- applications ----------------------------------------------------------------------------------------

def get_app(id_: str) -> dict[str, Any] | None:
    return _one(app, id_)


def insert_app(values: dict[str, Any], user_id: str | None, now: dt.datetime) -> str:
    return _insert(app, APP_FIELDS, values, user_id, now)


def update_app(id_: str, values: dict[str, Any], user_id: str | None, now: dt.datetime) -> None:
    _update(app, APP_FIELDS, id_, values, user_id, now)


def delete_app(id_: str) -> None:
    model.Session.execute(app.delete().where(app.c.id == id_))


def query_apps(owner_org: str | None = None) -> list[dict[str, Any]]:
    query = sa.select(app)
    if owner_org:
        query = query.where(app.c.owner_org == owner_org)
    return [dict(r) for r in model.Session.execute(query.order_by(app.c.name, app.c.id)).mappings()]
