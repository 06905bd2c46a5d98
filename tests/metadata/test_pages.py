"""The SDI forms and pages through the web: sections, Indonesian labels, errors on the form, the score."""
from __future__ import annotations

import re

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

    def test_linked_activity_shows_its_title(self, app, operator):
        """The MS-Keg link shows the activity's title and points to its own page type."""
        keg = helpers.call_action(
            "package_create", {"user": "operator"}, type="kegiatan-statistik", name="registrasi-2024",
            title="Registrasi Penduduk 2024", owner_org=operator["org"]["id"], tahun="2024",
            cara_pengumpulan="kompilasi_administrasi", urusan="2.12", jenis_kegiatan="sektoral",
            penyelenggara_instansi="Dispendukcapil", pj_unit_eselon="Bidang Data", pj_teknis_nama="Budi",
            latar_belakang="Kebutuhan data.", tujuan="Menyediakan data penduduk.")
        pkg = helpers.call_action("package_create", {"user": "operator"},
                                  **complete_dataset(operator["org"]["id"], kegiatan_statistik=keg["name"]))
        body = app.get(f"/dataset/{pkg['name']}").body
        assert '<a href="/kegiatan-statistik/registrasi-2024">Registrasi Penduduk 2024</a>' in body

    def test_year_field_is_a_number_input(self, app, operator):
        """The year is typed into a number field bounded like its validator."""
        body = app.get("/dataset/new", headers=operator["headers"]).body
        (tag,) = re.findall(r'<input[^>]*id="field-tahun"[^>]*>', body)
        assert 'type="number"' in tag and 'min="1945"' in tag

    def test_search_page_facets_show_labels(self, app, operator):
        """SDI facets on the search page show labels, not codes."""
        helpers.call_action("package_create", {"user": "operator"}, **complete_dataset(operator["org"]["id"]))
        body = app.get("/dataset/").body
        assert "Administrasi Kependudukan dan Pencatatan Sipil" in body  # urusan 2.12
        assert "Kelengkapan metadata" in body
