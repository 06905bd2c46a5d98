"""pytest plugin: make sure our schemas (search index, upload records) exist before tests run.

Registered through the ``pytest11`` entry point, so it is active for our suite and
for CKAN's own tests run by ``make compat``.  The index schema survives CKAN's
``clean_db`` (which only drops the public schema's tables).
"""
from __future__ import annotations

import os

import pytest

_MIGRATION = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migration")
# Each keeps its tables in its own schema, which CKAN's clean_db leaves alone.
MIGRATIONS = [os.path.join(_MIGRATION, name)
              for name in ("satudata_pgsearch", "satudata_entry", "satudata_workflow", "satudata_infographic",
                           "satudata_pages", "satudata_dashboard", "satudata_calendar", "satudata_feedback",
                           "satudata_quality", "satudata_kamus", "satudata_rekomendasi", "satudata_daftardata",
                           "satudata_monev")]


@pytest.fixture(scope="session", autouse=True)
def satudata_search_index(request):
    """Apply our plugins' migrations once per test session."""
    if request.config.getoption("ckan_ini", default=None) is None:
        yield
        return
    import ckan.plugins.toolkit as tk
    from alembic import command
    from alembic.config import Config

    from .seam import install

    install()
    for migrations in MIGRATIONS:
        cfg = Config(os.path.join(migrations, "alembic.ini"))
        cfg.set_main_option("sqlalchemy.url", tk.config["sqlalchemy.url"])
        command.upgrade(cfg, "head")
    yield
