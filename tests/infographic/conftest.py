"""Fixtures of the infographic suite: the workflow's portal, approved templates, images and infographics."""
from __future__ import annotations

import io
from typing import Any

import pytest
from ckan import model
from ckan.tests import helpers
from PIL import Image
from werkzeug.datastructures import FileStorage

from ckanext.satudatapasuruan.infographic import records

from ..workflow import conftest as workflow_conftest
from ..workflow.conftest import PLUGINS as WORKFLOW_PLUGINS
from ..workflow.conftest import Portal

PLUGINS = WORKFLOW_PLUGINS + " satudata_infographic"
portal = workflow_conftest.portal  # the workflow suite's actors, as a fixture here too


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean database, the activity plugin's migration, and empty infographic tables (they live in
    their own schema, which CKAN's reset leaves alone)."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("satudata_infographic")
    model.Session.execute(records.link.delete())
    model.Session.execute(records.template.delete())
    model.Session.commit()


@pytest.fixture
def storage(tmp_path, ckan_config, monkeypatch):
    """A fresh ckan.storage_path per test (uploads and the render cache)."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    return tmp_path


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (800, 600), colour=(200, 40, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, kind)
    return buf.getvalue()


def upload(data: bytes, filename: str = "infografis.png") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename)


@pytest.fixture
def templates(portal) -> dict[str, dict[str, Any]]:
    """The two seeded official templates, approved by the walidata."""
    out = {}
    for design in records.DEFAULT_TEMPLATES:
        created = portal.call("satudata_infographic_template_create", "walidata", **design)
        out[design["name"]] = portal.call("satudata_infographic_template_approve", "walidata", id=created["id"])
    return out


@pytest.fixture
def published(portal) -> dict[str, Any]:
    """A published terbuka dataset of the OPD, to be linked."""
    ds = portal.dataset()
    portal.publish(ds["id"])
    return portal.call("package_show", "sysadmin", id=ds["id"])


def infographic_data(portal: Portal, linked: list[str], **overrides: Any) -> dict[str, Any]:
    data = {"type": "infografis", "name": "infografis-penduduk-2024", "title": "Penduduk Kabupaten Pasuruan 2024",
            "owner_org": portal.opd["id"], "tahun": "2024", "periode_awal": "2024-01-01",
            "periode_akhir": "2024-12-31", "dataset_terkait": linked}
    data.update(overrides)
    return data


def make_infographic(portal: Portal, linked: list[str], artwork: bytes | None = None, filename: str = "karya.png",
                     **overrides: Any) -> dict[str, Any]:
    """An infographic dataset (a draft) with its artwork uploaded as a resource, as the OPD's operator."""
    pkg = portal.call("package_create", "operator", **infographic_data(portal, linked, **overrides))
    if artwork is not None:
        portal.call("resource_create", "operator", package_id=pkg["id"], name="Karya", url="",
                    upload=upload(artwork, filename))
    return portal.call("package_show", "sysadmin", id=pkg["id"])


def headers(portal: Portal, who: str) -> dict[str, str]:
    return {"Authorization": portal.users[who]["token"]}


__all__ = ["PLUGINS", "image_bytes", "upload", "infographic_data", "make_infographic", "headers", "helpers"]
