"""Pages for everyone: Dashboard Statistik, the dataset and resource pages' chart, the home page's helper."""
from __future__ import annotations

import re

import pytest
from ckan.tests import helpers

from ckanext.satudatapasuruan.dashboard import config
from ckanext.satudatapasuruan.dashboard import helpers as dhelpers
from ckanext.satudatapasuruan.workflow.config import NOTIFY_EMAIL

from .conftest import PLUGINS, indicator, make_table, sysadmin_ctx

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.ckan_config(NOTIFY_EMAIL, False),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore")]


def _headers(portal, who):
    return {"Authorization": portal.users[who]["token"]}


class TestDashboardPage:
    @pytest.mark.usefixtures("with_request_context")
    def test_cards_with_text_alternatives(self, app, portal):
        """Each card has title, OPD, unit, period, source link, a labelled canvas, a caption, a table with
        header scopes and a download link; the chart bundle is on the page."""
        dataset, rid = make_table(portal, "penduduk")
        indicator(portal, rid, title="Penduduk Kabupaten Pasuruan", chart_type="line")
        body = app.get("/dashboard-statistik").body
        assert "<h1>Dashboard Statistik</h1>" in body and 'role="main"' in body
        assert "Kelola indikator" not in body
        assert re.search(r"<h2 id=\"indikator-[^\"]+-judul\">Penduduk Kabupaten Pasuruan</h2>", body)
        assert "Dinas Kependudukan dan Pencatatan Sipil" in body and "Jiwa" in body and "Tahunan" in body
        assert f'href="/dataset/{dataset["name"]}"' in body
        assert f'href="/datastore/dump/{rid}?format=csv"' in body and "Unduh data" in body
        canvas = re.search(r'<canvas [^>]*role="img"[^>]*aria-label="([^"]+)"', body)
        assert canvas and canvas.group(1).startswith("Grafik garis: Jumlah penduduk (Jiwa) menurut tahun")
        assert "<figcaption" in body and "4 titik data; tertinggi 1.250 (2023), terendah 900 (2023)." in body
        assert '<th scope="col">tahun</th>' in body and '<th scope="row">2022</th>' in body
        assert 'data-module="satudata-chart"' in body and 'data-module-type="line"' in body
        assert re.search(r'src="[^"]*satudata_dashboard/[^"]*_chart\.js"', body)
        assert re.search(r'href="[^"]*satudata_dashboard/[^"]*_chart\.css"', body)

    def test_json_payload_is_escaped(self, app, portal):
        """Cell text cannot close the data script: '<' is escaped in the JSON."""
        fields = [{"id": "kecamatan", "type": "text"}, {"id": "jumlah", "type": "int4"}]
        _, rid = make_table(portal, "penduduk", fields=fields,
                            records=[{"kecamatan": "</script><script>alert(1)</script>", "jumlah": 1}])
        indicator(portal, rid, label_field="kecamatan", value_field="jumlah")
        body = app.get("/dashboard-statistik").body
        assert "<script>alert(1)" not in body and "\\u003c/script\\u003e" in body

    def test_empty_dashboard_and_download_link(self, app, portal):
        """Without indicators the page says so; a card's download link gives the public the table as CSV."""
        assert "Belum ada indikator yang ditampilkan." in app.get("/dashboard-statistik").body
        _, rid = make_table(portal, "penduduk")
        response = app.get(f"/datastore/dump/{rid}?format=csv")
        assert "jumlah_penduduk" in response.body and "Bangil" in response.body

    def test_walidata_see_why_a_card_is_hidden(self, app, portal):
        """The walidata get the link to the management page and, for an indicator the public no longer sees
        or whose table is gone, a card saying why instead of a chart; the public get neither."""
        dataset, rid = make_table(portal, "penduduk")
        indicator(portal, rid, title="Akan ditarik")
        _, other = make_table(portal, "hilang")
        indicator(portal, other, title="Tabelnya dihapus")
        portal.call("satudata_workflow_withdraw", "walidata", id=dataset["id"], note="Data keliru")
        helpers.call_action("datastore_delete", context=sysadmin_ctx(portal), resource_id=other, force=True)
        body = app.get("/dashboard-statistik", headers=_headers(portal, "walidata")).body
        assert 'href="/dashboard-statistik/kelola"' in body and "Kelola indikator" in body
        assert "Akan ditarik" in body and "belum terbuka untuk publik" in body
        assert "Tabelnya dihapus" in body and "Data indikator ini tidak tersedia saat ini." in body
        public = app.get("/dashboard-statistik").body
        assert "Akan ditarik" not in public and "Tabelnya dihapus" not in public
        assert "Belum ada indikator yang ditampilkan." in public


