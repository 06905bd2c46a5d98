"""The feedback plugin's tables (schema ``satudata_feedback``): data requests and their history, ratings,
daily usage counts. Kept out of CKAN's own metadata like the workflow's tables; migrations in
``migration/satudata_feedback``. Only this module writes them; callers commit."""
from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert as pg_insert

__all__ = ["Status", "CommentStatus", "request", "request_history", "rating", "usage_daily", "usage_flush",
           "new_request", "get_request", "set_status", "history", "search_requests", "request_counts",
           "add_rating", "get_rating", "moderate", "rating_summary", "comments", "usage_rows", "apply_usage",
           "batch_applied", "public_package_ids"]

_meta = sa.MetaData(schema="satudata_feedback")


class Status(str, enum.Enum):
    DITERIMA = "diterima"
    DITERUSKAN = "diteruskan"
    DIPROSES = "diproses"
    TERSEDIA = "tersedia"
    DITOLAK = "ditolak"


class CommentStatus(str, enum.Enum):
    TANPA = "tanpa"  # a rating without a comment
    MENUNGGU = "menunggu"
    DISETUJUI = "disetujui"
    DITOLAK = "ditolak"


request = sa.Table(
    "request", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("nomor", sa.Text, nullable=False, unique=True),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("tujuan", sa.Text, nullable=False),
    sa.Column("nama", sa.Text, nullable=False),
    sa.Column("email", sa.Text, nullable=False),
    sa.Column("telepon", sa.Text, nullable=False),
    sa.Column("usulan_organization_id", sa.Text),
    sa.Column("organization_id", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("package_id", sa.Text),
    sa.Column("alasan", sa.Text, nullable=False),
    sa.Column("user_id", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
)

request_history = sa.Table(
    "request_history", _meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("request_id", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("actor_id", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
)

rating = sa.Table(
    "rating", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("package_id", sa.Text),
    sa.Column("rating", sa.SmallInteger, nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("comment_status", sa.Text, nullable=False),
    sa.Column("client_key", sa.Text, nullable=False),
    sa.Column("user_id", sa.Text),
    sa.Column("moderated_by", sa.Text),
    sa.Column("moderated_at", sa.DateTime),
    sa.Column("created", sa.DateTime, nullable=False),
)

usage_daily = sa.Table(
    "usage_daily", _meta,
    sa.Column("package_id", sa.Text, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("count", sa.BigInteger, nullable=False),
)

usage_flush = sa.Table(
    "usage_flush", _meta,
    sa.Column("batch", sa.Text, primary_key=True),
    sa.Column("flushed", sa.DateTime, nullable=False),
)


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def _row(row) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: v.isoformat() if isinstance(v, (dt.datetime, dt.date)) else v for k, v in dict(row).items()}


# --- data requests ----------------------------------------------------------------------------------------

def new_request(values: dict[str, Any], actor_id: str | None) -> dict[str, Any]:
    now = _now()
    seq = model.Session.execute(sa.text("SELECT nextval('satudata_feedback.request_number')")).scalar_one()
    request_id = str(uuid.uuid4())
    model.Session.execute(request.insert().values(
        id=request_id, nomor=f"PD-{now.year}-{seq:06d}", status=Status.DITERIMA.value, alasan="",
        user_id=actor_id, created=now, updated=now, organization_id=None, package_id=None, **values))
    model.Session.execute(request_history.insert().values(
        request_id=request_id, status=Status.DITERIMA.value, note="", actor_id=actor_id, created=now))
    return get_request(request_id)


def get_request(nomor_or_id: str) -> dict[str, Any] | None:
    key = (nomor_or_id or "").strip()
    query = sa.select(request).where(sa.or_(request.c.id == key, request.c.nomor == key.upper()))
    return _row(model.Session.execute(query).mappings().first())


def set_status(request_id: str, status: Status, actor_id: str | None, note: str, **values: Any) -> None:
    now = _now()
    model.Session.execute(request.update().where(request.c.id == request_id).values(
        status=status.value, updated=now, **values))
    model.Session.execute(request_history.insert().values(
        request_id=request_id, status=status.value, note=note, actor_id=actor_id, created=now))


def history(request_id: str) -> list[dict[str, Any]]:
    query = (sa.select(request_history).where(request_history.c.request_id == request_id)
             .order_by(request_history.c.created, request_history.c.id))
    return [_row(r) for r in model.Session.execute(query).mappings()]


def _filtered(q: str, status: str, organization_id: str) -> list:
    where = []
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(sa.or_(request.c.data.ilike(pattern), request.c.tujuan.ilike(pattern),
                            request.c.nomor.ilike(pattern)))
    if status:
        where.append(request.c.status == status)
    if organization_id:
        where.append(request.c.organization_id == organization_id)
    return where


def search_requests(q: str = "", status: str = "", organization_id: str = "", limit: int = 20,
                    offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    where = _filtered(q, status, organization_id)
    count = model.Session.execute(sa.select(sa.func.count()).select_from(request).where(*where)).scalar_one()
    rows = model.Session.execute(sa.select(request).where(*where).order_by(request.c.created.desc(),
                                 request.c.nomor.desc()).limit(limit).offset(offset)).mappings()
    return count, [_row(r) for r in rows]


def request_counts() -> list[dict[str, Any]]:
    query = (sa.select(request.c.organization_id, request.c.status, sa.func.count().label("count"))
             .group_by(request.c.organization_id, request.c.status))
    return [dict(r) for r in model.Session.execute(query).mappings()]


# --- ratings ----------------------------------------------------------------------------------------------

def add_rating(package_id: str | None, value: int, comment: str, client: str, user_id: str | None) -> dict:
    rating_id = str(uuid.uuid4())
    model.Session.execute(rating.insert().values(
        id=rating_id, package_id=package_id, rating=value, comment=comment, client_key=client, user_id=user_id,
        comment_status=(CommentStatus.MENUNGGU if comment else CommentStatus.TANPA).value, created=_now()))
    return get_rating(rating_id)


def get_rating(rating_id: str) -> dict[str, Any] | None:
    return _row(model.Session.execute(sa.select(rating).where(rating.c.id == rating_id)).mappings().first())


def moderate(rating_id: str, status: CommentStatus, actor_id: str | None) -> None:
    model.Session.execute(rating.update().where(rating.c.id == rating_id).values(
        comment_status=status.value, moderated_by=actor_id, moderated_at=_now()))


def _public_packages():
    return sa.select(model.Package.id).where(model.Package.state == "active", model.Package.private.is_(False))


def public_package_ids(organization_id: str | None = None) -> Any:
    query = _public_packages()
    if organization_id:
        query = query.where(model.Package.owner_org == organization_id)
    return query


def rating_summary(package_id: str | None = None, organization_id: str | None = None,
                   portal: bool = False) -> dict[str, Any]:
    """Count, average and distribution of the ratings of one dataset, of the public datasets of one OPD,
    of the portal itself (``portal``), or of all public datasets (neither)."""
    query = sa.select(rating.c.rating, sa.func.count().label("n")).group_by(rating.c.rating)
    if package_id:
        query = query.where(rating.c.package_id == package_id)
    elif organization_id:
        query = query.where(rating.c.package_id.in_(public_package_ids(organization_id)))
    elif portal:
        query = query.where(rating.c.package_id.is_(None))
    else:
        query = query.where(rating.c.package_id.in_(_public_packages()))
    distribution = {str(v): 0 for v in range(1, 6)}
    for value, n in model.Session.execute(query).all():
        distribution[str(value)] = int(n)
    count = sum(distribution.values())
    total = sum(int(v) * n for v, n in distribution.items())
    return {"count": count, "average": round(total / count, 2) if count else None, "distribution": distribution}


def rating_summaries_by_organization() -> dict[str, dict[str, Any]]:
    """{OPD id: count, average and distribution of the ratings of its public datasets}, for every OPD with a
    rating, in one query."""
    query = (sa.select(model.Package.owner_org, rating.c.rating, sa.func.count().label("n"))
             .join(model.Package, model.Package.id == rating.c.package_id)
             .where(model.Package.state == "active", model.Package.private.is_(False),
                    model.Package.owner_org.isnot(None))
             .group_by(model.Package.owner_org, rating.c.rating))
    distributions: dict[str, dict[str, int]] = {}
    for org_id, value, n in model.Session.execute(query).all():
        distributions.setdefault(org_id, {str(v): 0 for v in range(1, 6)})[str(value)] = int(n)
    out = {}
    for org_id, distribution in distributions.items():
        count = sum(distribution.values())
        total = sum(int(v) * n for v, n in distribution.items())
        out[org_id] = {"count": count, "average": round(total / count, 2) if count else None,
                       "distribution": distribution}
    return out


def comments(package_id: str | None, status: CommentStatus, portal_only: bool, limit: int,
             offset: int) -> tuple[int, list[dict[str, Any]]]:
    where = [rating.c.comment_status == status.value]
    if package_id:
        where.append(rating.c.package_id == package_id)
    elif portal_only:
        where.append(rating.c.package_id.is_(None))
    count = model.Session.execute(sa.select(sa.func.count()).select_from(rating).where(*where)).scalar_one()
    rows = model.Session.execute(sa.select(rating).where(*where).order_by(rating.c.created.desc(), rating.c.id)
                                 .limit(limit).offset(offset)).mappings()
    return count, [_row(r) for r in rows]


# --- usage ------------------------------------------------------------------------------------------------

def usage_rows(package_ids: list[str] | None, organization_id: str | None, date_from: dt.date | None,
               date_to: dt.date | None) -> list[tuple[str, str, int]]:
    """(package_id, kind, count) summed over the day range."""
    query = (sa.select(usage_daily.c.package_id, usage_daily.c.kind, sa.func.sum(usage_daily.c.count))
             .group_by(usage_daily.c.package_id, usage_daily.c.kind))
    if package_ids is not None:
        query = query.where(usage_daily.c.package_id.in_(package_ids))
    if organization_id:
        query = query.where(usage_daily.c.package_id.in_(
            sa.select(model.Package.id).where(model.Package.owner_org == organization_id)))
    if date_from:
        query = query.where(usage_daily.c.day >= date_from)
    if date_to:
        query = query.where(usage_daily.c.day <= date_to)
    return [(p, k, int(n)) for p, k, n in model.Session.execute(query).all()]


def batch_applied(batch: str) -> bool:
    return model.Session.execute(sa.select(usage_flush.c.batch).where(usage_flush.c.batch == batch)).first() \
        is not None


def apply_usage(batch: str, counts: list[tuple[str, dt.date, str, int]]) -> None:
    """Add one Redis batch's counts and remember the batch, in the caller's transaction."""
    for package_id, day, kind, n in counts:
        stmt = pg_insert(usage_daily).values(package_id=package_id, day=day, kind=kind, count=n)
        model.Session.execute(stmt.on_conflict_do_update(
            index_elements=[usage_daily.c.package_id, usage_daily.c.day, usage_daily.c.kind],
            set_={"count": usage_daily.c.count + stmt.excluded.count}))
    model.Session.execute(usage_flush.insert().values(batch=batch, flushed=_now()))
