"""The index generation: a sequence every transaction that wrote index rows advances after its commit.

Searches read it (one function call in the statement they already send) to know whether a result they
cached is still current: the result cache of ``pgsearch/cache.py``, the embedded counterpart of Solr's
query-result cache, which Solr also throws away at every commit.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""
from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE IF NOT EXISTS satudata_search.generation")


def downgrade() -> None:
    op.execute("DROP SEQUENCE IF EXISTS satudata_search.generation")
