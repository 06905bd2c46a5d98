"""The walidata's management pages: list, two-step add, edit, reorder, delete; bad input never a 500."""
from __future__ import annotations

import re

import pytest
from ckan.tests import helpers

from ckanext.satudatapasuruan.workflow.config import NOTIFY_EMAIL

from .conftest import PLUGINS, indicator, indicator_count, make_table, sysadmin_ctx

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.ckan_config(NOTIFY_EMAIL, False),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore")]

KELOLA = "/dashboard-statistik/kelola"


def _headers(portal, who="walidata"):
    return {"Authorization": portal.users[who]["token"]}


def _select(body: str, name: str) -> str:
    return re.search(rf'<select[^>]*name="{name}".*?</select>', body, re.S).group(0)


def test_only_walidata(app, portal):
    """Anonymous visitors, OPD staff and pembina get 403 on every management page and form."""
    _, rid = make_table(portal, "penduduk")
    created = indicator(portal, rid)
    for who in (None, "operator", "verifikator", "pembina"):
        headers = _headers(portal, who) if who else {}
        app.get(KELOLA, headers=headers, status=403)
        app.get(f"{KELOLA}?resource_id={rid}", headers=headers, status=403)
        app.post(KELOLA, headers=headers, data={"resource_id": rid}, status=403)
        app.get(f"{KELOLA}/{created['id']}/ubah", headers=headers, status=403)
        app.post(f"{KELOLA}/{created['id']}/ubah", headers=headers, data={"title": "x"}, status=403)
        app.post(f"{KELOLA}/{created['id']}/urutan", headers=headers, data={"arah": "naik"}, status=403)
        app.post(f"{KELOLA}/{created['id']}/hapus", headers=headers, status=403)
    assert indicator_count() == 1
    assert app.get(KELOLA, headers=_headers(portal, "sysadmin")).status_code == 200


class TestAdd:
    def test_two_steps(self, app, portal):
        """Step 1 asks only for the resource; step 2 offers its columns as labelled selects (numeric ones for
        the value) with suggestions; saving lists the indicator as public. Every form carries the CSRF token."""
        dataset, rid = make_table(portal, "penduduk")
        page = app.get(KELOLA, headers=_headers(portal)).body
        assert 'role="main"' in page and "<h1" in page and "Belum ada indikator." in page
        assert "Langkah 1 dari 2" in page and 'name="label_field"' not in page
        assert '<label class="form-label" for="field-resource_id">' in page
        url = f"http://test.ckan.net/dataset/{dataset['name']}/resource/{rid}"
        page = app.get(KELOLA, query_string={"resource_id": url}, headers=_headers(portal)).body
        assert "Langkah 2 dari 2" in page and 'name="_csrf_token"' in page
        assert f'value="{rid}"' in page and 'value="Jumlah penduduk"' in page
        assert "Tabel Tabel penduduk dari dataset Jumlah Penduduk Menurut Kecamatan 2024 (4 baris)." in page
        values = _select(page, "value_field")
        assert 'value="jumlah_penduduk" selected' in values and 'value="keterangan"' not in values
        assert 'value="tahun" selected' in _select(page, "label_field")
        for name in ("title", "label_field", "value_field", "chart_type", "aggregation", "sort_order"):
            assert f'<label class="form-label" for="field-{name}">' in page, name
        response = app.post(KELOLA, headers=_headers(portal), follow_redirects=False, data={
            "resource_id": rid, "title": "Penduduk", "label_field": "tahun", "value_field": "jumlah_penduduk",
            "chart_type": "bar", "aggregation": "none", "sort_order": "1"})
        assert response.status_code == 302 and response.location.endswith(KELOLA)
        page = app.get(KELOLA, headers=_headers(portal)).body
        assert "Indikator ditambahkan" in page and "Tampil untuk publik" in page
        assert "<caption>Indikator Dashboard Statistik menurut urutan tampil</caption>" in page
        delete_form = re.search(r'<form method="post" action="/dashboard-statistik/kelola/[^"]+/hapus">.*?</form>',
                                page, re.S).group(0)
        assert 'name="_csrf_token"' in delete_form
        assert "/urutan" not in page  # a single card has nowhere to move

    def test_step_one_refuses_bad_sources(self, app, portal):
        """An unknown, non-public or file-only resource keeps step 1 with the reason beside the field."""
        _, rahasia = make_table(portal, "rahasia", klass="rahasia")
        dataset = portal.dataset(name="berkas")
        berkas = helpers.call_action("resource_create", context=sysadmin_ctx(portal), package_id=dataset["id"],
                                     url="http://example.test/a.pdf")["id"]
        portal.publish(dataset["id"])
        for asked, text in (("00000000-0000-0000-0000-000000000000", "Sumber data tidak ditemukan"),
                            (rahasia, "belum terbuka untuk publik"), (berkas, "tidak memiliki tabel DataStore")):
            response = app.get(KELOLA, query_string={"resource_id": asked}, headers=_headers(portal))
            assert response.status_code == 200
            body = response.body
            assert "Langkah 1 dari 2" in body and text in body and 'aria-invalid="true"' in body
            assert 'id="error-resource_id"' in body and f'value="{asked}"' in body

    def test_bad_input_rerenders_with_indonesian_errors(self, app, portal):
        """A rahasia source posted directly re-renders the form with the reason, the input kept, nothing saved."""
        _, rid = make_table(portal, "rahasia", klass="rahasia")
        response = app.post(KELOLA, headers=_headers(portal), data={
            "resource_id": rid, "title": "Rahasia", "label_field": "tahun", "value_field": "jumlah_penduduk"})
        assert response.status_code == 200
        body = response.body
        assert "Indikator belum disimpan" in body and "belum terbuka untuk publik" in body
        assert 'aria-invalid="true"' in body and f'value="{rid}"' in body and 'href="#field-resource_id"' in body
        assert indicator_count() == 0

    def test_wrong_column_duplicate_and_garbage(self, app, portal):
        """A non-numeric value column, a duplicate and nonsense values re-render with the columns as selects
        and keyed messages; nothing is saved twice."""
        _, rid = make_table(portal, "penduduk")
        body = app.post(KELOLA, headers=_headers(portal), data={
            "resource_id": rid, "title": "x", "label_field": "tahun", "value_field": "keterangan"}).body
        assert "bukan kolom angka" in body
        assert 'value="jumlah_penduduk"' in _select(body, "value_field")
        assert 'value="tahun" selected' in _select(body, "label_field")
        indicator(portal, rid)
        body = app.post(KELOLA, headers=_headers(portal), data={
            "resource_id": rid, "title": "Lagi", "label_field": "tahun", "value_field": "jumlah_penduduk"}).body
        assert "sudah ada" in body
        body = app.post(KELOLA, headers=_headers(portal), data={
            "resource_id": rid, "title": "", "label_field": "tahun", "value_field": "kepadatan",
            "chart_type": "pie", "aggregation": "rata", "sort_order": "pertama"}).body
        for text in ("Isikan judul", "batang (bar)", "Agregasi harus", "bilangan bulat"):
            assert text in body, text
        assert indicator_count() == 1


