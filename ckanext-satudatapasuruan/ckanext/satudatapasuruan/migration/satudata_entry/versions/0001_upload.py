"""Upload records: one row per XLSX/CSV file sent to a dataset's DataStore table.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE satudata.upload (
            id text PRIMARY KEY,
            package_id text NOT NULL,
            resource_id text,
            user_id text,
            filename text NOT NULL,
            format text NOT NULL,
            size bigint NOT NULL,
            mode text NOT NULL,
            state text NOT NULL,
            rows_total integer NOT NULL DEFAULT 0,
            rows_done integer NOT NULL DEFAULT 0,
            error_count integer NOT NULL DEFAULT 0,
            errors jsonb NOT NULL DEFAULT '[]',
            message text,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            finished timestamp without time zone
        )""")
    op.execute("CREATE INDEX upload_package_idx ON satudata.upload (package_id, created DESC)")


def downgrade() -> None:
    op.execute("DROP TABLE satudata.upload")
