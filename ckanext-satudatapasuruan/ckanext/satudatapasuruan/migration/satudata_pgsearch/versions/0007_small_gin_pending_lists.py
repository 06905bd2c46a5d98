"""Small GIN pending lists: every search reads the whole list, and the planner prices it in.

With the default 4 MB list (``fastupdate``), newly indexed documents wait in an unsorted list that
every scan of the index reads through until VACUUM or a full list merges it. Measured during a
harvest of 2,000 datasets (autovacuum off): a lookup by id read 380 pending pages, and because
each bitmap scan was priced with those pages the planner drove the lookup from
``entity_type=package`` (every row) instead of the two rare keys: 6-18 ms instead of 0.1 ms,
growing with every dataset added. 128 kB keeps the batching of inserts (the list is merged by the
insert that fills it) with at most 16 pages to read.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEXES = ("satudata_search.document_keys_idx", "satudata_search.document_tsv_idx")


def upgrade() -> None:
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} SET (gin_pending_list_limit = 128)")


def downgrade() -> None:
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (gin_pending_list_limit)")
