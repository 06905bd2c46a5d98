"""Access classes at every exit of the plugin: nothing unpublished (or withdrawn) appears in the gallery, the
short-link redirect, the scan counters, the helpers or the rendered outputs for anyone outside its owners."""
from __future__ import annotations

import pytest
from ckan import model

from ckanext.satudatapasuruan.infographic import helpers as infographic_helpers
from ckanext.satudatapasuruan.infographic import records

from .conftest import PLUGINS, headers, image_bytes, make_infographic

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "storage")]

OUTSIDERS = (None, "operator_lain", "warga")


@pytest.fixture
def draft(app, portal, templates, published):
    pkg = make_infographic(portal, [published["name"]], image_bytes(), title="Infografis belum terbit")
    return {"pkg": pkg, "code": records.link_of(pkg["id"])["code"]}


def _get(app, portal, who, url):
    return app.get(url, status=None, headers=headers(portal, who) if who else {}, follow_redirects=False)


def _helpers_as(app, portal, who, package_id):
    """Run the template helpers as ``who`` in a request of the real app."""
    environ = {"HTTP_AUTHORIZATION": portal.users[who]["token"]} if who else {}
    with app.flask_app.test_request_context("/", environ_base=environ):
        app.flask_app.preprocess_request()
        return ([p["name"] for p in infographic_helpers.satudata_infographic_newest(10)],
                infographic_helpers.satudata_infographic_short_url(package_id))


class TestUnpublished:
    def test_outputs_only_for_owners(self, app, portal, draft):
        """PNG, PDF and thumbnail of a draft: 404 for anonymous, another OPD and citizens; the owner gets them."""
        name = draft["pkg"]["name"]
        for path in ("unduh.png", "unduh.pdf", "gambar-kecil.png"):
            for who in OUTSIDERS:
                response = _get(app, portal, who, f"/infografis/{name}/{path}")
                assert response.status_code == 404, (who, path)
                assert "Infografis belum terbit" not in response.body
            assert _get(app, portal, "operator", f"/infografis/{name}/{path}").status_code == 200
        # the owner's output is not kept by shared caches
        assert "public" not in _get(app, portal, "operator", f"/infografis/{name}/unduh.png").headers[
            "Cache-Control"]

    def test_link_and_counter_hidden(self, app, portal, draft):
        for who in OUTSIDERS:
            assert _get(app, portal, who, f"/i/{draft['code']}").status_code == 404
            api = _get(app, portal, who, f"/api/3/action/satudata_infographic_show?id={draft['pkg']['id']}")
            assert api.status_code == 403 and "scans" not in api.body
        assert records.link_of(draft["pkg"]["id"])["scans"] == 0

    def test_gallery_and_helpers(self, app, portal, draft):
        """Neither the gallery nor the home page's helpers name a draft, whoever asks."""
        for who in (*OUTSIDERS, "operator"):
            assert "Infografis belum terbit" not in _get(app, portal, who, "/galeri-infografis").body
        for who in OUTSIDERS:
            assert _helpers_as(app, portal, who, draft["pkg"]["id"]) == ([], None)
        newest, short = _helpers_as(app, portal, "operator", draft["pkg"]["id"])
        assert newest == [] and short == f"http://test.ckan.net/i/{draft['code']}"

    def test_after_publication_everyone_sees(self, app, portal, draft):
        portal.publish(draft["pkg"]["id"])
        for who in (*OUTSIDERS, "operator"):
            assert "Infografis belum terbit" in _get(app, portal, who, "/galeri-infografis").body
            assert _get(app, portal, who, f"/infografis/{draft['pkg']['name']}/unduh.png").status_code == 200
            assert _helpers_as(app, portal, who, draft["pkg"]["id"]) == ([draft["pkg"]["name"]],
                                                     f"http://test.ckan.net/i/{draft['code']}")
        assert _get(app, portal, None, f"/i/{draft['code']}").status_code == 302


class TestWithdrawn:
    def test_withdrawn_leaves_every_public_exit(self, app, portal, draft):
        """Withdrawn: gone from the gallery, outputs and counters for outsiders; its link says so (410)."""
        portal.publish(draft["pkg"]["id"])
        assert _get(app, portal, None, f"/i/{draft['code']}").status_code == 302
        portal.call("satudata_workflow_withdraw", "walidata", id=draft["pkg"]["id"], note="Ditarik")
        model.Session.expire_all()
        for who in OUTSIDERS:
            assert "Infografis belum terbit" not in _get(app, portal, who, "/galeri-infografis").body
            assert _get(app, portal, who, f"/infografis/{draft['pkg']['name']}/unduh.png").status_code == 404
            assert _get(app, portal, who, f"/i/{draft['code']}").status_code == 410
        assert records.link_of(draft["pkg"]["id"])["scans"] == 1


class TestRenderedContent:
    def test_output_shows_only_public_linked_titles(self, app, portal, templates, published):
        """The source line is built from what the public sees: a linked dataset later withdrawn drops out of it,
        so an owner's cached render never carries an unpublished title to others."""
        from ckanext.satudatapasuruan.infographic import outputs

        pkg = make_infographic(portal, [published["name"]], image_bytes())
        shown = portal.call("package_show", "operator", id=pkg["id"])
        with app.flask_app.test_request_context("/"):
            assert published["title"] in outputs.source_line(shown, outputs.links.public_linked(shown))
            portal.call("satudata_workflow_withdraw", "walidata", id=published["id"], note="Diperbaiki")
            assert outputs.links.public_linked(shown) == []
            assert published["title"] not in outputs.source_line(shown, [])
