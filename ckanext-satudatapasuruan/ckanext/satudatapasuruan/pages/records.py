"""The content pages' tables (schema ``satudata_pages``): pages and their attachments.

Kept out of CKAN's own metadata like the other plugins' tables, so that ``clean_db`` and ``db init`` leave
them alone; migrations in ``migration/satudata_pages``. Only this module reads and writes them; callers
commit.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model

__all__ = ["page", "attachment", "SECTIONS", "MAIN_SECTIONS", "PAGE_FIELDS", "get_page", "pages",
           "insert_page", "update_page", "delete_page", "get_attachment", "attachments", "insert_attachment",
           "delete_attachment", "stored_names", "ATTACHMENT_FIELDS"]

_meta = sa.MetaData(schema="satudata_pages")

page = sa.Table(
    "page", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("slug", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("section", sa.Text, nullable=False),
    sa.Column("order", sa.Integer, nullable=False),
    sa.Column("published", sa.Boolean, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.Text),
)

attachment = sa.Table(
    "attachment", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("page_id", sa.Text, sa.ForeignKey("satudata_pages.page.id", ondelete="CASCADE"), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("stored_name", sa.Text),
    sa.Column("filename", sa.Text),
    sa.Column("mimetype", sa.Text),
    sa.Column("size", sa.BigInteger),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("order", sa.Integer, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text),
)

# The menus of the public portal, in menu order; "lainnya" pages are reached by their own address only.
SECTIONS = ("tentang", "kontak", "panduan", "lainnya")
MAIN_SECTIONS = ("tentang", "kontak", "panduan")
PAGE_FIELDS = ("slug", "title", "body", "section", "order", "published")
ATTACHMENT_FIELDS = ("title", "kind", "url", "stored_name", "filename", "mimetype", "size", "description",
                     "order")


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def _row(row) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in dict(row).items()}


# --- pages ------------------------------------------------------------------------------------------------

def get_page(id_or_slug: str) -> dict[str, Any] | None:
    query = sa.select(page).where(sa.or_(page.c.id == id_or_slug, page.c.slug == id_or_slug))
    return _row(model.Session.execute(query).mappings().first())


def pages(section: str | None = None, published_only: bool = True) -> list[dict[str, Any]]:
    query = sa.select(page).order_by(page.c.section, page.c.order, page.c.title)
    if section:
        query = query.where(page.c.section == section)
    if published_only:
        query = query.where(page.c.published.is_(True))
    return [_row(r) for r in model.Session.execute(query).mappings()]


def insert_page(values: dict[str, Any], user_id: str | None) -> str:
    page_id = str(uuid.uuid4())
    now = _now()
    model.Session.execute(page.insert().values(id=page_id, created=now, updated=now, updated_by=user_id,
                                               **{k: values[k] for k in PAGE_FIELDS}))
    return page_id


def update_page(page_id: str, values: dict[str, Any], user_id: str | None) -> None:
    model.Session.execute(page.update().where(page.c.id == page_id).values(
        updated=_now(), updated_by=user_id, **{k: values[k] for k in PAGE_FIELDS if k in values}))


def delete_page(page_id: str) -> None:
    """The page and (by the foreign key) its attachments' rows; the caller removes their files."""
    model.Session.execute(page.delete().where(page.c.id == page_id))


# --- attachments ------------------------------------------------------------------------------------------

def get_attachment(attachment_id: str) -> dict[str, Any] | None:
    return _row(model.Session.execute(
        sa.select(attachment).where(attachment.c.id == attachment_id)).mappings().first())


def attachments(page_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """{page id: its attachments in order}, for many pages in one query."""
    out: dict[str, list[dict[str, Any]]] = {pid: [] for pid in page_ids}
    if not page_ids:
        return out
    query = (sa.select(attachment).where(attachment.c.page_id.in_(page_ids))
             .order_by(attachment.c.order, attachment.c.title, attachment.c.created))
    for row in model.Session.execute(query).mappings():
        out[row["page_id"]].append(_row(row))
    return out


def insert_attachment(page_id: str, values: dict[str, Any], user_id: str | None) -> str:
    attachment_id = str(uuid.uuid4())
    model.Session.execute(attachment.insert().values(
        id=attachment_id, page_id=page_id, created=_now(), created_by=user_id,
        **{k: values.get(k) for k in ATTACHMENT_FIELDS}))
    return attachment_id


def delete_attachment(attachment_id: str) -> None:
    model.Session.execute(attachment.delete().where(attachment.c.id == attachment_id))


def stored_names(page_id: str) -> list[str]:
    """The stored files of a page's attachments (removed from storage with the page)."""
    return list(model.Session.execute(sa.select(attachment.c.stored_name).where(
        attachment.c.page_id == page_id, attachment.c.stored_name.is_not(None))).scalars())
