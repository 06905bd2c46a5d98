"""Release calendar: entries with their history, reminders sent, and scheduled releases (embargo).

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
        CREATE TABLE satudata_calendar.entry (
            id text PRIMARY KEY,
            owner_org text NOT NULL,
            urusan text NOT NULL,
            title text NOT NULL,
            period text NOT NULL,
            notes text NOT NULL DEFAULT '',
            scheduled_date date NOT NULL,
            original_date date NOT NULL,
            package_id text,
            priority boolean NOT NULL DEFAULT false,
            public boolean NOT NULL DEFAULT true,
            published_at timestamp without time zone,
            postponements integer NOT NULL DEFAULT 0,
            sequence integer NOT NULL DEFAULT 0,
            state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deleted')),
            created_by text,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            updated timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc')
        )""")
    op.execute("CREATE INDEX entry_date_idx ON satudata_calendar.entry (scheduled_date)")
    op.execute("CREATE INDEX entry_org_idx ON satudata_calendar.entry (owner_org)")
    op.execute("CREATE INDEX entry_package_idx ON satudata_calendar.entry (package_id)")
    op.execute("""
        CREATE TABLE satudata_calendar.entry_event (
            id bigserial PRIMARY KEY,
            entry_id text NOT NULL REFERENCES satudata_calendar.entry (id),
            action text NOT NULL,
            old_date date,
            new_date date,
            reason text,
            user_id text,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc')
        )""")
    op.execute("CREATE INDEX entry_event_entry_idx ON satudata_calendar.entry_event (entry_id)")
    # One row per reminder sent: the primary key makes a second tick a no-op.
    op.execute("""
        CREATE TABLE satudata_calendar.reminder (
            entry_id text NOT NULL REFERENCES satudata_calendar.entry (id),
            kind text NOT NULL CHECK (kind IN ('sebelum', 'terlambat')),
            due_date date NOT NULL,
            recipients text NOT NULL DEFAULT '',
            sent timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            PRIMARY KEY (entry_id, kind, due_date)
        )""")
    op.execute("""
        CREATE TABLE satudata_calendar.release_schedule (
            id text PRIMARY KEY,
            package_id text NOT NULL,
            publish_at timestamp without time zone NOT NULL,
            state text NOT NULL CHECK (state IN ('terjadwal', 'terbit', 'dibatalkan', 'gagal')),
            scheduled_by text,
            published_by text,
            note text,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            updated timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            done timestamp without time zone
        )""")
    # At most one pending schedule per dataset.
    op.execute("CREATE UNIQUE INDEX release_schedule_pending_idx ON satudata_calendar.release_schedule (package_id) "
               "WHERE state = 'terjadwal'")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_calendar.release_schedule")
    op.execute("DROP TABLE satudata_calendar.reminder")
    op.execute("DROP TABLE satudata_calendar.entry_event")
    op.execute("DROP TABLE satudata_calendar.entry")
