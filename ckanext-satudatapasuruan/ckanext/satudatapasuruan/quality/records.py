"""The quality plugin's tables (schema ``satudata_quality``): tickets, their status history and comments.

Kept out of CKAN's own metadata like the workflow's tables, so ``clean_db`` and ``db init`` leave them alone;
migrations in ``migration/satudata_quality``. Only this module writes them; callers commit.
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

__all__ = ["Status", "Via", "ticket", "ticket_event", "ticket_comment", "tickets_of_package", "tickets_of_packages",
           "get_ticket", "open_ticket", "refresh_ticket", "touch_tickets", "set_status", "add_comment", "events",
           "comments", "query_tickets", "status_events", "kpi_cells"]

_meta = sa.MetaData(schema="satudata_quality")


class Status(str, enum.Enum):
    TERBUKA = "terbuka"
    DIKERJAKAN = "dikerjakan"
    SELESAI = "selesai"


class Via(str, enum.Enum):
    SCAN = "pemindaian"
    MANUAL = "manual"


OPEN_STATUSES = (Status.TERBUKA.value, Status.DIKERJAKAN.value)

ticket = sa.Table(
    "ticket", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("package_id", sa.Text, nullable=False),
    sa.Column("rule_code", sa.Text, nullable=False),
    sa.Column("organization_id", sa.Text),
    sa.Column("severity", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("findings", JSONB, nullable=False),
    sa.Column("opened_at", sa.DateTime, nullable=False),
    sa.Column("closed_at", sa.DateTime),
    sa.Column("last_scan_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

ticket_event = sa.Table(
    "ticket_event", _meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("ticket_id", sa.Text, nullable=False),
    sa.Column("from_status", sa.Text),
    sa.Column("to_status", sa.Text, nullable=False),
    sa.Column("via", sa.Text, nullable=False),
    sa.Column("actor_id", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
)

ticket_comment = sa.Table(
    "ticket_comment", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("ticket_id", sa.Text, nullable=False),
    sa.Column("author_id", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
)


def _row(row) -> dict[str, Any] | None:
    if row is None:
        return None
    return dict(row)


def tickets_of_package(package_id: str) -> dict[str, dict[str, Any]]:
    """{rule code: ticket} of one dataset, locked for the scan that reads them."""
    query = sa.select(ticket).where(ticket.c.package_id == package_id).with_for_update()
    return {r["rule_code"]: dict(r) for r in model.Session.execute(query).mappings()}


def tickets_of_packages(package_ids: Iterable[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """{package id: {rule code: ticket}} of several datasets in one query, locked like ``tickets_of_package``."""
    ids = list(package_ids)
    out: dict[str, dict[str, dict[str, Any]]] = {i: {} for i in ids}
    if ids:
        query = sa.select(ticket).where(ticket.c.package_id.in_(ids)).with_for_update()
        for r in model.Session.execute(query).mappings():
            out[r["package_id"]][r["rule_code"]] = dict(r)
    return out


def get_ticket(ticket_id: str) -> dict[str, Any] | None:
    return _row(model.Session.execute(sa.select(ticket).where(ticket.c.id == ticket_id)).mappings().first())


def _event(ticket_id: str, from_status: str | None, to_status: str, via: Via, actor_id: str | None,
           now: dt.datetime) -> None:
    model.Session.execute(ticket_event.insert().values(ticket_id=ticket_id, from_status=from_status,
                                                       to_status=to_status, via=via.value, actor_id=actor_id,
                                                       created=now))


def open_ticket(package_id: str, rule_code: str, organization_id: str | None, severity: str,
                findings: list[dict[str, Any]], actor_id: str | None, now: dt.datetime) -> str:
    """A new ticket; a concurrent scan that opened the same one first wins (its id is returned)."""
    ticket_id = str(uuid.uuid4())
    inserted = model.Session.execute(pg_insert(ticket).values(
        id=ticket_id, package_id=package_id, rule_code=rule_code, organization_id=organization_id,
        severity=severity, status=Status.TERBUKA.value, findings=findings, opened_at=now, last_scan_at=now,
        updated_at=now).on_conflict_do_nothing(index_elements=["package_id", "rule_code"])).rowcount
    if not inserted:
        return model.Session.execute(sa.select(ticket.c.id).where(
            ticket.c.package_id == package_id, ticket.c.rule_code == rule_code)).scalar_one()
    _event(ticket_id, None, Status.TERBUKA.value, Via.SCAN, actor_id, now)
    return ticket_id


def refresh_ticket(ticket_id: str, organization_id: str | None, severity: str, findings: list[dict[str, Any]] | None,
                   now: dt.datetime) -> None:
    """A scan saw the ticket again: its OPD (the dataset may have moved), severity and findings follow."""
    values: dict[str, Any] = {"organization_id": organization_id, "severity": severity, "last_scan_at": now}
    if findings is not None:
        values["findings"] = findings
    model.Session.execute(ticket.update().where(ticket.c.id == ticket_id).values(**values))


def touch_tickets(ticket_ids: Iterable[str], now: dt.datetime) -> None:
    """Tickets a scan saw unchanged: only ``last_scan_at`` moves, in one statement."""
    ids = list(ticket_ids)
    if ids:
        model.Session.execute(ticket.update().where(ticket.c.id.in_(ids)).values(last_scan_at=now))


def set_status(ticket_id: str, from_status: str, to_status: Status, via: Via, actor_id: str | None,
               now: dt.datetime) -> None:
    values: dict[str, Any] = {"status": to_status.value, "updated_at": now,
                              "closed_at": now if to_status is Status.SELESAI else None}
    if from_status == Status.SELESAI.value and to_status is Status.TERBUKA:
        values["opened_at"] = now  # a reopened fault is a new repair: its age starts again
    model.Session.execute(ticket.update().where(ticket.c.id == ticket_id).values(**values))
    _event(ticket_id, from_status, to_status.value, via, actor_id, now)


def add_comment(ticket_id: str, author_id: str | None, text: str, now: dt.datetime) -> str:
    comment_id = str(uuid.uuid4())
    model.Session.execute(ticket_comment.insert().values(id=comment_id, ticket_id=ticket_id, author_id=author_id,
                                                         text=text, created=now))
    model.Session.execute(ticket.update().where(ticket.c.id == ticket_id).values(updated_at=now))
    return comment_id


def _with_user(table: sa.Table, column: str, ticket_id: str) -> list[dict[str, Any]]:
    query = (sa.select(table, model.User.name.label("user_name"), model.User.fullname.label("user_fullname"))
             .outerjoin(model.User, model.User.id == table.c[column])
             .where(table.c.ticket_id == ticket_id).order_by(table.c.created, table.c.id))
    return [dict(r) for r in model.Session.execute(query).mappings()]


def events(ticket_id: str) -> list[dict[str, Any]]:
    return _with_user(ticket_event, "actor_id", ticket_id)


def comments(ticket_id: str) -> list[dict[str, Any]]:
    return _with_user(ticket_comment, "author_id", ticket_id)


def query_tickets(*, organization_ids: Iterable[str] | None, status: str | None = None,
                  severity: str | None = None, rule_code: str | None = None,
                  package_id: str | None = None, light: bool = False) -> list[dict[str, Any]]:
    """Tickets of active datasets with their dataset's name/title and OPD's name/title, newest fault first.

    ``organization_ids`` None: every OPD; an empty list: none. ``light``: only the ticket's id, dataset,
    rule, status and OPD (what an aggregate needs: no findings to decode, a tenth of the time at 12,000)."""
    columns = ((ticket.c.id, ticket.c.package_id, ticket.c.rule_code, ticket.c.status, ticket.c.organization_id)
               if light else (ticket, model.Package.name.label("package_name"),
                              model.Package.title.label("package_title"),
                              model.Package.private.label("package_private")))
    query = (sa.select(*columns,
                       model.Group.name.label("organization_name"), model.Group.title.label("organization_title"))
             .join(model.Package, model.Package.id == ticket.c.package_id)
             .outerjoin(model.Group, model.Group.id == ticket.c.organization_id)
             .where(model.Package.state == "active")
             .order_by(ticket.c.opened_at.desc(), ticket.c.id))
    if organization_ids is not None:
        ids = list(organization_ids)
        if not ids:
            return []
        query = query.where(ticket.c.organization_id.in_(ids))
    for column, value in ((ticket.c.status, status), (ticket.c.severity, severity), (ticket.c.rule_code, rule_code),
                          (ticket.c.package_id, package_id)):
        if value:
            query = query.where(column == value)
    return [dict(r) for r in model.Session.execute(query).mappings()]


def open_ticket_datasets(package_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """(package_id, OPD name, status) of the active datasets (of ``package_ids``, None: any) with a *terbuka*
    or *dikerjakan* ticket, each pair once: what an aggregate needs, without the tickets' findings."""
    query = (sa.select(ticket.c.package_id, model.Group.name.label("organization"), ticket.c.status)
             .join(model.Package, model.Package.id == ticket.c.package_id)
             .outerjoin(model.Group, model.Group.id == ticket.c.organization_id)
             .where(model.Package.state == "active", ticket.c.status.in_(("terbuka", "dikerjakan")))
             .distinct().order_by(ticket.c.package_id, ticket.c.status))
    if package_ids is not None:
        query = query.where(ticket.c.package_id.in_(list(package_ids)))
    return [dict(r) for r in model.Session.execute(query).mappings()]


