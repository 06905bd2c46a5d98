"""Fixtures of the dashboard suite: the workflow's actors (Portal) and DataStore tables in their datasets."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import helpers

from ckanext.satudatapasuruan.dashboard.model import SCHEMA

from ..workflow.conftest import PLUGINS as WORKFLOW_PLUGINS
from ..workflow.conftest import Portal
from ..workflow.conftest import portal as portal  # noqa: F401  (fixture)

PLUGINS = f"{WORKFLOW_PLUGINS} satudata_dashboard"

FIELDS = [
    {"id": "tahun", "type": "int4"},
    {"id": "kecamatan", "type": "text", "info": {"label": "Kecamatan"}},
    {"id": "jumlah_penduduk", "type": "int4", "info": {"label": "Jumlah penduduk"}},
    {"id": "kepadatan", "type": "numeric"},
    {"id": "keterangan", "type": "text"},
]
RECORDS = [
    {"tahun": 2022, "kecamatan": "Bangil", "jumlah_penduduk": 1200, "kepadatan": "1500.5", "keterangan": ""},
    {"tahun": 2023, "kecamatan": "Bangil", "jumlah_penduduk": 1250, "kepadatan": "1510.25", "keterangan": "x"},
    {"tahun": 2023, "kecamatan": "Pandaan", "jumlah_penduduk": 900, "kepadatan": "990", "keterangan": ""},
    {"tahun": 2024, "kecamatan": "Pandaan", "jumlah_penduduk": 950, "kepadatan": "1001", "keterangan": ""},
]


_APPS: dict[str, tuple[Any, Any]] = {}


@pytest.fixture
def app(make_app, ckan_config):
    """CKAN's test app, built once per configuration in this folder (building one reloads every plugin and
    costs most of a second; each test's ``with_plugins`` still loads the plugins afresh, and options are read
    per request). Keyed by the whole configuration, so a test with other options gets its own app."""
    from ckan.config import middleware
    from ckan.lib import app_globals

    key = repr(sorted((k, repr(v)) for k, v in ckan_config.items()))
    if key in _APPS:
        app_globals.reset()
        # url_for outside a request uses the context of the app built last: make it this one again.
        middleware._internal_test_request_context = _APPS[key][1]
    else:
        built = make_app()
        _APPS[key] = (built, middleware._internal_test_request_context)
    return _APPS[key][0]


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean database, the activity plugin's migration and an empty indicator table (which lives in its
    own schema, so CKAN's reset leaves it alone)."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("satudata_dashboard")
    model.Session.execute(sa.text(f"TRUNCATE {SCHEMA}.indicator"))
    model.Session.commit()


def sysadmin_ctx(portal: Portal) -> dict[str, Any]:
    return {"user": portal.users["sysadmin"]["name"], "ignore_auth": False}


def make_table(portal: Portal, name: str, klass: str = "terbuka", publish: bool = True,
               fields: list[dict] | None = None, records: list[dict] | None = None) -> tuple[dict, str]:
    """A dataset of the portal's OPD with one DataStore table (made while it is a draft), then published."""
    dataset = portal.dataset(klass, name=name)
    result = helpers.call_action("datastore_create", context=sysadmin_ctx(portal),
                                 resource={"package_id": dataset["id"], "name": f"Tabel {name}"},
                                 fields=fields or FIELDS, records=RECORDS if records is None else records)
    if publish:
        portal.publish(dataset["id"])
    return dataset, result["resource_id"]


def indicator(portal: Portal, resource_id: str, who: str = "walidata", **extra: Any) -> dict[str, Any]:
    data = {"resource_id": resource_id, "title": "Jumlah penduduk per tahun", "label_field": "tahun",
            "value_field": "jumlah_penduduk", **extra}
    return portal.call("satudata_dashboard_indicator_create", who, **data)


def indicator_count() -> int:
    return model.Session.execute(sa.text(f"SELECT count(*) FROM {SCHEMA}.indicator")).scalar()
