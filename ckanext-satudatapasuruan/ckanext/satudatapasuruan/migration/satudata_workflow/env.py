"""Alembic environment for the workflow plugin's tables (schema ``satudata_workflow``)."""
from __future__ import annotations

import os

from ckanext.satudatapasuruan.migration.alembic_env import run

run(os.path.basename(os.path.dirname(__file__)), "satudata_workflow")
