"""Who sees which tickets: an OPD its own, the walidata all, nobody a rahasia dataset's outside its OPD."""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from .conftest import PLUGINS, ticket_of, tickets

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              # a published dataset with an open kritis ticket: possible only past the publish gate
              pytest.mark.ckan_config("ckanext.satudatapasuruan.quality.publish_gate.enabled", False),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def test_opd_sees_only_its_own_and_walidata_all(portal):
    """OPD B's operator sees none of OPD A's tickets (also when filtering by OPD A), not even of a published
    terbuka dataset; cannot show, update or comment one; the walidata sees and filters every OPD's;
    the pembina sees none and a citizen may not ask."""
    open_ds = portal.dataset(name="terbuka-a", konsep="")
    portal.publish(open_ds["id"])
    secret = portal.dataset("rahasia", name="rahasia-a", konsep="")
    secret_ticket = ticket_of(portal, secret["id"], "MQ-001")
    assert {t["package_name"] for t in tickets(portal, "operator")} == {"terbuka-a", "rahasia-a"}
    assert {t["package_name"] for t in tickets(portal, "walidata", organization="dispendukcapil")} == {
        "terbuka-a", "rahasia-a"}
    assert tickets(portal, "operator_lain") == []
    assert tickets(portal, "operator_lain", organization="dispendukcapil") == []
    for action, extra in (("satudata_quality_ticket_show", {}), ("satudata_quality_ticket_comment", {"text": "x"}),
                          ("satudata_quality_ticket_update", {"status": "dikerjakan"})):
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call(action, "operator_lain", id=secret_ticket["id"], **extra)
    assert tickets(portal, "pembina") == []  # a member of its own (BPS) organisation only
    with pytest.raises(helpers.logic.NotAuthorized):
        portal.call("satudata_quality_ticket_list", "warga")
    with pytest.raises(helpers.logic.NotAuthorized):
        helpers.call_action("satudata_quality_ticket_list", context={"user": "", "ignore_auth": False})
    kpi = portal.call("satudata_quality_kpi", "operator_lain")
    assert kpi["overall"]["opened"] == 0


def test_member_of_owning_opd_who_may_not_show_sees_nothing(portal):
    """A plain 'member' of the OPD sees the tickets of datasets package_show lets it see, but may not work on
    them (only operators, verifikators and the walidata do)."""
    factories.User(name="anggota")
    helpers.call_action("organization_member_create", id=portal.opd["id"], username="anggota", role="member")
    ds = portal.dataset(konsep="")
    ticket = ticket_of(portal, ds["id"], "MQ-001")
    seen = helpers.call_action("satudata_quality_ticket_list", context={"user": "anggota", "ignore_auth": False})
    assert [t["id"] for t in seen["results"]] == [ticket["id"]]
    with pytest.raises(helpers.logic.NotAuthorized):
        helpers.call_action("satudata_quality_ticket_update", context={"user": "anggota", "ignore_auth": False},
                            id=ticket["id"], status="dikerjakan")


def test_open_ticket_datasets_for_the_walidata_only(portal):
    """The aggregate list of datasets with open tickets (the Monev dashboard's): every OPD's, rahasia included,
    one row per dataset and status, no findings; closed tickets and deleted datasets left out; the walidata
    only."""
    secret = portal.dataset("rahasia", name="rahasia-terbuka-tiket", konsep="")
    worked = portal.dataset(name="sedang-dikerjakan", konsep="")
    fixed = portal.dataset(name="sudah-diperbaiki", konsep="")
    gone = portal.dataset(name="akan-dihapus", konsep="")
    portal.call("satudata_quality_ticket_update", "operator", id=ticket_of(portal, worked["id"], "MQ-001")["id"],
                status="dikerjakan")
    portal.call("package_patch", "operator", id=fixed["id"], konsep="Penduduk")
    portal.call("package_delete", "operator", id=gone["id"])
    found = portal.call("satudata_quality_open_ticket_datasets", "walidata")
    rows = {(r["package_id"], r["status"]) for r in found["results"]}
    assert (secret["id"], "terbuka") in rows and (worked["id"], "dikerjakan") in rows
    assert not any(pid in (fixed["id"], gone["id"]) for pid, _s in rows)
    assert {r["organization"] for r in found["results"]} == {"dispendukcapil"}
    assert set(found["results"][0]) == {"package_id", "organization", "status"}
    only = portal.call("satudata_quality_open_ticket_datasets", "walidata", package_ids=[worked["id"], fixed["id"]])
    assert [(r["package_id"], r["status"]) for r in only["results"]] == [(worked["id"], "dikerjakan")]
    assert portal.call("satudata_quality_open_ticket_datasets", "walidata", package_ids=[])["count"] == 0
    with pytest.raises(helpers.logic.ValidationError):
        portal.call("satudata_quality_open_ticket_datasets", "walidata", package_ids=[{"id": 1}])
    for who in ("operator", "verifikator", "pembina", "warga"):
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call("satudata_quality_open_ticket_datasets", who)
