"""The SDI forms and pages through the web: sections, Indonesian labels, errors on the form, the score."""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from .conftest import PLUGINS, complete_dataset

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


@pytest.fixture
def operator():
    user = factories.UserWithToken(name="operator")
    org = factories.Organization(name="dispendukcapil", users=[{"name": "operator", "capacity": "editor"}])
    return {"headers": {"Authorization": user["token"]}, "org": org}


class TestForms:
    def test_dataset_form_has_sdi_sections(self, app, operator):
        """The new-dataset form groups SDI fields in collapsible sections with Indonesian labels."""
        body = app.get("/dataset/new", headers=operator["headers"]).body
        for text in ("Standar data", "Periode dan cakupan wilayah", "Variabel (MS-Var)", "Kode standar data",
                     "Urusan pemerintahan", "Klasifikasi akses"):
            assert text in body, text
        assert 'id="section-variabel"' in body and "<details" in body
        assert "Bangil" in body  # area choices come from the reference list

    def test_activity_form_shows_block_five_only_for_surveys(self, app, operator):
        """MS-Keg block V carries the condition that shows it only for a survey."""
        body = app.get("/kegiatan-statistik/new", headers=operator["headers"]).body
        assert 'data-show-if-field="cara_pengumpulan" data-show-if-value="survei"' in body
        assert "V. Desain sampel" in body and "VIII. Diseminasi hasil" in body

    def test_bad_form_input_comes_back_with_indonesian_errors(self, app, operator):
        """A form with a wrong standard-data code re-renders with the message, not a server error."""
        data = complete_dataset(operator["org"]["id"], kode_standar_data="salah", kode_wilayah="35.14.14")
        data.pop("variabel")
        data.pop("indikator")
        data["save"] = ""
        response = app.post("/dataset/new", data=data, headers=operator["headers"])
        assert response.status_code == 200
        assert "Kode standar data harus berbentuk" in response.body


class TestDatasetPage:
    def test_page_shows_score_and_what_is_missing(self, app, operator):
        """The dataset page shows the completeness score and lists the missing fields."""
        pkg = helpers.call_action("package_create", {"user": "operator"},
                                  **complete_dataset(operator["org"]["id"], konsep=""))
        body = app.get(f"/dataset/{pkg['name']}").body
        assert f"{pkg['kelengkapan_metadata']} %" in body
        assert "Konsep" in body and "Belum lengkap" in body

    def test_search_page_facets_show_labels(self, app, operator):
        """SDI facets on the search page show labels, not codes."""
        helpers.call_action("package_create", {"user": "operator"}, **complete_dataset(operator["org"]["id"]))
        body = app.get("/dataset/").body
        assert "Administrasi Kependudukan dan Pencatatan Sipil" in body  # urusan 2.12
        assert "Kelengkapan metadata" in body
