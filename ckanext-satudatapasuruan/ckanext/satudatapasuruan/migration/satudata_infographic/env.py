"""Alembic environment for the infographic plugin's tables (schema ``satudata_infographic``)."""
from __future__ import annotations

import os

from ckanext.satudatapasuruan.migration.alembic_env import run

run(os.path.basename(os.path.dirname(__file__)), "satudata_infographic")
