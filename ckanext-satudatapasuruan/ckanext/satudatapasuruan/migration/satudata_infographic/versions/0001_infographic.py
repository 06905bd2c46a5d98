"""Infographics: the official templates (data, approved by the walidata) and the QR short links.

Revision ID: 0001
Revises:
Create Date: 2026-12-10
"""
from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE satudata_infographic.template (
            id text PRIMARY KEY,
            name text NOT NULL UNIQUE,
            title text NOT NULL,
            layout text NOT NULL CHECK (layout IN ('portrait', 'landscape')),
            width integer NOT NULL CHECK (width > 0),
            height integer NOT NULL CHECK (height > 0),
            web_dpi integer NOT NULL DEFAULT 150,
            print_dpi integer NOT NULL DEFAULT 300,
            header_text text NOT NULL,
            footer_text text NOT NULL DEFAULT '',
            header_background text NOT NULL,
            header_color text NOT NULL,
            accent_color text NOT NULL,
            approved boolean NOT NULL DEFAULT false,
            approved_by text,
            approved_at timestamp without time zone,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            updated timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc')
        )""")
    # One row per infographic dataset, keyed by the dataset's id: renames and edits never touch the code.
    op.execute("""
        CREATE TABLE satudata_infographic.link (
            code text PRIMARY KEY,
            package_id text NOT NULL UNIQUE,
            template_id text REFERENCES satudata_infographic.template (id),
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            published timestamp without time zone,
            scans bigint NOT NULL DEFAULT 0,
            last_scan timestamp without time zone
        )""")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_infographic.link")
    op.execute("DROP TABLE satudata_infographic.template")
