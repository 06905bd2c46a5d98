"""The OPD application harvester end to end: a real loopback source, ckanext-harvest's stages, the CKAN DB."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers
from ckanext.harvest.model import HarvestObject

from ckanext.satudatapasuruan.harvesters import credentials, store

from ..jobs import run_job
from .conftest import PLUGINS, TOKEN, create_source, record, source_config

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")]


def harvest(source_id: str) -> dict[str, Any]:
    """One job through gather, fetch and import as the queue consumers run them; what it left behind."""
    from ckanext.satudatapasuruan.harvesters.opd.harvester import OpdHarvester

    result = run_job(OpdHarvester(), source_id)
    return dict(result, run=store.get_run(result["job"]))


def datasets() -> dict[str, dict[str, Any]]:
    found = helpers.call_action("package_search", context={"ignore_auth": True}, include_private=True,
                                rows=100, fq="dataset_type:dataset")["results"]
    return {d["title"]: d for d in found}


def state(dataset_id: str) -> str:
    return helpers.call_action("satudata_workflow_show", context={"ignore_auth": True}, id=dataset_id)["state"]


def rows(dataset: dict[str, Any]) -> dict[str, dict[str, Any]]:
    resource = next(r for r in dataset["resources"] if r["name"] == "Rincian")
    found = helpers.call_action("datastore_search", context={"ignore_auth": True}, resource_id=resource["id"],
                                limit=100)["records"]
    return {r["kode_rekening"]: r for r in found}


def update_source(source_id: str, **changes: Any) -> None:
    """What the source's edit form does: the shown source, changed, saved."""
    shown = helpers.call_action("harvest_source_show", context={"user": "sysadmin"}, id=source_id)
    fields = {k: shown[k] for k in ("id", "name", "title", "url", "source_type", "frequency", "owner_org", "config")}
    helpers.call_action("harvest_source_update", context={"user": "sysadmin"}, **dict(fields, **changes))


def trust(source_id: str) -> None:
    helpers.call_action("satudata_harvest_policy_set", context={"user": "walidata", "ignore_auth": False},
                        source_id=source_id, publish_directly=True)


@pytest.fixture
def source(portal, opd_source):
    return create_source(portal, opd_source.url, source_config())


class TestFirstRun:
    def test_every_record_lands_as_a_draft_of_the_opd(self, portal, opd_source, source):
        """Five records over three pages become five private drafts of the source's OPD, with their rows."""
        result = harvest(source["id"])
        assert result["gather_errors"] == [] and result["object_errors"] == []
        assert sorted(result["status"].values()) == ["added"] * 5
        found = datasets()
        assert len(found) == 5
        ds = found["Realisasi Anggaran Dinas 4.01.03 Tahun 2026"]
        assert ds["owner_org"] == portal.opd["id"] and ds["private"] is True
        assert (ds["frekuensi"], ds["tahun"], ds["urusan"]) == ("tahunan", "2026", "5.02")
        assert state(ds["id"]) == "draft"
        assert rows(ds)["4.01.03.02"]["realisasi"] == 1500
        # Pages 1-3 of two records each, asked with the token.
        assert [r["query"].get("page") for r in opd_source.requests] == ["1", "2", "3"]
        assert all(r["headers"]["Authorization"] == f"Bearer {TOKEN}" for r in opd_source.requests)

    def test_a_trusted_source_publishes(self, portal, opd_source, source):
        """Where the walidata allowed the source, its datasets are published (and public)."""
        trust(source["id"])
        harvest(source["id"])
        ds = datasets()["Realisasi Anggaran Dinas 4.01.01 Tahun 2026"]
        assert state(ds["id"]) == "terbit"
        assert helpers.call_action("package_show", context={"user": "", "ignore_auth": False}, id=ds["id"])


    def test_a_new_dataset_is_written_once_with_its_table_resource(self, portal, opd_source, source):
        """A new record costs one dataset write: the dataset goes in with its DataStore resource, already marked
        active, and the table is created with its rows under that resource (no resource_create, no flagging)."""
        harvest(source["id"])
        ds = datasets()["Realisasi Anggaran Dinas 4.01.01 Tahun 2026"]
        table = next(r for r in ds["resources"] if r["name"] == "Rincian")
        assert table["datastore_active"] is True and table["url_type"] == "datastore"
        rows = helpers.call_action("datastore_search", resource_id=table["id"])
        assert rows["total"] == 2
        activities = helpers.call_action("package_activity_list", context={"user": "sysadmin"}, id=ds["id"],
                                         include_hidden_activity=True)
        assert [a["activity_type"] for a in activities] == ["new package"]


    def test_records_with_the_same_title_get_numbered_names(self, portal, opd_source, source):
        """The ideal name when it is free (one exact lookup), the stock numbering when it is taken."""
        opd_source.records = [record("4.01.01"), record("4.01.02", nama_skpd="Dinas 4.01.01"),
                              record("4.01.03", nama_skpd="Dinas 4.01.01")]
        harvest(source["id"])
        names = sorted(helpers.call_action("package_search", context={"ignore_auth": True}, include_private=True,
                                           fq="+dataset_type:dataset")["results"], key=lambda d: d["name"])
        ideal = "realisasi-anggaran-dinas-4-01-01-tahun-2026"
        assert [d["name"] for d in names] == [ideal, ideal + "1", ideal + "2"]


