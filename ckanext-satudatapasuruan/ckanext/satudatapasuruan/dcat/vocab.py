"""IRIs of the DCAT output: the EU controlled vocabularies, the portal's own concept schemes, the local namespace.

Pure functions over the reference data (no CKAN import), shared by the RDF profile, the concept-scheme pages and
the import harvester.

* EU vocabularies (frequency, data-theme, access-right, language, file-type, dataset-type) and IANA media types
  for the standard DCAT-AP properties.
* The portal's concept schemes ``<site>/kode/<scheme>`` (urusan, wilayah, satuan), one concept per code at
  ``<site>/kode/<scheme>/<code>``, served by ``/kode`` (see ``views.py``). Parsing recognises a concept by the
  path, whichever host published it, so a second portal reads our codes without knowing our address.
* ``SDI``: documented local properties (docs/dcat.md) for the SDI metadata that DCAT-AP has no property for.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from .. import refdata

__all__ = [
    "ACCESS_RIGHTS",
    "add_concept",
    "add_scheme",
    "CONCEPT_SCHEMES",
    "DATASET_TYPES",
    "EU",
    "IANA",
    "LANGUAGE_ID",
    "LICENCES",
    "PUBLISHER_TYPE_LOCAL_AUTHORITY",
    "QB",
    "SDI",
    "STAT",
    "concept_iri",
    "file_type",
    "format_from_file_type",
    "frequency_code",
    "frequency_iri",
    "media_type",
    "parse_concept",
    "scheme_graph",
    "scheme_iri",
    "theme_iri",
    "urusan_for_theme",
]

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
# Stable, host-independent: two portals must read the same properties.
SDI = Namespace("https://satudata.pasuruankab.go.id/ns/sdi#")
STAT = Namespace("http://data.europa.eu/(xyz)/statdcat-ap/")
QB = Namespace("http://purl.org/linked-data/cube#")

LANGUAGE_ID = URIRef(EU + "language/IND")
PUBLISHER_TYPE_LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")

# klasifikasi_akses -> EU access-right; rahasia has none: it is never exported.
ACCESS_RIGHTS: Mapping[str, URIRef] = MappingProxyType({
    "terbuka": URIRef(EU + "access-right/PUBLIC"),
    "terbatas": URIRef(EU + "access-right/RESTRICTED"),
})

# CKAN dataset type -> EU dataset-type.
DATASET_TYPES: Mapping[str, URIRef] = MappingProxyType({
    "dataset": URIRef(EU + "dataset-type/STATISTICAL"),
    "geospasial": URIRef(EU + "dataset-type/GEOSPATIAL"),
})

# CKAN licence id -> EU licence IRI (other licences keep CKAN's licence URL). The licence's CKAN title travels
# as dct:title, which is how ckanext-dcat's parser finds the licence again.
LICENCES: Mapping[str, URIRef] = MappingProxyType({
    "cc-by": URIRef(EU + "licence/CC_BY_4_0"),
    "cc-by-sa": URIRef(EU + "licence/CC_BY_SA_4_0"),
    "cc-zero": URIRef(EU + "licence/CC0"),
    "odc-odbl": URIRef(EU + "licence/ODC_BL"),
})

# CKAN format (upper case) -> (EU file-type code, IANA media type or None).
_FORMATS: Mapping[str, tuple[str, str | None]] = MappingProxyType({
    "CSV": ("CSV", "text/csv"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "XML": ("XML", "application/xml"),
    "PDF": ("PDF", "application/pdf"),
    "ZIP": ("ZIP", "application/zip"),
    "HTML": ("HTML", "text/html"),
    "TXT": ("TXT", "text/plain"),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "DOC": ("DOC", "application/msword"),
    "PNG": ("PNG", "image/png"),
    "JPEG": ("JPEG", "image/jpeg"),
    "TIFF": ("TIFF", "image/tiff"),
    "SHP": ("SHP", None),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "GPKG": ("GPKG", "application/geopackage+sqlite3"),
    "RDF": ("RDF_XML", "application/rdf+xml"),
    "TTL": ("RDF_TURTLE", "text/turtle"),
    "JSON-LD": ("JSON_LD", "application/ld+json"),
    "WMS": ("WMS_SRVC", None),
    "WFS": ("WFS_SRVC", None),
    "WMTS": ("WMTS_SRVC", None),
})
_FORMAT_ALIASES = {"JPG": "JPEG", "TIF": "TIFF", "SHAPEFILE": "SHP", "TURTLE": "TTL", "JSONLD": "JSON-LD"}

CONCEPT_SCHEMES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "urusan": ("Urusan pemerintahan (Permendagri 90/2019)", "Government affairs (Permendagri 90/2019)"),
    "wilayah": ("Kode wilayah Kemendagri, Kabupaten Pasuruan", "Kemendagri region codes, Kabupaten Pasuruan"),
    "satuan": ("Satuan data statistik sektoral", "Units of sectoral statistics"),
})
_CONCEPT_PATH = re.compile(r"/kode/(?P<scheme>[a-z_]+)/(?P<code>[0-9A-Za-z._-]+)$")


def scheme_iri(site_url: str, scheme: str) -> URIRef:
    return URIRef(f"{site_url.rstrip('/')}/kode/{scheme}")


def concept_iri(site_url: str, scheme: str, code: str) -> URIRef:
    return URIRef(f"{site_url.rstrip('/')}/kode/{scheme}/{code}")


def parse_concept(iri: object) -> tuple[str, str] | None:
    """(scheme, code) of a concept IRI of any portal running this bundle, None for anything else."""
    match = _CONCEPT_PATH.search(str(iri))
    if not match or match["scheme"] not in CONCEPT_SCHEMES:
        return None
    scheme, code = match["scheme"], match["code"]
    return (scheme, code) if refdata.lookup(scheme, code) else None


@cache
def _frequency_maps() -> tuple[Mapping[str, str], Mapping[str, str]]:
    to_iri = {e.code: e.extra["eu_frequency"] for e in refdata.entries("frekuensi") if e.extra.get("eu_frequency")}
    return MappingProxyType(to_iri), MappingProxyType({v: k for k, v in to_iri.items()})


def frequency_iri(code: str | None) -> URIRef | None:
    iri = _frequency_maps()[0].get(code or "")
    return URIRef(iri) if iri else None


def frequency_code(iri: object) -> str | None:
    return _frequency_maps()[1].get(str(iri))


def theme_iri(urusan: str | None) -> URIRef | None:
    entry = refdata.lookup("urusan", urusan or "")
    return URIRef(entry.extra["eu_theme"]) if entry and entry.extra.get("eu_theme") else None


@cache
def _urusan_by_theme() -> Mapping[str, str]:
    # The first urusan of a theme in Permendagri order stands for the theme when a foreign catalogue has
    # only the EU theme (an import source can map themes itself).
    first: dict[str, str] = {}
    for entry in refdata.entries("urusan"):
        first.setdefault(entry.extra.get("eu_theme", ""), entry.code)
    first.pop("", None)
    return MappingProxyType(first)


def urusan_for_theme(iri: object) -> str | None:
    return _urusan_by_theme().get(str(iri))


def _format_key(fmt: str | None) -> str:
    key = (fmt or "").strip().upper().lstrip(".")
    return _FORMAT_ALIASES.get(key, key)


def file_type(fmt: str | None) -> URIRef | None:
    """EU file-type concept of a CKAN format, None when the table has none."""
    found = _FORMATS.get(_format_key(fmt))
    return URIRef(EU + "file-type/" + found[0]) if found else None


def media_type(fmt: str | None) -> URIRef | None:
    found = _FORMATS.get(_format_key(fmt))
    return URIRef(IANA + found[1]) if found and found[1] else None


@cache
def _formats_by_file_type() -> Mapping[str, str]:
    return MappingProxyType({EU + "file-type/" + code: fmt for fmt, (code, _) in _FORMATS.items()})


def format_from_file_type(iri: object) -> str | None:
    """The CKAN format of an EU file-type concept ("CSV"), None for other values."""
    return _formats_by_file_type().get(str(iri))


def add_scheme(g: Graph, base: str, scheme: str) -> URIRef:
    """The portal's concept scheme ``scheme`` as a ``skos:ConceptScheme`` with its titles."""
    iri = scheme_iri(base, scheme)
    title_id, title_en = CONCEPT_SCHEMES[scheme]
    g.add((iri, RDF.type, SKOS.ConceptScheme))
    g.add((iri, DCTERMS.title, Literal(title_id, lang="id")))
    g.add((iri, DCTERMS.title, Literal(title_en, lang="en")))
    return iri


