"""Every action and option of satudata_harvest is documented in docs/harvest-monitoring.md (tests/test_docs.py
only looks at plugins one folder deep), and the deployment files name the real command."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ckanext.satudatapasuruan.harvesters.health.logic import action

ROOT = Path(__file__).resolve().parents[3]
DOC = (ROOT / "docs" / "harvest-monitoring.md").read_text(encoding="utf-8")
DECLARATION = ROOT / "harvesters" / "health" / "config_declaration.yaml"
OPTIONS = [o for g in yaml.safe_load(DECLARATION.read_text(encoding="utf-8"))["groups"] for o in g["options"]]


@pytest.mark.parametrize("name", [n for n in action.__all__ if n.startswith("satudata_")])
def test_action_documented(name):
    """The action is described in the docs and has a docstring (its API reference)."""
    assert re.search(rf"\b{name}\b", DOC) and (getattr(action, name).__doc__ or "").strip()


@pytest.mark.parametrize("option", OPTIONS, ids=lambda o: o["key"])
def test_option_documented(option):
    assert option["description"].strip() and option["key"] in DOC


def test_deploy_files_run_the_scheduler():
    """The timer's service and the cron line run one tick of our command; the consumers are ckanext-harvest's."""
    service = (ROOT / "deploy" / "systemd" / "satudata-harvest-schedule.service").read_text(encoding="utf-8")
    cron = (ROOT / "deploy" / "cron" / "satudata-harvest").read_text(encoding="utf-8")
    assert "satudata-harvest schedule --once" in service and "satudata-harvest schedule --once" in cron
    assert "Unit=satudata-harvest-schedule.service" in (
        ROOT / "deploy" / "systemd" / "satudata-harvest-schedule.timer").read_text(encoding="utf-8")
    for stage in ("gather", "fetch"):
        unit = (ROOT / "deploy" / "systemd" / f"satudata-harvest-{stage}.service").read_text(encoding="utf-8")
        assert f"harvester {stage}-consumer" in unit
