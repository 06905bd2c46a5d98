"""The ``satudata`` profile both ways: SDI fields on standard DCAT-AP properties, and back to the same dataset."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser, RDFSerializer
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from ckanext.satudatapasuruan.dcat.vocab import EU, SDI, STAT

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

PROFILES = ["euro_dcat_ap_3", "satudata"]
SITE = "http://test.ckan.net"
# Computed or assigned by the receiving portal, not carried.
NOT_CARRIED = {"name", "owner_org", "kelengkapan_metadata"}


def _graph(dataset: dict[str, Any]) -> tuple[Graph, URIRef]:
    text = RDFSerializer(profiles=PROFILES).serialize_dataset(dataset, _format="turtle")
    return Graph().parse(data=text, format="turtle"), URIRef(f"{SITE}/dataset/{dataset['id']}")


def comparable(dataset: dict[str, Any]) -> dict[str, Any]:
    """A dataset's SDI content: every schema field, keywords, licence and resources."""
    schema = helpers.call_action("scheming_dataset_schema_show", type=dataset["type"])
    fields = {f["field_name"] for f in schema["dataset_fields"]} - NOT_CARRIED - {"tag_string"}
    out = {f: dataset.get(f) for f in fields}
    if isinstance(out.get("kode_wilayah"), list):
        out["kode_wilayah"] = sorted(out["kode_wilayah"])
    for repeating in ("variabel", "indikator"):
        out[repeating] = [{k: v for k, v in item.items() if v not in ("", None)} for item in out.get(repeating) or []]
    out["tags"] = sorted(t["name"] for t in dataset.get("tags", []))
    out["license_id"] = dataset.get("license_id")
    out["resources"] = sorted((r["name"], r.get("description") or "", r["format"].upper(), r["url"].rsplit("/", 1)[-1])
                              for r in dataset["resources"])
    return out


@pytest.mark.parametrize("which, profiles", [("terbuka", PROFILES), ("terbatas", PROFILES), ("geospasial", PROFILES),
                                             ("terbuka", ["euro_dcat_ap_2", "satudata"])],
                         ids=["terbuka", "terbatas", "geospasial", "terbuka-dcat-ap-2"])
def test_parsed_back_gives_the_same_dataset(catalogue, portal, which, profiles):
    """Our RDF, parsed by ckanext-dcat's parser with the same profiles (DCAT-AP 3, or 2) and saved, is the same
    SDI dataset as the public sees it (terbatas files as their resource pages)."""
    original = helpers.call_action("package_show", context={"user": "", "ignore_auth": False},
                                   id=catalogue[which]["id"])
    text = RDFSerializer(profiles=profiles).serialize_dataset(original, _format="turtle")
    parser = RDFParser(profiles=profiles)
    parser.parse(text, _format="turtle")
    [parsed] = list(parser.datasets())
    assert parsed["type"] == original["type"]
    parsed.update(name=original["name"] + "-salinan", owner_org=original["owner_org"])
    copy = helpers.call_action("package_create", context={"user": "sysadmin"}, **parsed)
    assert comparable(copy) == comparable(original)
    if profiles == PROFILES:  # dcat:version is DCAT-AP 3 (DCAT-AP 2 reads owl:versionInfo)
        assert copy.get("version") == "1", "the origin's version count travels with the copy"


