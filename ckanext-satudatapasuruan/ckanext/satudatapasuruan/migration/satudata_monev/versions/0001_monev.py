"""Public Monev dashboard: target overrides, manual IKU values, challenges, their audit trail, visits and
heartbeats.

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
    # The walidata's value of a target (the shipped one stays in iku.yaml).
    op.execute("""
        CREATE TABLE satudata_monev.target (
            code text NOT NULL,
            year integer NOT NULL,
            value numeric NOT NULL,
            note text,
            updated_by text,
            updated_at timestamp without time zone NOT NULL,
            PRIMARY KEY (code, year)
        )""")
    op.execute("""
        CREATE TABLE satudata_monev.manual_value (
            code text NOT NULL,
            year integer NOT NULL,
            value numeric NOT NULL,
            source text NOT NULL,
            measured_on date NOT NULL,
            note text,
            entered_by text,
            entered_at timestamp without time zone NOT NULL,
            PRIMARY KEY (code, year)
        )""")
    op.execute("""
        CREATE TABLE satudata_monev.challenge (
            id text PRIMARY KEY,
            year integer NOT NULL,
            tantangan text NOT NULL,
            tindak_lanjut text NOT NULL,
            created_by text,
            created_at timestamp without time zone NOT NULL,
            updated_by text,
            updated_at timestamp without time zone NOT NULL
        )""")
    op.execute("CREATE INDEX challenge_year ON satudata_monev.challenge (year, created_at)")
    # Every walidata edit of the three tables above: what it was, what it became, who, when.
    op.execute("""
        CREATE TABLE satudata_monev.audit (
            id bigserial PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ('target', 'manual', 'tantangan')),
            ref text NOT NULL,
            year integer,
            before jsonb,
            after jsonb,
            actor_id text,
            created timestamp without time zone NOT NULL
        )""")
    op.execute("CREATE INDEX audit_kind_ref ON satudata_monev.audit (kind, ref, created)")
    op.execute("""
        CREATE TABLE satudata_monev.visit_monthly (
            month date PRIMARY KEY CHECK (extract(day FROM month) = 1),
            count bigint NOT NULL CHECK (count >= 0)
        )""")
    # The Redis batches already added to visit_monthly (the flush applies each exactly once).
    op.execute("""
        CREATE TABLE satudata_monev.visit_flush (
            batch text PRIMARY KEY,
            applied_at timestamp without time zone NOT NULL
        )""")
    op.execute("""
        CREATE TABLE satudata_monev.heartbeat (
            id bigserial PRIMARY KEY,
            checked_at timestamp without time zone NOT NULL,
            ok boolean NOT NULL,
            status_code integer,
            latency_ms integer,
            error text
        )""")
    op.execute("CREATE INDEX heartbeat_checked_at ON satudata_monev.heartbeat (checked_at)")


def downgrade() -> None:
    for table in ("heartbeat", "visit_flush", "visit_monthly", "audit", "challenge", "manual_value", "target"):
        op.execute(f"DROP TABLE satudata_monev.{table}")
