"""The OPD converter and config parser (pure): golden files for both shipped source definitions, and every bad
config or record branch with its Indonesian message.

Golden files: ``golden/<definition>.record.json`` is the demo OPD application's first record, and
``<definition>.dataset.json`` the dataset dict it must become. ``SATUDATA_UPDATE_GOLDEN=1`` rewrites the latter;
review the diff before committing.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from ckanext.satudatapasuruan.harvesters import sources
from ckanext.satudatapasuruan.harvesters.base import RecordError
from ckanext.satudatapasuruan.harvesters.opd import convert
from ckanext.satudatapasuruan.harvesters.opd.config import Paging, parse
from ckanext.satudatapasuruan.harvesters.opdserver import data

GOLDEN = Path(__file__).with_name("golden")
SYSTEMS = {"bpkad-realisasi-anggaran": "sipd", "bkpsdm-rekap-kehadiran": "absensi"}


def _config(name: str) -> dict[str, Any]:
    return sources.definition(name)["config"]


@pytest.mark.parametrize("name", sorted(SYSTEMS))
def test_golden(name):
    """Each shipped definition turns the demo application's first record into the reviewed dataset dict."""
    record_path, expected_path = GOLDEN / f"{name}.record.json", GOLDEN / f"{name}.dataset.json"
    if not record_path.exists():
        record_path.write_text(json.dumps(data.generate(SYSTEMS[name], 1, 2026)[0], indent=2, ensure_ascii=False))
    record = json.loads(record_path.read_text())
    config = parse(_config(name))
    result = {"dataset": convert.convert(record, config, "golden"), "rows": convert.rows_of(record, config, "golden")}
    if os.environ.get("SATUDATA_UPDATE_GOLDEN") or not expected_path.exists():
        expected_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    assert result == json.loads(expected_path.read_text())


def test_shipped_definitions_parse():
    """Both definitions are valid configs with the pagination their systems use."""
    assert parse(_config("bpkad-realisasi-anggaran")).pagination.kind is Paging.PAGE
    assert parse(_config("bkpsdm-rekap-kehadiran")).pagination.kind is Paging.CURSOR


MINIMAL = {"id_field": "kode", "mapping": {"title": "judul"}}


@pytest.mark.parametrize("change, message", [
    ({"format": "xml"}, "format: pilih json, csv atau xlsx"),
    ({"mapping": {}}, "mapping: wajib diisi"),
    ({"mapping": {"notes": "x"}}, "mapping.title: wajib dipetakan"),
    ({"mapping": {"title": 5}}, "mapping.title: harus berupa teks"),
    ({"mapping": {"title": {"path": "a", "value": "b"}}}, "isi tepat satu dari"),
    ({"mapping": {"title": {"path": "a", "map": ["x"]}}}, "mapping.title.map"),
    ({"id_field": ""}, "id_field: wajib diisi"),
    ({"auth": {"type": "basic"}}, "auth.type: pilih 'bearer' atau 'header'"),
    ({"auth": {"type": "bearer"}}, "auth.token: wajib diisi"),
    ({"auth": {"type": "header", "value": "k"}}, "auth.name: wajib diisi"),
    ({"pagination": {"type": "scroll"}}, "pagination.type: pilih salah satu"),
    ({"pagination": {"type": "page", "size": 0}}, "pagination.size: harus berupa angka lebih dari 0"),
    ({"pagination": {"type": "cursor"}}, "pagination.cursor_path: wajib diisi"),
    ({"format": "csv", "pagination": {"type": "cursor", "cursor_path": "x"}}, "CSV dan XLSX hanya"),
    ({"timeout": -1}, "timeout: harus berupa angka lebih dari 0"),
    ({"query": ["a"]}, "query: harus berupa objek"),
    ({"resources": [{"name": "x"}]}, "resources: daftar sumber daya"),
    ({"datastore": {"rows_path": "r", "primary_key": ["k"], "fields": []}}, "datastore.fields"),
    ({"datastore": {"rows_path": "r", "primary_key": ["k"], "fields": [{"id": "k", "type": "uuid"}]}},
     "datastore.fields.k: tipe tidak dikenal"),
    ({"datastore": {"rows_path": "r", "primary_key": ["z"], "fields": [{"id": "k"}]}}, "datastore.primary_key"),
    ({"datastore": {"primary_key": ["k"], "fields": [{"id": "k"}]}}, "datastore.rows_path: wajib diisi"),
])
def test_bad_config_names_the_key(change, message):
    """Each wrong setting is refused with a message naming the key (shown on the source form)."""
    with pytest.raises(ValueError, match=re.escape(message)):
        parse(dict(MINIMAL, **change))


