"""The DCAT import harvester (``satudata_dcat``) against a real loopback catalogue of another portal.

The catalogue is DCAT-AP Turtle in two hydra pages, as a provincial portal publishes it, served from a thread on
a free port; the job runs through ckanext-harvest's stages in this process.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from ckan.tests import factories, helpers

from ckanext.satudatapasuruan.harvesters.dcat.config import parse
from ckanext.satudatapasuruan.harvesters.dcat.harvester import SatuDataDcatHarvester

from ..jobs import run_job

PLUGINS = ("satudata_pgsearch satudata_metadata satudata_workflow scheming_datasets scheming_organizations "
           "activity satudata_harvest harvest dcat satudata_dcat satudata_dcat_harvester")
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")]

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix hydra: <http://www.w3.org/ns/hydra/core#> .
"""
EU = "http://publications.europa.eu/resource/authority/"


def dataset(slug: str, title: str, theme: str | None = None, frequency: str | None = "ANNUAL",
            period: tuple[str, str] | None = ("2023-01-01", "2023-12-31")) -> str:
    lines = [f"<https://satudata.jatimprov.test/dataset/{slug}> a dcat:Dataset ;",
             f'  dct:title "{title}" ; dct:description "Data {title}." ; dct:identifier "{slug}" ;',
             '  dct:publisher [ a foaf:Agent ; foaf:name "Pemerintah Provinsi Jawa Timur" ] ;',
             '  dcat:contactPoint [ a vcard:Kind ; vcard:fn "Walidata Provinsi" ; '
             '      vcard:hasEmail <mailto:data@jatimprov.test> ] ;']
    if theme:
        lines.append(f"  dcat:theme <{EU}data-theme/{theme}> ;")
    if frequency:
        lines.append(f"  dct:accrualPeriodicity <{EU}frequency/{frequency}> ;")
    if period:
        lines.append(f'  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "{period[0]}"^^xsd:date ; '
                     f'dcat:endDate "{period[1]}"^^xsd:date ] ;')
    lines.append(f'  dcat:distribution [ a dcat:Distribution ; dct:title "Tabel {title}" ; '
                 f'dcat:accessURL <https://satudata.jatimprov.test/{slug}.csv> ; '
                 f'dct:format <{EU}file-type/CSV> ] .')
    return "\n".join(lines) + "\n"


RECORDS = {
    "aki": dataset("aki", "Angka Kematian Ibu 2023", theme="HEAL", frequency="MONTHLY",
                   period=("2023-01-01", "2023-06-30")),
    "padi": dataset("padi", "Produksi Padi 2023", theme="AGRI"),
    "apbd": dataset("apbd", "Realisasi APBD 2022", frequency=None, period=None).replace(
        ' dct:identifier "apbd" ;', ' dct:identifier "apbd" ; dct:issued "2022-03-01T00:00:00"^^xsd:dateTime ;'),
}


class Catalogue:
    """The provincial catalogue: records split over two hydra pages; ``status`` forces an HTTP error."""

    def __init__(self) -> None:
        self.records = dict(RECORDS)
        self.status = 200
        self.body: str | None = None
        self.url = ""

    def page(self, number: int) -> str:
        items = list(self.records.values())
        chunks = [items[:2], items[2:]]
        text = PREFIXES + "".join(chunks[number - 1] if number <= 2 else [])
        if number == 1:
            text += (f"<{self.url}?page=1> a hydra:PagedCollection ; hydra:totalItems {len(items)} ; "
                     f'hydra:itemsPerPage 2 ; hydra:nextPage "{self.url}?page=2" ; '
                     f'hydra:firstPage "{self.url}?page=1" ; hydra:lastPage "{self.url}?page=2" .\n')
        return text


@pytest.fixture
def catalogue():
    cat = Catalogue()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            number = int(self.path.partition("page=")[2] or 1)
            body = (cat.body if cat.body is not None else cat.page(number)).encode()
            self.send_response(cat.status)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cat.url = f"http://127.0.0.1:{server.server_address[1]}/catalog.ttl"
    yield cat
    server.shutdown()
    server.server_close()


@pytest.fixture
def orgs():
    factories.Sysadmin(name="sysadmin")
    factories.User(name="walidata")
    factories.Organization(name="walidata", users=[{"name": "walidata", "capacity": "editor"}])
    return {"diskominfo": factories.Organization(name="diskominfo"), "bappeda": factories.Organization(name="bappeda")}


def _source(url: str, orgs, **config: Any) -> dict[str, Any]:
    return helpers.call_action("harvest_source_create", context={"user": "sysadmin"}, name="satudata-jatim",
                               title="Satu Data Jawa Timur", url=url, source_type="satudata_dcat",
                               frequency="MANUAL", owner_org=orgs["diskominfo"]["id"], config=json.dumps(config))


def _datasets() -> dict[str, dict[str, Any]]:
    found = helpers.call_action("package_search", context={"ignore_auth": True}, include_private=True,
                                include_drafts=True, rows=50, fq="-dataset_type:harvest")["results"]
    return {d["title"]: d for d in found}


