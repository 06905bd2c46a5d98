"""Plugins loaded and the Flask app built once per test module, instead of CKAN's per-test ``with_plugins``
(loading a dozen plugins and building the app for every test costs seconds each).

A suite's conftest binds the three fixtures to its configuration::

    _loaded, with_plugins, app = module_app_fixtures({"ckan.plugins": PLUGINS, "ckan.locale_default": "id"})

and a test module may add to it, or load other plugins, with a module-level ``EXTRA_CONFIG`` dict.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ckan.config.middleware
import ckan.plugins
import pytest
from ckan.common import config as ckan_global_config
from ckan.tests.helpers import CKANTestApp

__all__ = ["module_app_fixtures"]


def module_app_fixtures(config: Mapping[str, Any]):
    @pytest.fixture(scope="module")
    def _loaded(request):
        """The suite's plugins loaded and its Flask app built once per module (with the configuration they
        produce); unloaded afterwards, so other suites start as CKAN's own fixtures expect."""
        session_config = dict(ckan_global_config)
        ckan_global_config.update(config)
        ckan_global_config.update(getattr(request.module, "EXTRA_CONFIG", {}))
        ckan.plugins.load_all()
        ckan_global_config["testing"] = True
        flask_app = ckan.config.middleware.make_app(ckan_global_config)
        yield flask_app, dict(ckan_global_config)
        ckan.plugins.unload_all()
        ckan_global_config.clear()
        ckan_global_config.update(session_config)

    @pytest.fixture
    def with_plugins(request, _loaded):
        """Replaces CKAN's per-test loading. CKAN's runner resets the configuration to its session snapshot
        before each test, so the module's loaded configuration is put back, then the ``ckan_config`` marks
        (module first, the test's own last, so the closest wins)."""
        ckan_global_config.clear()
        ckan_global_config.update(_loaded[1])
        for mark in reversed(list(request.node.iter_markers("ckan_config"))):
            key, value = mark.args
            ckan_global_config[key] = value
        yield

    @pytest.fixture
    def app(with_plugins, _loaded):
        """A fresh test client (no cookies of other tests) on the module's app."""
        return CKANTestApp(_loaded[0])

    return _loaded, with_plugins, app
