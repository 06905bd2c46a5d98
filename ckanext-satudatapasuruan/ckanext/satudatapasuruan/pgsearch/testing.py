"""pytest plugin: make sure the embedded search index exists before tests run.

Registered through the ``pytest11`` entry point, so it is active for our suite and
for CKAN's own tests run by ``make compat``.  The index schema survives CKAN's
``clean_db`` (which only drops the public schema's tables).
"""
from __future__ import annotations

import os

import pytest

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migration", "satudata_pgsearch")


@pytest.fixture(scope="session", autouse=True)
def satudata_search_index(request):
    """Apply the satudata_pgsearch migrations once per test session."""
    if request.config.getoption("ckan_ini", default=None) is None:
        yield
        return
    import ckan.plugins.toolkit as tk
    from alembic import command
    from alembic.config import Config

    from .seam import install

    install()
    cfg = Config(os.path.join(MIGRATIONS, "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", tk.config["sqlalchemy.url"])
    command.upgrade(cfg, "head")
    yield
