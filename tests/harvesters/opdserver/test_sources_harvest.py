"""The shipped source definitions harvested end to end from the OPD server by the OPD harvester."""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.satudatapasuruan.harvesters import sources
from ckanext.satudatapasuruan.harvesters.opdserver.testing import running_server
from ckanext.satudatapasuruan.metadata import completeness

from ..opd.conftest import PLUGINS
from ..opd.test_harvest import datasets, harvest
from .test_sources import FIELDS, SECRETS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")]
RECORDS = 4


@pytest.fixture
def server():
    with running_server(records=RECORDS, token=SECRETS["BPKAD_TOKEN"], api_key=SECRETS["BKPSDM_API_KEY"]) as srv:
        yield srv


def _only_recommended_fields_missing():
    for dataset in datasets().values():
        scored = completeness.score(FIELDS.values(), dataset, by_class={"wajib": 1, "anjuran": 1}, by_field={})
        assert {f["completeness"] for f in scored.missing} == {"anjuran"}, dataset["title"]


def _create(name, server, **kwargs):
    factories.Sysadmin(name="sysadmin")
    factories.Organization(name=sources.definition(name)["owner_org"])
    data = sources.load(name, server.url, SECRETS, **kwargs)  # owner_org stays the OPD's slug
    return helpers.call_action("harvest_source_create", context={"user": "sysadmin"}, **data)


def test_bpkad_source_harvests_datasets_and_rows(server):
    """The BPKAD definition makes a draft per record, every wajib field filled, its rincian in the DataStore;
    a re-run over the unchanged server is a single 304."""
    source = _create("bpkad-realisasi-anggaran", server)
    result = harvest(source["id"])
    assert result["gather_errors"] == [] and result["object_errors"] == []
    assert sorted(result["status"]) == sorted(r["id"] for r in server.records("sipd"))
    _only_recommended_fields_missing()
    record = server.records("sipd")[0]
    dataset = datasets()[f"Realisasi Anggaran {record['nama_skpd']} Tahun {record['tahun']}"]
    resource = next(r for r in dataset["resources"] if r["name"] == "Rincian realisasi per kegiatan")
    rows = helpers.call_action("datastore_search", context={"ignore_auth": True}, resource_id=resource["id"],
                               limit=100)["records"]
    assert {r["kode_kegiatan"]: int(r["pagu"]) for r in rows} == {r["kode_kegiatan"]: r["pagu"]
                                                                  for r in record["rincian"]}
    server.requests(clear=True)
    assert harvest(source["id"])["status"] == {}
    assert [r["status"] for r in server.requests()] == [304]


def test_bkpsdm_source_harvests_and_follows_a_change(server, monkeypatch):
    """The BKPSDM definition (API key from the environment) harvests every recap; a changed recap is updated."""
    monkeypatch.setenv("BKPSDM_API_KEY", SECRETS["BKPSDM_API_KEY"])
    source = _create("bkpsdm-rekap-kehadiran", server, keep_placeholders=True)
    result = harvest(source["id"])
    assert result["gather_errors"] == [] and result["object_errors"] == []
    assert len(result["status"]) == RECORDS
    _only_recommended_fields_missing()
    target = server.records("absensi")[1]["id_rekap"]
    server.change("absensi", target, jumlah_pegawai=7)
    assert harvest(source["id"])["status"] == {target: "updated"}
