"""The harvesters' tables (schema ``satudata_harvest``, migrations in ``migration/satudata_harvest``):
secrets of sources, cached list pages for conditional requests, and what each run's gather saw.
"""
from __future__ import annotations

import datetime as dt
import gzip
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert as pg_insert

__all__ = ["secret", "page", "run", "set_secret", "get_secrets", "delete_secrets", "CachedPage", "get_page",
           "put_page", "RunSummary", "save_run", "get_run"]

_meta = sa.MetaData(schema="satudata_harvest")

secret = sa.Table(
    "secret", _meta,
    sa.Column("source_id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
)

page = sa.Table(
    "page", _meta,
    sa.Column("source_id", sa.Text, primary_key=True),
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("fetched", sa.DateTime, nullable=False),
)

run = sa.Table(
    "run", _meta,
    sa.Column("job_id", sa.Text, primary_key=True),
    sa.Column("source_id", sa.Text, nullable=False),
    sa.Column("listed", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("queued", sa.Integer, nullable=False),
    sa.Column("withdrawn", sa.Integer, nullable=False),
    sa.Column("duplicates", sa.Integer, nullable=False),
    sa.Column("complete", sa.Boolean, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
)


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def _upsert(table: sa.Table, keys: list[str], values: dict[str, Any]) -> None:
    stmt = pg_insert(table).values(**values)
    changes = {k: v for k, v in values.items() if k not in keys}
    model.Session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=changes))


# --- secrets -----------------------------------------------------------------------------------------

def set_secret(source_id: str, name: str, value: str) -> None:
    _upsert(secret, ["source_id", "name"], {"source_id": source_id, "name": name, "value": value, "updated": _now()})


def get_secrets(source_id: str) -> dict[str, str]:
    rows = model.Session.execute(sa.select(secret.c.name, secret.c.value).where(secret.c.source_id == source_id))
    return dict(rows.all())


def delete_secrets(source_id: str, keep: set[str] | None = None) -> None:
    stmt = sa.delete(secret).where(secret.c.source_id == source_id)
    if keep:
        stmt = stmt.where(secret.c.name.not_in(sorted(keep)))
    model.Session.execute(stmt)


# --- cached pages --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CachedPage:
    etag: str | None
    last_modified: str | None
    body: bytes


def get_page(source_id: str, url: str) -> CachedPage | None:
    row = model.Session.execute(sa.select(page.c.etag, page.c.last_modified, page.c.body).where(
        page.c.source_id == source_id, page.c.url == url)).first()
    return CachedPage(row.etag, row.last_modified, gzip.decompress(row.body)) if row else None


def put_page(source_id: str, url: str, etag: str | None, last_modified: str | None, body: bytes) -> None:
    if not (etag or last_modified):
        return  # nothing to validate against next time
    _upsert(page, ["source_id", "url"], {"source_id": source_id, "url": url, "etag": etag,
                                         "last_modified": last_modified, "body": gzip.compress(body, 3),
                                         "fetched": _now()})


# --- runs ------------------------------------------------------------------------------------------------

@dataclass
class RunSummary:
    """What one gather saw. ``complete`` is false when the listing stopped early (nothing is withdrawn then)."""

    listed: int = 0
    unchanged: int = 0
    queued: int = 0
    withdrawn: int = 0
    duplicates: int = 0
    complete: bool = False


def save_run(job_id: str, source_id: str, summary: RunSummary) -> None:
    _upsert(run, ["job_id"], {"job_id": job_id, "source_id": source_id, "listed": summary.listed,
                              "unchanged": summary.unchanged, "queued": summary.queued,
                              "withdrawn": summary.withdrawn, "duplicates": summary.duplicates,
                              "complete": summary.complete, "created": _now()})


def get_run(job_id: str) -> RunSummary | None:
    row = model.Session.execute(sa.select(run).where(run.c.job_id == job_id)).mappings().first()
    if row is None:
        return None
    return RunSummary(row["listed"], row["unchanged"], row["queued"], row["withdrawn"], row["duplicates"],
                      row["complete"])
