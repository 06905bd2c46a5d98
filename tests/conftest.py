"""Fixtures shared by the suites."""
from __future__ import annotations

import pytest


@pytest.fixture
def clean_datastore(clean_db, clean_index):
    """Empty DataStore database (CKAN's own helper, as its datastore tests use)."""
    from ckanext.datastore.backend.postgres import get_write_engine
    from ckanext.datastore.tests import helpers as ds_helpers
    from sqlalchemy import orm

    ds_helpers.rebuild_all_dbs(orm.scoped_session(orm.sessionmaker(bind=get_write_engine())))
