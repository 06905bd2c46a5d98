"""Access requests to terbatas data: purpose, the OPD's decision, expiry and revocation.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE satudata_workflow.access_request (
            id text PRIMARY KEY,
            package_id text NOT NULL,
            user_id text NOT NULL,
            purpose text NOT NULL,
            state text NOT NULL,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            decided_by text,
            decided timestamp without time zone,
            decision_note text,
            expires date
        )""")
    op.execute("CREATE INDEX access_request_package_idx ON satudata_workflow.access_request (package_id, state)")
    op.execute("CREATE INDEX access_request_user_idx ON satudata_workflow.access_request (user_id, package_id)")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_workflow.access_request")
