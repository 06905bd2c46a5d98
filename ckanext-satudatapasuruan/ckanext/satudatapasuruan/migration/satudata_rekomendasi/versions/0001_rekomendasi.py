"""Rekomendasi statistik: applications with their documents and timeline; the verifiable documents register.

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
    # The register first: an application points at the letter registered for it.
    op.execute("""
        CREATE TABLE satudata_rekomendasi.document (
            code text PRIMARY KEY,
            sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
            title text NOT NULL,
            kind text NOT NULL,
            issuer text NOT NULL,
            issuer_organization_id text,
            recipient_organization_id text,
            source text,
            issued_at timestamp without time zone NOT NULL,
            issued_by text,
            status text NOT NULL CHECK (status IN ('sah', 'dicabut')),
            revoked_at timestamp without time zone,
            revoked_by text,
            revoke_reason text,
            external_url text,
            stamped boolean NOT NULL,
            stored_name text,
            filename text,
            size bigint
        )""")
    op.execute("CREATE INDEX document_issuer ON satudata_rekomendasi.document (issuer_organization_id, issued_at)")
    op.execute("CREATE INDEX document_recipient ON satudata_rekomendasi.document (recipient_organization_id)")
    op.execute("""
        CREATE TABLE satudata_rekomendasi.document_event (
            id bigserial PRIMARY KEY,
            code text NOT NULL REFERENCES satudata_rekomendasi.document (code) ON DELETE CASCADE,
            step text NOT NULL CHECK (step IN ('diterbitkan', 'dicabut')),
            actor_id text,
            note text,
            created timestamp without time zone NOT NULL
        )""")
    op.execute("CREATE INDEX document_event_code ON satudata_rekomendasi.document_event (code, created)")
    op.execute("""
        CREATE TABLE satudata_rekomendasi.application (
            id text PRIMARY KEY,
            organization_id text NOT NULL,
            package_id text NOT NULL,
            title text NOT NULL,
            tahun integer,
            status text NOT NULL CHECK (status IN ('draf', 'diajukan', 'perlu_revisi', 'diproses_bps', 'terbit',
                                                   'ditolak')),
            jalur text NOT NULL CHECK (jalur IN ('portal', 'sistem_bps')),
            catatan text NOT NULL DEFAULT '',
            letter_number text UNIQUE,
            document_code text REFERENCES satudata_rekomendasi.document (code),
            external_reference text,
            external_url text,
            decision_note text,
            created timestamp without time zone NOT NULL,
            created_by text,
            updated timestamp without time zone NOT NULL,
            submitted_at timestamp without time zone,
            decided_at timestamp without time zone,
            decided_by text
        )""")
    op.execute("CREATE INDEX application_organization ON satudata_rekomendasi.application (organization_id, status)")
    op.execute("CREATE INDEX application_status ON satudata_rekomendasi.application (status, submitted_at)")
    # One application under way per MS-Keg; a refused or issued one leaves room for the next.
    op.execute("""CREATE UNIQUE INDEX application_one_open ON satudata_rekomendasi.application (package_id)
                  WHERE status NOT IN ('terbit', 'ditolak')""")
    op.execute("""
        CREATE TABLE satudata_rekomendasi.application_document (
            id text PRIMARY KEY,
            application_id text NOT NULL REFERENCES satudata_rekomendasi.application (id) ON DELETE CASCADE,
            kind text NOT NULL,
            filename text NOT NULL,
            stored_name text NOT NULL,
            size bigint NOT NULL,
            sha256 text NOT NULL,
            created timestamp without time zone NOT NULL,
            created_by text
        )""")
    op.execute("CREATE INDEX application_document_application ON satudata_rekomendasi.application_document "
               "(application_id, created)")
    op.execute("""
        CREATE TABLE satudata_rekomendasi.application_event (
            id bigserial PRIMARY KEY,
            application_id text NOT NULL REFERENCES satudata_rekomendasi.application (id) ON DELETE CASCADE,
            step text NOT NULL,
            from_status text,
            to_status text,
            actor_id text,
            note text,
            detail jsonb NOT NULL DEFAULT '{}',
            created timestamp without time zone NOT NULL
        )""")
    op.execute("CREATE INDEX application_event_application ON satudata_rekomendasi.application_event "
               "(application_id, created)")
    # The letters' running number per year (one row per year, incremented in the issuing transaction).
    op.execute("""
        CREATE TABLE satudata_rekomendasi.letter_sequence (
            year integer PRIMARY KEY,
            last integer NOT NULL
        )""")


def downgrade() -> None:
    op.execute("DROP TABLE satudata_rekomendasi.letter_sequence")
    op.execute("DROP TABLE satudata_rekomendasi.application_event")
    op.execute("DROP TABLE satudata_rekomendasi.application_document")
    op.execute("DROP TABLE satudata_rekomendasi.application")
    op.execute("DROP TABLE satudata_rekomendasi.document_event")
    op.execute("DROP TABLE satudata_rekomendasi.document")