_KPI_SQL = sa.text("""
WITH v AS (
  SELECT t.id, coalesce(g.name, '') AS org, coalesce(g.title, '') AS org_title
  FROM satudata_quality.ticket t
  JOIN package p ON p.id = t.package_id AND p.state = 'active'
  LEFT JOIN "group" g ON g.id = t.organization_id
  WHERE (CAST(:ids AS text[]) IS NULL OR t.id = ANY(CAST(:ids AS text[])))
), ev AS (
  -- each event with the first closing after it (events in (created, id) order, as they were written)
  SELECT e.ticket_id, e.created, e.from_status, e.to_status,
         min(e.created) FILTER (WHERE e.to_status = 'selesai') OVER (
           PARTITION BY e.ticket_id ORDER BY e.created, e.id
           ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS closed
  FROM satudata_quality.ticket_event e JOIN v ON v.id = e.ticket_id
  WHERE e.created >= :since
)
SELECT to_char(ev.created, 'YYYY-MM') AS month, v.org, v.org_title, count(*) AS opened,
       count(*) FILTER (WHERE ev.closed IS NOT NULL AND ev.closed - ev.created <= :target) AS in_time,
       count(*) FILTER (WHERE ev.closed IS NULL AND :now - ev.created < :target) AS pending
FROM ev JOIN v ON v.id = ev.ticket_id
WHERE ev.to_status = 'terbuka' AND (ev.from_status IS NULL OR ev.from_status = 'selesai')
GROUP BY 1, 2, 3
""")


