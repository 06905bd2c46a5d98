"""The theme's home view, which stands in for CKAN's and ckanext-dcat's ``/``."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS + " dcat satudata_dcat"),
              pytest.mark.ckan_config("ckanext.dcat.enable_content_negotiation", "true"),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _soup(app, url: str, **kwargs) -> BeautifulSoup:
    response = app.get(url, **kwargs)
    assert response.status_code == 200, response.body[:500]
    return BeautifulSoup(response.body, "html.parser")


@pytest.fixture
def catalogue(portal):
    published = portal.dataset(name="penduduk-terbuka", title="Penduduk Terbuka 2024")
    portal.publish(published["id"])
    return published


class TestHomeView:
    def test_served_by_the_theme(self, app, catalogue, monkeypatch):
        """``/`` is the theme's view, which asks the search engine nothing beyond the home page's own figures."""
        from ckanext.satudatapasuruan.pgsearch import engine

        asked = []
        plan = engine._plan

        def recording_plan(q, params):
            asked.append(params)
            return plan(q, params)

        monkeypatch.setattr(engine, "_plan", recording_plan)
        _soup(app, "/")
        # CKAN's home view asks for its five stock facets sorted by view_recent; none of that here
        assert asked and not [params for params in asked if params.get("sort") == "view_recent desc"]

    def test_rdf_negotiation_of_the_home_page_kept(self, app, catalogue):
        """An RDF Accept header on ``/`` still gets the DCAT catalogue, as ckanext-dcat's own route did."""
        response = app.get("/", headers={"Accept": "text/turtle"})
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/turtle")
        assert "dcat:Catalog" in response.body
        assert "<html" in app.get("/", headers={"Accept": "text/html"}).body

    def test_token_user_without_email(self, app):
        """A user with no e-mail address calling ``/`` with an API token gets the page (no session to carry
        CKAN's notice asking for an address: it is left out, not a crash)."""
        from ckan import model
        from ckan.tests import factories

        user = factories.User(email="tanpa@surel.test")
        model.User.get(user["id"]).email = ""
        model.Session.commit()
        token = factories.APIToken(user=user["name"])["token"]
        soup = _soup(app, "/", headers={"Authorization": token})
        assert soup.select_one("#satudata-hero-title") is not None
