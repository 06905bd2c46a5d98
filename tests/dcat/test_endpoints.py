"""ckanext-dcat's endpoints on the portal: what they export, to whom, in which formats, and their errors."""
from __future__ import annotations

import json

import pytest
from ckan.tests import helpers
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

SITE = "http://test.ckan.net"


def _datasets(app, url: str, **kwargs) -> set[str]:
    response = app.get(url, **kwargs)
    assert response.status_code == 200, response.body
    g = Graph().parse(data=response.body, format="turtle")
    return {str(g.value(d, DCTERMS.identifier)) for d in g.subjects(RDF.type, DCAT.Dataset)}


def _token(portal, who):
    return {"Authorization": portal.users[who]["token"]}


class TestCatalogue:
    def test_published_terbuka_and_terbatas_only(self, app, catalogue, portal):
        """The catalogue holds the published terbuka, terbatas and geospasial datasets: never the rahasia one, never
        the draft, not even for its operator, the walidata or a sysadmin."""
        exported = {catalogue[k]["id"] for k in ("terbuka", "terbatas", "geospasial")}
        assert _datasets(app, "/catalog.ttl") == exported
        for who in ("operator", "walidata", "sysadmin"):
            assert _datasets(app, "/catalog.ttl", headers=_token(portal, who)) == exported

    @pytest.mark.parametrize("ext,fmt", [("rdf", "xml"), ("jsonld", "json-ld"), ("xml", "xml")])
    def test_other_formats(self, app, catalogue, ext, fmt):
        """RDF/XML, JSON-LD and XML say the same."""
        response = app.get(f"/catalog.{ext}")
        assert response.status_code == 200
        g = Graph().parse(data=response.body, format=fmt)
        assert len(set(g.subjects(RDF.type, DCAT.Dataset))) == 3

    def test_catalogue_description(self, app, catalogue):
        """Title, publisher Pemerintah Kabupaten Pasuruan, homepage, language id, licence and spatial coverage."""
        g = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
        cat = next(g.subjects(RDF.type, DCAT.Catalog))
        assert str(g.value(cat, DCTERMS.title)) == "Portal Satu Data Kabupaten Pasuruan"
        assert g.value(cat, DCTERMS.description) is not None
        assert str(g.value(g.value(cat, DCTERMS.publisher), FOAF.name)) == "Pemerintah Kabupaten Pasuruan"
        assert g.value(cat, FOAF.homepage) == URIRef(SITE)
        assert g.value(cat, DCTERMS.language) == URIRef("http://publications.europa.eu/resource/authority/language/IND")
        assert g.value(cat, DCTERMS.license) is not None
        assert g.value(cat, DCTERMS.spatial) == URIRef(f"{SITE}/kode/wilayah/35.14")
        assert URIRef(f"{SITE}/kode/urusan") in set(g.objects(cat, DCAT.themeTaxonomy))

    @pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
    def test_paging(self, app, catalogue):
        """Pages of `datasets_per_page`, linked by hydra paging; every dataset on exactly one page."""
        first, second = _datasets(app, "/catalog.ttl?page=1"), _datasets(app, "/catalog.ttl?page=2")
        assert len(first) == 2 and len(second) == 1 and not first & second
        assert _datasets(app, "/catalog.ttl?page=3") == set()
        assert "hydra" in app.get("/catalog.ttl?page=1").body

    def test_modified_since(self, app, catalogue):
        """`modified_since` keeps only datasets changed after the date."""
        assert len(_datasets(app, "/catalog.ttl?modified_since=2000-01-01")) == 3
        assert _datasets(app, "/catalog.ttl?modified_since=2100-01-01") == set()

    @pytest.mark.parametrize("query", ["page=0", "page=dua", "modified_since=kemarin"])
    def test_bad_parameters_are_refused(self, app, catalogue, query):
        """A bad page or date is refused with ckanext-dcat's 409 and its reason, not a 500."""
        response = app.get(f"/catalog.ttl?{query}")
        assert response.status_code == 409
        assert "page" in response.body.lower() or "date" in response.body.lower()

    def test_dcat_json(self, app, catalogue):
        """The JSON interface (/dcat.json) follows the same rule."""
        names = {d["title"] for d in json.loads(app.get("/dcat.json").body)}
        assert names == {catalogue[k]["title"] for k in ("terbuka", "terbatas", "geospasial")}


