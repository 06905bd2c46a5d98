"""Let index rows grow to 4 KB before PostgreSQL compresses them.

With the default 2 KB target the toaster compressed ``terms`` in 99 % of rows at
100k datasets (the row was a few bytes over after moving ``tsv`` and ``doc``
out), and every facet, sort key and filter paid a decompression.  Existing rows
are rewritten by the next ``ckan satudata-search rebuild``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE satudata_search.document SET (toast_tuple_target = 4080)")


def downgrade() -> None:
    op.execute("ALTER TABLE satudata_search.document RESET (toast_tuple_target)")
