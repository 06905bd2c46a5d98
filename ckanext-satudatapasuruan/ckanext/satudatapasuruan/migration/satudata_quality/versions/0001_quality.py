"""Metadata quality control: one repair ticket per (dataset, rule), its status history and comments.

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
    op.execute("""
        CREATE TABLE satudata_quality.ticket (
            id text PRIMARY KEY,
            package_id text NOT NULL,
            rule_code text NOT NULL,
            organization_id text,
            severity text NOT NULL CHECK (severity IN ('kritis', 'tinggi', 'sedang')),
            status text NOT NULL CHECK (status IN ('terbuka', 'dikerjakan', 'selesai')),
            findings jsonb NOT NULL DEFAULT '[]',
            opened_at timestamp without time zone NOT NULL,
            closed_at timestamp without time zone,
            last_scan_at timestamp without time zone NOT NULL,
            updated_at timestamp without time zone NOT NULL,
            UNIQUE (package_id, rule_code)
        )""")
    op.execute("CREATE INDEX ticket_organization_status ON satudata_quality.ticket (organization_id, status)")
    # Every status change: by a scan (actor = the user whose save or command triggered it, or none) or by hand.
    op.execute("""
        CREATE TABLE satudata_quality.ticket_event (
            id bigserial PRIMARY KEY,
            ticket_id text NOT NULL REFERENCES satudata_quality.ticket (id) ON DELETE CASCADE,
            from_status text,
            to_status text NOT NULL,
            via text NOT NULL CHECK (via IN ('pemindaian', 'manual')),
            actor_id text,
            created timestamp without time zone NOT NULL
        )""")
    op.execute("CREATE INDEX ticket_event_ticket ON satudata_quality.ticket_event (ticket_id, created)")
    op.execute("""
        CREATE TABLE satudata_quality.ticket_comment (
            id text PRIMARY KEY,
            ticket_id text NOT NULL REFERENCES satudata_quality.ticket (id) ON DELETE CASCADE,
            author_id text,
            text text NOT NULL,
            created timestamp without time zone NOT NULL
        )""")
    op.execute("CREATE INDEX ticket_comment_ticket ON satudata_quality.ticket_comment (ticket_id, created)")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_quality.ticket_comment")
    op.execute("DROP TABLE satudata_quality.ticket_event")
    op.execute("DROP TABLE satudata_quality.ticket")
