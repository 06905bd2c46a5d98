"""Harvested datasets land as drafts unless the walidata allowed their source to publish directly."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS + " harvest ckan_harvester"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("harvest")


@pytest.fixture
def source(portal):
    return helpers.call_action("harvest_source_create", context={"user": "sysadmin"}, name="simpeg-bkpsdm",
                               title="SIMPEG BKPSDM", url="http://127.0.0.1:9/", source_type="ckan",
                               owner_org=portal.opd["id"])


def _land(portal, dataset_id, source_id):
    site = helpers.call_action("get_site_user")["name"]
    return helpers.call_action("satudata_harvest_land", context={"user": site, "ignore_auth": False},
                               id=dataset_id, source_id=source_id)


def test_untrusted_source_lands_drafts(portal, source):
    ds = portal.dataset()
    assert _land(portal, ds["id"], source["id"])["state"] == "draft"
    assert portal.call("satudata_harvest_policy_show", "operator", source_id=source["id"])["publish_directly"] is False


def test_trusted_source_publishes_through_the_tiers(portal, source):
    """Once the walidata allows the source, its datasets are published, each tier recorded."""
    portal.call("satudata_harvest_policy_set", "walidata", source_id=source["name"], publish_directly=True)
    ds = portal.dataset()
    assert _land(portal, ds["id"], source["id"])["state"] == "terbit"
    history = portal.call("satudata_workflow_history", "walidata", id=ds["id"])
    assert [e["action"] for e in history] == ["create", "submit", "approve", "publish"]
    assert "SIMPEG BKPSDM" in history[-1]["note"]
    portal.call("satudata_harvest_policy_set", "walidata", source_id=source["id"], publish_directly="false")
    other = portal.dataset(name="dataset-kedua")
    assert _land(portal, other["id"], source["id"])["state"] == "draft"


@pytest.mark.parametrize("who", ["operator", "verifikator", "pembina"])
def test_only_the_walidata_trusts_a_source(portal, source, who):
    with pytest.raises(tk.NotAuthorized):
        portal.call("satudata_harvest_policy_set", who, source_id=source["id"], publish_directly=True)
    assert portal.call("satudata_harvest_policy_show", "operator", source_id=source["id"])["publish_directly"] is False


def test_bad_input(portal, source):
    with pytest.raises(tk.ObjectNotFound):
        portal.call("satudata_harvest_policy_set", "walidata", source_id="tidak-ada", publish_directly=True)
    ds = portal.dataset()
    with pytest.raises(tk.ObjectNotFound):  # a dataset is not a harvest source
        portal.call("satudata_harvest_policy_set", "walidata", source_id=ds["id"], publish_directly=True)
    with pytest.raises(tk.ValidationError) as err:
        portal.call("satudata_harvest_policy_set", "walidata", source_id=source["id"])
    assert "publish_directly" in err.value.error_dict
    with pytest.raises(tk.NotAuthorized):  # only the harvest process lands datasets
        portal.call("satudata_harvest_land", "walidata", id=ds["id"], source_id=source["id"])
