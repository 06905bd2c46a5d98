"""Pending revisions of published datasets: the proposed version, held until both reviews pass.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE satudata_workflow.revision (
            id text PRIMARY KEY,
            package_id text NOT NULL,
            state text NOT NULL,
            data jsonb NOT NULL,
            proposed jsonb NOT NULL,
            created_by text,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            updated timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc')
        )""")
    op.execute("CREATE INDEX revision_package_idx ON satudata_workflow.revision (package_id, created DESC)")
    # At most one revision under review per dataset.
    op.execute("CREATE UNIQUE INDEX revision_open_idx ON satudata_workflow.revision (package_id) "
               "WHERE state IN ('diajukan', 'diverifikasi_opd')")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_workflow.revision")