class TestIncremental:
    def test_no_change_skips_everything(self, portal, opd_source, source):
        """A second run over an unchanged source imports nothing; the pages come back as 304."""
        harvest(source["id"])
        opd_source.requests.clear()
        result = harvest(source["id"])
        assert result["status"] == {} and result["gather_errors"] == []
        assert (result["run"].listed, result["run"].unchanged, result["run"].complete) == (5, 5, True)
        assert all(r["headers"].get("If-None-Match") for r in opd_source.requests)
        assert len(datasets()) == 5

    def test_a_changed_record_updates_its_dataset_and_rows(self, portal, opd_source, source):
        """Only the changed record is imported again; its dataset and DataStore rows follow the source."""
        harvest(source["id"])
        before = datasets()["Realisasi Anggaran Dinas 4.01.02 Tahun 2026"]
        changed = record("4.01.02", uraian="Diperbarui.")
        changed["rincian"][0]["realisasi"] = 999
        changed["rincian"].append({"kode_rekening": "4.01.02.03", "program": "Baru", "pagu": 5, "realisasi": 1})
        opd_source.records[1] = changed
        result = harvest(source["id"])
        assert result["status"] == {"4.01.02": "updated"}
        after = datasets()["Realisasi Anggaran Dinas 4.01.02 Tahun 2026"]
        assert after["id"] == before["id"] and after["notes"] == "Diperbarui."
        assert {k: r["realisasi"] for k, r in rows(after).items()} == {
            "4.01.02.01": 999, "4.01.02.02": 1500, "4.01.02.03": 1}

    def test_a_mapping_change_reimports(self, portal, opd_source, source):
        """Changing the source's mapping is a change of every record."""
        harvest(source["id"])
        config = source_config()
        config["mapping"]["sumber_data"] = {"value": "SIPD (BPKAD)"}
        update_source(source["id"], config=json.dumps(config))
        result = harvest(source["id"])
        assert sorted(result["status"].values()) == ["updated"] * 5
        assert {d["sumber_data"] for d in datasets().values()} == {"SIPD (BPKAD)"}

    def test_a_record_gone_is_withdrawn_not_deleted(self, portal, opd_source, source):
        """A published dataset whose record left the source is withdrawn with a note, and still exists."""
        trust(source["id"])
        harvest(source["id"])
        gone = datasets()["Realisasi Anggaran Dinas 4.01.05 Tahun 2026"]
        del opd_source.records[4]
        result = harvest(source["id"])
        assert result["status"] == {"4.01.05": "deleted"} and result["run"].withdrawn == 1
        assert state(gone["id"]) == "ditarik"
        history = helpers.call_action("satudata_workflow_history", context={"ignore_auth": True}, id=gone["id"])
        assert "4.01.05" in history[-1]["note"]
        assert helpers.call_action("package_show", context={"ignore_auth": True}, id=gone["id"])["state"] == "active"
        # It comes back: the same dataset is published again.
        opd_source.records.append(record("4.01.05"))
        result = harvest(source["id"])
        assert result["status"] == {"4.01.05": "updated"}
        assert state(gone["id"]) == "terbit" and len(datasets()) == 5

    def test_an_update_of_a_published_dataset_from_an_untrusted_source_is_a_revision(
            self, portal, opd_source, source):
        """The public keeps the published version until the revision is reviewed; rows are not loaded."""
        harvest(source["id"])
        ds = datasets()["Realisasi Anggaran Dinas 4.01.01 Tahun 2026"]
        helpers.call_action("satudata_workflow_submit", context={"ignore_auth": True}, id=ds["id"])
        helpers.call_action("satudata_workflow_approve", context={"ignore_auth": True}, id=ds["id"])
        helpers.call_action("satudata_workflow_publish", context={"ignore_auth": True}, id=ds["id"])
        opd_source.records[0] = record("4.01.01", uraian="Versi baru dari SIPD.")
        result = harvest(source["id"])
        assert any("revisi" in m for m in result["object_errors"])
        shown = helpers.call_action("package_show", context={"ignore_auth": True}, id=ds["id"])
        assert shown["notes"] != "Versi baru dari SIPD."
        revision = helpers.call_action("satudata_revision_show", context={"ignore_auth": True}, id=ds["id"])
        assert revision["state"] == "diajukan"


