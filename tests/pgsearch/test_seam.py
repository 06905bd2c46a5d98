"""The backend switch: one option chooses the embedded engine or Solr."""
from __future__ import annotations

import pysolr
import pytest
from ckan.lib import search
from ckan.lib.search import common, index, query

from ckanext.satudatapasuruan.pgsearch.config import BACKEND
from ckanext.satudatapasuruan.pgsearch.engine import PgSearchConnection


def test_every_module_uses_the_seam():
    """ckan.lib.search's modules all obtain connections through the same switch."""
    assert common.make_connection is index.make_connection is query.make_connection


@pytest.mark.ckan_config(BACKEND, "postgres")
def test_postgres_backend_gives_the_embedded_engine():
    """With the default backend the connection is the embedded engine."""
    assert isinstance(common.make_connection(), PgSearchConnection)
    assert search.check_solr_schema_version() is False


@pytest.mark.ckan_config(BACKEND, "solr")
@pytest.mark.ckan_config("solr_url", "http://127.0.0.1:8983/solr/ckan")
def test_solr_backend_gives_pysolr():
    """Switching the option hands CKAN a real pysolr connection to solr_url."""
    conn = common.make_connection()
    assert isinstance(conn, pysolr.Solr)
    assert conn.url == "http://127.0.0.1:8983/solr/ckan"
