"""Back to the default 2 KB toast target, now that `terms` holds no text fields.

Measured at 100k datasets: with a 4 KB target `terms` stays uncompressed but the
rows grow to about 3.7 KB, two per page, and a broad search reads twice as many
pages.  With analysed text fields kept only in `texts` (engine change of the same
revision) `terms` is small enough to stay inline and uncompressed while `tsv`,
`doc`, `bulky` and `texts` move out of the row.  Rebuild the index afterwards.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE satudata_search.document RESET (toast_tuple_target)")


def downgrade() -> None:
    op.execute("ALTER TABLE satudata_search.document SET (toast_tuple_target = 4080)")
