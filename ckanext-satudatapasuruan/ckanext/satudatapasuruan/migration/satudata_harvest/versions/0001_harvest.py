"""Harvesters: source secrets kept out of the source's config, cached list pages, and each run's listing.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""
from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Credentials of a source (token, header value): never part of harvest_source_show's config.
    op.execute("""
        CREATE TABLE satudata_harvest.secret (
            source_id text NOT NULL,
            name text NOT NULL,
            value text NOT NULL,
            updated timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            PRIMARY KEY (source_id, name)
        )""")
    # The last body of each list page with its validators, so a 304 answer reuses it.
    op.execute("""
        CREATE TABLE satudata_harvest.page (
            source_id text NOT NULL,
            url text NOT NULL,
            etag text,
            last_modified text,
            body bytea NOT NULL,
            fetched timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            PRIMARY KEY (source_id, url)
        )""")
    # What a job's gather saw: records skipped as unchanged never become harvest objects.
    op.execute("""
        CREATE TABLE satudata_harvest.run (
            job_id text PRIMARY KEY,
            source_id text NOT NULL,
            listed integer NOT NULL DEFAULT 0,
            unchanged integer NOT NULL DEFAULT 0,
            queued integer NOT NULL DEFAULT 0,
            withdrawn integer NOT NULL DEFAULT 0,
            duplicates integer NOT NULL DEFAULT 0,
            complete boolean NOT NULL DEFAULT false,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc')
        )""")
    op.execute("CREATE INDEX run_source_idx ON satudata_harvest.run (source_id, created)")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_harvest.run")
    op.execute("DROP TABLE satudata_harvest.page")
    op.execute("DROP TABLE satudata_harvest.secret")
