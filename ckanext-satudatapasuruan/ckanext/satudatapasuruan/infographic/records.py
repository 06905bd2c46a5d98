"""The infographic plugin's tables (schema ``satudata_infographic``): templates and QR short links.

Kept out of CKAN's own metadata, like the workflow's tables, so that ``clean_db`` and ``db init`` leave
them alone; migrations in ``migration/satudata_infographic``. Only this module writes them.
"""
from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert as pg_insert

__all__ = ["template", "link", "CODE_ALPHABET", "CODE_LENGTH", "DEFAULT_TEMPLATES", "new_code", "normalize_code",
           "get_template", "templates", "insert_template", "update_template", "approve_template",
           "link_of", "link_by_code", "ensure_link", "set_link_template", "mark_published", "count_scan",
           "TEMPLATE_FIELDS"]

_meta = sa.MetaData(schema="satudata_infographic")

template = sa.Table(
    "template", _meta,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("layout", sa.Text, nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("web_dpi", sa.Integer, nullable=False),
    sa.Column("print_dpi", sa.Integer, nullable=False),
    sa.Column("header_text", sa.Text, nullable=False),
    sa.Column("footer_text", sa.Text, nullable=False),
    sa.Column("header_background", sa.Text, nullable=False),
    sa.Column("header_color", sa.Text, nullable=False),
    sa.Column("accent_color", sa.Text, nullable=False),
    sa.Column("approved", sa.Boolean, nullable=False),
    sa.Column("approved_by", sa.Text),
    sa.Column("approved_at", sa.DateTime),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
)

link = sa.Table(
    "link", _meta,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("package_id", sa.Text, nullable=False, unique=True),
    sa.Column("template_id", sa.Text),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("published", sa.DateTime),
    sa.Column("scans", sa.BigInteger, nullable=False),
    sa.Column("last_scan", sa.DateTime),
)

# The design fields a walidata sets (everything but identity, approval and times).
TEMPLATE_FIELDS = ("name", "title", "layout", "width", "height", "web_dpi", "print_dpi", "header_text",
                   "footer_text", "header_background", "header_color", "accent_color")

# Crockford-like: digits and capitals without 0/O, 1/I/L and U, so a code read aloud or typed from print
# cannot be mistaken; 30**7 (2 * 10**10) codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 7

_PORTAL = "Portal Satu Data Kabupaten Pasuruan"
DEFAULT_TEMPLATES: tuple[dict[str, Any], ...] = (
    {"name": "media-sosial", "title": "Media sosial", "layout": "portrait", "width": 1080, "height": 1350,
     "web_dpi": 150, "print_dpi": 300, "header_text": _PORTAL,
     "footer_text": "Walidata: Diskominfo Kabupaten Pasuruan · Satu Data Indonesia",
     "header_background": "#0b4f6c", "header_color": "#ffffff", "accent_color": "#f2a900"},
    # A4 landscape (297 x 210 mm): 1754 x 1240 px at 150 dpi on screen, drawn again at 300 dpi for print.
    {"name": "cetak", "title": "Cetak", "layout": "landscape", "width": 1754, "height": 1240,
     "web_dpi": 150, "print_dpi": 300, "header_text": _PORTAL,
     "footer_text": "Walidata: Diskominfo Kabupaten Pasuruan · Satu Data Indonesia",
     "header_background": "#0b4f6c", "header_color": "#ffffff", "accent_color": "#f2a900"},
)


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def _row(row) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in dict(row).items()}


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    """Codes are matched case-insensitively (people type them from print)."""
    return (code or "").strip().upper()


# --- templates --------------------------------------------------------------------------------------------

def get_template(id_or_name: str) -> dict[str, Any] | None:
    query = sa.select(template).where(sa.or_(template.c.id == id_or_name, template.c.name == id_or_name))
    return _row(model.Session.execute(query).mappings().first())


def templates(approved_only: bool = False) -> list[dict[str, Any]]:
    query = sa.select(template).order_by(template.c.layout.desc(), template.c.name)
    if approved_only:
        query = query.where(template.c.approved.is_(True))
    return [_row(r) for r in model.Session.execute(query).mappings()]


def insert_template(values: dict[str, Any]) -> str:
    template_id = str(uuid.uuid4())
    now = _now()
    model.Session.execute(template.insert().values(
        id=template_id, approved=False, created=now, updated=now,
        **{k: values[k] for k in TEMPLATE_FIELDS}))
    return template_id


def update_template(template_id: str, values: dict[str, Any]) -> None:
    """Change a template's design; any change withdraws the walidata's approval."""
    model.Session.execute(template.update().where(template.c.id == template_id).values(
        approved=False, approved_by=None, approved_at=None, updated=_now(),
        **{k: values[k] for k in TEMPLATE_FIELDS if k in values}))


def approve_template(template_id: str, user_id: str | None) -> None:
    model.Session.execute(template.update().where(template.c.id == template_id).values(
        approved=True, approved_by=user_id, approved_at=_now()))


# --- short links ------------------------------------------------------------------------------------------

def link_of(package_id: str) -> dict[str, Any] | None:
    return _row(model.Session.execute(sa.select(link).where(link.c.package_id == package_id)).mappings().first())


def link_by_code(code: str) -> dict[str, Any] | None:
    return _row(model.Session.execute(
        sa.select(link).where(link.c.code == normalize_code(code))).mappings().first())


def ensure_link(package_id: str, template_id: str | None = None) -> dict[str, Any]:
    """The dataset's short link, created once (a new random code, retried on the rare collision)."""
    existing = link_of(package_id)
    if existing is not None:
        return existing
    for _attempt in range(10):
        stmt = pg_insert(link).values(code=new_code(), package_id=package_id, template_id=template_id,
                                      created=_now(), scans=0).on_conflict_do_nothing()
        if model.Session.execute(stmt).rowcount:
            break
    found = link_of(package_id)
    if found is None:  # ten collisions in a space of 2 * 10**10: the table is full or broken
        raise RuntimeError("no free infographic short code")
    return found


def set_link_template(package_id: str, template_id: str | None) -> None:
    model.Session.execute(link.update().where(link.c.package_id == package_id).values(template_id=template_id))


def mark_published(package_id: str) -> None:
    """Remember that the infographic was once public: its link then explains a withdrawal instead of a 404."""
    model.Session.execute(link.update().where(link.c.package_id == package_id, link.c.published.is_(None))
                          .values(published=_now()))


def count_scan(code: str) -> None:
    """One statement on the primary key; the caller commits (and survives its failure)."""
    model.Session.execute(link.update().where(link.c.code == code)
                          .values(scans=link.c.scans + 1, last_scan=_now()))
