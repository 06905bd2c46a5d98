"""The daftar data prioritas is the one source of "priority dataset" for the other KPIs: with this plugin
enabled, the release calendar's on-schedule KPI counts the datasets its priority entries link, whatever their
own ``data_prioritas`` flag says (without the plugin the flag decides: tests/calendar/test_kpi.py)."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.satudatapasuruan import priority
from ckanext.satudatapasuruan.calendar import records as calendar_records

from .conftest import PLUGINS, make_entry

EXTRA_CONFIG = {"ckan.plugins": PLUGINS + " satudata_calendar"}

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


@pytest.fixture
def calendar_empty():
    for table in (calendar_records.reminder, calendar_records.entry_event, calendar_records.release_schedule,
                  calendar_records.entry):
        model.Session.execute(table.delete())
    model.Session.commit()


@pytest.mark.usefixtures("calendar_empty")
def test_calendar_kpi_follows_the_daftar_data(portal):
    with freeze_time("2026-01-05 03:00:00"):
        # flagged ya but not in the priority list; flagged tidak but listed as priority
        flagged = portal.dataset(name="ditandai-prioritas")
        listed = portal.dataset(name="tercantum-prioritas", data_prioritas="tidak", dasar_hukum_prioritas="")
        make_entry(portal, package_ids=[listed["id"]], status="tersedia")
        for pkg in (flagged, listed):
            portal.call("satudata_calendar_entry_create", "operator", owner_org=portal.opd["name"], urusan="2.12",
                        title=f"Rilis {pkg['name']}", period="2025", scheduled_date="2026-01-10",
                        package_id=pkg["id"])
        portal.publish(listed["id"])
    assert priority.listed_package_ids() == frozenset({listed["id"]})
    with freeze_time("2026-02-01 03:00:00"):
        kpi = helpers.call_action("satudata_calendar_kpi", year=2026)
    # one priority entry (the listed dataset's), due and published on time; the flagged one does not count
    assert (kpi["priority_entries"], kpi["due"], kpi["on_schedule"]) == (1, 1, 1)
