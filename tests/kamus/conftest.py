"""Fixtures of the kamus suite: the workflow's portal (OPD, walidata, pembina…), the kamus tables, entries
made through the actions. Plugins and app are loaded once per module (as the feedback suite does)."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.satudatapasuruan.kamus import records

from ..module_app import module_app_fixtures
from ..workflow import conftest as workflow_conftest
from ..workflow.conftest import PLUGINS as WORKFLOW_PLUGINS
from ..workflow.conftest import Portal

# The workflow's plugins without the DataStore (nothing here reads or writes it).
PLUGINS = " ".join(p for p in WORKFLOW_PLUGINS.split() if p != "datastore") + " satudata_kamus"
portal = workflow_conftest.portal  # the workflow suite's actors, as a fixture here too

MODULE_CONFIG = {"ckan.plugins": PLUGINS, "ckan.locale_default": "id",
                 "ckanext.satudatapasuruan.workflow.notify_email": False}

ENTRY = {"kode": "SP00055.00.00", "konsep": "Penduduk",
         "definisi": "Orang yang berdomisili di wilayah Indonesia selama satu tahun atau lebih.",
         "klasifikasi": "Menurut kecamatan dan jenis kelamin", "ukuran": "Jumlah", "satuan": "jiwa",
         "dasar_hukum": "Peraturan BPS Nomor 4 Tahun 2021"}


_loaded, with_plugins, app = module_app_fixtures(MODULE_CONFIG)


def migrate(migrate_db_for) -> None:
    """The activity plugin's and the kamus migrations, when not applied yet."""
    inspector = sa.inspect(model.Session.connection())
    activity = {c["name"] for c in inspector.get_columns("activity")} if inspector.has_table("activity") else set()
    if "permission_labels" not in activity:
        migrate_db_for("activity")
    if not inspector.has_table("entry_version", schema="satudata_kamus"):
        migrate_db_for("satudata_kamus")
    model.Session.commit()


def empty_kamus() -> None:
    for table in (records.entry_version, records.entry):
        model.Session.execute(table.delete())
    model.Session.commit()


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for):  # noqa: F811 - replaces CKAN's
    """CKAN's clean database, the migrations and an empty kamus (its own schema, which the reset leaves)."""
    reset_db()
    migrate(migrate_db_for)
    empty_kamus()


def entry_data(**overrides: Any) -> dict[str, Any]:
    return {**ENTRY, **overrides}


def make_entry(portal: Portal, who: str = "walidata", **overrides: Any) -> dict[str, Any]:
    return portal.call("satudata_kamus_entry_create", who, **entry_data(**overrides))


def headers(portal: Portal, who: str | None) -> dict[str, str]:
    return {"Authorization": portal.users[who]["token"]} if who else {}


__all__ = ["PLUGINS", "ENTRY", "entry_data", "make_entry", "headers", "migrate", "empty_kamus"]
