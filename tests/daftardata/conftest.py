"""Fixtures of the daftar data suite: the workflow's portal (two OPDs, walidata, pembina…), the plugin's
tables, entries, apps and files made through the actions. Plugins and app are loaded once per module (as the
kamus suite does)."""
from __future__ import annotations

import csv
import io
from typing import Any

import ckan.plugins
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

from ckanext.satudatapasuruan.daftardata import records

from ..module_app import module_app_fixtures
from ..workflow.conftest import PLUGINS as WORKFLOW_PLUGINS
from ..workflow.conftest import Portal

# The workflow's plugins without the DataStore (nothing here reads or writes it).
PLUGINS = " ".join(p for p in WORKFLOW_PLUGINS.split() if p != "datastore") + " satudata_daftardata"

MODULE_CONFIG = {"ckan.plugins": PLUGINS, "ckan.locale_default": "id",
                 "ckanext.satudatapasuruan.workflow.notify_email": False}

ENTRY = {"owner_org": "dispendukcapil", "name": "Jumlah penduduk menurut kecamatan", "urusan": "2.12",
         "program": "Indikator RPJMD: cakupan kepemilikan KTP-el", "frekuensi": "tahunan", "target_year": 2026,
         "priority": True, "dasar_hukum": "Keputusan Bupati Pasuruan tentang Daftar Data Prioritas",
         "status": "dibutuhkan"}


_loaded, with_plugins, app = module_app_fixtures(MODULE_CONFIG)


def migrate(migrate_db_for) -> None:
    """The activity plugin's and the daftar data migrations, when not applied yet."""
    inspector = sa.inspect(model.Session.connection())
    activity = {c["name"] for c in inspector.get_columns("activity")} if inspector.has_table("activity") else set()
    if "permission_labels" not in activity:
        migrate_db_for("activity")
    if not inspector.has_table("app", schema="satudata_daftardata"):
        migrate_db_for("satudata_daftardata")
    if ckan.plugins.plugin_loaded("harvest") and not inspector.has_table("harvest_source"):
        migrate_db_for("harvest")
    model.Session.commit()


def empty_tables() -> None:
    """Every row gone and version numbers from 1 again."""
    names = ", ".join(f"satudata_daftardata.{t.name}" for t in (records.entry, records.version, records.app))
    model.Session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY"))
    model.Session.commit()


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for):  # noqa: F811 - replaces CKAN's
    """CKAN's clean database, the migrations and empty daftar data tables (their own schema)."""
    reset_db()
    migrate(migrate_db_for)
    empty_tables()


@pytest.fixture
def portal() -> Portal:
    """The workflow suite's actors (as its ``portal`` fixture), the other OPD with a fixed title."""
    users = {name: factories.UserWithToken(name=name, email=f"{name}@pasuruankab.test")
             for name in ("operator", "verifikator", "operator_lain", "walidata", "pembina", "warga")}
    users["sysadmin"] = factories.SysadminWithToken(name="sysadmin")
    opd = factories.Organization(name="dispendukcapil", title="Dinas Kependudukan dan Pencatatan Sipil",
                                 users=[{"name": "operator", "capacity": "editor"},
                                        {"name": "verifikator", "capacity": "admin"}])
    other = factories.Organization(name="dinas-kesehatan", title="Dinas Kesehatan",
                                   users=[{"name": "operator_lain", "capacity": "editor"}])
    factories.Organization(name="walidata", title="Walidata (Diskominfo)",
                           users=[{"name": "walidata", "capacity": "editor"}])
    factories.Organization(name="bps-kabupaten-pasuruan", title="BPS Kabupaten Pasuruan",
                           users=[{"name": "pembina", "capacity": "member"}])
    return Portal(opd=opd, other_opd=other, users=users)


def entry_data(**overrides: Any) -> dict[str, Any]:
    return {**ENTRY, **overrides}


def make_entry(portal: Portal, who: str = "operator", **overrides: Any) -> dict[str, Any]:
    return portal.call("satudata_daftardata_entry_create", who, **entry_data(**overrides))


def headers(portal: Portal, who: str | None) -> dict[str, str]:
    return {"Authorization": portal.users[who]["token"]} if who else {}


HEADER = ["OPD", "Nama data", "Sektor", "Program/Indikator RPJMD", "Frekuensi", "Tahun target", "Prioritas",
          "Dasar hukum", "Status", "Dataset"]


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8")


def upload(content: bytes, name: str = "daftar.xlsx") -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


__all__ = ["PLUGINS", "ENTRY", "HEADER", "entry_data", "make_entry", "headers", "migrate", "empty_tables", "xlsx",
           "csv_bytes", "upload"]
