"""Fixtures of the Monev suite: the workflow's portal (OPD, walidata…), the Monev tables (migrated here: the
lead adds them to pgsearch/testing.py MIGRATIONS), an empty Redis. Plugins and app are loaded once per module
(as the kamus and feedback suites do); a module sets ``EXTRA_CONFIG`` (e.g. another ``ckan.plugins``)."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.satudatapasuruan.monev import config as monev_config
from ckanext.satudatapasuruan.monev import records

from ..module_app import module_app_fixtures
from ..workflow import conftest as workflow_conftest
from ..workflow.conftest import PLUGINS as WORKFLOW_PLUGINS
from ..workflow.conftest import Portal

# Every plugin whose figures the fixture catalogue exercises (the daftar data, rekomendasi and harvest KPIs
# are left out: their figures must say "belum tersedia").
PLUGINS = (WORKFLOW_PLUGINS + " satudata_entry satudata_quality satudata_calendar satudata_feedback"
           " satudata_monev")
# The portal's core and the Monev plugin alone: every other source missing.
BARE_PLUGINS = " ".join(p for p in WORKFLOW_PLUGINS.split() if p != "datastore") + " satudata_monev"
portal = workflow_conftest.portal

BASE_CONFIG = {"ckan.locale_default": "id", "ckanext.satudatapasuruan.workflow.notify_email": False,
               monev_config.CACHE_TTL: 0}


_loaded, with_plugins, app = module_app_fixtures(dict(BASE_CONFIG, **{"ckan.plugins": PLUGINS}))


def _migrate(migrate_db_for) -> None:
    inspector = sa.inspect(model.Session.connection())
    activity = {c["name"] for c in inspector.get_columns("activity")} if inspector.has_table("activity") else set()
    if "permission_labels" not in activity:
        migrate_db_for("activity")
    if not inspector.has_table("heartbeat", schema="satudata_monev"):
        migrate_db_for("satudata_monev")
    model.Session.commit()


def empty_monev() -> None:
    for table in records.TABLES:
        model.Session.execute(table.delete())
    model.Session.commit()


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for, clean_redis):  # noqa: F811 - replaces CKAN's
    """CKAN's clean database, the migrations, empty Monev tables (their own schema, which the reset leaves)
    and an empty Redis database; the other plugins' tables emptied too (their own schemas)."""
    reset_db()
    _migrate(migrate_db_for)
    inspector = sa.inspect(model.Session.connection())
    for schema in ("satudata_quality", "satudata_calendar", "satudata_feedback", "satudata_entry"):
        if schema in inspector.get_schema_names():
            for name in inspector.get_table_names(schema=schema):
                if not name.endswith("alembic_version"):
                    model.Session.execute(sa.text(f'TRUNCATE "{schema}"."{name}" CASCADE'))
    empty_monev()


def anon(action: str, **data: Any) -> Any:
    from ckan.tests import helpers
    return helpers.call_action(action, context={"user": "", "ignore_auth": False}, **data)


def headers(portal: Portal, who: str | None) -> dict[str, str]:
    return {"Authorization": portal.users[who]["token"]} if who else {}


__all__ = ["PLUGINS", "BARE_PLUGINS", "anon", "headers", "empty_monev"]
