"""Faults of a source: each is a clear error on the job, no dataset is lost or half-updated, the next run recovers."""
from __future__ import annotations

import socket
from typing import Any

import pytest
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestObject

from .conftest import PLUGINS, create_source, record, source_config
from .test_harvest import datasets, harvest, rows, state, trust

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")]


def snapshot() -> dict[str, Any]:
    return {title: (d["id"], d["notes"], d["metadata_modified"]) for title, d in datasets().items()}


@pytest.fixture
def harvested(portal, opd_source):
    """A trusted source harvested once: five published datasets to protect."""
    source = create_source(portal, opd_source.url, source_config(timeout=1))
    trust(source["id"])
    harvest(source["id"])
    assert len(datasets()) == 5
    return source


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FAULTS = {
    "500": ({"status": 500}, "HTTP 500"),
    "404": ({"status": 404}, "HTTP 404"),
    "invalid_json": ({"invalid_json": True}, "bukan JSON yang sah"),
    "timeout": ({"hang": 2.5}, "tidak menjawab dalam 1 detik"),
    "oversize": ({"oversize": 30_000_000}, "melebihi batas ukuran"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failing_source_changes_nothing_and_the_next_run_recovers(opd_source, harvested, fault):
    """The job records the failure in Indonesian; the five datasets stay published as they were."""
    before = snapshot()
    settings, message = FAULTS[fault]
    for key, value in settings.items():
        setattr(opd_source, key, value)
    result = harvest(harvested["id"])
    assert any(message in e for e in result["gather_errors"]), result["gather_errors"]
    assert result["status"] == {} and result["run"].complete is False
    assert snapshot() == before
    assert all(state(d["id"]) == "terbit" for d in datasets().values())
    for key in settings:
        setattr(opd_source, key, type(getattr(opd_source, key))())
    recovered = harvest(harvested["id"])
    assert recovered["gather_errors"] == [] and recovered["run"].unchanged == 5


def test_connection_refused(portal):
    """A source nobody answers at is named with the reason."""
    source = create_source(portal, f"http://127.0.0.1:{_closed_port()}/api/data", source_config())
    result = harvest(source["id"])
    assert "tidak dapat dihubungi" in result["gather_errors"][0] and "koneksi ditolak" in result["gather_errors"][0]


def test_a_page_failing_mid_run_withdraws_nothing(opd_source, harvested):
    """Page 2 of 3 fails: page 1's changes are imported, nothing is withdrawn, the next run completes."""
    opd_source.records[0] = record("4.01.01", uraian="Berubah.")
    opd_source.fail_page = 2
    result = harvest(harvested["id"])
    assert any("HTTP 500" in e and "page=2" in e for e in result["gather_errors"]), result["gather_errors"]
    assert result["status"] == {"4.01.01": "updated"} and result["run"].complete is False
    assert all(state(d["id"]) == "terbit" for d in datasets().values())
    opd_source.fail_page = None
    assert harvest(harvested["id"])["run"].complete is True


def test_schema_drift_of_a_mapped_field_leaves_datasets_as_they_were(opd_source, harvested):
    """``nama_skpd`` renamed at the source: each record fails naming the field; the titles stay."""
    before = snapshot()
    for r in opd_source.records:
        r["nama_opd"] = r.pop("nama_skpd")
    result = harvest(harvested["id"])
    assert len(result["object_errors"]) == 5
    assert all("'nama_skpd'" in e and "diganti namanya" in e for e in result["object_errors"])
    assert snapshot() == before
    for r in opd_source.records:
        r["nama_skpd"] = r.pop("nama_opd")
    # Back as it was: the current version is the last good one, so there is nothing to do.
    assert harvest(harvested["id"])["run"].unchanged == 5


def test_schema_drift_of_the_id_field_withdraws_nothing(opd_source, harvested):
    """Without the id field the listing is not trusted: one gather error, no withdrawals."""
    for r in opd_source.records:
        r["kode_skpd"] = r.pop("kode")
    result = harvest(harvested["id"])
    assert "pengenal di kolom 'kode'" in result["gather_errors"][0]
    assert result["status"] == {}
    assert all(state(d["id"]) == "terbit" for d in datasets().values())


def test_duplicate_identifiers(opd_source, harvested):
    """A record id listed twice is reported; its first occurrence is harvested, once."""
    opd_source.records.append(record("4.01.02", uraian="Duplikat"))
    result = harvest(harvested["id"])
    assert "4.01.02" in result["gather_errors"][0] and "lebih dari sekali" in result["gather_errors"][0]
    assert result["run"].duplicates == 1 and len(datasets()) == 5
    assert datasets()["Realisasi Anggaran Dinas 4.01.02 Tahun 2026"]["notes"] != "Duplikat"


def test_an_emptied_source_is_not_taken_at_its_word(opd_source, harvested):
    """Four of five records gone at once is over the withdrawal limit: an error, nothing withdrawn."""
    del opd_source.records[1:]
    result = harvest(harvested["id"])
    assert "tidak ada yang ditarik" in result["gather_errors"][0]
    assert all(state(d["id"]) == "terbit" for d in datasets().values())


def test_a_bad_row_fails_the_record_before_anything_is_written(opd_source, harvested):
    """A non-numeric pagu fails its record whole: neither metadata nor rows change."""
    ds = datasets()["Realisasi Anggaran Dinas 4.01.03 Tahun 2026"]
    before_rows = rows(ds)
    bad = record("4.01.03", uraian="Baru")
    bad["rincian"][1]["pagu"] = "dua ribu"
    opd_source.records[2] = bad
    result = harvest(harvested["id"])
    assert any("pagu" in e and "dua ribu" in e for e in result["object_errors"]), result["object_errors"]
    after = datasets()["Realisasi Anggaran Dinas 4.01.03 Tahun 2026"]
    assert after["notes"] == ds["notes"] and rows(after) == before_rows


def test_an_integer_beyond_the_column_fails_the_record_before_anything_is_written(portal, opd_source):
    """Rupiah amounts pass 2^31 easily: an `int` (int4) column refuses them before the dataset is written."""
    config = source_config()
    config["datastore"]["fields"][2]["type"] = "int"
    source = create_source(portal, opd_source.url, config)
    big = record("4.01.01")
    big["rincian"][0]["pagu"] = 3_000_000_000
    opd_source.records = [big]
    result = harvest(source["id"])
    assert any("pagu" in e and "3000000000" in e for e in result["object_errors"]), result["object_errors"]
    assert datasets() == {}


def test_a_table_lost_after_its_dataset_is_created_again_on_the_next_run(opd_source, harvested):
    """The dataset (with its table's resource) commits before the DataStore load; when the load is lost, the
    next import of the record creates the table under the same resource."""
    from ckanext.datastore.backend.postgres import get_write_engine

    ds = datasets()["Realisasi Anggaran Dinas 4.01.02 Tahun 2026"]
    table = next(r for r in ds["resources"] if r["name"] == "Rincian")
    with get_write_engine().begin() as conn:
        conn.exec_driver_sql(f'DROP TABLE "{table["id"]}"')
    opd_source.records[1] = record("4.01.02", uraian="Dimuat ulang.")
    result = harvest(harvested["id"])
    assert result["object_errors"] == [], result["object_errors"]
    after = datasets()["Realisasi Anggaran Dinas 4.01.02 Tahun 2026"]
    assert [r["id"] for r in after["resources"] if r["name"] == "Rincian"] == [table["id"]]
    assert len(rows(after)) == 2


def test_reimporting_the_same_object_is_idempotent(opd_source, harvested):
    """Running an object's import again (``ckan harvester import``) leaves one dataset, unchanged."""
    from ckanext.satudatapasuruan.harvesters.opd.harvester import OpdHarvester

    opd_source.records[3] = record("4.01.04", uraian="Sekali saja.")
    result = harvest(harvested["id"])
    obj = HarvestObject.filter(harvest_job_id=result["job"], guid="4.01.04").one()
    queue.fetch_and_import_stages(OpdHarvester(), obj)
    found = datasets()
    assert len(found) == 5 and found["Realisasi Anggaran Dinas 4.01.04 Tahun 2026"]["notes"] == "Sekali saja."


def test_credentials_never_follow_a_next_link_to_another_host(portal, opd_source, other_origin):
    """The token goes to the source's own server only: a next link elsewhere is asked without it."""
    opd_source.paging = "next_link"
    opd_source.next_url = other_origin.url
    source = create_source(portal, opd_source.url, source_config(
        pagination={"type": "next_link", "next_path": "links.next"}))
    result = harvest(source["id"])
    assert other_origin.requests and "Authorization" not in other_origin.requests[0]["headers"]
    assert "kredensial" in result["gather_errors"][0]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tables(portal, opd_source, fmt):
    """CSV (semicolons) and XLSX endpoints give the same datasets, metadata only."""
    opd_source.format = fmt
    opd_source.paging = "offset"
    config = source_config(format=fmt, pagination={"type": "offset", "param": "offset", "limit_param": "limit",
                                                   "size": 2}, records_path="")
    del config["datastore"]
    source = create_source(portal, opd_source.url, config)
    result = harvest(source["id"])
    assert result["gather_errors"] == [] and result["object_errors"] == []
    assert sorted(d["tahun"] for d in datasets().values()) == ["2026"] * 5


def test_a_source_ignoring_the_paging_parameter_is_stopped(portal, opd_source):
    """The same page over and over (the paging parameter ignored) ends the listing with an error, not a loop."""
    source = create_source(portal, opd_source.url, source_config(
        pagination={"type": "offset", "param": "offset", "limit_param": "limit", "size": 2}))
    result = harvest(source["id"])
    assert "mengabaikan parameter paginasi" in result["gather_errors"][0]
    assert len(opd_source.requests) == 2 and result["run"].complete is False
