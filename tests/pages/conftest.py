"""Fixtures of the content pages suite: the workflow's actors (its walidata, an OPD's operator and
verifikator, a pembina, a citizen, a sysadmin), clean page tables, a fresh storage folder, upload helpers.

The pages touch no CKAN table, so CKAN's database is reset and the actors are made once per test folder
(``portal``), and only the page tables are emptied before each test (``clean_db``): the folder stays fast."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import ckan.plugins as p
import pytest
from ckan import model
from ckan.common import config
from ckan.config.middleware import make_app
from ckan.tests import factories
from ckan.tests import helpers as ckan_helpers
from werkzeug.datastructures import FileStorage

from ckanext.satudatapasuruan.pages import records

from ..workflow.conftest import Portal

PLUGINS = "activity satudata_workflow satudata_pages"


@pytest.fixture(scope="package")
def plugins_loaded():
    """The suite's plugins, loaded once per test folder (CKAN's with_plugins reloads them for every test)."""
    config["ckan.plugins"] = PLUGINS.split()
    p.load_all()
    # CKAN's web application, built here because building it reloads the plugins' registries.
    config["testing"] = True
    flask_app = make_app(config)
    yield config.copy(), flask_app  # the configuration with the plugins' declared defaults and templates
    p.unload_all()


@pytest.fixture(autouse=True)
def module_config(plugins_loaded):
    """CKAN's test setup puts back the session's configuration before each test: add the plugins' again
    (``ckan_config`` marks still apply on top)."""
    config.update(plugins_loaded[0])


@pytest.fixture(scope="package")
def portal(plugins_loaded, migrate_db_for) -> Portal:
    """A clean CKAN database with the workflow's actors, once per test folder: the walidata is a member of the
    walidata organisation, the pembina of BPS's, operator and verifikator editor and admin of an OPD."""
    factories.fake.unique.clear()
    ckan_helpers.reset_db()
    migrate_db_for("activity")
    migrate_db_for("satudata_pages")
    users = {name: factories.UserWithToken(name=name, email=f"{name}@pasuruankab.test")
             for name in ("operator", "verifikator", "walidata", "pembina", "warga")}
    users["sysadmin"] = factories.SysadminWithToken(name="sysadmin")
    opd = factories.Organization(name="dispendukcapil", title="Dinas Kependudukan dan Pencatatan Sipil",
                                 users=[{"name": "operator", "capacity": "editor"},
                                        {"name": "verifikator", "capacity": "admin"}])
    factories.Organization(name="walidata", title="Walidata (Diskominfo)",
                           users=[{"name": "walidata", "capacity": "editor"}])
    factories.Organization(name="bps-kabupaten-pasuruan", title="BPS Kabupaten Pasuruan",
                           users=[{"name": "pembina", "capacity": "member"}])
    return Portal(opd=opd, other_opd=opd, users=users)


@pytest.fixture
def app(plugins_loaded, ckan_config):
    """A fresh test client (no cookies, so no flash message of an earlier test) on the folder's app."""
    return ckan_helpers.CKANTestApp(plugins_loaded[1])


@pytest.fixture
def request_context(app):
    with app.flask_app.test_request_context():
        yield


@pytest.fixture
def clean_db(portal):
    """Empty page tables (they live in their own schema); the folder's actors stay."""
    model.Session.rollback()
    model.Session.execute(records.attachment.delete())
    model.Session.execute(records.page.delete())
    model.Session.commit()


@pytest.fixture
def storage(tmp_path, ckan_config, monkeypatch) -> Path:
    """A fresh ckan.storage_path per test."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    return tmp_path


def stored_files(storage: Path) -> list[Path]:
    folder = storage / "storage" / "uploads" / "satudata_pages"
    return sorted(p for p in folder.glob("*") if p.is_file()) if folder.exists() else []


def xlsx_bytes() -> bytes:
    """A minimal ZIP with the parts that make it look like a workbook (enough for the signature check)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CSV = b"kecamatan,jumlah\nBangil,1\nPurwosari,2\n"


def upload(data: bytes, filename: str, content_type: str | None = None) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def headers(portal: Portal, who: str) -> dict[str, str]:
    return {"Authorization": portal.users[who]["token"]}


def make_page(portal: Portal, who: str = "walidata", **overrides: Any) -> dict[str, Any]:
    data = {"slug": "panduan-unggah", "title": "Panduan unggah", "section": "panduan",
            "body": "Isi **panduan**.", "published": True}
    data.update(overrides)
    return portal.call("satudata_page_create", who, **data)


__all__ = ["PLUGINS", "stored_files", "xlsx_bytes", "PDF", "CSV", "upload", "headers", "make_page"]
