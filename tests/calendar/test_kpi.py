"""The KPI "priority datasets released on calendar schedule" and the home page's upcoming helper."""
from __future__ import annotations

import pytest
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.satudatapasuruan.calendar import helpers as calendar_helpers

from .conftest import PLUGINS, make_entry

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def test_share_per_year_and_opd(portal):
    """Priority from the dataset's data_prioritas (or the entry's flag without a dataset); due = the first date
    passed or published; on schedule = published by the first date; postponed counts as late; per OPD."""
    with freeze_time("2026-01-05 03:00:00"):
        on_time = portal.dataset(name="prioritas-tepat")
        late = portal.dataset(name="prioritas-telat")
        not_priority = portal.dataset(name="bukan-prioritas", data_prioritas="tidak", dasar_hukum_prioritas="")
        make_entry(portal, package_id=on_time["id"], scheduled_date="2026-01-10")
        postponed = make_entry(portal, package_id=late["id"], scheduled_date="2026-01-10")
        make_entry(portal, package_id=not_priority["id"], scheduled_date="2026-01-10")
        make_entry(portal, title="Tanpa dataset prioritas", priority=True, scheduled_date="2026-01-20")
        make_entry(portal, title="Tanpa dataset biasa", scheduled_date="2026-01-20")
        make_entry(portal, title="Belum jatuh tempo", priority=True, scheduled_date="2026-06-30")
        make_entry(portal, "walidata", owner_org=portal.other_opd["name"], priority=True, scheduled_date="2026-01-02")
        make_entry(portal, title="Tahun lalu", priority=True, scheduled_date="2025-12-31")
        portal.publish(on_time["id"])
        portal.call("satudata_calendar_entry_postpone", "operator", id=postponed["id"], new_date="2026-01-15",
                    reason="Menunggu validasi")
    with freeze_time("2026-01-12 03:00:00"):
        portal.publish(late["id"])
    with freeze_time("2026-02-01 03:00:00"):
        kpi = helpers.call_action("satudata_calendar_kpi", context={"user": "", "ignore_auth": False}, year="2026")
        mine = helpers.call_action("satudata_calendar_kpi", year=2026, organization="dispendukcapil")
    assert kpi["priority_entries"] == 5 and kpi["due"] == 4 and kpi["on_schedule"] == 1
    assert kpi["share"] == 0.25 and kpi["target"] == 0.7
    per = {p["name"]: p for p in kpi["per_opd"]}
    assert per["dispendukcapil"]["due"] == 3 and per["dispendukcapil"]["share"] == round(1 / 3, 4)
    assert per["dinas-kesehatan"]["due"] == 1 and per["dinas-kesehatan"]["share"] == 0.0
    assert mine["due"] == 3 and [p["name"] for p in mine["per_opd"]] == ["dispendukcapil"]
    assert set(per["dispendukcapil"]) == {"organization", "name", "title", "priority_entries", "due", "on_schedule",
                                          "share"}  # counts per OPD, no entry titles


def test_bad_kpi_input(portal):
    """A missing or impossible year and an unknown OPD are validation errors; an empty year is null, not 0/0."""
    for data, field in (({}, "year"), ({"year": "dua ribu"}, "year"), ({"year": 1999}, "year"),
                        ({"year": 2026, "organization": "tidak-ada"}, "organization")):
        with pytest.raises(helpers.logic.ValidationError) as err:
            helpers.call_action("satudata_calendar_kpi", **data)
        assert field in err.value.error_dict
    empty = helpers.call_action("satudata_calendar_kpi", year=2031)
    assert empty["share"] is None and empty["target"] is None and empty["per_opd"] == []


def test_upcoming_helper(app, portal):
    """The next unpublished entries the viewer may see, soonest first, limited."""
    make_entry(portal, title="Kedua", scheduled_date="2099-02-01")
    make_entry(portal, title="Pertama", scheduled_date="2099-01-01")
    make_entry(portal, title="Ketiga", scheduled_date="2099-03-01")
    make_entry(portal, title="Internal", scheduled_date="2099-01-02", public=False)
    make_entry(portal, title="Lalu", scheduled_date="2001-01-01")
    with app.flask_app.test_request_context():
        assert [e["title"] for e in calendar_helpers.satudata_calendar_upcoming(2)] == ["Pertama", "Kedua"]
