"""Alembic environment for the dashboard plugin's table (schema ``satudata_dashboard``)."""
from __future__ import annotations

import os

from ckanext.satudatapasuruan.migration.alembic_env import run

run(os.path.basename(os.path.dirname(__file__)), "satudata_dashboard")
