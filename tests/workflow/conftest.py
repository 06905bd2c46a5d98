from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from ckan.tests import factories, helpers

from ..metadata.conftest import complete_dataset

PLUGINS = ("satudata_pgsearch satudata_metadata satudata_workflow scheming_datasets scheming_organizations "
           "activity datastore")


@dataclass
class Portal:
    """The actors of one OPD's data: the OPD itself, another OPD, the walidata and a pembina."""

    opd: dict[str, Any]
    other_opd: dict[str, Any]
    users: dict[str, dict[str, Any]] = field(default_factory=dict)

    def ctx(self, who: str) -> dict[str, Any]:
        return {"user": self.users[who]["name"], "ignore_auth": False}

    def call(self, action: str, who: str, **data: Any) -> Any:
        return helpers.call_action(action, context=self.ctx(who), **data)

    def dataset(self, klass: str = "terbuka", **overrides: Any) -> dict[str, Any]:
        data = complete_dataset(self.opd["id"], klasifikasi_akses=klass, **overrides)
        return self.call("package_create", "operator", **data)

    def publish(self, dataset_id: str) -> None:
        self.call("satudata_workflow_submit", "operator", id=dataset_id)
        self.call("satudata_workflow_approve", "verifikator", id=dataset_id)
        self.call("satudata_workflow_publish", "walidata", id=dataset_id)


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean database plus the activity plugin's migration (its permission labels)."""
    reset_db()
    migrate_db_for("activity")


@pytest.fixture
def portal() -> Portal:
    users = {name: factories.UserWithToken(name=name, email=f"{name}@pasuruankab.test")
             for name in ("operator", "verifikator", "operator_lain", "walidata", "pembina", "warga", "penerima")}
    users["sysadmin"] = factories.SysadminWithToken(name="sysadmin")
    opd = factories.Organization(name="dispendukcapil", title="Dinas Kependudukan dan Pencatatan Sipil",
                                 users=[{"name": "operator", "capacity": "editor"},
                                        {"name": "verifikator", "capacity": "admin"}])
    other = factories.Organization(name="dinas-kesehatan", users=[{"name": "operator_lain", "capacity": "editor"}])
    factories.Organization(name="walidata", title="Walidata (Diskominfo)",
                           users=[{"name": "walidata", "capacity": "editor"}])
    factories.Organization(name="bps-kabupaten-pasuruan", title="BPS Kabupaten Pasuruan",
                           users=[{"name": "pembina", "capacity": "member"}])
    return Portal(opd=opd, other_opd=other, users=users)
