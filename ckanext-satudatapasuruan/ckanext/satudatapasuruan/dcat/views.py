"""``/kode/<scheme>`` and ``/kode/<scheme>/<code>``: the portal's concept schemes (urusan, wilayah, satuan) in RDF,
at the stable addresses the DCAT catalogue uses for themes, areas and units."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, request
from rdflib import Graph
from rdflib.namespace import SKOS

from ckanext.dcat.utils import catalog_uri

from . import vocab

__all__ = ["kode"]

kode = Blueprint("satudata_kode", __name__)

# extension -> (rdflib format, media type)
_FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
}


def _format(ext: str | None) -> tuple[str, str]:
    if ext:
        if ext not in _FORMATS:
            tk.abort(404, tk._("Format tidak dikenal: {ext} (pilih ttl, jsonld atau rdf)").format(ext=ext))
        return _FORMATS[ext]
    best = request.accept_mimetypes.best_match([m for _, m in _FORMATS.values()], default="text/turtle")
    return next(f for f in _FORMATS.values() if f[1] == best)


def _respond(graph: Graph, ext: str | None) -> Response:
    rdf_format, mimetype = _format(ext)
    return Response(graph.serialize(format=rdf_format), mimetype=mimetype,
                    headers={"Cache-Control": "public, max-age=3600"})


def _split(name: str) -> tuple[str, str | None]:
    stem, dot, ext = name.rpartition(".")
    return (stem, ext) if dot and ext in _FORMATS else (name, None)


@kode.route("/kode/<scheme>")
def scheme(scheme: str) -> Response:
    name, ext = _split(scheme)
    if name not in vocab.CONCEPT_SCHEMES:
        tk.abort(404, tk._("Skema kode tidak ditemukan: {scheme}").format(scheme=name))
    return _respond(vocab.scheme_graph(catalog_uri(), name), ext)


@kode.route("/kode/<scheme>/<code>")
def concept(scheme: str, code: str) -> Response:
    if scheme not in vocab.CONCEPT_SCHEMES:
        tk.abort(404, tk._("Skema kode tidak ditemukan: {scheme}").format(scheme=scheme))
    code, ext = _split(code)
    graph = Graph()
    graph.bind("skos", SKOS)
    if vocab.add_concept(graph, catalog_uri(), scheme, code) is None:
        tk.abort(404, tk._("Kode tidak ditemukan: {code}").format(code=code))
    return _respond(graph, ext)
