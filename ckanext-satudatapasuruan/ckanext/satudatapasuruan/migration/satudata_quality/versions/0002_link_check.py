"""Link check results of resources pointing outside the portal (rule MQ-011), one row per resource.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No foreign key to CKAN's resource table: it lives in the public schema, which tests drop and recreate.
    # A row counts only while its url equals the resource's current url.
    op.execute("""
        CREATE TABLE satudata_quality.link_check (
            resource_id text PRIMARY KEY,
            url text NOT NULL,
            status text NOT NULL CHECK (status IN ('ok', 'http_error', 'timeout', 'connection_error',
                                                   'too_many_redirects', 'invalid_url')),
            http_code integer,
            message text NOT NULL DEFAULT '',
            checked_at timestamp without time zone NOT NULL
        )""")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_quality.link_check")
