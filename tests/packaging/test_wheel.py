"""The bundle works from a normal (non-editable) install of its wheel, not only from the checkout.

The wheel is built from a copy of the checkout (a build writes ``build/`` and ``*.egg-info`` into its source
tree) and installed with ``pip install --target``; a subprocess then imports the bundle from there and reports,
as JSON, where each part (schemas, reference data, entry points, catalogues, migrations, templates, config
declarations) was loaded from. Nothing here touches a database.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SRC = "ckanext-satudatapasuruan"
DIST = "ckanext-satudatapasuruan"
PACKAGE = "ckanext/satudatapasuruan"

# Data files that must ship, relative to the package directory.
DATA_PATTERNS = (
    "schemas/*.yaml",
    "refdata/data/*.csv",
    "refdata/data/SOURCES.md",
    "harvesters/sources/*.json",
    "harvesters/sources/README.md",
    "pgsearch/data/*.yaml",
    "pgsearch/data/*.txt",
    "*/templates/**/*.html",
    "*/assets/webassets.yml",
    "*/assets/*.css",
    "*/assets/*.js",
    "*/config_declaration.yaml",
    "migration/*/alembic.ini",
    "migration/*/env.py",
    "migration/*/script.py.mako",
    "migration/*/versions/*.py",
    "i18n/*/LC_MESSAGES/*.mo",
    "i18n/*/LC_MESSAGES/*.po",
    "i18n/*.pot",
    "i18n/babel.cfg",
)
# update.sh refreshes the catalogues of a checkout (it runs the repo's .venv, three levels above the package) and
# vendor.sh refreshes the vendored Chart.js from npm (its .gitignore keeps node_modules out): an installed copy
# has no use for them.
DEV_ONLY = ("i18n/update.sh", "dashboard/assets/vendor.sh", "dashboard/assets/.gitignore", "monev/assets/vendor.sh",
            "monev/assets/.gitignore")

KNOWN_MSGID = ("Kelengkapan metadata", "Metadata completeness")
KECAMATAN = 24

# Runs as `python -I -S PROBE target site_packages args`. The wheel installs `ckanext` as a legacy namespace:
# no ckanext/__init__.py, but a `*-nspkg.pth` that site.py runs only in a *site* directory. With PYTHONPATH
# the target is a plain path entry, so its .pth never runs, and the nspkg .pth files of the venv (CKAN's, the
# editable install's) have already fixed `ckanext.__path__` to site-packages/ckanext plus the checkout: the
# checkout is what gets imported. So: no site.py (-S), no PYTHONPATH or user site (-I); the target is added as
# a site directory first (its nspkg .pth puts target/ckanext first in `ckanext.__path__`), then the venv's
# site-packages with their .pth files, except those of the editable install (named in its RECORD), which
# would add the checkout. That is the path a production install sees, plus CKAN's dependencies.
PROBE = r'''
import gettext
import importlib.metadata as md
import inspect
import json
import os
import site
import sys

target, args = sys.argv[1], json.loads(sys.argv[2])
editable_pth = set()
for sp in args["site_packages"]:
    for d in md.distributions(path=[sp]):
        if d.metadata["Name"] == args["dist"]:
            editable_pth.update(str(f) for f in d.files or () if f.suffix == ".pth" and len(f.parts) == 1)
site.addsitedir(target)
for sp in args["site_packages"]:
    sys.path.append(sp)
    known = {os.path.normcase(p) for p in sys.path}
    for name in sorted(os.listdir(sp)):
        if name.endswith(".pth") and name not in editable_pth:
            site.addpackage(sp, name, known)

import ckanext
import ckanext.satudatapasuruan as package
from ckan.config.declaration import Declaration, Key
from ckanext.scheming.plugins import SchemingException, _load_schema

report = {"package": package.__file__, "ckanext_path": list(ckanext.__path__), "skipped_pth": sorted(editable_pth)}

# Entry points, from the installed distribution's metadata and from the lookup CKAN itself does.
(dist,) = [d for d in md.distributions(path=[target]) if d.metadata["Name"] == args["dist"]]
plugins = {}
report["entry_points"] = {}
for ep in dist.entry_points.select(group="ckan.plugins"):
    cls = ep.load()
    plugins[ep.name] = cls()
    (ckan_ep,) = md.entry_points(group="ckan.plugins", name=ep.name)
    report["entry_points"][ep.name] = {
        "file": inspect.getsourcefile(cls),
        "ckan_lookup_dist": str(ckan_ep.dist.locate_file("")),
    }

# The RDF profile, as ckanext-dcat looks it up, and the vocabulary graph shipped as package data.
(profile_ep,) = dist.entry_points.select(group="ckan.rdf.profiles")
from ckanext.satudatapasuruan.dcat import validation

report["rdf_profile"] = {"name": profile_ep.name, "file": inspect.getsourcefile(profile_ep.load()),
                         "vocabulary_triples": len(validation.vocabulary_graph())}

# Schemas and presets, through ckanext-scheming's loader.
def preset_names(fields):
    for field in fields:
        if "preset" in field:
            yield field["preset"]
        yield from preset_names(field.get("repeating_subfields", []))

report["schemas"] = {}
used = set()
for name in args["schemas"]:
    try:
        schema = _load_schema(f"ckanext.satudatapasuruan.schemas:{name}")
    except SchemingException as err:
        report["schemas"][name] = {"error": str(err)}
        continue
    report["schemas"][name] = {k: schema.get(k) for k in ("dataset_type", "organization_type")}
    for key in ("dataset_fields", "resource_fields", "fields"):
        used.update(preset_names(schema.get(key, [])))
presets = {}
for url in ("ckanext.scheming:presets.json", "ckanext.satudatapasuruan.schemas:presets.yaml"):
    presets[url] = [p["preset_name"] for p in _load_schema(url)["presets"]]
report["presets"] = presets
report["unknown_presets"] = sorted(used - {n for names in presets.values() for n in names})

# Reference data.
from importlib import resources
from ckanext.satudatapasuruan import refdata

sources = resources.files(refdata) / "data" / "SOURCES.md"
report["refdata"] = {
    "file": refdata.__file__,
    "rows": {v: len(refdata.entries(v)) for v in refdata.VOCABULARIES},
    "kecamatan": sum(e.level == "kecamatan" for e in refdata.entries("wilayah")),
    "sources_path": str(sources),
    "sources_size": len(sources.read_text(encoding="utf-8")),
}

# Catalogues, where the ITranslation plugin tells CKAN to look.
metadata = plugins["satudata_metadata"]
i18n_dir = metadata.i18n_directory()
report["i18n"] = {"dir": i18n_dir, "translations": {}}
for lang in metadata.i18n_locales():
    translation = gettext.translation(metadata.i18n_domain(), i18n_dir, [lang])
    report["i18n"]["translations"][lang] = translation.gettext(args["msgid"])

# Migrations, found the way `ckan db upgrade -p <plugin>` does: <plugin's ckanext/<ext> dir>/migration/<plugin>.
from alembic.config import Config
from alembic.script import ScriptDirectory

report["migrations"] = {}
for name in args["migrations"]:
    plugin_dir = os.path.dirname(inspect.getsourcefile(type(plugins[name])))
    end = plugin_dir.find("/", plugin_dir.rfind("/ckanext/") + len("/ckanext/"))
    ext_dir = plugin_dir[:end] if end >= 0 else plugin_dir
    script = ScriptDirectory.from_config(Config(os.path.join(ext_dir, "migration", name, "alembic.ini")))
    report["migrations"][name] = {
        "dir": script.dir,
        "env": os.path.isfile(os.path.join(script.dir, "env.py")),
        "heads": list(script.get_heads()),
        "revisions": sorted(os.path.basename(r.path) for r in script.walk_revisions()),
    }

# Templates (IConfigurer.update_config adds them) and config declarations (the blanket reads the YAML).
report["templates"] = {}
report["declarations"] = {}
report["assets"] = {}
# CKAN's add_resource needs the webassets environment of a running portal: record what is registered instead.
import ckan.plugins.toolkit as _tk

def _record_resource(path, name):
    caller = os.path.dirname(inspect.stack()[1].filename)
    folder = os.path.join(caller, path)
    report["assets"][name] = {"folder": folder, "files": sorted(os.listdir(folder)) if os.path.isdir(folder) else []}

_tk.add_resource = _record_resource
for name, plugin in plugins.items():
    # The plugin's folder under the package: "workflow", "harvesters/health".
    feature = "/".join(type(plugin).__module__.split(".")[2:-1])
    if feature in args["templated"]:
        config = {}
        plugin.update_config(config)
        report["templates"][name] = {
            path: sorted(
                os.path.relpath(os.path.join(root, f), path)
                for root, _dirs, files in os.walk(path) for f in files if f.endswith(".html")
            )
            for path in config.get("plugin_template_paths", [])
        }
    if not hasattr(plugin, "declare_config_options"):
        continue  # declares no options (a harvester's settings are its source's config)
    declaration = Declaration()
    plugin.declare_config_options(declaration, Key())
    report["declarations"][name] = {"feature": feature, "keys": sorted(str(k) for k in declaration.iter_options())}

print(json.dumps(report))
'''


def _run(*cmd: str | Path, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode:
        pytest.fail(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def _glob(root: Path, pattern: str) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.glob(pattern) if p.is_file()}


def _within(path: str, root: Path) -> bool:
    return Path(path).resolve().is_relative_to(root.resolve())


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Build the wheel from a copy of the checkout and install it into a --target directory."""
    tmp = tmp_path_factory.mktemp("wheel")
    # A copy, so the build's build/ and *.egg-info land outside the checkout; without our stale egg-info,
    # as in a fresh clone. Top-level files (setup.py, MANIFEST.in, README.md...) plus the source tree.
    checkout = tmp / "checkout"
    checkout.mkdir()
    for entry in REPO.iterdir():
        if entry.is_file():
            shutil.copy2(entry, checkout / entry.name)
    shutil.copytree(REPO / SRC, checkout / SRC, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    # No build isolation: it would download setuptools; the venv has it.
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-w", tmp / "dist", checkout)
    (wheel,) = (tmp / "dist").glob("*.whl")
    target = tmp / "site"
    _run(sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", target, wheel)
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    return {
        "source": checkout / SRC / PACKAGE,
        "shipped": {n.removeprefix(PACKAGE + "/") for n in names if n.startswith(PACKAGE + "/")},
        "target": target,
    }


@pytest.fixture(scope="module")
def source(build: dict[str, Any]) -> Path:
    """The package directory of the checkout copy the wheel was built from."""
    return build["source"]


@pytest.fixture(scope="module")
def target(build: dict[str, Any]) -> Path:
    """The --target directory the wheel was installed into."""
    return build["target"]


@pytest.fixture(scope="module")
def probe(source: Path, target: Path) -> dict[str, Any]:
    """What a Python that sees the installed wheel (and CKAN's dependencies, not the checkout) loads."""
    args = {
        "dist": DIST,
        "site_packages": [p for p in site.getsitepackages() if os.path.isdir(p)],
        "schemas": sorted(n for n in _glob(source / "schemas", "*.yaml") if n != "presets.yaml"),
        "migrations": sorted(p.name for p in (source / "migration").iterdir() if (p / "alembic.ini").is_file()),
        "templated": sorted(str(p.parent.relative_to(source)) for p in source.glob("**/templates")
                            if p.is_dir() and "templates" not in p.parent.relative_to(source).parts),
        "msgid": KNOWN_MSGID[0],
    }
    # cwd: the tmp dir, so nothing of the checkout is reachable as a relative import path either.
    out = _run(sys.executable, "-I", "-S", "-c", PROBE, target, json.dumps(args), cwd=target.parent)
    return json.loads(out.strip().splitlines()[-1])


class TestWheelContents:
    @pytest.mark.parametrize("pattern", DATA_PATTERNS)
    def test_data_files_ship(self, build: dict[str, Any], pattern: str):
        """Every source file matching a data-file pattern is in the wheel."""
        expected = _glob(build["source"], pattern)
        assert expected, f"no source file matches {pattern}: stale pattern?"
        assert sorted(expected - build["shipped"]) == []

    def test_every_source_file_ships(self, build: dict[str, Any]):
        """Every file of the source package is in the wheel, so a new kind of file cannot be left out unnoticed."""
        source = build["source"]
        exempt = set().union(*(_glob(source, p) for p in DEV_ONLY))
        assert sorted(_glob(source, "**/*") - exempt - build["shipped"]) == []


class TestInstalledBundle:
    def test_imported_from_target(self, probe: dict[str, Any], target: Path):
        """The package is imported from the installed wheel and the checkout is not on ckanext's path."""
        assert _within(probe["package"], target), probe["package"]
        assert _within(probe["ckanext_path"][0], target), probe["ckanext_path"]
        assert not any(_within(p, REPO / SRC) for p in probe["ckanext_path"]), probe["ckanext_path"]

    def test_entry_points(self, probe: dict[str, Any], target: Path):
        """The ckan.plugins entry points load from the installed copy, and CKAN's lookup finds its metadata."""
        eps = probe["entry_points"]
        assert sorted(eps) == ["satudata_calendar", "satudata_csw", "satudata_csw_harvester", "satudata_daftardata",
                               "satudata_dashboard", "satudata_dcat", "satudata_dcat_harvester", "satudata_entry",
                               "satudata_feedback", "satudata_geospasial", "satudata_harvest", "satudata_infographic",
                               "satudata_kamus", "satudata_metadata", "satudata_monev", "satudata_opd",
                               "satudata_pages", "satudata_pgsearch", "satudata_quality", "satudata_rekomendasi",
                               "satudata_theme", "satudata_workflow"]
        for name, ep in eps.items():
            assert _within(ep["file"], target), (name, ep)
            assert _within(ep["ckan_lookup_dist"], target), (name, ep)

    def test_rdf_profile(self, probe: dict[str, Any], target: Path):
        """ckanext-dcat finds the `satudata` profile in the installed copy, with its vocabulary graph."""
        profile = probe["rdf_profile"]
        assert profile["name"] == "satudata" and _within(profile["file"], target), profile
        assert profile["vocabulary_triples"] > 100

    def test_schemas(self, probe: dict[str, Any], source: Path):
        """Scheming resolves every `ckanext.satudatapasuruan.schemas:<file>` with the type the source declares."""
        schemas = probe["schemas"]
        assert schemas["dataset.yaml"]["dataset_type"] == "dataset"
        assert schemas["organization.yaml"]["organization_type"] == "organization"
        for name, loaded in schemas.items():
            declared = yaml.safe_load((source / "schemas" / name).read_text(encoding="utf-8"))
            assert loaded == {k: declared.get(k) for k in ("dataset_type", "organization_type")}, name

    def test_presets(self, probe: dict[str, Any]):
        """Our presets load after scheming's and cover every preset the schemas use."""
        assert probe["presets"]["ckanext.satudatapasuruan.schemas:presets.yaml"]
        assert probe["unknown_presets"] == []

    def test_refdata(self, probe: dict[str, Any], source: Path, target: Path):
        """Reference vocabularies and SOURCES.md are read from the installed package."""
        ref = probe["refdata"]
        assert _within(ref["file"], target) and _within(ref["sources_path"], target)
        assert ref["kecamatan"] == KECAMATAN
        assert ref["sources_size"] > 0
        for vocab, rows in ref["rows"].items():
            with open(source / "refdata" / "data" / f"{vocab}.csv", encoding="utf-8", newline="") as f:
                assert rows == sum(1 for _ in csv.DictReader(f)), vocab

    def test_translations(self, probe: dict[str, Any], target: Path):
        """The compiled catalogues load from the installed i18n directory and translate our msgids."""
        assert _within(probe["i18n"]["dir"], target)
        assert probe["i18n"]["translations"] == {"en": KNOWN_MSGID[1], "id": KNOWN_MSGID[0]}

    def test_migrations(self, probe: dict[str, Any], source: Path, target: Path):
        """Alembic loads each plugin's installed migration scripts and finds a single head."""
        assert sorted(probe["migrations"]) == ["satudata_calendar", "satudata_daftardata", "satudata_dashboard",
                                               "satudata_entry", "satudata_feedback", "satudata_harvest",
                                               "satudata_infographic", "satudata_kamus", "satudata_monev",
                                               "satudata_pages", "satudata_pgsearch", "satudata_quality",
                                               "satudata_rekomendasi", "satudata_workflow"]
        for name, migration in probe["migrations"].items():
            assert _within(migration["dir"], target) and migration["env"], (name, migration)
            assert len(migration["heads"]) == 1, (name, migration["heads"])
            assert migration["revisions"] == sorted(_glob(source / "migration" / name / "versions", "*.py")), name

    def test_templates(self, probe: dict[str, Any], source: Path, target: Path):
        """Plugins that add templates point CKAN at the installed directories, holding every source template."""
        features = {"satudata_metadata": "metadata", "satudata_entry": "entry", "satudata_workflow": "workflow",
                    "satudata_harvest": "harvesters/health", "satudata_infographic": "infographic",
                    "satudata_pages": "pages", "satudata_dashboard": "dashboard", "satudata_calendar": "calendar",
                    "satudata_feedback": "feedback", "satudata_quality": "quality", "satudata_theme": "theme",
                    "satudata_kamus": "kamus", "satudata_rekomendasi": "rekomendasi",
                    "satudata_daftardata": "daftardata", "satudata_monev": "monev"}
        assert sorted(probe["templates"]) == sorted(features)
        for name, paths in probe["templates"].items():
            ((path, files),) = paths.items()
            assert _within(path, target), (name, path)
            assert files == sorted(_glob(source / features[name] / "templates", "**/*.html")), name

    def test_assets(self, probe: dict[str, Any], source: Path, target: Path):
        """Plugins that register webassets point CKAN at installed folders holding their bundles and files."""
        assert sorted(probe["assets"]) == ["satudata_dashboard", "satudata_monev", "satudata_theme"]
        for name, found in probe["assets"].items():
            assert _within(found["folder"], target), (name, found["folder"])
            feature = name.removeprefix("satudata_")
            wanted = {p.name for p in (source / feature / "assets").iterdir() if p.suffix in (".yml", ".css", ".js")}
            assert wanted and wanted <= set(found["files"]), (name, wanted, found["files"])

    def test_config_declarations(self, probe: dict[str, Any], source: Path):
        """Each plugin declares, from the installed YAML, the options its source config_declaration.yaml has."""
        for name, found in probe["declarations"].items():
            path = source / found["feature"] / "config_declaration.yaml"
            declared = yaml.safe_load(path.read_text(encoding="utf-8"))
            expected = sorted(o["key"] for g in declared["groups"] for o in g["options"])
            assert found["keys"] == expected, name
