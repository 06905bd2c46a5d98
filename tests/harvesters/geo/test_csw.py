"""CSW catalogues through ckanext-spatial's CSW harvester, against a real pycsw holding two ISO 19139 records,
with ``satudata_csw`` mapping them onto the ``geospasial`` schema.

ckanext-spatial 2.3.2's own ``csw`` type cannot import any record (its fetched text keeps an XML declaration that
lxml refuses); ``satudata_csw_harvester`` is that harvester with the fix, and a test shows the stock one fails."""
from __future__ import annotations

import json

import pytest
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError

from . import servers

PLUGINS = ("satudata_pgsearch satudata_metadata satudata_workflow scheming_datasets scheming_organizations "
           "activity satudata_harvest harvest csw_harvester spatial_metadata satudata_csw satudata_csw_harvester")
DEFAULTS = {"urusan": "1.03", "klasifikasi_akses": "terbuka"}

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.ckan_config("ckanext.spatial.harvest.reindex_unchanged", "False"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")]


@pytest.fixture(scope="module")
def pycsw_url(tmp_path_factory):
    if servers.ogc_python() is None:
        pytest.skip("pycsw's virtualenv is missing: python3 -m venv .venv-ogc && "
                    ".venv-ogc/bin/pip install pygeoapi==0.21.0 pycsw==2.6.2 'SQLAlchemy<2'")
    with servers.pycsw(tmp_path_factory.mktemp("pycsw")) as url:
        yield url


@pytest.fixture
def opd():
    factories.Sysadmin(name="sysadmin")
    return factories.Organization(name="diskominfo", title="Dinas Komunikasi dan Informatika")


def _source(opd, url, config, source_type="satudata_csw") -> dict:
    return helpers.call_action("harvest_source_create", context={"user": "sysadmin"}, name="csw-pasuruan",
                               title="Katalog CSW Pasuruan", url=url, source_type=source_type, frequency="MANUAL",
                               owner_org=opd["id"], config=json.dumps(config))


def harvest(source_id: str, stock: bool = False) -> dict:
    """One job through the CSW harvester's gather, fetch and import stages, as the queue consumers run them."""
    from ckanext.spatial.harvesters.csw import CSWHarvester

    from ckanext.satudatapasuruan.harvesters.geo.csw import SatuDataCswHarvester

    job_dict = helpers.call_action("harvest_job_create", context={"ignore_auth": True}, source_id=source_id,
                                   run=False)
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = CSWHarvester() if stock else SatuDataCswHarvester()
    for obj_id in queue.gather_stage(harvester, job) or []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    helpers.call_action("harvest_jobs_run", context={"ignore_auth": True}, source_id=source_id)
    objects = HarvestObject.filter(harvest_job_id=job.id).all()
    return {"gather_errors": [e.message for e in HarvestGatherError.filter(harvest_job_id=job.id).all()],
            "object_errors": [e.message for o in objects for e in HarvestObjectError.filter(harvest_object_id=o.id)]}


def _datasets() -> dict[str, dict]:
    found = helpers.call_action("package_search", context={"ignore_auth": True}, include_private=True, rows=50,
                                fq="dataset_type:geospasial")["results"]
    return {d["title"]: helpers.call_action("package_show", context={"ignore_auth": True}, id=d["id"])
            for d in found}


def test_iso_records_become_geospasial_datasets(opd, pycsw_url):
    """Each ISO record lands as a valid geospasial draft: extent, CRS, scale or resolution, geometry type, year,
    contact, OGC endpoints and the browse graphic as a preview; a second run changes nothing."""
    source = _source(opd, pycsw_url, {"defaults": DEFAULTS})
    result = harvest(source["id"])
    assert result == {"gather_errors": [], "object_errors": []}
    datasets = _datasets()
    assert set(datasets) == {"Jaringan Irigasi Daerah Irigasi Kedung Larangan",
                             "Citra Tutupan Lahan Kabupaten Pasuruan 2023"}
    irigasi = datasets["Jaringan Irigasi Daerah Irigasi Kedung Larangan"]
    assert {k: irigasi[k] for k in ("crs", "skala", "tipe_geometri", "tahun", "tema_ig", "urusan", "sumber_data",
                                    "kontak_nama", "kontak_email", "layanan_ogc", "owner_org", "private")} == {
        "crs": "EPSG:32749", "skala": "1:25.000", "tipe_geometri": "vektor_garis", "tahun": "2024",
        "tema_ig": "Irigasi", "urusan": "1.03",
        "sumber_data": "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pasuruan", "kontak_nama": "Andi Wijaya",
        "kontak_email": "sda@pupr.pasuruankab.go.id", "layanan_ogc": "http://geoportal.pasuruankab.test/ows",
        "owner_org": opd["id"], "private": True}
    assert json.loads(irigasi["spatial"])["coordinates"][0][0] == [112.78, -7.76]
    assert sorted(r["format"] for r in irigasi["resources"]) == ["PNG", "WFS", "WMS"]
    tutupan = datasets["Citra Tutupan Lahan Kabupaten Pasuruan 2023"]
    assert (tutupan["tipe_geometri"], tutupan["skala"], tutupan["tahun"]) == ("raster", "10 m", "2023")
    assert not {e["key"] for e in irigasi.get("extras", [])} & {"spatial", "guid", "contact-email"}

    ids = {d["id"] for d in datasets.values()}
    assert harvest(source["id"]) == {"gather_errors": [], "object_errors": []}
    assert {d["id"] for d in _datasets().values()} == ids


def test_missing_defaults_fail_validation(opd, pycsw_url):
    """Without the source's ``urusan`` default an ISO record cannot satisfy the schema: the object fails, no
    dataset is created."""
    source = _source(opd, pycsw_url, {})
    result = harvest(source["id"])
    assert len(result["object_errors"]) == 2
    assert all("Urusan" in e for e in result["object_errors"]), result  # urusan, by its label
    assert _datasets() == {}


def test_stock_csw_harvester_imports_nothing(opd, pycsw_url):
    """The reason for ``satudata_csw_harvester``: ckanext-spatial's own ``csw`` type fails every record."""
    source = _source(opd, pycsw_url, {"defaults": DEFAULTS}, source_type="csw")
    with pytest.raises(ValueError, match="encoding declaration"):
        harvest(source["id"], stock=True)
    assert _datasets() == {}


def test_a_record_gone_from_the_catalogue_is_withdrawn(opd, pycsw_url, tmp_path):
    """A trusted CSW source publishes its records; one removed from the catalogue is withdrawn (ckanext-spatial
    alone would delete it), still exists, and its history names the record."""
    source = _source(opd, pycsw_url, {"defaults": DEFAULTS})
    site = helpers.call_action("get_site_user")["name"]
    helpers.call_action("satudata_harvest_policy_set", context={"user": site}, source_id=source["id"],
                        publish_directly=True)
    assert harvest(source["id"]) == {"gather_errors": [], "object_errors": []}
    datasets = _datasets()
    assert {helpers.call_action("satudata_workflow_show", context={"ignore_auth": True}, id=d["id"])["state"]
            for d in datasets.values()} == {"terbit"}
    gone = datasets["Citra Tutupan Lahan Kabupaten Pasuruan 2023"]
    one = tmp_path / "records"
    one.mkdir()
    (one / "irigasi.xml").write_bytes((servers.DATA / "csw" / "irigasi.xml").read_bytes())
    with servers.pycsw(tmp_path, one) as smaller:
        shown = helpers.call_action("harvest_source_show", context={"user": "sysadmin"}, id=source["id"])
        helpers.call_action("harvest_source_update", context={"user": "sysadmin"}, **{
            k: shown[k] for k in ("id", "name", "title", "source_type", "frequency", "owner_org", "config")},
            url=smaller)
        assert harvest(source["id"]) == {"gather_errors": [], "object_errors": []}
    state = helpers.call_action("satudata_workflow_show", context={"ignore_auth": True}, id=gone["id"])
    assert state["state"] == "ditarik"
    assert helpers.call_action("package_show", context={"ignore_auth": True}, id=gone["id"])["state"] == "active"
    history = helpers.call_action("satudata_workflow_history", context={"ignore_auth": True}, id=gone["id"])
    assert "Katalog CSW Pasuruan" in history[-1]["note"]
