"""Exact filter keys: `field=value` tokens in a text[] column with a GIN that needs no recheck.

Measured at 100k datasets: `terms @> {...}` through the lossy `jsonb_path_ops` GIN made the
bitmap heap scan recheck every row, and the recheck repeats `tsv @@ query`, which decompresses
the row's out-of-line `tsv` (about 6 buffers per row). Containment on a text[] GIN is exact, so a
text query plus field filters is answered by the two indexes alone. The `permission_labels` GIN
goes: nearly every document is public, yet the planner chose it for broad searches over the text
index. The jsonb GINs on `terms`/`bulky` go too: nothing queries them any more (the `?` and
range conditions never used `jsonb_path_ops`; number fields, whose JSON form has no single text
spelling, are matched on `terms` row by row). Existing rows get their keys from `terms` and
`bulky` here; `ckan satudata-search rebuild` afterwards is recommended (it also compacts the table).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# Same tokens as engine.prepare_document: string values (strings, dates, booleans) of every
# field but the visibility columns, for field names without '=' (tests/pgsearch checks this).
BACKFILL = """
    UPDATE satudata_search.document d SET keys = coalesce((
        SELECT array_agg(DISTINCT e.k || '=' || (v #>> '{}'))
        FROM jsonb_each(d.terms || d.bulky) e(k, vals),
             jsonb_array_elements(CASE jsonb_typeof(e.vals) WHEN 'array' THEN e.vals ELSE '[]' END) v
        WHERE jsonb_typeof(v) = 'string' AND strpos(e.k, '=') = 0
          AND e.k NOT IN ('site_id', 'state', 'capacity', 'permission_labels')), '{}')"""


def upgrade() -> None:
    op.execute("DROP INDEX satudata_search.document_labels_idx")
    op.execute("DROP INDEX satudata_search.document_terms_idx")
    op.execute("DROP INDEX satudata_search.document_bulky_idx")
    op.execute("ALTER TABLE satudata_search.document ADD COLUMN keys text[] NOT NULL DEFAULT '{}'")
    op.execute(BACKFILL)
    op.execute("CREATE INDEX document_keys_idx ON satudata_search.document USING gin (keys)")


def downgrade() -> None:
    op.execute("CREATE INDEX document_terms_idx ON satudata_search.document USING gin (terms jsonb_path_ops)")
    op.execute("CREATE INDEX document_bulky_idx ON satudata_search.document USING gin (bulky jsonb_path_ops)")
    op.execute("CREATE INDEX document_labels_idx ON satudata_search.document USING gin (permission_labels)")
    op.execute("ALTER TABLE satudata_search.document DROP COLUMN keys")
