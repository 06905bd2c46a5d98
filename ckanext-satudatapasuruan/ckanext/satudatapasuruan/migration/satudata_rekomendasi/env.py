"""Alembic environment for the rekomendasi plugin's tables (schema ``satudata_rekomendasi``)."""
from __future__ import annotations

import os

from ckanext.satudatapasuruan.migration.alembic_env import run

run(os.path.basename(os.path.dirname(__file__)), "satudata_rekomendasi")
