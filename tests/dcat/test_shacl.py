"""The catalogue and dataset outputs conform to the official DCAT-AP 3.0.1 SHACL shapes (strict mode: with the EU
vocabulary concepts the profile uses); warnings (recommended properties, local vocabularies) are counted."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from rdflib import Graph

from ckanext.satudatapasuruan.dcat import validation

from .conftest import PLUGINS, SHAPES

CKAN = Path(sys.executable).with_name("ckan")

pytestmark = [
    pytest.mark.skipif(not (SHAPES / "shapes.ttl").exists(),
                       reason=f"DCAT-AP 3.0.1 shapes not found in {SHAPES} (../shared/dcat-ap beside the checkout)"),
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _graph(app, url: str) -> Graph:
    response = app.get(url)
    assert response.status_code == 200, response.body
    return Graph().parse(data=response.body, format="turtle")


def test_catalogue_has_no_violations(app, catalogue, record_property):
    """The whole catalogue (catalogue description, three datasets, their distributions) has 0 violations."""
    report = validation.validate(_graph(app, "/catalog.ttl"), SHAPES)
    record_property("shacl_warnings", report.warnings)
    assert report.violations == 0, "\n".join(report.messages)
    # The local concepts (urusan theme, kode wilayah) are warnings by design: counted, bounded.
    assert 0 < report.warnings < 60, report.details


@pytest.mark.parametrize("which", ["terbuka", "terbatas", "geospasial"])
def test_each_dataset_page_has_no_violations(app, catalogue, which):
    """Each dataset's own RDF (`/dataset/<id>.ttl`) conforms as well."""
    report = validation.validate(_graph(app, f"/dataset/{catalogue[which]['id']}.ttl"), SHAPES)
    assert report.violations == 0, "\n".join(report.messages)


def test_raw_mode_fails_only_on_vocabularies(app, catalogue):
    """Without the vocabulary graph the EU-vocabulary checks fail, as the shapes' README says they must: the
    strict result is not an artefact of a permissive validator."""
    graph = _graph(app, "/catalog.ttl")
    raw = validation.validate(graph, SHAPES, strict=False)
    assert raw.violations > 0
    assert all("Restriction" in m or "not conform" in m or "class" in m.lower() for m in raw.messages), raw.messages


def test_validate_command(catalogue, tmp_path):
    """`ckan satudata-dcat validate` (a real CLI process) checks every catalogue page: exit 0 with no
    violations, 1 in raw mode."""
    ini = tmp_path / "validate.ini"
    ini.write_text(f"[app:main]\nuse = config:{tk.config['__file__']}\nckan.plugins = {PLUGINS}\n")

    def run(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(CKAN), "-c", str(ini), "satudata-dcat", "validate", "--shapes", str(SHAPES),
                               *extra], capture_output=True, text=True, timeout=300)

    strict = run()
    assert strict.returncode == 0, strict.stdout + strict.stderr
    assert "halaman 1: 3 dataset, 0 pelanggaran" in strict.stdout
    raw = run("--raw")
    assert raw.returncode == 1 and "pelanggaran" in raw.stdout
