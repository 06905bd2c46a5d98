"""Content pages (Tentang, Kontak, Panduan) and their attachments (uploaded files or external links).

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""
from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE satudata_pages.page (
            id text PRIMARY KEY,
            slug text NOT NULL UNIQUE,
            title text NOT NULL,
            body text NOT NULL DEFAULT '',
            section text NOT NULL CHECK (section IN ('tentang', 'kontak', 'panduan', 'lainnya')),
            "order" integer NOT NULL DEFAULT 0,
            published boolean NOT NULL DEFAULT false,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            updated timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            updated_by text
        )""")
    op.execute('CREATE INDEX page_section_order ON satudata_pages.page (section, "order", title)')
    # A file (stored_name: the uploader's name in storage, filename: what the visitor downloads) or a link.
    op.execute("""
        CREATE TABLE satudata_pages.attachment (
            id text PRIMARY KEY,
            page_id text NOT NULL REFERENCES satudata_pages.page (id) ON DELETE CASCADE,
            title text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('file', 'link')),
            url text,
            stored_name text,
            filename text,
            mimetype text,
            size bigint,
            description text NOT NULL DEFAULT '',
            "order" integer NOT NULL DEFAULT 0,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            created_by text,
            CHECK ((kind = 'file') = (stored_name IS NOT NULL)),
            CHECK ((kind = 'link') = (url IS NOT NULL))
        )""")
    op.execute('CREATE INDEX attachment_page_order ON satudata_pages.attachment (page_id, "order", title)')


def downgrade() -> None:
    op.execute("DROP TABLE satudata_pages.attachment")
    op.execute("DROP TABLE satudata_pages.page")
