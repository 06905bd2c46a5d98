"""The workflow through the web: the panel on the dataset page, its forms, the revision form and Tugas saya."""
from __future__ import annotations

import pytest

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _headers(portal, who):
    return {"Authorization": portal.users[who]["token"]}


def _state(portal, dataset_id):
    return portal.call("satudata_workflow_show", "sysadmin", id=dataset_id)["state"]


class TestPanel:
    def test_operator_submits_from_the_page(self, app, portal):
        """The operator sees the draft's state and the submit form; posting it moves the dataset on."""
        ds = portal.dataset()
        page = app.get(f"/dataset/{ds['name']}", headers=_headers(portal, "operator")).body
        assert "Alur verifikasi" in page and "Draf" in page and "Ajukan ke verifikator OPD" in page
        assert "Setujui (verifikasi OPD)" not in page
        response = app.post(f"/dataset/{ds['name']}/alur/submit", data={"note": "Siap diperiksa"},
                            headers=_headers(portal, "operator"), follow_redirects=True)
        assert response.status_code == 200 and "Dataset diajukan ke verifikator OPD." in response.body
        assert _state(portal, ds["id"]) == "diajukan"
        assert "Siap diperiksa" in app.get(f"/dataset/{ds['name']}", headers=_headers(portal, "verifikator")).body

    def test_return_without_note_is_explained_on_the_page(self, app, portal):
        ds = portal.dataset()
        portal.call("satudata_workflow_submit", "operator", id=ds["id"])
        response = app.post(f"/dataset/{ds['name']}/alur/return", data={"note": ""},
                            headers=_headers(portal, "verifikator"), follow_redirects=True)
        assert response.status_code == 200 and "Tuliskan catatan alasannya" in response.body
        assert _state(portal, ds["id"]) == "diajukan"

    def test_refused_step_is_a_message_not_an_error(self, app, portal):
        ds = portal.dataset()
        response = app.post(f"/dataset/{ds['name']}/alur/publish", data={}, headers=_headers(portal, "operator"),
                            follow_redirects=True)
        assert response.status_code == 200 and "Hanya walidata yang dapat menerbitkan dataset" in response.body
        assert app.post(f"/dataset/{ds['name']}/alur/terbang", headers=_headers(portal, "operator"),
                        status=None).status_code == 404

    def test_public_sees_no_panel_on_a_published_dataset(self, app, portal):
        ds = portal.dataset()
        portal.publish(ds["id"])
        page = app.get(f"/dataset/{ds['name']}").body
        assert "Alur verifikasi" not in page and "Riwayat" not in page
        assert app.get(f"/dataset/{portal.dataset(name='draf-lain')['name']}", status=None).status_code == 404


class TestRevisionForm:
    def test_edit_form_proposes_a_revision(self, app, portal):
        """Saving CKAN's form for a published dataset keeps the public version and shows the diff to reviewers."""
        ds = portal.dataset()
        portal.publish(ds["id"])
        page = app.get(f"/dataset/{ds['name']}", headers=_headers(portal, "operator")).body
        assert "Usulkan perubahan" in page
        form = app.get(f"/dataset/{ds['name']}/revisi", headers=_headers(portal, "operator"))
        assert form.status_code == 200 and 'id="dataset-edit"' in form.body
        data = portal.call("package_show", "operator", id=ds["id"])
        fields = {k: v for k, v in data.items() if isinstance(v, str)}
        fields.update(title="Judul Revisi", kode_wilayah="35.14.14", save="")
        response = app.post(f"/dataset/{ds['name']}/revisi", data=fields, headers=_headers(portal, "operator"),
                            follow_redirects=True)
        assert response.status_code == 200 and "Perubahan disimpan sebagai revisi" in response.body
        assert portal.call("package_show", "warga", id=ds["id"])["title"] == ds["title"]
        review = app.get(f"/dataset/{ds['name']}", headers=_headers(portal, "verifikator")).body
        assert "Revisi menunggu verifikasi" in review and "Judul Revisi" in review and "Setujui revisi" in review

    def test_direct_edit_page_is_closed_for_published(self, app, portal):
        ds = portal.dataset()
        portal.publish(ds["id"])
        assert app.get(f"/dataset/edit/{ds['name']}", headers=_headers(portal, "operator"),
                       status=None).status_code in (403, 404)


class TestAccessPages:
    def test_citizen_requests_and_verifier_decides(self, app, portal):
        ds = portal.dataset("terbatas")
        portal.publish(ds["id"])
        assert "Masuk untuk meminta akses data" in app.get(f"/dataset/{ds['name']}").body
        page = app.get(f"/dataset/{ds['name']}", headers=_headers(portal, "warga")).body
        assert "Minta akses data" in page
        short = app.post(f"/dataset/{ds['name']}/akses", data={"purpose": "riset"},
                         headers=_headers(portal, "warga"), follow_redirects=True)
        assert "paling sedikit 20 karakter" in short.body
        app.post(f"/dataset/{ds['name']}/akses", data={"purpose": "Kajian kebijakan kependudukan daerah"},
                 headers=_headers(portal, "warga"))
        tasks = app.get("/tugas", headers=_headers(portal, "verifikator")).body
        assert "Kajian kebijakan kependudukan daerah" in tasks and "Setujui" in tasks
        request_id = portal.call("satudata_access_request_list", "verifikator")[0]["id"]
        evil = app.post(f"/akses/{request_id}/setujui", data={"came_from": "//evil.example/"},
                        headers=_headers(portal, "verifikator"), follow_redirects=False)
        assert evil.status_code == 302
        assert evil.headers["Location"].endswith("/tugas")
        assert portal.call("satudata_access_request_list", "warga")[0]["state"] == "disetujui"


class TestTasks:
    def test_tasks_page_lists_waiting_work(self, app, portal):
        ds = portal.dataset()
        portal.call("satudata_workflow_submit", "operator", id=ds["id"])
        body = app.get("/tugas", headers=_headers(portal, "verifikator")).body
        assert "Tugas saya" in body and ds["title"] in body
        assert "Tidak ada dataset yang menunggu Anda." in app.get("/tugas", headers=_headers(portal, "warga")).body

    def test_anonymous_is_sent_to_login(self, app):
        response = app.get("/tugas", follow_redirects=False, status=None)
        assert response.status_code == 302 and "/user/login" in response.headers["Location"]