@pytest.mark.parametrize("paging", ["offset", "cursor", "next_link", "link_header", "none"])
def test_every_pagination_walks_all_records_once(portal, opd_source, paging):
    """Offset, cursor, next link in the body, the HTTP Link header, and no paging all list five records."""
    pagination = {"offset": {"type": "offset", "param": "offset", "limit_param": "limit", "size": 2},
                  "cursor": {"type": "cursor", "param": "cursor", "cursor_path": "meta.next_cursor"},
                  "next_link": {"type": "next_link", "next_path": "links.next"},
                  "link_header": {"type": "next_link"},
                  "none": {"type": "none"}}[paging]
    opd_source.paging = paging
    src = create_source(portal, opd_source.url, source_config(pagination=pagination))
    result = harvest(src["id"])
    assert result["gather_errors"] == []
    assert sorted(result["status"]) == [f"4.01.{i:02d}" for i in range(1, 6)]


class TestSecrets:
    def test_the_token_is_never_shown_back(self, portal, opd_source, source):
        """harvest_source_show and the edit form carry a mask; the stored token is still used."""
        shown = helpers.call_action("harvest_source_show", context={"user": "sysadmin"}, id=source["id"])
        assert TOKEN not in json.dumps(shown)
        assert json.loads(shown["config"])["auth"]["token"] == credentials.MASK
        assert harvest(source["id"])["object_errors"] == []

    def test_saving_the_mask_keeps_the_token_and_a_new_value_replaces_it(self, portal, opd_source, source):
        """Editing other settings keeps the stored token; giving a new one replaces it."""
        update_source(source["id"], title="SIPD BPKAD (baru)")
        assert store.get_secrets(source["id"]) == {"token": TOKEN}
        shown = helpers.call_action("harvest_source_show", context={"user": "sysadmin"}, id=source["id"])
        assert shown["title"] == "SIPD BPKAD (baru)"
        config = json.loads(shown["config"])
        config["auth"]["token"] = "salah"
        update_source(source["id"], config=json.dumps(config))
        assert store.get_secrets(source["id"]) == {"token": "salah"}
        result = harvest(source["id"])
        assert result["status"] == {} and "kredensial" in result["gather_errors"][0]

    def test_a_token_from_the_environment(self, portal, opd_source, monkeypatch):
        """``${NAME}`` reads the token from the service's environment; unset, the job says which."""
        src = create_source(portal, opd_source.url, source_config(auth={"type": "bearer",
                                                                        "token": "${SIPD_TOKEN}"}))
        result = harvest(src["id"])
        assert "SIPD_TOKEN" in result["gather_errors"][0]
        monkeypatch.setenv("SIPD_TOKEN", TOKEN)
        assert len(harvest(src["id"])["status"]) == 5


class TestRawRecords:
    def test_only_the_sources_managers_read_a_harvested_record(self, app, portal, opd_source, source):
        """The raw record (rows included) of a harvested dataset: its OPD and the walidata read it; anyone else,
        signed in or not, by object id, by dataset id or on the page ckanext-harvest serves, is refused."""
        from ckan.tests import factories

        harvest(source["id"])
        ds = datasets()["Realisasi Anggaran Dinas 4.01.01 Tahun 2026"]
        obj = HarvestObject.filter(package_id=ds["id"], current=True).one()
        stranger = factories.User(name="warga")
        for who in ("operator", "walidata", "sysadmin"):
            shown = helpers.call_action("harvest_object_show", context={"user": who, "ignore_auth": False},
                                        id=obj.id)
            assert "rincian" in shown["content"]
        for who in ("", stranger["name"]):
            for key, value in (("id", obj.id), ("dataset_id", ds["id"])):
                with pytest.raises(tk.NotAuthorized):
                    helpers.call_action("harvest_object_show", context={"user": who, "ignore_auth": False},
                                        **{key: value})
        for path in (f"/harvest/object/{obj.id}", f"/dataset/harvest_object/{ds['id']}"):
            page = app.get(path, status=403)
            assert "rincian" not in page.body
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("harvest_object_list", context={"user": stranger["name"], "ignore_auth": False},
                                source_id=source["id"])