class TestDatasetPages:
    def test_resource_and_dataset_pages_chart_the_table(self, app, portal):
        """The resource page and the dataset page show the table's chart with its data table, labelled
        column pickers and the unit from the dataset's MS-Var metadata."""
        dataset, rid = make_table(portal, "penduduk")
        for url in (f"/dataset/{dataset['name']}/resource/{rid}", f"/dataset/{dataset['name']}"):
            body = app.get(url).body
            assert f'<h2 id="grafik-{rid}-heading">Grafik dan tabel data: Tabel penduduk</h2>' in body, url
            assert '<th scope="col">Jumlah penduduk (Jiwa)</th>' in body and '<th scope="row">2022</th>' in body
            assert f'<label class="form-label" for="grafik-{rid}-value">' in body
            assert "<caption>Jumlah penduduk (Jiwa) menurut tahun</caption>" in body

    def test_no_chart_without_numbers_or_for_outsiders(self, app, portal):
        """A table without numeric columns has no chart; a rahasia dataset's page is not found for outsiders
        and charted for its OPD."""
        fields = [{"id": "nama", "type": "text"}]
        text, trid = make_table(portal, "teks", fields=fields, records=[{"nama": "a"}])
        assert "Grafik dan tabel data" not in app.get(f"/dataset/{text['name']}").body
        secret, srid = make_table(portal, "rahasia", klass="rahasia")
        app.get(f"/dataset/{secret['name']}", status=404)
        app.get(f"/dataset/{secret['name']}", headers=_headers(portal, "warga"), status=404)
        owner = app.get(f"/dataset/{secret['name']}", headers=_headers(portal, "operator")).body
        assert f'id="grafik-{srid}-heading"' in owner


class TestHomeHelper:
    @pytest.mark.ckan_config(config.HOME_LIMIT, 1)
    def test_indicators_for_the_home_page(self, app, portal):
        """satudata_dashboard_indicators gives the viewer's first indicators with data (the configured count
        by default, or the limit asked); a rahasia-sourced one reaches its owners only."""
        _, rid = make_table(portal, "penduduk")
        first = indicator(portal, rid, title="Pertama", sort_order=1)
        indicator(portal, rid, title="Kedua", value_field="kepadatan", sort_order=2)
        with app.flask_app.test_request_context():
            (only,) = dhelpers.satudata_dashboard_indicators()
            assert only["id"] == first["id"] and only["data"]["values"] == [1200, 1250, 900, 950]
            assert [i["title"] for i in dhelpers.satudata_dashboard_indicators(5)] == ["Pertama", "Kedua"]
            assert dhelpers.satudata_dashboard_indicators(0) == []
            assert dhelpers.satudata_dashboard_indicators(-1) == []
        portal.call("satudata_workflow_withdraw", "walidata", id=portal.call(
            "resource_show", "sysadmin", id=rid)["package_id"], note="Data keliru")
        with app.flask_app.test_request_context():
            assert dhelpers.satudata_dashboard_indicators(5) == []
        with app.flask_app.test_request_context(headers=_headers(portal, "operator")):
            assert len(dhelpers.satudata_dashboard_indicators(5)) == 2
