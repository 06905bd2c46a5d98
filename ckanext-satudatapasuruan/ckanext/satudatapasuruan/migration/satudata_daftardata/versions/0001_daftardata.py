"""Daftar data: the data needs of each OPD, the agreed versions of the priority list, the OPD applications.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""
from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE satudata_daftardata.entry (
            id text PRIMARY KEY,
            owner_org text NOT NULL,
            name text NOT NULL,
            urusan text NOT NULL,
            program text NOT NULL DEFAULT '',
            frekuensi text NOT NULL,
            target_year integer NOT NULL CHECK (target_year BETWEEN 2000 AND 2100),
            priority boolean NOT NULL DEFAULT false,
            dasar_hukum text NOT NULL DEFAULT '',
            status text NOT NULL CHECK (status IN ('dibutuhkan', 'dalam_produksi', 'tersedia')),
            package_ids text[] NOT NULL DEFAULT '{}',
            created timestamp without time zone NOT NULL,
            created_by text,
            modified timestamp without time zone NOT NULL,
            modified_by text
        )""")
    op.execute("CREATE INDEX entry_owner_org_idx ON satudata_daftardata.entry (owner_org)")
    # A version is the priority list as the Forum Satu Data agreed it: a full copy of its entries (JSON), so
    # later edits of the live list never change what was agreed.
    op.execute("""
        CREATE TABLE satudata_daftardata.version (
            id serial PRIMARY KEY,
            agreed_by text NOT NULL,
            agreed_date date NOT NULL,
            note text NOT NULL DEFAULT '',
            entries jsonb NOT NULL,
            created timestamp without time zone NOT NULL,
            created_by text
        )""")
    op.execute("""
        CREATE TABLE satudata_daftardata.app (
            id text PRIMARY KEY,
            owner_org text NOT NULL,
            name text NOT NULL,
            function text NOT NULL DEFAULT '',
            priority boolean NOT NULL DEFAULT false,
            integration text NOT NULL CHECK (integration IN ('belum', 'api_terdokumentasi', 'dipanen')),
            harvest_source_id text,
            created timestamp without time zone NOT NULL,
            created_by text,
            modified timestamp without time zone NOT NULL,
            modified_by text
        )""")
    op.execute("CREATE INDEX app_owner_org_idx ON satudata_daftardata.app (owner_org)")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_daftardata.app")
    op.execute("DROP TABLE satudata_daftardata.version")
    op.execute("DROP TABLE satudata_daftardata.entry")
