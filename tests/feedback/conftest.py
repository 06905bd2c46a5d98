"""Fixtures of the feedback suite: the workflow's portal, a published dataset, a real SMTP inbox."""
from __future__ import annotations

import email
import socket
import time
from email.header import decode_header, make_header
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from ckan import model

from ckanext.satudatapasuruan.feedback import records

from ..module_app import module_app_fixtures
from ..workflow import conftest as workflow_conftest
from ..workflow.conftest import PLUGINS as WORKFLOW_PLUGINS
from ..workflow.conftest import Portal

# The workflow's plugins without the DataStore (nothing here reads or writes it; loading it costs per test).
PLUGINS = " ".join(p for p in WORKFLOW_PLUGINS.split() if p != "datastore") + " satudata_feedback"
portal = workflow_conftest.portal  # the workflow suite's actors, as a fixture here too


# Settings every module of the suite runs with, applied before the plugins and the app are made once per
# module (loading the plugins and building the app per test cost most of the suite's time). Tests still set
# further options with the ``ckan_config`` mark, through ``with_plugins`` below.
MODULE_CONFIG = {"ckan.plugins": PLUGINS, "ckan.locale_default": "id",
                 "ckanext.satudatapasuruan.workflow.notify_email": False}


_loaded, with_plugins, app = module_app_fixtures(MODULE_CONFIG)


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for, clean_redis):  # noqa: F811 - replaces CKAN's
    """CKAN's clean database, the activity plugin's migration, empty feedback tables (their own schema, which
    CKAN's reset leaves alone) and an empty Redis database (counters and rate limits)."""
    reset_db()
    _migrate(migrate_db_for)
    for table in (records.usage_flush, records.usage_daily, records.rating, records.request_history,
                  records.request):
        model.Session.execute(table.delete())
    model.Session.commit()


def _migrate(migrate_db_for) -> None:
    """The activity plugin's and our migrations, when not applied: CKAN's first reset in a process rebuilds
    its tables (the activity table without the plugin's ``permission_labels``), later resets delete rows
    only, so running Alembic before every test would only cost time."""
    inspector = sa.inspect(model.Session.connection())
    activity = {c["name"] for c in inspector.get_columns("activity")} if inspector.has_table("activity") else set()
    if "permission_labels" not in activity:
        migrate_db_for("activity")
    if not inspector.has_table("usage_flush", schema="satudata_feedback"):
        migrate_db_for("satudata_feedback")
    model.Session.commit()


@pytest.fixture
def light_db(with_plugins, non_clean_db, migrate_db_for):
    """For checks that write nothing (bad input refused before any write): CKAN's database reset once per
    session and the migrations, but no per-test reset."""
    _migrate(migrate_db_for)


@pytest.fixture
def published(portal) -> dict[str, Any]:
    """A published terbuka dataset of the OPD."""
    ds = portal.dataset(title="Jumlah Penduduk Terbuka")
    portal.publish(ds["id"])
    return portal.call("package_show", "sysadmin", id=ds["id"])


@pytest.fixture
def secret(portal) -> dict[str, Any]:
    """A rahasia dataset, published: only its OPD and the walidata may see it."""
    ds = portal.dataset("rahasia", name="data-rahasia-kependudukan", title="Data Rahasia Kependudukan")
    portal.publish(ds["id"])
    return portal.call("package_show", "sysadmin", id=ds["id"])


def headers(portal: Portal, who: str | None) -> dict[str, str]:
    return {"Authorization": portal.users[who]["token"]} if who else {}


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content)
        message["X-Rcpt"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def for_(self, address: str) -> list[tuple[str, str]]:
        return [(str(make_header(decode_header(m["Subject"]))), m.get_payload(decode=True).decode("utf-8"))
                for m in self.messages if address in m["X-Rcpt"]]

    def wait(self, address: str, n: int = 1, seconds: float = 5.0) -> list[tuple[str, str]]:
        end = time.monotonic() + seconds
        while time.monotonic() < end and len(self.for_(address)) < n:
            time.sleep(0.05)
        return self.for_(address)


@pytest.fixture
def inbox(monkeypatch):
    """A real SMTP server on a free loopback port, CKAN's smtp.server pointing at it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
    yield handler
    controller.stop()


REQUEST = {"data": "Jumlah UMKM per kecamatan 2020-2025", "tujuan": "Penelitian skripsi ekonomi daerah",
           "nama": "Siti Aminah", "email": "siti@warga.test", "telepon": "+62 812-3456-7890"}


def make_request(**overrides: Any) -> dict[str, Any]:
    from ckan.tests import helpers
    data = {**REQUEST, **overrides}
    return helpers.call_action("satudata_data_request_create", context={"user": "", "ignore_auth": False}, **data)


__all__ = ["PLUGINS", "REQUEST", "headers", "make_request", "Inbox"]
