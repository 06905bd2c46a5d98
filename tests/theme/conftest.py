"""Fixtures of the theme suite: the workflow's portal with the theme (before scheming, as in ckan.ini)."""
from __future__ import annotations

import pytest

from ..workflow import conftest as workflow_conftest

PLUGINS = ("satudata_pgsearch satudata_metadata satudata_workflow satudata_infographic satudata_theme "
           "scheming_datasets scheming_organizations activity datastore")
portal = workflow_conftest.portal


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean database with the activity and infographic migrations (the home page asks both)."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("satudata_infographic")