def kpi_cells(ticket_ids: Iterable[str] | None, since: dt.datetime, target: dt.timedelta,
              now: dt.datetime) -> list[dict[str, Any]]:
    """The repair KPI counted in the database, per (month opened, OPD name): ``opened`` (each opening of a
    ticket of an active dataset, first or reopening, from ``since``), ``in_time`` (closed by the first closing
    after it within ``target``), ``pending`` (still open, younger than ``target``), with the OPD's title.
    ``ticket_ids``: the tickets counted (None: every one). An opening before ``since`` is not counted and a
    closing pairs with the opening just before it, so the events before ``since`` are not read."""
    ids = None if ticket_ids is None else list(ticket_ids)
    rows = model.Session.execute(_KPI_SQL, {"ids": ids, "since": since, "target": target, "now": now})
    return [dict(r) for r in rows.mappings()]


def status_events(ticket_ids: Iterable[str], since: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Status changes of the given tickets (from ``since`` on), oldest first (for the KPI)."""
    ids = list(ticket_ids)
    if not ids:
        return []
    query = (sa.select(ticket_event.c.ticket_id, ticket_event.c.from_status, ticket_event.c.to_status,
                       ticket_event.c.created)
             .where(ticket_event.c.ticket_id.in_(ids)).order_by(ticket_event.c.ticket_id, ticket_event.c.created,
                                                                 ticket_event.c.id))
    if since is not None:
        query = query.where(ticket_event.c.created >= since)
    return [dict(r) for r in model.Session.execute(query).mappings()]
