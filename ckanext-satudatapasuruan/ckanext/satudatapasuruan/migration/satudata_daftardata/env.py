"""Alembic environment for the daftar data plugin's tables (schema ``satudata_daftardata``)."""
from __future__ import annotations

import os

from ckanext.satudatapasuruan.migration.alembic_env import run

run(os.path.basename(os.path.dirname(__file__)), "satudata_daftardata")
