"""Slimmer index rows: hot filter fields as columns, long text values apart.

The visibility filters every search carries (site, state, capacity, permission
labels) get real columns with planner statistics, and analysed text-field values
move from ``terms`` to ``texts`` so ``terms`` stays small enough to be read
without decompression.  The index is derived data: the table is recreated empty;
run ``ckan search-index rebuild`` afterwards.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_INDEXES = (
    "CREATE UNIQUE INDEX document_rid_idx ON satudata_search.document (rid)",
    "CREATE INDEX document_terms_idx ON satudata_search.document USING gin (terms jsonb_path_ops)",
    "CREATE INDEX document_tsv_idx ON satudata_search.document USING gin (tsv)",
)


def upgrade() -> None:
    op.execute("DROP TABLE satudata_search.document")
    op.execute("""
        CREATE TABLE satudata_search.document (
            index_id text PRIMARY KEY,
            rid bigserial NOT NULL,
            site_id text NOT NULL,
            state text,
            capacity text,
            permission_labels text[] NOT NULL DEFAULT '{}',
            terms jsonb NOT NULL,
            texts jsonb NOT NULL,
            tsv tsvector NOT NULL,
            doc jsonb NOT NULL
        )""")
    for statement in _INDEXES:
        op.execute(statement)
    op.execute("CREATE INDEX document_labels_idx ON satudata_search.document USING gin (permission_labels)")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_search.document")
    op.execute("""
        CREATE TABLE satudata_search.document (
            index_id text PRIMARY KEY, rid bigserial NOT NULL, site_id text NOT NULL,
            doc jsonb NOT NULL, terms jsonb NOT NULL, tsv tsvector NOT NULL)""")
    for statement in _INDEXES:
        op.execute(statement)