def add_concept(g: Graph, base: str, scheme: str, code: str) -> URIRef | None:
    """One code as a ``skos:Concept`` of its scheme (labels, notation, broader code); None for unknown codes."""
    entry = refdata.lookup(scheme, code)
    if entry is None:
        return None
    iri = concept_iri(base, scheme, code)
    g.add((iri, RDF.type, SKOS.Concept))
    g.add((iri, SKOS.prefLabel, Literal(refdata.label(scheme, code, "id"), lang="id")))
    if scheme != "wilayah":  # proper names: the same in every language
        g.add((iri, SKOS.prefLabel, Literal(refdata.label(scheme, code, "en"), lang="en")))
    g.add((iri, SKOS.notation, Literal(code)))
    g.add((iri, SKOS.inScheme, add_scheme(g, base, scheme)))
    if entry.parent:
        g.add((iri, SKOS.broader, concept_iri(base, scheme, entry.parent)))
    return iri


def scheme_graph(base: str, scheme: str) -> Graph:
    """A whole concept scheme (every code), as served at ``/kode/<scheme>``."""
    g = Graph()
    g.bind("skos", SKOS)
    g.bind("dct", DCTERMS)
    iri = add_scheme(g, base, scheme)
    for entry in refdata.entries(scheme):
        concept = add_concept(g, base, scheme, entry.code)
        if concept is not None and not entry.parent:
            g.add((iri, SKOS.hasTopConcept, concept))
    return g
