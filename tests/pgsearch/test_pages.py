"""The catalogue pages that depend on search render on the embedded engine."""
from __future__ import annotations

import pytest


@pytest.mark.usefixtures("catalogue", "with_request_context")
class TestPages:
    def test_search_page_with_facets(self, app):
        """/dataset/ lists matches for an Indonesian query and shows facet counts."""
        response = app.get("/dataset/", query_string={"q": "kependudukan"})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Jumlah Penduduk Menurut Kecamatan 2024" in body
        assert "Angka Kemiskinan Kabupaten Pasuruan" in body
        assert "Data Rahasia Pasien" not in body
        assert "kependudukan" in body and "facet" in body

    def test_search_page_facet_filter(self, app):
        """Clicking a facet (tags=..., res_format=...) narrows the list."""
        response = app.get("/dataset/", query_string={"tags": "pertanian", "res_format": "CSV"})
        body = response.get_data(as_text=True)
        assert "Produksi Padi dan Jagung" in body
        assert "Fasilitas Kesehatan" not in body

    def test_bad_query_syntax_on_the_page(self, app):
        """A broken fielded query is CKAN's 400 page naming the problem, not a server error."""
        response = app.get("/dataset/", query_string={"q": "title:(padi"})
        assert response.status_code == 400
        assert "tanda kurung tidak ditutup" in response.get_data(as_text=True)

    def test_dataset_and_home_pages(self, app):
        """The home page and a dataset page render."""
        assert app.get("/").status_code == 200
        response = app.get("/dataset/contoh-padi")
        assert response.status_code == 200
        assert "Produksi Padi dan Jagung" in response.get_data(as_text=True)

    def test_organization_page_lists_its_datasets(self, app):
        """An OPD's page lists its public datasets through search."""
        body = app.get("/organization/dinkes").get_data(as_text=True)
        assert "Fasilitas Kesehatan" in body
        assert "Data Rahasia Pasien" not in body
