"""The shipped source definitions follow the contract and map the OPD server's records onto every required
field of the dataset schema, with codes from the reference lists. Pure Python: no CKAN needed."""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
import string
from pathlib import Path

import pytest
import yaml

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.harvesters import sources
from ckanext.satudatapasuruan.harvesters.opdserver.testing import running_server

from .client import dig, walk

SCHEMA = Path(refdata.__file__).resolve().parents[1] / "schemas" / "dataset.yaml"
FIELDS = {f["field_name"]: f for f in yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))["dataset_fields"]}
REQUIRED = sorted(name for name, f in FIELDS.items() if f.get("required"))
STANDAR = ["konsep", "definisi", "klasifikasi", "ukuran", "satuan"]
WAJIB = sorted(name for name, f in FIELDS.items() if f.get("completeness") == "wajib")
SECRETS = {"BPKAD_TOKEN": "t-uji", "BKPSDM_API_KEY": "k-uji"}
KEYS = {"name", "title", "notes", "source_type", "frequency", "owner_org", "url", "config"}
SLUG = re.compile(r"^[a-z0-9-]{2,100}$")


def resolve(spec, record):
    """The contract's mapping forms: "path" shorthand, {"path", "map"}, {"template"}, {"value"}."""
    if isinstance(spec, str):
        spec = {"path": spec}
    if "value" in spec:
        return spec["value"]
    if "template" in spec:
        names = [name for _, name, _, _ in string.Formatter().parse(spec["template"]) if name]
        return spec["template"].format(**{name: dig(record, name) for name in names})
    value = dig(record, spec["path"])
    return spec["map"][value] if "map" in spec else value


def convert(mapping, record):
    return {field: resolve(spec, record) for field, spec in mapping.items()}


def check(dataset):
    """Every required, standar-data and wajib field filled; coded fields hold codes the schema accepts."""
    for name in sorted({*REQUIRED, *STANDAR, *WAJIB}):
        assert dataset.get(name) not in (None, "", []), name
    assert set(dataset) <= set(FIELDS), set(dataset) - set(FIELDS)
    for name in ("urusan", "frekuensi", "satuan"):
        assert refdata.lookup(name, dataset[name]), (name, dataset[name])
    for name in ("klasifikasi_akses", "tingkat_wilayah", "cara_pengumpulan"):
        assert dataset[name] in {c["value"] for c in FIELDS[name]["choices"]}, name
    assert 1945 <= int(dataset["tahun"]) <= dt.date.today().year + 5
    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", dataset["kontak_email"])
    for variable in dataset["variabel"]:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", variable["alias"]) and variable["nama"] and variable["tipe_data"]
        assert not variable.get("satuan") or refdata.lookup("satuan", variable["satuan"])


@pytest.fixture(scope="module")
def served():
    with running_server(records=250, token=SECRETS["BPKAD_TOKEN"], api_key=SECRETS["BKPSDM_API_KEY"]) as server:
        yield server


def test_two_definitions_are_shipped():
    """Both OPD systems have a definition."""
    assert sources.names() == ["bkpsdm-rekap-kehadiran", "bpkad-realisasi-anggaran"]


@pytest.mark.parametrize("name", sources.names())
def test_definition_shape(name):
    """A definition has exactly the harvest-source fields, a path as URL and its secrets as placeholders."""
    definition = sources.definition(name)
    assert set(definition) == KEYS and definition["name"] == name
    assert (definition["source_type"], definition["frequency"]) == ("satudata_opd", "DAILY")
    assert SLUG.match(definition["owner_org"]) and definition["url"].startswith("/")
    auth = json.dumps(definition["config"]["auth"])
    assert re.search(r'"\$\{[A-Z_]+\}"', auth) and "t-uji" not in auth


