"""Feedback: data requests (permintaan data) with their status history, ratings with moderated comments,
and the daily usage counts flushed from Redis.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""
from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Tracking numbers PD-<year>-<6 digits> come from one sequence: unique across years, never reused.
    op.execute("CREATE SEQUENCE satudata_feedback.request_number")
    op.execute("""
        CREATE TABLE satudata_feedback.request (
            id text PRIMARY KEY,
            nomor text NOT NULL UNIQUE,
            data text NOT NULL,
            tujuan text NOT NULL,
            nama text NOT NULL,
            email text NOT NULL,
            telepon text NOT NULL DEFAULT '',
            usulan_organization_id text,
            organization_id text,
            status text NOT NULL CHECK (status IN ('diterima', 'diteruskan', 'diproses', 'tersedia', 'ditolak')),
            package_id text,
            alasan text NOT NULL DEFAULT '',
            user_id text,
            created timestamp without time zone NOT NULL,
            updated timestamp without time zone NOT NULL
        )""")
    op.execute("CREATE INDEX request_status_idx ON satudata_feedback.request (status)")
    op.execute("CREATE INDEX request_org_idx ON satudata_feedback.request (organization_id)")
    op.execute("""
        CREATE TABLE satudata_feedback.request_history (
            id bigserial PRIMARY KEY,
            request_id text NOT NULL REFERENCES satudata_feedback.request (id) ON DELETE CASCADE,
            status text NOT NULL,
            note text NOT NULL DEFAULT '',
            actor_id text,
            created timestamp without time zone NOT NULL
        )""")
    op.execute("CREATE INDEX request_history_req_idx ON satudata_feedback.request_history (request_id)")
    # package_id NULL: a rating of the portal as a whole.
    op.execute("""
        CREATE TABLE satudata_feedback.rating (
            id text PRIMARY KEY,
            package_id text,
            rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
            comment text NOT NULL DEFAULT '',
            comment_status text NOT NULL CHECK (comment_status IN ('tanpa', 'menunggu', 'disetujui', 'ditolak')),
            client_key text NOT NULL,
            user_id text,
            moderated_by text,
            moderated_at timestamp without time zone,
            created timestamp without time zone NOT NULL
        )""")
    op.execute("CREATE INDEX rating_package_idx ON satudata_feedback.rating (package_id)")
    op.execute("""
        CREATE TABLE satudata_feedback.usage_daily (
            package_id text NOT NULL,
            day date NOT NULL,
            kind text NOT NULL CHECK (kind IN ('view', 'download', 'scan')),
            count bigint NOT NULL CHECK (count >= 0),
            PRIMARY KEY (package_id, day, kind)
        )""")
    # One row per applied Redis batch: a flush repeated after a crash between COMMIT and DEL is skipped.
    op.execute("""
        CREATE TABLE satudata_feedback.usage_flush (
            batch text PRIMARY KEY,
            flushed timestamp without time zone NOT NULL
        )""")


def downgrade() -> None:
    for table in ("usage_flush", "usage_daily", "rating", "request_history", "request"):
        op.execute(f"DROP TABLE satudata_feedback.{table}")
    op.execute("DROP SEQUENCE satudata_feedback.request_number")
