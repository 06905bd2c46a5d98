"""Fixtures of the quality suite: the workflow's portal (OPD, other OPD, walidata…) and the quality tables."""
from __future__ import annotations

from typing import Any

import pytest
from ckan import model

from ckanext.satudatapasuruan.quality import records

from ..workflow import conftest as workflow_conftest
from ..workflow.conftest import PLUGINS as WORKFLOW_PLUGINS
from ..workflow.conftest import Portal

PLUGINS = WORKFLOW_PLUGINS + " satudata_quality"
portal = workflow_conftest.portal  # the workflow suite's actors, as a fixture here too


_migrated: list[bool] = []


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean database, the activity plugin's migration, and empty quality tables (they live in their
    own schema, which CKAN's reset leaves alone: migrated once per test process)."""
    reset_db()
    migrate_db_for("activity")
    if not _migrated:
        migrate_db_for("satudata_quality")
        _migrated.append(True)
    for table in (records.ticket_comment, records.ticket_event, records.ticket):
        model.Session.execute(table.delete())
    model.Session.commit()


def tickets(portal: Portal, who: str = "sysadmin", **filters: Any) -> list[dict[str, Any]]:
    return portal.call("satudata_quality_ticket_list", who, **filters)["results"]


def ticket_of(portal: Portal, package_id: str, rule: str) -> dict[str, Any] | None:
    found = [t for t in tickets(portal, package=package_id) if t["rule"] == rule]
    return found[0] if found else None


__all__ = ["PLUGINS", "Portal", "tickets", "ticket_of"]