@pytest.mark.parametrize("name", sources.names())
def test_mapping_yields_the_schema_fields(served, name):
    """Walking the server with the definition's own config and mapping every record fills the schema."""
    source = sources.load(name, served.url, SECRETS)
    config = json.loads(source["config"])
    records, _ = walk(source["url"], config)
    assert len(records) == 250
    assert len({dig(r, config["id_field"]) for r in records}) == 250
    for record in records:
        check(convert(config["mapping"], record))


def test_datastore_rows_fit_the_declared_table(served):
    """SIPD rows carry every declared column, numeric columns are numbers, the primary key is unique per record."""
    config = json.loads(sources.load("bpkad-realisasi-anggaran", served.url, SECRETS)["config"])
    store = config["datastore"]
    columns = {f["id"]: f["type"] for f in store["fields"]}
    assert set(store["primary_key"]) <= set(columns) and store["resource_name"]
    for record in walk(served.url + "/sipd/api/v1/realisasi", config)[0]:
        rows = dig(record, store["rows_path"])
        assert rows and all(set(row) == set(columns) for row in rows)
        assert all(isinstance(row[c], (int, float)) for row in rows for c, t in columns.items() if t == "numeric")
        keys = [tuple(row[k] for k in store["primary_key"]) for row in rows]
        assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("name, field", [("bpkad-realisasi-anggaran", "nama_skpd"),
                                         ("bkpsdm-rekap-kehadiran", "nama_unit_kerja")])
def test_drift_breaks_the_mapping(served, name, field):
    """The mapping really reads the records: with a renamed field the title cannot be built."""
    source = sources.load(name, served.url, SECRETS)
    config = json.loads(source["config"])
    served.fault("drift", rename={field: "nama_opd"})
    try:
        records, _ = walk(source["url"], config)
    finally:
        served.reset()
    with pytest.raises(KeyError):
        convert(config["mapping"], records[0])


def test_unmapped_code_is_caught():
    """A value missing from a "map" fails instead of passing through unmapped."""
    config = sources.definition("bpkad-realisasi-anggaran")["config"]
    with pytest.raises(KeyError):
        resolve(config["mapping"]["frekuensi"], {"periode": "DUA_MINGGUAN"})
    dataset = convert(config["mapping"], {"nama_skpd": "X", "tahun": 2026, "uraian": "u", "kode_urusan": "9.99",
                                          "periode": "TAHUNAN", "sifat_data": "TERBUKA", "singkatan_skpd": "X",
                                          "posisi_per": "2026-11-30",
                                          "pejabat_penatausahaan": {"nama": "A", "email": "a@b.test"}})
    with pytest.raises(AssertionError, match="urusan"):
        check(dataset)


def test_load_fills_url_and_secrets():
    """load joins the base URL and fills placeholders, leaving the file's definition untouched."""
    before = copy.deepcopy(sources.definition("bkpsdm-rekap-kehadiran"))
    source = sources.load("bkpsdm-rekap-kehadiran", "http://127.0.0.1:8765/", SECRETS)
    assert source["url"] == "http://127.0.0.1:8765/absensi/api/v1/rekap-kehadiran"
    assert json.loads(source["config"])["auth"]["value"] == "k-uji"
    assert sources.definition("bkpsdm-rekap-kehadiran") == before


@pytest.mark.parametrize("name, env, message", [
    ("bpkad-realisasi-anggaran", {}, "BPKAD_TOKEN"),
    ("tidak-ada", SECRETS, "no source definition"),
])
def test_load_refuses_missing_secret_or_name(name, env, message):
    """A missing secret or an unknown definition is an error naming it, never a source with '${...}' in it."""
    with pytest.raises(ValueError, match=message):
        sources.load(name, "http://127.0.0.1:1", env)


def test_load_can_keep_placeholders():
    """keep_placeholders leaves ${NAME} for the harvester to read from its environment, and needs no secret."""
    config = json.loads(sources.load("bpkad-realisasi-anggaran", "http://127.0.0.1:1", {},
                                     keep_placeholders=True)["config"])
    assert config["auth"]["token"] == "${BPKAD_TOKEN}"
