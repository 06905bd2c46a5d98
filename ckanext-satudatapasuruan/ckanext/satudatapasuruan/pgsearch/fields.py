"""Field types of the index, read from the Solr schema that CKAN ships.

The engine treats a field the way CKAN's ``schema.xml`` declares it (exact
string, analysed text, date, number), so queries behave as they do on Solr.
ckanext-spatial's ``solr-bbox`` fields are added as its documentation asks.
"""
from __future__ import annotations

import dataclasses
import enum
import fnmatch
import functools
import os
import xml.etree.ElementTree as ET

import ckan

__all__ = [
    "Kind", "FieldInfo", "field_info", "copy_sources", "copied_to_text", "TEXT_WEIGHTS", "TSV_FIELDS",
    "WEIGHT_OF", "TSV_ONLY",
]


class Kind(enum.Enum):
    STRING = "string"
    TEXT = "text"
    NGRAM = "ngram"  # Solr's text_ngram: substring match on the copied source field
    DATE = "date"
    NUMBER = "number"
    BOOL = "bool"


@dataclasses.dataclass(frozen=True)
class FieldInfo:
    name: str
    kind: Kind
    multi: bool
    stored: bool
    indexed: bool


_TYPE_KIND = {
    "string": Kind.STRING, "boolean": Kind.BOOL, "booleans": Kind.BOOL,
    "text": Kind.TEXT, "text_general": Kind.TEXT, "text_ngram": Kind.NGRAM,
}
_MULTI_TYPES = {"pdates", "booleans", "pints", "pfloats", "plongs", "pdoubles"}
for _t in ("int", "float", "long", "double", "pint", "pfloat", "plong", "pdouble",
           "pints", "pfloats", "plongs", "pdoubles"):
    _TYPE_KIND[_t] = Kind.NUMBER
for _t in ("date", "pdate", "pdates"):
    _TYPE_KIND[_t] = Kind.DATE

# ckanext-spatial's solr-bbox backend asks for these in the Solr schema.
_SPATIAL_FIELDS = {name: FieldInfo(name, Kind.NUMBER, False, True, True)
                   for name in ("bbox_area", "minx", "maxx", "miny", "maxy")}

# The `text` catch-all field is one weighted tsvector: these weights let
# `title:` and `notes:` use the same GIN index and rank like CKAN's qf.
TEXT_WEIGHTS = {"title": "A", "notes": "C"}
# Sources of each weight of the tsvector (everything else copied to `text` is D).
TSV_FIELDS = {
    "A": ("title",),
    "B": ("name", "tags", "groups", "organization"),
    "C": ("notes",),
}
WEIGHT_OF = {field: weight for weight, fields in TSV_FIELDS.items() for field in fields}
# Text fields searched only through `tsv` (their values are not copied to `texts`).
TSV_ONLY = ("title", "notes", "text")


def _schema_path() -> str:
    return os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")


@functools.lru_cache(maxsize=1)
def _schema() -> tuple[dict[str, FieldInfo], list[tuple[str, FieldInfo]], list[tuple[str, str]]]:
    root = ET.parse(_schema_path()).getroot()
    types = {}
    for ft in root.iter("fieldType"):
        types[ft.get("name")] = ft.get("multiValued") == "true" or ft.get("name") in _MULTI_TYPES

    def info(el) -> FieldInfo:
        tname = el.get("type")
        return FieldInfo(
            el.get("name"),
            _TYPE_KIND.get(tname, Kind.STRING),
            el.get("multiValued") == "true" or types.get(tname, False),
            el.get("stored", "true") == "true",
            el.get("indexed", "true") == "true",
        )

    fields = {el.get("name"): info(el) for el in root.iter("field")}
    fields.update(_SPATIAL_FIELDS)
    dynamic = [(el.get("name"), info(el)) for el in root.iter("dynamicField")]
    # Solr picks the longest matching pattern
    dynamic.sort(key=lambda p: -len(p[0]))
    copies = [(el.get("source"), el.get("dest")) for el in root.iter("copyField")]
    return fields, dynamic, copies


@functools.lru_cache(maxsize=4096)
def field_info(name: str) -> FieldInfo:
    fields, dynamic, _ = _schema()
    if name in fields:
        return fields[name]
    for pattern, fi in dynamic:
        if fnmatch.fnmatchcase(name, pattern):
            return dataclasses.replace(fi, name=name)
    return FieldInfo(name, Kind.STRING, True, False, True)


@functools.lru_cache(maxsize=4096)
def copied_to_text(name: str) -> bool:
    """Whether Solr's schema copies this field into the catch-all `text` field."""
    _, _, copies = _schema()
    for source, dest in copies:
        if dest == "text" and fnmatch.fnmatchcase(name, source):
            return True
        if dest == "urls" and fnmatch.fnmatchcase(name, source):
            return True
    return False


@functools.lru_cache(maxsize=256)
def copy_sources(dest: str) -> tuple[str, ...]:
    """The fields Solr's schema copies into ``dest`` (e.g. ``title`` for ``title_ngram``)."""
    _, _, copies = _schema()
    return tuple(source for source, d in copies if d == dest and "*" not in source)