def test_foreign_catalogue_lands_in_the_sdi_schema(catalogue, orgs):
    """All pages are read; the SDI fields come from the record, the source's theme map, its defaults and the
    built-in theme mapping; the owner is the configured OPD; without the walidata's leave they are drafts."""
    source = _source(catalogue.url, orgs, owner_org="bappeda", urusan="5.01", theme_map={"HEAL": "1.02"})
    result = run_job(SatuDataDcatHarvester(), source["id"])
    assert result["gather_errors"] == [] and result["object_errors"] == []
    found = _datasets()
    assert set(found) == {"Angka Kematian Ibu 2023", "Produksi Padi 2023", "Realisasi APBD 2022"}
    aki, padi, apbd = (found[t] for t in ("Angka Kematian Ibu 2023", "Produksi Padi 2023", "Realisasi APBD 2022"))
    assert {d["organization"]["name"] for d in found.values()} == {"bappeda"}
    assert (aki["urusan"], padi["urusan"], apbd["urusan"]) == ("1.02", "2.09", "5.01")
    assert (aki["frekuensi"], padi["frekuensi"], apbd["frekuensi"]) == ("bulanan", "tahunan", "sewaktu_waktu")
    assert (aki["tahun"], aki["periode_awal"], aki["periode_akhir"]) == ("2023", "2023-01-01", "2023-06-30")
    assert apbd["tahun"] == "2022"
    assert aki["kontak_email"] == "data@jatimprov.test" and aki["resources"][0]["format"] == "CSV"
    assert {d["workflow_state"] for d in found.values()} == {"draft"}


def test_records_gone_are_withdrawn_not_deleted(catalogue, orgs):
    """With the walidata's leave the records are published; one gone from the catalogue is withdrawn through the
    workflow (state *ditarik*, still in the database), the others stay published."""
    source = _source(catalogue.url, orgs, urusan="5.02")
    helpers.call_action("satudata_harvest_policy_set", context={"user": "walidata"}, source_id=source["id"],
                        publish_directly=True)
    run_job(SatuDataDcatHarvester(), source["id"])
    assert {d["workflow_state"] for d in _datasets().values()} == {"terbit"}
    del catalogue.records["padi"]
    result = run_job(SatuDataDcatHarvester(), source["id"])
    assert result["object_errors"] == []
    found = _datasets()
    assert found["Produksi Padi 2023"]["workflow_state"] == "ditarik"
    assert found["Produksi Padi 2023"]["state"] == "active"
    assert found["Angka Kematian Ibu 2023"]["workflow_state"] == "terbit"
    public = helpers.call_action("package_search", context={"user": ""}, rows=50)["results"]
    assert "Produksi Padi 2023" not in {d["title"] for d in public}


@pytest.mark.parametrize("status, body", [(500, None), (200, "@prefix dcat: <http://www.w3.org/ns/dcat#> . <a> dcat:"),
                                          (404, None)])
def test_a_broken_catalogue_changes_nothing(catalogue, orgs, status, body):
    """A server error, a missing page or unparsable Turtle is a gather error on the job; nothing is withdrawn."""
    source = _source(catalogue.url, orgs, urusan="5.02")
    run_job(SatuDataDcatHarvester(), source["id"])
    before = {t: (d["workflow_state"], d["metadata_modified"]) for t, d in _datasets().items()}
    catalogue.status, catalogue.body = status, body
    result = run_job(SatuDataDcatHarvester(), source["id"])
    assert result["gather_errors"], result
    after = {t: (d["workflow_state"], d["metadata_modified"]) for t, d in _datasets().items()}
    assert after == before


@pytest.mark.parametrize("config, key", [
    ({"urusan": "9.99"}, "urusan"),
    ({"owner_org": "tidak-ada"}, "owner_org"),
    ({"klasifikasi_akses": "rahasia"}, "klasifikasi_akses"),
    ({"frekuensi": "kadang"}, "frekuensi"),
    ({"theme_map": {"HEAL": "0.00"}}, "theme_map.HEAL"),
    ({"warna": "merah"}, "warna"),
])
def test_bad_config_is_refused_with_the_key(orgs, config, key):
    """A bad source configuration is refused when the source is saved, naming the key, in Indonesian."""
    with pytest.raises(ValueError, match=key):
        parse(config)
    with pytest.raises(Exception) as err:
        _source("https://satudata.jatimprov.test/catalog.ttl", orgs, **config)
    assert key in str(err.value)


def test_record_without_urusan_is_an_error_on_its_object(catalogue, orgs):
    """A record the source config cannot complete (no theme, no default urusan) fails alone, saying why;
    the others land."""
    result = run_job(SatuDataDcatHarvester(), _source(catalogue.url, orgs)["id"])
    assert len(result["object_errors"]) == 1 and "Urusan" in result["object_errors"][0]
    assert set(_datasets()) == {"Angka Kematian Ibu 2023", "Produksi Padi 2023"}


def test_config_that_is_not_json(orgs):
    """Configuration that is not JSON is a validation error on the source, not a 500."""
    with pytest.raises(Exception) as err:
        helpers.call_action("harvest_source_create", context={"user": "sysadmin"}, name="rusak", title="Rusak",
                            url="https://satudata.jatimprov.test/catalog.ttl", source_type="satudata_dcat",
                            owner_org=orgs["diskominfo"]["id"], config="{bukan json")
    assert "JSON" in str(err.value)
