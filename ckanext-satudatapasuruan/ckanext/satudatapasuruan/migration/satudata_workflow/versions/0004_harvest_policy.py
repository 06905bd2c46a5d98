"""Harvest sources the walidata allows to publish directly (all others land as drafts for review).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE satudata_workflow.harvest_policy (
            source_id text PRIMARY KEY,
            publish_directly boolean NOT NULL DEFAULT false,
            decided_by text,
            decided timestamp without time zone NOT NULL DEFAULT (now() at time zone 'utc')
        )""")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_workflow.harvest_policy")
