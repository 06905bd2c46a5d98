"""The ``satudata`` RDF profile: SDI metadata in DCAT-AP 3, both ways.

Stacked after ckanext-dcat's ``euro_dcat_ap_3`` (or ``euro_dcat_ap_2``) profile
(``ckanext.dcat.rdf.profiles = euro_dcat_ap_3 satudata``): the base profile writes and reads the core
(title, description, keywords, dates, publisher, distributions); this one replaces what the base can only
write as literals (format, media type, language) with the IRIs DCAT-AP asks for, and maps every SDI field:

=====================  ==========================================================================
frekuensi              ``dct:accrualPeriodicity`` (EU frequency)
tahun, periode         ``dct:temporal`` (``dcat:startDate``/``dcat:endDate``), ``sdi:tahun``
kode_wilayah           ``dct:spatial``: a concept per code (``/kode/wilayah/<kode>``) + the geometry
owner_org              ``dct:publisher`` (``foaf:Agent``, type LocalAuthority)
urusan                 ``dcat:theme``: EU data-theme + the portal's concept (``/kode/urusan/<kode>``)
kontak_*               ``dcat:contactPoint`` (``vcard:Kind``)
klasifikasi_akses      ``dct:accessRights`` (PUBLIC, RESTRICTED; rahasia is never exported)
satuan                 ``stat:statUnitMeasure`` (STAT-DCAT-AP; concept ``/kode/satuan/<kode>``)
variabel (MS-Var)      ``stat:dimension`` (row keys) / ``stat:attribute``, each an ``sdi:Variabel``
indikator (MS-Ind)     ``sdi:indikator`` (``sdi:Indikator``)
kode_standar_data, crs ``dct:conformsTo`` (``dct:Standard``)
(publications)         ``dcat:version``: the number of publications (first, then each published revision)
type                   ``dct:type`` (EU dataset-type STATISTICAL / GEOSPATIAL)
other SDI fields       ``sdi:<field_name>`` literals (konsep, definisi, ukuran, ...), see docs/dcat.md
=====================  ==========================================================================

Parsing reads the same properties back into the SDI schema, and falls back to the standard ones alone for
catalogues of other portals (the import harvester fills what is still missing from its source config).
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ckanext.dcat.profiles import DCAT, DCT, FOAF, GSP, RDF, RDFS, SKOS, VCARD, XSD
from ckanext.dcat.profiles.base import CleanedURIRef, RDFProfile
from ckanext.dcat.utils import catalog_uri, resource_uri

from .. import refdata
from . import config, vocab
from .vocab import QB, SDI, STAT

__all__ = ["SatuDataProfile", "SDI_TYPES", "exported_fields"]

log = logging.getLogger(__name__)

# Dataset types the profile maps; other types (kegiatan statistik, infografis) are not in the catalogue.
SDI_TYPES = ("dataset", "geospasial")

# Fields written through standard properties (or by the base profile), not as sdi:<field> literals.
_STANDARD = frozenset({
    "title", "name", "notes", "owner_org", "tag_string", "license_id", "urusan", "frekuensi", "periode_awal",
    "periode_akhir", "kode_wilayah", "klasifikasi_akses", "kontak_nama", "kontak_email", "satuan",
    "kode_standar_data", "crs", "spatial", "kegiatan_statistik", "variabel", "indikator",
    # computed on save by the receiving portal
    "kelengkapan_metadata",
})
_REPEATING = {"variabel": SDI.Variabel, "indikator": SDI.Indikator}
_EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
# ckanext-dcat's parser leaves these as extras; the SDI fields replace them. (`theme` stays: an import source's
# theme_map reads it.)
_MAPPED_EXTRAS = frozenset({
    "frequency", "temporal_start", "temporal_end", "access_rights", "language", "conforms_to",
    "dcat_type", "contact_uri", "contact_name", "contact_email", "contact_identifier", "contact_url",
    "spatial", "spatial_uri", "spatial_text", "homepage",
})


def _schema(dataset_type: str | None) -> dict[str, Any] | None:
    if dataset_type not in SDI_TYPES:
        return None
    return tk.h.scheming_get_dataset_schema(dataset_type)


def exported_fields(dataset_type: str) -> list[str]:
    """The SDI fields of a type that travel as ``sdi:<field>`` literals."""
    schema = _schema(dataset_type) or {}
    return [f["field_name"] for f in schema.get("dataset_fields", [])
            if f["field_name"] not in _STANDARD and not f.get("repeating_subfields")]


def _as_list(value: Any) -> list[Any]:
    if value in (None, "", []):
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


class SatuDataProfile(RDFProfile):
    """DCAT-AP 3 with the SDI metadata of Portal Satu Data (see the module docstring)."""

    # --- writing -----------------------------------------------------------------------------------------

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        dataset_type = dataset_dict.get("type")
        if _schema(dataset_type) is None:
            return
        g = self.g
        base = catalog_uri()
        for prefix, ns in (("sdi", SDI), ("stat", STAT), ("qb", QB)):
            g.bind(prefix, ns)

        self._add_iri(dataset_ref, DCT.type, vocab.DATASET_TYPES[dataset_type], replace=True)
        self._add_iri(dataset_ref, DCT.language, vocab.LANGUAGE_ID, DCT.LinguisticSystem, replace=True)
        if (dataset_ref, DCAT.landingPage, None) not in g:
            page = URIRef(f"{tk.config['ckan.site_url'].rstrip('/')}/{dataset_type}/{dataset_dict['name']}")
            self._add_iri(dataset_ref, DCAT.landingPage, page, FOAF.Document)
        self._add_iri(dataset_ref, DCT.accrualPeriodicity, vocab.frequency_iri(dataset_dict.get("frekuensi")),
                      DCT.Frequency, replace=True)
        self._add_iri(dataset_ref, DCT.accessRights, vocab.ACCESS_RIGHTS.get(dataset_dict.get("klasifikasi_akses")),
                      DCT.RightsStatement, replace=True)
        self._temporal(dataset_dict, dataset_ref)
        self._spatial_coverage(dataset_dict, dataset_ref, base)
        self._publisher_type(dataset_ref)
        self._theme(dataset_dict, dataset_ref, base)
        self._contact(dataset_dict, dataset_ref)
        self._standards(dataset_dict, dataset_ref)
        if dataset_dict.get("satuan"):
            unit = self._concept(base, "satuan", dataset_dict["satuan"])
            if unit is not None:
                g.add((dataset_ref, STAT.statUnitMeasure, unit))
        if dataset_dict.get("kegiatan_statistik"):
            g.add((dataset_ref, SDI.kegiatanStatistik, URIRef(
                f"{tk.config['ckan.site_url'].rstrip('/')}/kegiatan-statistik/{dataset_dict['kegiatan_statistik']}")))
        for field in exported_fields(dataset_type):
            for value in _as_list(dataset_dict.get(field)):
                g.add((dataset_ref, SDI[field], Literal(str(value))))
        self._repeating(dataset_dict, dataset_ref)
        self._version(dataset_dict, dataset_ref)
        for resource in dataset_dict.get("resources", []):
            self._distribution(dataset_dict, resource, CleanedURIRef(resource_uri(resource)))

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: Node) -> None:
        g = self.g
        base = catalog_uri()
        g.bind("sdi", SDI)
        self._add_iri(catalog_ref, DCT.language, vocab.LANGUAGE_ID, DCT.LinguisticSystem, replace=True)
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))
        if (catalog_ref, DCT.description, None) not in g:
            g.add((catalog_ref, DCT.description, Literal(config.catalog_description(), lang="id")))
        publisher = URIRef(config.publisher_uri())
        g.add((catalog_ref, DCT.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, FOAF.name, Literal(config.publisher_name())))
        g.add((publisher, DCT.type, vocab.PUBLISHER_TYPE_LOCAL_AUTHORITY))
        licence = URIRef(config.catalog_licence())
        g.add((catalog_ref, DCT.license, licence))
        g.add((licence, RDF.type, DCT.LicenseDocument))
        self._region(catalog_ref, base)
        eu_themes = URIRef(vocab.EU + "data-theme")
        for scheme in (eu_themes, self._scheme(base, "urusan")):
            g.add((catalog_ref, DCAT.themeTaxonomy, scheme))
        g.add((eu_themes, RDF.type, SKOS.ConceptScheme))
        g.add((eu_themes, DCT.title, Literal("Data theme", lang="en")))

    def _add_iri(self, subject: Node, predicate: URIRef, iri: URIRef | None, klass: URIRef | None = None,
                 replace: bool = False) -> None:
        if replace:
            self.g.remove((subject, predicate, None))
        if iri is None:
            return
        self.g.add((subject, predicate, iri))
        if klass is not None:
            self.g.add((iri, RDF.type, klass))

    def _scheme(self, base: str, scheme: str) -> URIRef:
        return vocab.add_scheme(self.g, base, scheme)

    def _concept(self, base: str, scheme: str, code: str) -> URIRef | None:
        return vocab.add_concept(self.g, base, scheme, code)

    def _temporal(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        year = str(dataset_dict.get("tahun") or "")
        start = dataset_dict.get("periode_awal") or (f"{year}-01-01" if year else None)
        end = dataset_dict.get("periode_akhir") or (f"{year}-12-31" if year else None)
        self.g.remove((dataset_ref, DCT.temporal, None))
        if not (start or end):
            return
        period = BNode()
        self.g.add((dataset_ref, DCT.temporal, period))
        self.g.add((period, RDF.type, DCT.PeriodOfTime))
        for predicate, value in ((DCAT.startDate, start), (DCAT.endDate, end)):
            if value:
                self.g.add((period, predicate, Literal(str(value)[:10], datatype=XSD.date)))

    def _region(self, subject: Node, base: str) -> URIRef | None:
        """The regency as a dct:Location concept with its bounding box."""
        regency = self._concept(base, "wilayah", refdata.REGENCY_CODE)
        if regency is None:
            return None
        self.g.add((subject, DCT.spatial, regency))
        self.g.add((regency, RDF.type, DCT.Location))
        min_lon, min_lat, max_lon, max_lat = refdata.BBOX
        wkt = (f"POLYGON(({min_lon} {min_lat}, {max_lon} {min_lat}, {max_lon} {max_lat}, {min_lon} {max_lat}, "
               f"{min_lon} {min_lat}))")
        self.g.add((regency, DCAT.bbox, Literal(wkt, datatype=GSP.wktLiteral)))
        return regency

    def _spatial_coverage(self, dataset_dict: dict[str, Any], dataset_ref: Node, base: str) -> None:
        codes = [c for c in _as_list(dataset_dict.get("kode_wilayah")) if c != refdata.REGENCY_CODE]
        if not codes or dataset_dict.get("tingkat_wilayah") in (None, "", "kabupaten"):
            self._region(dataset_ref, base)
        for code in codes:
            concept = self._concept(base, "wilayah", code)
            if concept is not None:
                self.g.add((dataset_ref, DCT.spatial, concept))
                self.g.add((concept, RDF.type, DCT.Location))

    def _publisher_type(self, dataset_ref: Node) -> None:
        for publisher in self.g.objects(dataset_ref, DCT.publisher):
            if (publisher, DCT.type, None) not in self.g:
                self.g.add((publisher, DCT.type, vocab.PUBLISHER_TYPE_LOCAL_AUTHORITY))

    def _theme(self, dataset_dict: dict[str, Any], dataset_ref: Node, base: str) -> None:
        urusan = dataset_dict.get("urusan")
        self._add_iri(dataset_ref, DCAT.theme, vocab.theme_iri(urusan))
        local = self._concept(base, "urusan", urusan) if urusan else None
        if local is not None:
            self.g.add((dataset_ref, DCAT.theme, local))

    def _contact(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        name, email = dataset_dict.get("kontak_nama"), dataset_dict.get("kontak_email")
        if not (name or email):
            return
        self.g.remove((dataset_ref, DCAT.contactPoint, None))
        contact = BNode()
        self.g.add((dataset_ref, DCAT.contactPoint, contact))
        self.g.add((contact, RDF.type, VCARD.Kind))
        self.g.add((contact, RDF.type, VCARD.Organization))
        if name:
            self.g.add((contact, VCARD.fn, Literal(name)))
        if email:
            self.g.add((contact, VCARD.hasEmail, URIRef("mailto:" + email)))

    def _standards(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        self.g.remove((dataset_ref, DCT.conformsTo, None))
        code = dataset_dict.get("kode_standar_data")
        if code:
            standard = BNode()
            self.g.add((dataset_ref, DCT.conformsTo, standard))
            self.g.add((standard, RDF.type, DCT.Standard))
            self.g.add((standard, DCT.identifier, Literal(code)))
            self.g.add((standard, DCT.title, Literal(f"Standar Data Statistik {code}", lang="id")))
        crs = str(dataset_dict.get("crs") or "")
        if crs.upper().startswith("EPSG:"):
            self._add_iri(dataset_ref, DCT.conformsTo, URIRef(_EPSG + crs.split(":", 1)[1]), DCT.Standard)

    def _repeating(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        g = self.g
        for field, klass in _REPEATING.items():
            for position, item in enumerate(dataset_dict.get(field) or []):
                node = BNode()
                g.add((node, RDF.type, klass))
                g.add((node, SDI.urutan, Literal(position, datatype=XSD.integer)))
                if field == "variabel":
                    key = item.get("kunci") == "ya"
                    g.add((dataset_ref, STAT.dimension if key else STAT.attribute, node))
                    g.add((node, RDF.type, QB.DimensionProperty if key else QB.AttributeProperty))
                    if item.get("alias"):
                        g.add((node, SKOS.notation, Literal(item["alias"])))
                else:
                    g.add((dataset_ref, SDI.indikator, node))
                if item.get("nama"):
                    g.add((node, RDFS.label, Literal(item["nama"], lang="id")))
                if item.get("definisi"):
                    g.add((node, SKOS.definition, Literal(item["definisi"], lang="id")))
                for key, value in item.items():
                    if value not in (None, "") and key != "id":
                        g.add((node, SDI[key], Literal(str(value))))

    def _version(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """``dcat:version``: how many times the dataset was published (its first publication, then each published
        revision), from the workflow's audit trail; only the count leaves the portal, never the notes."""
        if (dataset_ref, DCAT.version, None) in self.g or not dataset_dict.get("id"):
            return
        try:
            history = tk.get_action("satudata_workflow_history")({"ignore_auth": True}, {"id": dataset_dict["id"]})
        except (KeyError, tk.ObjectNotFound):
            return  # the workflow plugin is not loaded, or the dataset is not in this portal
        published = sum(1 for event in history if event["action"] in ("publish", "revision_publish"))
        if published:
            self.g.add((dataset_ref, DCAT.version, Literal(str(published))))

    def _distribution(self, dataset_dict: dict[str, Any], resource: dict[str, Any], dist: Node) -> None:
        g = self.g
        fmt = resource.get("format")
        g.remove((dist, DCT["format"], None))
        g.remove((dist, DCAT.mediaType, None))
        file_type = vocab.file_type(fmt)
        if file_type is not None:
            self._add_iri(dist, DCT["format"], file_type, DCT.MediaTypeOrExtent)
        elif fmt:
            g.add((dist, SDI["format"], Literal(fmt)))
        self._add_iri(dist, DCAT.mediaType, vocab.media_type(fmt), DCT.MediaType)
        if resource.get("url_type") == "upload" and resource.get("url"):
            self._add_iri(dist, DCAT.downloadURL, URIRef(resource["url"]), RDFS.Resource, replace=True)
        licence_id = dataset_dict.get("license_id")
        licence = vocab.LICENCES.get(licence_id) or (
            URIRef(dataset_dict["license_url"]) if dataset_dict.get("license_url") else None)
        if licence is not None:
            self._add_iri(dist, DCT.license, licence, DCT.LicenseDocument, replace=True)
            if dataset_dict.get("license_title"):
                g.add((licence, DCT.title, Literal(dataset_dict["license_title"])))

    # --- reading -----------------------------------------------------------------------------------------

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        g = self.g
        types = {v: k for k, v in vocab.DATASET_TYPES.items()}
        dataset_type = next((types[t] for t in g.objects(dataset_ref, DCT.type) if t in types), "dataset")
        dataset_dict["type"] = dataset_type
        extras = {e["key"]: e["value"] for e in dataset_dict.get("extras", [])}
        dataset_dict["extras"] = [e for e in dataset_dict.get("extras", []) if e["key"] not in _MAPPED_EXTRAS]

        concepts = self._concepts(dataset_ref)
        frequency = next(filter(None, map(vocab.frequency_code, g.objects(dataset_ref, DCT.accrualPeriodicity))),
                         None)
        urusan = next(iter(concepts.get("urusan", [])), None) or next(
            filter(None, map(vocab.urusan_for_theme, g.objects(dataset_ref, DCAT.theme))), None)
        units = [c for _, c in filter(None, map(vocab.parse_concept, g.objects(dataset_ref, STAT.statUnitMeasure)))]
        rights = {v: k for k, v in vocab.ACCESS_RIGHTS.items()}
        access = next((rights[r] for r in g.objects(dataset_ref, DCT.accessRights) if r in rights), None)
        values: dict[str, Any] = {
            "frekuensi": frequency, "urusan": urusan, "satuan": units[0] if units else None,
            "klasifikasi_akses": access, "kontak_nama": extras.get("contact_name"),
            "kontak_email": (extras.get("contact_email") or "").removeprefix("mailto:") or None,
        }
        values.update(self._parse_standards(dataset_ref))
        values.update(self._parse_temporal(dataset_ref, g.value(dataset_ref, SDI.tahun), extras))
        wilayah = [c for c in concepts.get("wilayah", []) if c != refdata.REGENCY_CODE]
        if wilayah:
            values["kode_wilayah"] = wilayah
        levels = {refdata.lookup("wilayah", c).level for c in wilayah}
        values["tingkat_wilayah"] = levels.pop() if len(levels) == 1 else "desa" if levels else "kabupaten"
        if dataset_type == "geospasial" and extras.get("spatial"):
            values["spatial"] = extras["spatial"]
        kegiatan = g.value(dataset_ref, SDI.kegiatanStatistik)
        if kegiatan is not None and _kegiatan_exists(str(kegiatan).rstrip("/").rsplit("/", 1)[-1]):
            values["kegiatan_statistik"] = str(kegiatan).rstrip("/").rsplit("/", 1)[-1]
        schema = _schema(dataset_type) or {}
        multiple = {f["field_name"] for f in schema.get("dataset_fields", [])
                    if "multiple" in str(f.get("preset", "")) or f.get("preset") == "satudata_codes"}
        for field in exported_fields(dataset_type):
            found = [str(v) for v in g.objects(dataset_ref, SDI[field])]
            if found:
                values[field] = found if field in multiple else found[0]
        values.update(self._parse_repeating(dataset_ref, schema))
        dataset_dict.update({k: v for k, v in values.items() if v not in (None, "", [])})
        self._parse_distributions(dataset_dict, dataset_ref)
        return dataset_dict

    def _concepts(self, dataset_ref: Node) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for predicate in (DCAT.theme, DCT.spatial):
            for obj in self.g.objects(dataset_ref, predicate):
                parsed = vocab.parse_concept(obj)
                if parsed and parsed[1] not in found.get(parsed[0], []):
                    found.setdefault(parsed[0], []).append(parsed[1])
        return {k: sorted(v) for k, v in found.items()}

    def _parse_standards(self, dataset_ref: Node) -> dict[str, str]:
        values = {}
        for standard in self.g.objects(dataset_ref, DCT.conformsTo):
            if str(standard).startswith(_EPSG):
                values["crs"] = "EPSG:" + str(standard)[len(_EPSG):]
            elif (identifier := self.g.value(standard, DCT.identifier)) is not None:
                values["kode_standar_data"] = str(identifier)
        return values

    def _parse_temporal(self, dataset_ref: Node, year: Node | None, extras: dict[str, str]) -> dict[str, str]:
        start = self.g.value(self.g.value(dataset_ref, DCT.temporal), DCAT.startDate) if (
            dataset_ref, DCT.temporal, None) in self.g else None
        end = self.g.value(self.g.value(dataset_ref, DCT.temporal), DCAT.endDate) if start is not None else None
        start_s = str(start) if start is not None else extras.get("temporal_start")
        end_s = str(end) if end is not None else extras.get("temporal_end")
        issued = extras.get("issued") or ""
        tahun = str(year) if year is not None else (start_s or issued)[:4] or None
        values = {"tahun": tahun}
        # A whole calendar year is the schema's "empty period"; anything else is kept as given.
        if start_s and end_s and not (start_s[:10] == f"{tahun}-01-01" and end_s[:10] == f"{tahun}-12-31"):
            values["periode_awal"], values["periode_akhir"] = _iso_date(start_s), _iso_date(end_s)
        return values

    def _parse_repeating(self, dataset_ref: Node, schema: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
        g = self.g
        subfields = {f["field_name"]: [s["field_name"] for s in f["repeating_subfields"]]
                     for f in schema.get("dataset_fields", []) if f.get("repeating_subfields")}
        values = {}
        for field, klass in _REPEATING.items():
            if field not in subfields:
                continue
            nodes = [n for n in g.subjects(RDF.type, klass)
                     if any((dataset_ref, p, n) in g for p in (STAT.dimension, STAT.attribute, SDI.indikator))]
            nodes.sort(key=lambda n: int(g.value(n, SDI.urutan) or 0))
            items = []
            for node in nodes:
                item = {s: str(g.value(node, SDI[s])) for s in subfields[field] if g.value(node, SDI[s]) is not None}
                if item:
                    items.append(item)
            if items:
                values[field] = items
        return values

    def _parse_distributions(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        licences = {str(v): k for k, v in vocab.LICENCES.items()}
        for resource in dataset_dict.get("resources", []):
            ref = resource.get("distribution_ref")
            dist = None if not ref else URIRef(ref) if resource.get("uri") else BNode(ref)
            fmt = vocab.format_from_file_type(resource.get("format"))
            if fmt:
                resource["format"] = fmt
            elif dist is not None and (label := self.g.value(dist, SDI["format"])) is not None:
                resource["format"] = str(label)
            if str(resource.get("mimetype", "")).startswith(vocab.IANA):
                resource["mimetype"] = resource["mimetype"][len(vocab.IANA):]
            if dist is not None and (licence := self.g.value(dist, DCT.license)) is not None:
                if str(licence) in licences:
                    dataset_dict["license_id"] = licences[str(licence)]
            resource.pop("distribution_ref", None)


def _iso_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return value


def _kegiatan_exists(name: str) -> bool:
    try:
        found = tk.get_action("package_show")({"ignore_auth": True}, {"id": name})
    except tk.ObjectNotFound:
        return False
    return found.get("type") == "kegiatan-statistik"