def test_sdi_fields_on_standard_properties(catalogue):
    """frekuensi, periode, wilayah, OPD, urusan, kontak, class, satuan, standar and MS-Var use DCAT-AP/STAT-DCAT-AP."""
    g, ds = _graph(catalogue["terbuka"])
    assert g.value(ds, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/ANNUAL")
    assert g.value(ds, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
    assert g.value(ds, DCTERMS.language) == URIRef(EU + "language/IND")
    assert g.value(ds, DCTERMS.type) == URIRef(EU + "dataset-type/STATISTICAL")
    period = g.value(ds, DCTERMS.temporal)
    assert (str(g.value(period, DCAT.startDate)), str(g.value(period, DCAT.endDate))) == ("2024-01-01", "2024-12-31")
    assert set(g.objects(ds, DCTERMS.spatial)) == {URIRef(f"{SITE}/kode/wilayah/35.14.14"),
                                                   URIRef(f"{SITE}/kode/wilayah/35.14.11")}
    assert str(g.value(URIRef(f"{SITE}/kode/wilayah/35.14.14"), SKOS.prefLabel)) == "Bangil"
    publisher = g.value(ds, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in g
    assert str(g.value(publisher, FOAF.name)) == "Dinas Kependudukan dan Pencatatan Sipil"
    assert g.value(publisher, DCTERMS.type) == URIRef("http://purl.org/adms/publishertype/LocalAuthority")
    assert set(g.objects(ds, DCAT.theme)) == {URIRef(EU + "data-theme/SOCI"), URIRef(f"{SITE}/kode/urusan/2.12")}
    contact = g.value(ds, DCAT.contactPoint)
    assert g.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")) == URIRef(
        "mailto:data@dispendukcapil.pasuruankab.go.id")
    assert g.value(ds, STAT.statUnitMeasure) == URIRef(f"{SITE}/kode/satuan/jiwa")
    standard = g.value(ds, DCTERMS.conformsTo)
    assert str(g.value(standard, DCTERMS.identifier)) == "SP00055.00.00"
    assert str(g.value(ds, SDI.konsep)) == "Penduduk"
    key = g.value(ds, STAT.dimension)
    assert str(g.value(key, SKOS.notation)) == "kode_kecamatan"
    formats = {g.value(d, DCTERMS["format"]) for d in g.objects(ds, DCAT.distribution)}
    assert URIRef(EU + "file-type/CSV") in formats
    assert str(g.value(ds, DCAT.version)) == "1"


def test_version_counts_publications(catalogue, portal):
    """A published revision is the dataset's second version."""
    dataset = catalogue["terbuka"]
    portal.call("satudata_revision_propose", "operator", id=dataset["id"], title="Jumlah Penduduk 2024 (revisi)")
    portal.call("satudata_revision_approve", "verifikator", id=dataset["id"])
    portal.call("satudata_revision_publish", "walidata", id=dataset["id"])
    g, ds = _graph(helpers.call_action("package_show", id=dataset["id"]))
    assert str(g.value(ds, DCAT.version)) == "2"


def test_terbatas_and_geospasial_specifics(catalogue):
    """Terbatas data is RESTRICTED with its uploaded file as download; a layer carries its geometry and CRS."""
    g, ds = _graph(catalogue["terbatas"])
    assert g.value(ds, DCTERMS.accessRights) == URIRef(EU + "access-right/RESTRICTED")
    assert g.value(ds, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/QUARTERLY")
    assert list(g.objects(ds, DCTERMS.spatial)) == [URIRef(f"{SITE}/kode/wilayah/35.14")]
    period = g.value(ds, DCTERMS.temporal)
    assert str(g.value(period, DCAT.endDate)) == "2024-03-31"
    g, ds = _graph(catalogue["geospasial"])
    assert g.value(ds, DCTERMS.type) == URIRef(EU + "dataset-type/GEOSPATIAL")
    assert URIRef("http://www.opengis.net/def/crs/EPSG/0/4326") in set(g.objects(ds, DCTERMS.conformsTo))
    geometries = [o for s in g.objects(ds, DCTERMS.spatial)
                  for o in g.objects(s, URIRef("http://www.w3.org/ns/locn#geometry"))]
    assert geometries, "the layer's extent travels as locn:geometry"
    formats = {g.value(d, DCTERMS["format"]) for d in g.objects(ds, DCAT.distribution)}
    assert formats == {URIRef(EU + "file-type/WMS_SRVC"), URIRef(EU + "file-type/GEOJSON")}


FOREIGN = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://satudata.jatimprov.test/dataset/angka-kematian-ibu> a dcat:Dataset ;
  dct:title "Angka Kematian Ibu Jawa Timur 2023" ; dct:description "AKI per 100.000 kelahiran hidup." ;
  dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/MONTHLY> ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/HEAL> ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2023-01-01"^^xsd:date ; dcat:endDate "2023-06-30"^^xsd:date ] ;
  dct:publisher [ a foaf:Agent ; foaf:name "Dinas Kesehatan Provinsi Jawa Timur" ] ;
  dcat:contactPoint [ a vcard:Kind ; vcard:fn "Seksi Data" ; vcard:hasEmail <mailto:data@dinkes.jatimprov.test> ] ;
  dcat:distribution [ a dcat:Distribution ; dct:title "Tabel AKI" ;
     dcat:accessURL <https://satudata.jatimprov.test/aki.xlsx> ;
     dct:format <http://publications.europa.eu/resource/authority/file-type/XLSX> ] .
"""


def test_foreign_catalogue_maps_from_standard_properties(portal):
    """A provincial catalogue without our local properties still gives a valid SDI dataset."""
    parser = RDFParser(profiles=PROFILES)
    parser.parse(FOREIGN, _format="turtle")
    [parsed] = list(parser.datasets())
    assert {k: parsed.get(k) for k in ("type", "frekuensi", "urusan", "klasifikasi_akses", "tahun", "periode_awal",
                                       "periode_akhir", "kontak_nama", "kontak_email")} == {
        "type": "dataset", "frekuensi": "bulanan", "urusan": "1.02",
        "klasifikasi_akses": "terbuka", "tahun": "2023", "periode_awal": "2023-01-01", "periode_akhir": "2023-06-30",
        "kontak_nama": "Seksi Data", "kontak_email": "data@dinkes.jatimprov.test"}
    assert parsed["resources"][0]["format"] == "XLSX"
    created = helpers.call_action("package_create", context={"user": "sysadmin"}, name="aki-jatim-2023",
                                  owner_org=portal.opd["id"], **{k: v for k, v in parsed.items() if k != "name"})
    assert created["urusan"] == "1.02" and created["tingkat_wilayah"] == "kabupaten"
    assert {e["key"]: e["value"] for e in created["extras"]}["publisher_name"] == "Dinas Kesehatan Provinsi Jawa Timur"
