"""Create the embedded search index: schema, text search configuration, document table.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""
from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS satudata_search")
    # unaccent is a trusted extension: the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    dict_schema = op.get_bind().exec_driver_sql(
        "SELECT n.nspname FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace "
        "WHERE d.dictname = 'unaccent'").scalar()
    op.execute("CREATE TEXT SEARCH CONFIGURATION satudata_search.satudata_id (COPY = pg_catalog.indonesian)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION satudata_search.satudata_id "
        f"ALTER MAPPING FOR hword, hword_part, word WITH {dict_schema}.unaccent, indonesian_stem")
    op.execute("""
        CREATE TABLE satudata_search.document (
            index_id text PRIMARY KEY,
            rid bigserial NOT NULL,
            site_id text NOT NULL,
            doc jsonb NOT NULL,
            terms jsonb NOT NULL,
            tsv tsvector NOT NULL
        )""")
    op.execute("CREATE UNIQUE INDEX document_rid_idx ON satudata_search.document (rid)")
    op.execute("CREATE INDEX document_terms_idx ON satudata_search.document USING gin (terms jsonb_path_ops)")
    op.execute("CREATE INDEX document_tsv_idx ON satudata_search.document USING gin (tsv)")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_search.document")
    op.execute("DROP TEXT SEARCH CONFIGURATION satudata_search.satudata_id")
