"""pytest plugin for `make compat`: what the extensions' own (unshipped) conftest files did.

ckanext-spatial's and -dcat's tests expect the harvest tables to exist after `clean_db`
when the harvest plugin is configured; their repositories arrange it in conftest files
that the wheels do not ship.
"""
from __future__ import annotations

import os

import pytest


def _migrate_harvest() -> None:
    import ckan.plugins.toolkit as tk
    import ckanext.harvest
    from alembic import command
    from alembic.config import Config

    ini = os.path.join(os.path.dirname(ckanext.harvest.__file__), "migration", "harvest", "alembic.ini")
    cfg = Config(ini)
    cfg.set_main_option("sqlalchemy.url", tk.config["sqlalchemy.url"])
    command.upgrade(cfg, "head")


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    yield
    if fixturedef.argname == "clean_db":
        import ckan.plugins.toolkit as tk

        if "harvest" in tk.config.get("ckan.plugins", []):
            _migrate_harvest()
