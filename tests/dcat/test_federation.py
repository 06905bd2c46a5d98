"""The federation round trip: a second portal of this bundle harvests ours for real.

Portal A is this suite's database served by `ckan run` on a loopback port; portal B is a second CKAN instance of
the bundle on its own database (`<test db>_b`, reset here), its own Redis db and another port. B harvests A's
catalogue with ckanext-dcat's ``dcat_rdf`` harvester and with ckanext-harvest's ``ckan`` harvester (through A's
action API), each job run as ``ckan harvester run-test`` runs it. Then A changes (a revision published, a dataset
withdrawn) and B harvests again.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
import requests
import sqlalchemy as sa

from ..e2e.conftest import CKAN, E2E_INI, ROOT, _free_port, run_ckan
from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

B_PLUGINS = ("satudata_pgsearch satudata_metadata satudata_workflow scheming_datasets scheming_organizations activity "
             "text_view harvest ckan_harvester dcat satudata_dcat dcat_rdf_harvester satudata_dcat_harvester")
B_REDIS_DB = 9
PEER = Path(__file__).with_name("peer.py")
EXPORTED = ("terbuka", "terbatas", "geospasial")


def _ini(path: Path, port: int, plugins: str, **options: str) -> Path:
    lines = [f"use = config:{E2E_INI}", f"ckan.site_url = http://127.0.0.1:{port}", f"ckan.plugins = {plugins}"]
    lines += [f"{key} = {value}" for key, value in options.items()]
    path.write_text("[app:main]\n" + "\n".join(lines) + "\n")
    return path


class Peer:
    """Portal B: its CLI (as its site user) and its HTTP API."""

    def __init__(self, ini: Path, url: str = ""):
        self.ini = ini
        self.url = url

    def cli(self, *args: str) -> str:
        done = subprocess.run([str(CKAN), "-c", str(self.ini), *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, f"ckan {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done.stdout

    def actions(self, *calls: tuple[str, dict[str, Any]]) -> list[Any]:
        """Actions in one process (``peer.py``), as B's site user; fails on the first error."""
        done = subprocess.run([sys.executable, str(PEER), str(self.ini)], input=json.dumps(calls), cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        results = json.loads(done.stdout)
        errors = [r["error"] for r in results if isinstance(r, dict) and "error" in r]
        assert not errors, errors
        return results

    def datasets(self) -> dict[str, dict[str, Any]]:
        """Every dataset in B (drafts and private ones too), by title."""
        [found] = self.actions(("package_search", {"q": "*:*", "rows": 1000, "include_private": True,
                                                   "include_drafts": True, "fq": "-dataset_type:harvest"}))
        return {d["title"]: d for d in found["results"]}


@pytest.fixture
def portal_a(catalogue, tmp_path: Path):
    port = _free_port()
    ini = _ini(tmp_path / "a.ini", port, PLUGINS, **{
        key: tk.config[key] for key in ("sqlalchemy.url", "ckan.datastore.write_url", "ckan.datastore.read_url",
                                        "ckan.redis.url", "ckan.storage_path")})
    with run_ckan(ini, port, tmp_path / "a.log") as server:
        yield server


def _reset(url: str) -> None:
    """Empty B's database: every schema but PostGIS's (ours live outside `public` and survive `db clean`)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        schemas = conn.execute(sa.text(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname NOT IN ('information_schema', 'postgis')")).scalars().all()
        for schema in schemas:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        conn.execute(sa.text("CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"))
    engine.dispose()


@pytest.fixture
def portal_b(tmp_path: Path):
    """A fresh second portal: database reset and migrated, an organisation per harvest source, served on a port."""
    db_url = tk.config["sqlalchemy.url"] + "_b"
    _reset(db_url)
    port = _free_port()
    ini = _ini(tmp_path / "b.ini", port, B_PLUGINS, **{
        "sqlalchemy.url": db_url, "ckan.site_id": "satudata_peer", "ckan.redis.url": f"redis://127.0.0.1:6379/{B_REDIS_DB}",
        "ckan.harvest.mq.redis_db": str(B_REDIS_DB), "ckan.storage_path": str(tmp_path / "b-storage"),
        "ckan.views.default_views": "text_view"})
    peer = Peer(ini)
    peer.cli("db", "init")
    peer.cli("db", "pending-migrations", "--apply")
    peer.actions(("organization_create", {"name": "walidata", "title": "Walidata Provinsi"}),
                 ("organization_create", {"name": "pemkab-pasuruan", "title": "Pemerintah Kabupaten Pasuruan"}))
    with run_ckan(ini, port, tmp_path / "b.log") as server:
        peer.url = server.url
        yield peer


def _harvest(peer: Peer, source: str) -> dict[str, Any]:
    peer.cli("harvester", "run-test", source)
    [job] = peer.actions(("harvest_source_show", {"id": source}))
    return job["status"]["last_job"]


def _public(peer: Peer) -> set[str]:
    found = requests.get(peer.url + "/api/3/action/package_search", params={"rows": 100}, timeout=30).json()
    return {d["title"] for d in found["result"]["results"]}


def _sdi(dataset: dict[str, Any]) -> dict[str, Any]:
    keep = ("type", "notes", "urusan", "frekuensi", "tahun", "periode_awal", "periode_akhir", "tingkat_wilayah",
            "kode_wilayah", "klasifikasi_akses", "license_id", "kontak_email", "spatial", "crs", "konsep", "satuan")
    out = {k: dataset.get(k) for k in keep if dataset.get(k) not in (None, "", [])}
    out["tags"] = sorted(t["name"] for t in dataset.get("tags", []))
    out["resources"] = sorted((r["name"], r["format"].upper()) for r in dataset["resources"])
    if out.get("spatial"):
        out["spatial"] = json.loads(out["spatial"])
    return out


def test_second_portal_harvests_ours(portal_a, portal_b, catalogue, portal):
    """Both harvesters bring every published terbuka/terbatas dataset with its SDI metadata, resources and
    publisher, and nothing rahasia or unpublished; a second run follows an update and (DCAT) a withdrawal."""
    b = portal_b
    b.actions(
        ("harvest_source_create", {"name": "satudata-pasuruan-dcat", "title": "Satu Data Pasuruan (DCAT)",
                                   "url": portal_a("/catalog.ttl"), "source_type": "dcat_rdf",
                                   "owner_org": "pemkab-pasuruan", "frequency": "MANUAL"}),
        ("harvest_source_create", {"name": "satudata-pasuruan-api", "title": "Satu Data Pasuruan (API)",
                                   "url": portal_a(""), "source_type": "ckan", "owner_org": "pemkab-pasuruan",
                                   "frequency": "MANUAL", "config": json.dumps({"remote_orgs": "create"})}),
        ("satudata_harvest_policy_set", {"source_id": "satudata-pasuruan-dcat", "publish_directly": True}),
    )
    # The ckan harvester keeps A's names; the DCAT harvester, run after it, makes names from titles.
    for source in ("satudata-pasuruan-api", "satudata-pasuruan-dcat"):
        job = _harvest(b, source)
        assert job["stats"] == {"added": 3, "updated": 0, "not modified": 0, "errored": 0, "deleted": 0}, (source, job)

    arrived = b.datasets()
    expected = {catalogue[k]["title"]: catalogue[k] for k in EXPORTED}
    assert set(arrived) == set(expected), "exactly the published terbuka/terbatas datasets, rahasia and drafts not"
    by_source: dict[str, dict[str, dict[str, Any]]] = {"api": {}, "dcat": {}}
    [everything] = b.actions(("package_search", {"q": "*:*", "rows": 1000, "include_private": True,
                                                 "include_drafts": True, "fq": "-dataset_type:harvest"}))
    for dataset in everything["results"]:
        extras = {e["key"]: e["value"] for e in dataset.get("extras", [])}
        by_source["dcat" if "guid" in extras else "api"][dataset["title"]] = dataset
    assert set(by_source["api"]) == set(by_source["dcat"]) == set(expected)
    for title, original in expected.items():
        public = _sdi(original)
        for how in ("api", "dcat"):
            copy = by_source[how][title]
            assert _sdi(copy) == public, (how, title)
        extras = {e["key"]: e["value"] for e in by_source["dcat"][title]["extras"]}
        assert extras["publisher_name"] == original["organization"]["title"]
        assert by_source["api"][title]["organization"]["title"] == original["organization"]["title"]
    # The walidata of B let the DCAT source publish directly: its copies are public there; the API copies wait.
    assert _public(b) == set(expected)
    assert all(d["workflow_state"] == "draft" for d in by_source["api"].values())

    # A: a published revision of one dataset, the withdrawal of another.
    terbuka, terbatas = catalogue["terbuka"], catalogue["terbatas"]
    portal.call("satudata_revision_propose", "operator", id=terbuka["id"], title="Jumlah Penduduk 2024 (revisi)")
    portal.call("satudata_revision_approve", "verifikator", id=terbuka["id"])
    portal.call("satudata_revision_publish", "walidata", id=terbuka["id"])
    portal.call("satudata_workflow_withdraw", "walidata", id=terbatas["id"], note="Data diperbaiki")
    for source in ("satudata-pasuruan-api", "satudata-pasuruan-dcat"):
        job = _harvest(b, source)
        assert job["stats"].get("errored", 0) == 0, (source, job)
    after = {}
    [everything] = b.actions(("package_search", {"q": "*:*", "rows": 1000, "include_private": True,
                                                 "include_drafts": True, "fq": "-dataset_type:harvest"}))
    for dataset in everything["results"]:
        extras = {e["key"]: e["value"] for e in dataset.get("extras", [])}
        after.setdefault("dcat" if "guid" in extras else "api", set()).add(dataset["title"])
    assert after["dcat"] == {"Jumlah Penduduk 2024 (revisi)", catalogue["geospasial"]["title"]}
    # ckanext-harvest's ckan harvester follows changes but never removes a dataset (docs/dcat.md).
    assert "Jumlah Penduduk 2024 (revisi)" in after["api"]
    assert terbatas["title"] not in _public(b)
