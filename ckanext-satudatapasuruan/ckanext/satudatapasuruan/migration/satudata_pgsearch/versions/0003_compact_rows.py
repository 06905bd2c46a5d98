"""Compact index rows: what every search reads stays inline and uncompressed.

Measured at 100k datasets, decompressing ``terms`` once per facet, sort key and
filter cost more than the rest of a search.  Long values move to ``bulky``;
``terms`` and the small ranking vector ``head`` (title, name, tags, groups,
organisation) are stored MAIN so PostgreSQL compresses or moves the big columns
(``tsv``, ``doc``) first.  The index is derived data: the table is recreated
empty; run ``ckan satudata-search rebuild`` afterwards.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


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
            head tsvector NOT NULL,
            bulky jsonb NOT NULL,
            texts jsonb NOT NULL,
            tsv tsvector NOT NULL,
            doc jsonb NOT NULL
        )""")
    op.execute("ALTER TABLE satudata_search.document ALTER COLUMN terms SET STORAGE MAIN")
    op.execute("ALTER TABLE satudata_search.document ALTER COLUMN head SET STORAGE MAIN")
    op.execute("CREATE UNIQUE INDEX document_rid_idx ON satudata_search.document (rid)")
    op.execute("CREATE INDEX document_terms_idx ON satudata_search.document USING gin (terms jsonb_path_ops)")
    op.execute("CREATE INDEX document_bulky_idx ON satudata_search.document USING gin (bulky jsonb_path_ops)")
    op.execute("CREATE INDEX document_tsv_idx ON satudata_search.document USING gin (tsv)")
    op.execute("CREATE INDEX document_labels_idx ON satudata_search.document USING gin (permission_labels)")


def downgrade() -> None:
    op.execute("ALTER TABLE satudata_search.document DROP COLUMN head, DROP COLUMN bulky")
    op.execute("ALTER TABLE satudata_search.document ALTER COLUMN terms SET STORAGE EXTENDED")