def test_good_config_defaults():
    """A minimal config reads JSON without paging, with the default timeout and size cap."""
    config = parse(MINIMAL)
    assert (config.format.value, config.pagination.kind, config.timeout, config.max_bytes) == (
        "json", Paging.NONE, 30.0, 20_000_000)


RECORD = {"kode": "A1", "judul": "Data A", "periode": "TAHUNAN", "nested": {"list": [{"x": 7}]},
          "rows": [{"k": "1", "n": "2.5", "d": "2026-01-31"}, {"k": "2", "n": 3, "d": None}]}


def _convert(mapping: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return convert.convert(RECORD, parse(dict(MINIMAL, mapping={"title": "judul", **mapping}, **extra)), "A1")


def test_rules():
    """Paths (nested, list index), templates, constants, value maps, defaults and optional columns."""
    out = _convert({"notes": {"template": "{judul} ({nested.list.0.x})"}, "tahun": {"value": 2026},
                    "frekuensi": {"path": "periode", "map": {"TAHUNAN": "tahunan"}},
                    "satuan": {"path": "tidak_ada", "default": "jiwa"},
                    "konsep": {"path": "tidak_ada", "required": False}, "tag_string": {"value": ["a", "b"]}})
    assert out == {"title": "Data A", "notes": "Data A (7)", "tahun": "2026", "frekuensi": "tahunan",
                   "satuan": "jiwa", "tag_string": "a,b", "resources": []}


@pytest.mark.parametrize("mapping, message", [
    ({"notes": "uraian"}, "kolom sumber 'uraian' (untuk notes) tidak ada"),
    ({"notes": {"template": "{judul} {hilang}"}}, "kolom sumber 'hilang'"),
    ({"frekuensi": {"path": "periode", "map": {"BULANAN": "bulanan"}}}, "nilai 'TAHUNAN' untuk frekuensi"),
])
def test_record_errors(mapping, message):
    """A missing or renamed column and an unmapped value fail the record with the record's id."""
    with pytest.raises(RecordError, match=re.escape(message)) as err:
        _convert(mapping)
    assert "A1" in str(err.value)


DS = {"rows_path": "rows", "primary_key": ["k"], "fields": [{"id": "k"}, {"id": "n", "type": "numeric"},
                                                            {"id": "d", "type": "date"}]}


def _rows(rows: Any, **spec: Any) -> list[dict[str, Any]]:
    record = dict(RECORD, rows=rows)
    return convert.rows_of(record, parse(dict(MINIMAL, datastore=dict(DS, **spec))), "A1")


def test_rows():
    """Rows keep the declared columns; numbers may come as text; empty values are allowed."""
    assert _rows(RECORD["rows"]) == [{"k": "1", "n": "2.5", "d": "2026-01-31"}, {"k": "2", "n": 3, "d": None}]


@pytest.mark.parametrize("rows, message", [
    ("bukan daftar", "kolom sumber 'rows'"),
    ([1], "baris data ke-1 bukan objek"),
    ([{"n": 1}], "baris data ke-1 tidak memiliki kunci k"),
    ([{"k": "1"}, {"k": "1"}], "kunci k = 1 muncul lebih dari sekali"),
    ([{"k": "1", "n": "dua"}], "kolom n: nilai 'dua' bukan angka"),
    ([{"k": "1", "d": "31/01/2026"}], "kolom d: nilai '31/01/2026' bukan tanggal"),
])
def test_bad_rows(rows, message):
    """Every bad row fails the whole record, naming the row and the column."""
    with pytest.raises(RecordError, match=re.escape(message)):
        _rows(rows)
