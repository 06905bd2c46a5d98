"""Dashboard Statistik: the indicators (DataStore columns charted) chosen by the walidata.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE satudata_dashboard.indicator (
            id text PRIMARY KEY,
            resource_id text NOT NULL,
            title text NOT NULL,
            label_field text NOT NULL,
            value_field text NOT NULL,
            chart_type text NOT NULL DEFAULT 'bar' CHECK (chart_type IN ('bar', 'line')),
            aggregation text NOT NULL DEFAULT 'none' CHECK (aggregation IN ('none', 'sum')),
            sort_order integer NOT NULL DEFAULT 0,
            created_by text,
            created timestamp with time zone NOT NULL DEFAULT now(),
            CONSTRAINT indicator_resource_fields_key UNIQUE (resource_id, label_field, value_field)
        )""")
    op.execute("CREATE INDEX ix_satudata_dashboard_indicator_resource_id ON satudata_dashboard.indicator (resource_id)")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_dashboard.indicator")
