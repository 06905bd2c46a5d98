"""Fixtures shared by the harvester suites."""
from __future__ import annotations

import pytest


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean database with the migrations harvesting needs: activity (the workflow's permission labels),
    ckanext-harvest's tables and ours (``satudata_harvest``)."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("harvest")
    migrate_db_for("satudata_harvest")