class TestDatasetOutputs:
    @pytest.mark.parametrize("ext,fmt", [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")])
    def test_published_dataset(self, app, catalogue, ext, fmt):
        """A published dataset's RDF in each format."""
        response = app.get(f"/dataset/{catalogue['terbuka']['name']}.{ext}")
        assert response.status_code == 200
        g = Graph().parse(data=response.body, format=fmt)
        [dataset] = g.subjects(RDF.type, DCAT.Dataset)
        assert str(g.value(dataset, DCTERMS.title)) == catalogue["terbuka"]["title"]

    @pytest.mark.parametrize("which", ["rahasia", "draft"])
    @pytest.mark.parametrize("who", [None, "operator", "sysadmin"])
    def test_rahasia_and_drafts_have_none(self, app, catalogue, portal, which, who):
        """Rahasia and unpublished datasets have no RDF, whoever asks, by extension or by content negotiation."""
        headers = _token(portal, who) if who else {}
        name = catalogue[which]["name"]
        # 403 for the anonymous (CKAN's answer for a private dataset), 404 for those who may see the dataset
        assert app.get(f"/dataset/{name}.ttl", headers=headers).status_code == (404 if who else 403)
        negotiated = app.get(f"/dataset/{name}", headers=dict(headers, Accept="text/turtle"))
        assert "dcat:Dataset" not in negotiated.body

    def test_content_negotiation(self, app, catalogue):
        """`Accept: text/turtle` on the dataset page and on the home page gives Turtle."""
        page = app.get(f"/dataset/{catalogue['terbuka']['name']}", headers={"Accept": "text/turtle"})
        assert page.status_code == 200 and "dcat:Dataset" in page.body
        catalog = app.get("/", headers={"Accept": "text/turtle"})
        assert catalog.status_code == 200 and "dcat:Catalog" in catalog.body

    def test_terbatas_file_address_stays_hidden(self, app, catalogue):
        """The public RDF of terbatas data points at the resource page, never at the uploaded file."""
        body = app.get(f"/dataset/{catalogue['terbatas']['name']}.ttl").body
        upload = next(r["url"] for r in catalogue["terbatas"]["resources"])
        assert upload.endswith("data.csv") and upload not in body
        assert f"/dataset/{catalogue['terbatas']['name']}/resource/" in body


class TestConceptSchemes:
    def test_scheme_and_concepts(self, app):
        """/kode/<scheme> lists every code; /kode/<scheme>/<code> one, in Turtle, JSON-LD or RDF/XML."""
        g = Graph().parse(data=app.get("/kode/urusan").body, format="turtle")
        assert len(set(g.subjects(RDF.type, SKOS.Concept))) == 43
        kec = Graph().parse(data=app.get("/kode/wilayah/35.14.01.jsonld").body, format="json-ld")
        iri = URIRef(f"{SITE}/kode/wilayah/35.14.01")
        assert str(kec.value(iri, SKOS.prefLabel)) == "Purwodadi"
        assert kec.value(iri, SKOS.broader) == URIRef(f"{SITE}/kode/wilayah/35.14")
        negotiated = app.get("/kode/satuan/jiwa", headers={"Accept": "application/rdf+xml"})
        assert negotiated.headers["Content-Type"].startswith("application/rdf+xml")

    @pytest.mark.ckan_config("ckan.locale_default", "id")
    @pytest.mark.parametrize("url", ["/kode/agama", "/kode/urusan/9.99", "/kode/wilayah/35.15.01"])
    def test_unknown_is_404(self, app, url):
        """Unknown schemes and codes are 404 pages saying what was not found."""
        response = app.get(url, headers={"Accept": "text/html"})
        assert response.status_code == 404
        assert "tidak ditemukan" in response.body


@pytest.mark.ckan_config("ckan.locale_default", "id")
def test_dataset_rdf_refusal_says_why(app, catalogue):
    """The API refusal of an unpublished dataset's RDF is a clear message, in Indonesian."""
    with pytest.raises(Exception) as err:
        helpers.call_action("dcat_dataset_show", context={"user": "sysadmin"}, id=catalogue["draft"]["id"],
                            format="turtle")
    assert "belum terbit" in str(err.value)