class TestEditMoveDelete:
    def test_edit(self, app, portal):
        """The edit page is prefilled with selects of the table's columns; a good change saves and returns to
        the list, a bad one re-renders with the message."""
        _, rid = make_table(portal, "penduduk")
        created = indicator(portal, rid)
        url = f"{KELOLA}/{created['id']}/ubah"
        page = app.get(url, headers=_headers(portal)).body
        assert "Ubah indikator: Jumlah penduduk per tahun" in page and 'name="_csrf_token"' in page
        assert 'value="jumlah_penduduk" selected' in _select(page, "value_field")
        response = app.post(url, headers=_headers(portal), follow_redirects=False, data={
            "resource_id": rid, "title": "Kepadatan", "label_field": "kecamatan", "value_field": "kepadatan",
            "chart_type": "line", "aggregation": "sum", "sort_order": "3"})
        assert response.status_code == 302 and response.location.endswith(KELOLA)
        shown = portal.call("satudata_dashboard_indicator_show", "warga", id=created["id"])
        assert (shown["title"], shown["chart_type"], shown["aggregation"]) == ("Kepadatan", "line", "sum")
        assert shown["data"]["labels"] == ["Bangil", "Pandaan"]
        body = app.post(url, headers=_headers(portal), data={
            "resource_id": rid, "title": "Kepadatan", "label_field": "kecamatan", "value_field": "keterangan"}).body
        assert "bukan kolom angka" in body and "Indikator belum disimpan" in body
        app.get(f"{KELOLA}/tidak-ada/ubah", headers=_headers(portal), status=404)
        app.post(f"{KELOLA}/tidak-ada/ubah", headers=_headers(portal), data={"title": "x"}, status=404)

    def test_edit_when_the_source_is_gone(self, app, portal):
        """An indicator whose resource was deleted opens with the problem and text fields, not a 500; the
        walidata can still delete it."""
        _, rid = make_table(portal, "penduduk")
        created = indicator(portal, rid)
        helpers.call_action("resource_delete", context=sysadmin_ctx(portal), id=rid)
        page = app.get(f"{KELOLA}/{created['id']}/ubah", headers=_headers(portal)).body
        assert "Sumber data tidak ditemukan" in page
        assert '<input class="form-control" type="text" id="field-value_field"' in page
        listing = app.get(KELOLA, headers=_headers(portal)).body
        assert "Tidak tampil" in listing and rid in listing
        app.post(f"{KELOLA}/{created['id']}/hapus", headers=_headers(portal), status=302, follow_redirects=False)
        assert indicator_count() == 0

    def test_move_and_delete(self, app, portal):
        """Up/down buttons swap neighbours (the ends have none); a bad direction is 400, an unknown id 404;
        delete removes, and a second delete is 404."""
        _, rid = make_table(portal, "penduduk")
        a = indicator(portal, rid, title="A", sort_order=1)["id"]
        b = indicator(portal, rid, title="B", value_field="kepadatan", sort_order=2)["id"]
        page = app.get(KELOLA, headers=_headers(portal)).body
        assert re.findall(r'action="/dashboard-statistik/kelola/([^/"]+)/urutan"', page) == [a, b]
        assert '<span class="visually-hidden"> B</span>' in page and ">Naik<" in page and ">Turun<" in page
        app.post(f"{KELOLA}/{b}/urutan", headers=_headers(portal), data={"arah": "naik"}, status=302,
                 follow_redirects=False)
        order = [i["id"] for i in portal.call("satudata_dashboard_indicator_list", "warga")]
        assert order == [b, a]
        app.post(f"{KELOLA}/{b}/urutan", headers=_headers(portal), data={"arah": "naik"}, status=302,
                 follow_redirects=False)  # already first: nothing moves
        assert [i["id"] for i in portal.call("satudata_dashboard_indicator_list", "warga")] == [b, a]
        app.post(f"{KELOLA}/{b}/urutan", headers=_headers(portal), data={"arah": "samping"}, status=400)
        app.post(f"{KELOLA}/tidak-ada/urutan", headers=_headers(portal), data={"arah": "turun"}, status=404)
        app.post(f"{KELOLA}/{a}/hapus", headers=_headers(portal), status=302, follow_redirects=False)
        app.post(f"{KELOLA}/{a}/hapus", headers=_headers(portal), status=404)
        assert indicator_count() == 1
