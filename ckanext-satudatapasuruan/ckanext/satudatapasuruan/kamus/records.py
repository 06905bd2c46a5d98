"""The kamus plugin's tables (schema ``satudata_kamus``): the entries and every version of each.

Kept out of CKAN's own metadata like the other plugins' tables, so ``clean_db`` and ``db init`` leave them
alone; migrations in ``migration/satudata_kamus``. Only this module writes them; callers commit.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from ckan import model

__all__ = ["State", "Change", "CONTENT", "STANDAR", "entry", "entry_version", "get_entry", "insert_entry",
           "change_entry", "query_entries", "versions", "get_version", "active_choices"]

_meta = sa.MetaData(schema="satudata_kamus")

# The standar data of an entry, as the dataset schema names them (section "standar").
STANDAR = ("konsep", "definisi", "klasifikasi", "ukuran", "satuan")
# Everything a version copies.
CONTENT = (*STANDAR, "dasar_hukum")


class State(str, enum.Enum):
    AKTIF = "aktif"
    PENSIUN = "pensiun"


class Change(str, enum.Enum):
    DIBUAT = "dibuat"
    DIUBAH = "diubah"
    DIPENSIUNKAN = "dipensiunkan"


def _content_columns() -> list[sa.Column]:
    return [sa.Column(name, sa.Text, nullable=False) for name in CONTENT]


entry = sa.Table(
    "entry", _meta,
    sa.Column("kode", sa.Text, primary_key=True),
    *_content_columns(),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text),
    sa.Column("modified", sa.DateTime, nullable=False),
    sa.Column("modified_by", sa.Text),
)

entry_version = sa.Table(
    "entry_version", _meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("kode", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    *_content_columns(),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("change", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("user_id", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
)


def get_entry(kode: str, lock: bool = False) -> dict[str, Any] | None:
    query = sa.select(entry).where(entry.c.kode == kode)
    if lock:
        query = query.with_for_update()
    row = model.Session.execute(query).mappings().first()
    return dict(row) if row else None


def _version(kode: str, version: int, content: dict[str, Any], state: State, change: Change, note: str,
             user_id: str | None, now: dt.datetime) -> None:
    model.Session.execute(entry_version.insert().values(
        kode=kode, version=version, state=state.value, change=change.value, note=note, user_id=user_id,
        created=now, **{k: content[k] for k in CONTENT}))


def insert_entry(kode: str, content: dict[str, Any], user_id: str | None, note: str, now: dt.datetime) -> None:
    """A new entry at version 1 (the caller checked that the kode is free)."""
    model.Session.execute(entry.insert().values(
        kode=kode, state=State.AKTIF.value, version=1, created=now, created_by=user_id, modified=now,
        modified_by=user_id, **{k: content[k] for k in CONTENT}))
    _version(kode, 1, content, State.AKTIF, Change.DIBUAT, note, user_id, now)


def change_entry(current: dict[str, Any], content: dict[str, Any], state: State, change: Change,
                 user_id: str | None, note: str, now: dt.datetime) -> int:
    """The entry becomes its next version (``current`` read with ``lock``); returns the new version number."""
    version = current["version"] + 1
    model.Session.execute(entry.update().where(entry.c.kode == current["kode"]).values(
        state=state.value, version=version, modified=now, modified_by=user_id,
        **{k: content[k] for k in CONTENT}))
    _version(current["kode"], version, content, state, change, note, user_id, now)
    return version


def _like(token: str) -> str:
    return "%" + token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def query_entries(q: str = "", include_retired: bool = False, limit: int = 50,
                  offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """(count, page) of entries, by kode; every word of ``q`` in the kode, konsep or definisi."""
    query = sa.select(entry)
    if not include_retired:
        query = query.where(entry.c.state == State.AKTIF.value)
    for token in q.split():
        pattern = _like(token)
        query = query.where(sa.or_(entry.c.kode.ilike(pattern, escape="\\"),
                                   entry.c.konsep.ilike(pattern, escape="\\"),
                                   entry.c.definisi.ilike(pattern, escape="\\")))
    count = model.Session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = model.Session.execute(query.order_by(entry.c.kode).limit(limit).offset(offset)).mappings()
    return count, [dict(r) for r in rows]


def versions(kode: str) -> list[dict[str, Any]]:
    """Every version of an entry, newest first, with the name of who made it."""
    query = (sa.select(entry_version, model.User.name.label("user_name"),
                       model.User.fullname.label("user_fullname"))
             .outerjoin(model.User, model.User.id == entry_version.c.user_id)
             .where(entry_version.c.kode == kode).order_by(entry_version.c.version.desc()))
    return [dict(r) for r in model.Session.execute(query).mappings()]


def get_version(kode: str, version: int) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(entry_version).where(
        entry_version.c.kode == kode, entry_version.c.version == version)).mappings().first()
    return dict(row) if row else None


def active_choices() -> list[dict[str, str]]:
    """Kode and konsep of every active entry, by kode (the dataset form's picker)."""
    rows = model.Session.execute(sa.select(entry.c.kode, entry.c.konsep)
                                 .where(entry.c.state == State.AKTIF.value).order_by(entry.c.kode)).mappings()
    return [dict(r) for r in rows]
