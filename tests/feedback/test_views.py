"""The pages: the request list and form (labels, Indonesian errors, honeypot, 429), the public status page
without contacts, the dataset page's rating form (never on a rahasia dataset), the portal feedback page, the
management and moderation pages, and the API's 429."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.satudatapasuruan.feedback import config, records

from .conftest import PLUGINS, REQUEST, headers, make_request

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db")]


def _post(app, url, data, who=None, portal=None, **kw):
    return app.post(url, data=data, headers=headers(portal, who) if who else {}, follow_redirects=False,
                    status=None, **kw)


class TestRequestPages:
    def test_submit_and_status_page(self, app):
        """The form has labelled fields; a valid request redirects to its public status page, which shows what
        was asked and the history but no name, e-mail or phone."""
        page = app.get("/permintaan-data").body
        for label in ('for="field-data"', 'for="field-email"', 'for="field-telepon"', 'name="situs_web"'):
            assert label in page
        response = _post(app, "/permintaan-data", REQUEST)
        assert response.status_code == 302 and "/permintaan-data/PD-" in response.headers["Location"]
        status = app.get(response.headers["Location"]).body
        assert REQUEST["data"] in status and "Diterima" in status
        for secret in (REQUEST["email"], REQUEST["nama"], "3456-7890"):
            assert secret not in status
        assert REQUEST["data"] in app.get("/permintaan-data?q=UMKM").body
        assert REQUEST["data"] not in app.get("/permintaan-data?q=sekolah").body

    def test_empty_what_field_shows_message(self, app):
        response = _post(app, "/permintaan-data", {**REQUEST, "data": ""})
        assert response.status_code == 400 and "Wajib diisi" in response.body and 'aria-invalid="true"' in response.body

    def test_bad_email_shows_message(self, app):
        response = _post(app, "/permintaan-data", {**REQUEST, "email": "bukan-email"})
        assert response.status_code == 400 and "e-mail tidak sah" in response.body

    def test_honeypot_refused(self, app):
        response = _post(app, "/permintaan-data", {**REQUEST, "situs_web": "http://spam.test"})
        assert response.status_code == 400 and "spam" in response.body
        assert "PD-" not in app.get("/permintaan-data").body

    @pytest.mark.ckan_config(config.REQUEST_LIMIT, 1)
    def test_rate_limit_429(self, app):
        """The second request of the hour from one address: 429 with a clear message, on the page and the API."""
        assert _post(app, "/permintaan-data", REQUEST).status_code == 302
        response = _post(app, "/permintaan-data", REQUEST)
        assert response.status_code == 429 and "Terlalu banyak permintaan" in response.body
        assert response.headers["Retry-After"] == "3600"
        api = app.post("/api/3/action/satudata_data_request_create", json=REQUEST, status=None)
        assert api.status_code == 429 and "Terlalu banyak permintaan" in api.body

    def test_unknown_number_404(self, app):
        assert app.get("/permintaan-data/PD-2026-999999", status=404)

    def test_bad_filter_does_not_fail(self, app):
        response = app.get("/permintaan-data?status=selesai&page=x")
        assert response.status_code == 200 and "Status tidak dikenal" in response.body

    def test_management_view(self, app, portal):
        """The walidata sees the contact and the status form; a citizen without an OPD gets 403."""
        req = make_request()
        body = app.get("/permintaan-data/kelola", headers=headers(portal, "walidata")).body
        assert req["nomor"] in body and REQUEST["email"] in body
        assert app.get("/permintaan-data/kelola", headers=headers(portal, "warga"), status=403)
        response = _post(app, "/permintaan-data/kelola", {"nomor": req["nomor"], "status": "diteruskan",
                                                          "organization": "dispendukcapil"}, "walidata", portal)
        assert response.status_code == 302
        body = app.get("/permintaan-data/kelola", headers=headers(portal, "operator")).body
        assert req["nomor"] in body and REQUEST["email"] in body
        assert req["nomor"] not in app.get("/permintaan-data/kelola", headers=headers(portal, "operator_lain")).body


@pytest.mark.usefixtures("clean_index")
class TestRatingPages:
    def test_dataset_form_and_post(self, app, portal, published):
        """The public dataset's page has the rating form; posting it thanks the visitor; 6 is refused."""
        url = f"/dataset/{published['name']}"
        assert 'name="rating"' in app.get(url).body
        action = f"/umpan-balik/dataset/{published['name']}"
        response = _post(app, action, {"rating": "5", "comment": "Bagus"})
        assert response.status_code == 302 and response.headers["Location"].endswith(url)
        assert "Rata-rata 5.0 dari 5 (1 penilaian)" in app.get(url).body
        keys = model.Session.execute(sa.select(records.rating.c.client_key)).scalars().all()
        assert len(keys) == 1 and len(keys[0]) == 32 and "127.0.0.1" not in keys[0]  # a salted hash, no address
        again = _post(app, action, {"rating": "4"})
        assert again.status_code == 429 and "hari ini" in again.body

    def test_bad_rating_post(self, app, published):
        response = _post(app, f"/umpan-balik/dataset/{published['name']}", {"rating": "6"})
        assert response.status_code == 302
        assert "Nilai harus antara 1 dan 5" in app.get(response.headers["Location"]).body

    def test_no_form_on_rahasia_dataset(self, app, portal, secret):
        """The OPD sees its rahasia dataset's page without a rating form; outsiders cannot rate it (404)."""
        body = app.get(f"/dataset/{secret['name']}", headers=headers(portal, "operator")).body
        assert 'name="rating"' not in body
        response = _post(app, f"/umpan-balik/dataset/{secret['name']}", {"rating": "1"})
        assert response.status_code == 404 and "Data Rahasia" not in response.body

    def test_portal_page_and_moderation(self, app, portal):
        assert 'name="rating"' in app.get("/umpan-balik").body
        assert _post(app, "/umpan-balik", {"rating": "4", "comment": "Cepat"}).status_code == 302
        assert "Cepat" not in app.get("/umpan-balik").body
        assert app.get("/umpan-balik/moderasi", headers=headers(portal, "warga"), status=403)
        queue = app.get("/umpan-balik/moderasi", headers=headers(portal, "walidata")).body
        assert "Cepat" in queue
        rating_id = portal.call("satudata_rating_comment_list", "walidata", status="menunggu")["results"][0]["id"]
        _post(app, "/umpan-balik/moderasi", {"id": rating_id, "decision": "setujui"}, "walidata", portal)
        assert "Cepat" in app.get("/umpan-balik").body

    def test_portal_honeypot(self, app):
        response = _post(app, "/umpan-balik", {"rating": "4", "situs_web": "x"})
        assert response.status_code == 302
        assert "spam" in app.get("/umpan-balik").body
