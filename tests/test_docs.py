"""Every action and config option the bundle adds is documented (docs/*.md or README) and every action has a
docstring, so the API documentation never lags behind the code."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ckanext-satudatapasuruan" / "ckanext" / "satudatapasuruan"
# Plugin folders under the package: "workflow", "harvesters/health".
FEATURES = sorted(str(p.parent.relative_to(PACKAGE)) for p in PACKAGE.glob("**/plugin.py"))
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def _actions():
    for feature in FEATURES:
        try:
            module = importlib.import_module(f"ckanext.satudatapasuruan.{feature.replace('/', '.')}.logic.action")
        except ModuleNotFoundError:
            continue
        for name in module.__all__:
            if name.startswith("satudata_"):
                yield feature, name, getattr(module, name)


def _options():
    for feature in FEATURES:
        path = PACKAGE / feature / "config_declaration.yaml"
        if path.exists():
            for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
                for option in group["options"]:
                    yield feature, option


@pytest.mark.parametrize("feature, name, action", list(_actions()), ids=lambda v: v if isinstance(v, str) else "")
def test_action_documented(feature, name, action):
    """The action is named in the docs and explains itself (its docstring is the API reference)."""
    assert re.search(rf"\b{name}\b", DOCS), f"{name} ({feature}) is not mentioned in README.md or docs/"
    assert (action.__doc__ or "").strip(), f"{name} has no docstring"


@pytest.mark.parametrize("feature, option", list(_options()), ids=lambda v: v["key"] if isinstance(v, dict) else v)
def test_option_documented(feature, option):
    """Each declared option has a description and is named in the docs."""
    assert option.get("description", "").strip(), f"{option['key']} has no description"
    assert option["key"] in DOCS, f"{option['key']} ({feature}) is not mentioned in README.md or docs/"
