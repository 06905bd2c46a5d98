"""Verification workflow: each dataset's state, and the audit trail of every transition.

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
    op.execute("""
        CREATE TABLE satudata_workflow.dataset_state (
            package_id text PRIMARY KEY,
            state text NOT NULL,
            updated timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc'),
            published timestamp without time zone
        )""")
    op.execute("CREATE INDEX dataset_state_state_idx ON satudata_workflow.dataset_state (state)")
    op.execute("""
        CREATE TABLE satudata_workflow.event (
            id bigserial PRIMARY KEY,
            package_id text NOT NULL,
            action text NOT NULL,
            from_state text,
            to_state text,
            user_id text,
            note text,
            created timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc')
        )""")
    op.execute("CREATE INDEX event_package_idx ON satudata_workflow.event (package_id, id)")
    # The audit trail is append-only: no role, not even the application's own, may rewrite it.
    op.execute("""
        CREATE FUNCTION satudata_workflow.event_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'satudata_workflow.event is append-only' USING ERRCODE = 'insufficient_privilege';
        END $$""")
    op.execute("""
        CREATE TRIGGER event_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON satudata_workflow.event
        FOR EACH STATEMENT EXECUTE FUNCTION satudata_workflow.event_immutable()""")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_workflow.event")
    op.execute("DROP FUNCTION satudata_workflow.event_immutable()")
    op.execute("DROP TABLE satudata_workflow.dataset_state")
