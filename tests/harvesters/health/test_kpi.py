"""KPI "priority datasets updated by automated sync": the numbers, per OPD, and no private names leaked."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
from freezegun import freeze_time

from .conftest import PLUGINS, finished_run

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

NOW = dt.datetime(2026, 12, 2, 3, 0)  # 10:00 WIB, the morning after a nightly run


def _publish(portal, dataset_id):
    portal.call("satudata_workflow_submit", "operator", id=dataset_id)
    portal.call("satudata_workflow_approve", "verifikator", id=dataset_id)
    portal.call("satudata_workflow_publish", "walidata", id=dataset_id)


@pytest.fixture
def catalogue(portal):
    """Priority datasets in two OPDs, kept current or not by harvest sources of each frequency."""
    ds = {name: portal.dataset(name, org=org)["id"] for name, org in (
        ("synced", None), ("manual", None), ("stale", None), ("not-harvested", None),
        ("dinkes-synced", portal.other_opd), ("dinkes-record-failed", portal.other_opd))}
    ds["not-priority"] = portal.dataset("not-priority", data_prioritas="tidak", dasar_hukum_prioritas="")["id"]
    _publish(portal, ds["synced"])
    with freeze_time(NOW - dt.timedelta(days=20)):
        nightly = portal.source("simpeg", frequency="DAILY")
        manual = portal.source("sipd", frequency="MANUAL")
        weekly = portal.source("sik", frequency="WEEKLY")
        dinkes = portal.source("sik-dinkes", org=portal.other_opd, frequency="DAILY")
    night = NOW - dt.timedelta(hours=10)  # 00:00 WIB
    finished_run(nightly["id"], start=night, packages={"a": ds["synced"], "np": ds["not-priority"]})
    finished_run(manual["id"], start=night, packages={"m": ds["manual"]})
    # the weekly source's last good run is 9 days old, and its run since failed
    finished_run(weekly["id"], start=NOW - dt.timedelta(days=9), packages={"s": ds["stale"]})
    finished_run(weekly["id"], start=NOW - dt.timedelta(days=2), gather_errors=("HTTP 500",))
    finished_run(dinkes["id"], start=night - dt.timedelta(days=1),
                 packages={"d1": ds["dinkes-synced"], "d2": ds["dinkes-record-failed"]})
    finished_run(dinkes["id"], start=night, packages={"d1": ds["dinkes-synced"]}, unchanged=3,
                 record_errors=(("d2", "Import", "Kolom 'tahun' tidak ada"),))
    with freeze_time(NOW):
        portal.tick()
    return ds


def test_numbers_and_breakdown(portal, catalogue):
    """Only priority datasets count; of them, those whose scheduled source's last good run is within its
    period and did not fail on their record: here 2 of 6, 1 of 4 for BKPSDM and 1 of 2 for Dinas Kesehatan."""
    with freeze_time(NOW):
        kpi = portal.call("satudata_harvest_kpi", None)
    assert (kpi["numerator"], kpi["denominator"], kpi["share"]) == (2, 6, 0.3333)
    orgs = {o["name"]: o for o in kpi["organizations"]}
    assert (orgs["bkpsdm"]["numerator"], orgs["bkpsdm"]["denominator"]) == (1, 4)
    assert (orgs["dinas-kesehatan"]["numerator"], orgs["dinas-kesehatan"]["denominator"]) == (1, 2)
    assert orgs["dinas-kesehatan"]["share"] == 0.5 and "datasets" not in kpi


def test_window_and_grace(portal, catalogue):
    """Beyond a day plus the 6 h grace after the nightly runs (and no run since), DAILY sources no longer count."""
    with freeze_time(NOW + dt.timedelta(hours=22)):  # 32 h after the run
        assert portal.call("satudata_harvest_kpi", None)["numerator"] == 0
    with freeze_time(NOW + dt.timedelta(hours=10)):  # 20 h after the run
        assert portal.call("satudata_harvest_kpi", None)["numerator"] == 2


def test_private_names_stay_private(portal, catalogue):
    """Anonymous visitors get the names of public datasets only; an OPD also its own drafts; sysadmins all."""
    with freeze_time(NOW):
        public = portal.call("satudata_harvest_kpi", None, include_datasets=True)["datasets"]
        own = portal.call("satudata_harvest_kpi", "operator_lain", include_datasets=True)["datasets"]
        everything = portal.call("satudata_harvest_kpi", "sysadmin", include_datasets=True)["datasets"]
    assert [(d["name"], d["synced"]) for d in public] == [("synced", True)]
    assert {d["name"] for d in own} == {"synced", "dinkes-synced", "dinkes-record-failed"}
    assert len(everything) == 6 and {d["name"]: d["synced"] for d in everything}["dinkes-record-failed"] is False


def test_no_priority_datasets(portal):
    kpi = portal.call("satudata_harvest_kpi", None)
    assert (kpi["numerator"], kpi["denominator"], kpi["share"], kpi["organizations"]) == (0, 0, None, [])


def test_bad_input(portal):
    with pytest.raises(tk.ValidationError) as err:
        portal.call("satudata_harvest_kpi", None, include_datasets="mungkin")
    assert "include_datasets" in err.value.error_dict
