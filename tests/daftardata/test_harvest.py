"""With ckanext-harvest enabled, an application is ``dipanen`` only with a harvest source that exists."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from .conftest import PLUGINS

EXTRA_CONFIG = {"ckan.plugins": PLUGINS + " harvest ckan_harvester"}

pytestmark = pytest.mark.usefixtures("clean_db")


def test_dipanen_needs_an_existing_source(portal):
    """An unknown source is refused by name; a registered one (given by name) is accepted and kept by its id;
    clearing it goes with leaving ``dipanen``."""
    with pytest.raises(tk.ValidationError) as err:
        portal.call("satudata_daftardata_app_create", "operator", owner_org="dispendukcapil", name="SIAK",
                    integration="dipanen", harvest_source_id="tidak-ada")
    assert err.value.error_dict["harvest_source_id"] == ["Sumber panen 'tidak-ada' tidak ditemukan"]
    source = helpers.call_action("harvest_source_create", context={"user": "sysadmin"}, name="sumber-siak",
                                 title="SIAK", url="http://127.0.0.1:1/", source_type="ckan",
                                 owner_org=portal.opd["id"])
    made = portal.call("satudata_daftardata_app_create", "operator", owner_org="dispendukcapil", name="SIAK",
                       integration="dipanen", harvest_source_id="sumber-siak")
    assert made["integration"] == "dipanen" and made["harvest_source_id"] == source["id"]
    assert portal.call("satudata_daftardata_kpi", "warga")["apps_integrated_api"] == 1
    with pytest.raises(tk.ValidationError):
        portal.call("satudata_daftardata_app_update", "operator", id=made["id"], harvest_source_id="lain")
    cleared = portal.call("satudata_daftardata_app_update", "operator", id=made["id"], integration="belum",
                          harvest_source_id="")
    assert cleared["harvest_source_id"] is None
    kpi = portal.call("satudata_daftardata_kpi", "warga")
    assert (kpi["apps_total"], kpi["apps_integrated_api"]) == (1, 0)
