"""Fixtures of the calendar suite: the workflow's portal, a real SMTP sink, entries made through the actions."""
from __future__ import annotations

import socket
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from aiosmtpd.controller import Controller
from ckan import model

from ckanext.satudatapasuruan.calendar import records

from ..workflow import conftest as workflow_conftest
from ..workflow.conftest import PLUGINS as WORKFLOW_PLUGINS
from ..workflow.conftest import Portal
from ..workflow.test_notify import _Inbox

PLUGINS = WORKFLOW_PLUGINS + " satudata_calendar"
portal = workflow_conftest.portal  # the workflow suite's actors, as a fixture here too


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean database, the activity plugin's migration, and empty calendar tables (they live in their own
    schema, which CKAN's reset leaves alone)."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("satudata_calendar")
    for table in (records.reminder, records.entry_event, records.release_schedule, records.entry):
        model.Session.execute(table.delete())
    model.Session.commit()


@pytest.fixture
def inbox(monkeypatch):
    """A real SMTP server on a free loopback port (aiosmtpd), as the workflow's mail tests use."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
    yield handler
    controller.stop()


def entry_data(portal: Portal, **overrides: Any) -> dict[str, Any]:
    data = {"owner_org": portal.opd["name"], "urusan": "2.12", "title": "Jumlah Penduduk Menurut Kecamatan",
            "period": "2025", "scheduled_date": "2026-03-31"}
    data.update(overrides)
    return data


def make_entry(portal: Portal, who: str = "operator", **overrides: Any) -> dict[str, Any]:
    return portal.call("satudata_calendar_entry_create", who, **entry_data(portal, **overrides))


def headers(portal: Portal, who: str) -> dict[str, str]:
    return {"Authorization": portal.users[who]["token"]}


__all__ = ["PLUGINS", "entry_data", "make_entry", "headers"]
