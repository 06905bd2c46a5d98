"""A request with an API token must not switch CSRF protection off for the browser requests that follow.

Checked against a real `ckan run` (config/e2e.ini, the portal's plugins): in-process test clients share one
Flask ``g`` across a test's requests, which would hide the difference between one request and the next."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from ckan.tests import factories

from ckanext.satudatapasuruan.theme import csrf

from ..e2e.conftest import E2E_INI, PLUGINS, _free_port, run_ckan

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.usefixtures("with_plugins")]

FORM = {"name": "data-uji", "title": "Data uji"}


def _logged_in(server, name: str, password: str) -> requests.Session:
    """A browser session: the login form posted with its CSRF token, the session cookie kept."""
    browser = requests.Session()
    token = re.search(r'name="_csrf_token" value="([^"]+)"', browser.get(server("/user/login"), timeout=30).text)
    browser.post(server("/user/login"), data={"login": name, "password": password, "_csrf_token": token.group(1)},
                 timeout=30)
    assert "/user/_logout" in browser.get(server("/dashboard/datasets"), timeout=30).text
    return browser


def test_token_request_leaves_dataset_form_protected(reset_db, tmp_path: Path):
    """After someone posts to the dataset form with an API token, a logged-in browser's post to that form
    without the CSRF token (what a forged cross-site request looks like) is still refused."""
    reset_db()
    factories.User(name="operator", password="Sandi-Operator-2024")
    token = factories.UserWithToken()["token"]
    port = _free_port()
    ini = tmp_path / "csrf.ini"
    ini.write_text(f"[app:main]\nuse = config:{E2E_INI}\nckan.site_url = http://127.0.0.1:{port}\n")
    with run_ckan(ini, port, tmp_path / "server.log") as server:
        browser = _logged_in(server, "operator", "Sandi-Operator-2024")
        form = server("/dataset/new")
        assert browser.post(form, data=FORM, timeout=30).status_code == 400  # forged: refused
        by_token = requests.post(form, data=FORM, headers={"Authorization": token}, timeout=30)
        assert by_token.status_code != 400  # API clients keep working without a CSRF token
        assert browser.post(form, data=FORM, timeout=30).status_code == 400  # still refused


def test_start_up_exemptions_stay():
    """Views exempted outside a request (by CKAN or a plugin at start-up) remain exempt."""
    views = csrf.RequestScopedExemptions({"ckan.views.api.action"})
    views.add("ckanext.example.views.hook")
    assert "ckan.views.api.action" in views and "ckanext.example.views.hook" in views
