"""Kamus data terpadu: one row per standar data entry (its current version) and every version it had.

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
        CREATE TABLE satudata_kamus.entry (
            kode text PRIMARY KEY,
            konsep text NOT NULL,
            definisi text NOT NULL,
            klasifikasi text NOT NULL,
            ukuran text NOT NULL,
            satuan text NOT NULL,
            dasar_hukum text NOT NULL DEFAULT '',
            state text NOT NULL CHECK (state IN ('aktif', 'pensiun')),
            version integer NOT NULL CHECK (version > 0),
            created timestamp without time zone NOT NULL,
            created_by text,
            modified timestamp without time zone NOT NULL,
            modified_by text
        )""")
    # Every change is a full copy of the entry as it became, with who, when and why: the history, and what a
    # dataset that copied an older version still follows.
    op.execute("""
        CREATE TABLE satudata_kamus.entry_version (
            id bigserial PRIMARY KEY,
            kode text NOT NULL REFERENCES satudata_kamus.entry (kode) ON DELETE CASCADE,
            version integer NOT NULL,
            konsep text NOT NULL,
            definisi text NOT NULL,
            klasifikasi text NOT NULL,
            ukuran text NOT NULL,
            satuan text NOT NULL,
            dasar_hukum text NOT NULL DEFAULT '',
            state text NOT NULL CHECK (state IN ('aktif', 'pensiun')),
            change text NOT NULL CHECK (change IN ('dibuat', 'diubah', 'dipensiunkan')),
            note text NOT NULL DEFAULT '',
            user_id text,
            created timestamp without time zone NOT NULL,
            UNIQUE (kode, version)
        )""")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_kamus.entry_version")
    op.execute("DROP TABLE satudata_kamus.entry")
