"""Alembic environment for the release calendar's tables (schema ``satudata_calendar``)."""
from __future__ import annotations

import os

from ckanext.satudatapasuruan.migration.alembic_env import run

run(os.path.basename(os.path.dirname(__file__)), "satudata_calendar")
