"""The indicator actions: walidata-only writes, every source check, no partial writes."""
from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from ckanext.satudatapasuruan.workflow.config import NOTIFY_EMAIL

from .conftest import PLUGINS, indicator, indicator_count, make_table, sysadmin_ctx

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.ckan_config(NOTIFY_EMAIL, False),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore",
                                      "with_request_context")]


def _error(err: pytest.ExceptionInfo, key: str) -> str:
    return " ".join(err.value.error_dict[key])


class TestCreate:
    def test_walidata_creates_an_indicator(self, portal):
        """A walidata member adds a chart of a published terbuka table (the defaults are bar/none/0); the
        address of the resource's page stands for its id; sysadmins may create too."""
        dataset, rid = make_table(portal, "penduduk")
        created = indicator(portal, rid)
        assert created["resource_id"] == rid and created["chart_type"] == "bar"
        assert created["aggregation"] == "none" and created["sort_order"] == 0
        assert created["created_by"] == portal.users["walidata"]["id"]
        assert created["created"].endswith("+00:00")
        assert [i["id"] for i in portal.call("satudata_dashboard_indicator_list", "walidata")] == [created["id"]]
        by_url = indicator(portal, f"http://test.ckan.net/dataset/{dataset['name']}/resource/{rid.upper()}?x=1",
                           value_field="kepadatan")
        assert by_url["resource_id"] == rid
        assert indicator(portal, rid, who="sysadmin", label_field="kecamatan")["id"]

    def test_others_are_not_authorized(self, portal):
        """Only the walidata (and sysadmins) choose indicators: OPD staff, pembina, citizens and anonymous
        callers are refused, and nothing is written."""
        _, rid = make_table(portal, "penduduk")
        for who in ("operator", "verifikator", "pembina", "warga"):
            with pytest.raises(tk.NotAuthorized) as err:
                indicator(portal, rid, who=who)
            assert "walidata" in str(err.value)
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("satudata_dashboard_indicator_create", context={"user": "", "ignore_auth": False},
                                resource_id=rid, title="x", label_field="tahun", value_field="jumlah_penduduk")
        assert indicator_count() == 0

    def test_bad_sources(self, portal):
        """An unknown id and a file without a DataStore table are keyed errors; a draft dataset or a published
        rahasia one never feeds a public chart; terbatas data (public metadata, not public rows) is refused
        with its class named."""
        with pytest.raises(tk.ValidationError) as err:
            indicator(portal, "00000000-0000-0000-0000-000000000000")
        assert "tidak ditemukan" in _error(err, "resource_id")
        dataset = portal.dataset(name="berkas")
        res = helpers.call_action("resource_create", context=sysadmin_ctx(portal), package_id=dataset["id"],
                                  url="http://example.test/berkas.pdf", name="Berkas")
        portal.publish(dataset["id"])
        with pytest.raises(tk.ValidationError) as err:
            indicator(portal, res["id"])
        assert "DataStore" in _error(err, "resource_id")
        _, draft = make_table(portal, "draf", publish=False)
        _, rahasia = make_table(portal, "rahasia", klass="rahasia")
        _, terbatas = make_table(portal, "terbatas", klass="terbatas")
        for rid in (draft, rahasia):
            with pytest.raises(tk.ValidationError) as err:
                indicator(portal, rid)
            assert "belum terbuka untuk publik" in _error(err, "resource_id")
        with pytest.raises(tk.ValidationError) as err:
            indicator(portal, terbatas)
        assert "terbatas" in _error(err, "resource_id")
        assert indicator_count() == 0

    def test_bad_columns(self, portal):
        """Columns not in the table are named with the available ones; the value column must be numeric and
        differ from the label column."""
        _, rid = make_table(portal, "penduduk")
        with pytest.raises(tk.ValidationError) as err:
            indicator(portal, rid, label_field="bulan", value_field="jumlah")
        assert "bulan" in _error(err, "label_field") and "kecamatan" in _error(err, "label_field")
        assert "jumlah" in _error(err, "value_field")
        with pytest.raises(tk.ValidationError) as err:
            indicator(portal, rid, label_field="tahun", value_field="keterangan")
        assert "bukan kolom angka" in _error(err, "value_field")
        with pytest.raises(tk.ValidationError) as err:
            indicator(portal, rid, label_field="jumlah_penduduk", value_field="jumlah_penduduk")
        assert "berbeda" in _error(err, "value_field")
        assert indicator_count() == 0

    def test_duplicate_indicator(self, portal):
        """The same resource and columns twice is refused; another value column is fine."""
        _, rid = make_table(portal, "penduduk")
        indicator(portal, rid)
        with pytest.raises(tk.ValidationError) as err:
            indicator(portal, rid, title="Lagi")
        assert "sudah ada" in _error(err, "value_field")
        indicator(portal, rid, value_field="kepadatan")
        assert indicator_count() == 2

    def test_bad_form_values(self, portal):
        """Empty title, unknown chart type or aggregation and a non-integer order are keyed errors."""
        _, rid = make_table(portal, "penduduk")
        with pytest.raises(tk.ValidationError) as err:
            indicator(portal, rid, title="  ", chart_type="pie", aggregation="avg", sort_order="satu")
        assert set(err.value.error_dict) == {"title", "chart_type", "aggregation", "sort_order"}
        assert "judul" in _error(err, "title") and "batang" in _error(err, "chart_type")
        with pytest.raises(tk.ValidationError) as err:
            indicator(portal, rid, title="x" * 201)
        assert "200" in _error(err, "title")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_dashboard_indicator_create", "walidata", title="x")
        assert {"resource_id", "label_field", "value_field"} <= set(err.value.error_dict)
        assert indicator_count() == 0


class TestUpdateDelete:
    def test_update_changes_and_rechecks(self, portal):
        """Update keeps what is not given, and checks the merged record like create (duplicates included)."""
        _, rid = make_table(portal, "penduduk")
        created = indicator(portal, rid)
        updated = portal.call("satudata_dashboard_indicator_update", "walidata", id=created["id"],
                              chart_type="line", sort_order=5, title="Baru")
        assert (updated["chart_type"], updated["sort_order"], updated["title"]) == ("line", 5, "Baru")
        assert updated["value_field"] == "jumlah_penduduk"
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_dashboard_indicator_update", "walidata", id=created["id"], value_field="keterangan")
        assert "value_field" in err.value.error_dict
        shown = portal.call("satudata_dashboard_indicator_show", "walidata", id=created["id"], include_data=False)
        assert shown["value_field"] == "jumlah_penduduk" and shown["title"] == "Baru"
        other = indicator(portal, rid, value_field="kepadatan")
        with pytest.raises(tk.ValidationError) as err:  # an update may not make two of the same columns
            portal.call("satudata_dashboard_indicator_update", "walidata", id=other["id"],
                        value_field="jumlah_penduduk")
        assert "sudah ada" in _error(err, "value_field")

    def test_update_and_delete_need_walidata_and_a_real_id(self, portal):
        """Others are refused; an unknown id is not found."""
        _, rid = make_table(portal, "penduduk")
        created = indicator(portal, rid)
        for action in ("satudata_dashboard_indicator_update", "satudata_dashboard_indicator_delete"):
            with pytest.raises(tk.NotAuthorized):
                portal.call(action, "operator", id=created["id"])
            with pytest.raises(tk.ObjectNotFound):
                portal.call(action, "walidata", id="tidak-ada")
        portal.call("satudata_dashboard_indicator_delete", "walidata", id=created["id"])
        assert indicator_count() == 0


class TestListShow:
    def test_order_limit_and_data(self, portal):
        """Indicators come by sort order; with data each has its points and a summary; a bad limit is an
        error and an unknown indicator is not found."""
        _, rid = make_table(portal, "penduduk")
        second = indicator(portal, rid, sort_order=2)
        first = indicator(portal, rid, value_field="kepadatan", sort_order=1, label_field="kecamatan",
                          aggregation="sum", title="Kepadatan per kecamatan")
        items = portal.call("satudata_dashboard_indicator_list", "warga", include_data=True)
        assert [i["id"] for i in items] == [first["id"], second["id"]]
        assert items[0]["data"]["labels"] == ["Bangil", "Pandaan"]
        assert items[0]["data"]["values"] == [3010.75, 1991]
        assert items[1]["data"]["values"] == [1200, 1250, 900, 950]
        assert items[1]["package"]["organization"] == "Dinas Kependudukan dan Pencatatan Sipil"
        assert items[1]["unit"] == "Jiwa" and items[1]["package"]["frekuensi"] == "Tahunan"
        assert "public" not in items[0]
        assert len(portal.call("satudata_dashboard_indicator_list", "warga", limit=1)) == 1
        with pytest.raises(tk.ValidationError):
            portal.call("satudata_dashboard_indicator_list", "warga", limit="banyak")
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_dashboard_indicator_show", "warga", id="tidak-ada")


class TestSourceShow:
    def test_columns_of_a_public_table(self, portal):
        """The walidata get the table's columns with their types and titles, which are numeric, the row count
        and the suggested label/value columns and title."""
        dataset, rid = make_table(portal, "penduduk")
        source = portal.call("satudata_dashboard_source_show", "walidata",
                             resource_id=f"http://test.ckan.net/dataset/{dataset['name']}/resource/{rid}")
        assert source["resource"] == {"id": rid, "name": "Tabel penduduk"}
        assert source["package"]["name"] == dataset["name"] and source["total"] == 4
        numeric = {f["id"]: f["numeric"] for f in source["fields"]}
        assert numeric == {"tahun": True, "kecamatan": False, "jumlah_penduduk": True, "kepadatan": True,
                           "keterangan": False}
        assert (source["label_field"], source["value_field"]) == ("tahun", "jumlah_penduduk")
        assert source["title"] == "Jumlah penduduk"

    def test_bad_sources_and_callers(self, portal):
        """Unknown, file-only and rahasia resources are keyed Indonesian errors; others than the walidata are
        refused; an empty id is a field error."""
        _, rahasia = make_table(portal, "rahasia", klass="rahasia")
        dataset = portal.dataset(name="berkas")
        res = helpers.call_action("resource_create", context=sysadmin_ctx(portal), package_id=dataset["id"],
                                  url="http://example.test/berkas.pdf", name="Berkas")
        portal.publish(dataset["id"])
        for rid, text in (("tidak-ada", "tidak ditemukan"), (res["id"], "DataStore"),
                          (rahasia, "belum terbuka untuk publik")):
            with pytest.raises(tk.ValidationError) as err:
                portal.call("satudata_dashboard_source_show", "walidata", resource_id=rid)
            assert text in _error(err, "resource_id")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_dashboard_source_show", "walidata", resource_id=" ")
        assert "Isikan ID" in _error(err, "resource_id")
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_dashboard_source_show", "operator", resource_id=rahasia)


class TestReorder:
    def test_new_order(self, portal):
        """The named ids come first in the given order, the others after them in their present order; a
        string of ids works as a list."""
        _, rid = make_table(portal, "penduduk")
        a = indicator(portal, rid, sort_order=1)["id"]
        b = indicator(portal, rid, value_field="kepadatan", sort_order=2)["id"]
        c = indicator(portal, rid, label_field="kecamatan", sort_order=3)["id"]
        assert portal.call("satudata_dashboard_indicator_reorder", "walidata", order=[c, a]) == [c, a, b]
        listed = portal.call("satudata_dashboard_indicator_list", "warga")
        assert [(i["id"], i["sort_order"]) for i in listed] == [(c, 0), (a, 1), (b, 2)]
        assert portal.call("satudata_dashboard_indicator_reorder", "sysadmin", order=f"{b}, {a} {c}") == [b, a, c]

    def test_bad_orders_and_callers(self, portal):
        """Unknown ids, an id twice, an empty or missing order are keyed errors that change nothing; OPD staff
        are refused."""
        _, rid = make_table(portal, "penduduk")
        a = indicator(portal, rid)["id"]
        for order, text in ((["tidak-ada"], "tidak-ada"), ([a, a], "sekali"), ([], "daftar ID"),
                            ("", "daftar ID"), ([1], "daftar ID")):
            with pytest.raises(tk.ValidationError) as err:
                portal.call("satudata_dashboard_indicator_reorder", "walidata", order=order)
            assert text in _error(err, "order")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_dashboard_indicator_reorder", "walidata")
        assert "order" in err.value.error_dict
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_dashboard_indicator_reorder", "operator", order=[a])


class TestSourceGone:
    def test_dropped_table(self, portal):
        """When the DataStore table is dropped, the public get no card and a not-found show; the walidata get
        the indicator with no data and a clear problem."""
        _, rid = make_table(portal, "penduduk")
        created = indicator(portal, rid)
        helpers.call_action("datastore_delete", context=sysadmin_ctx(portal), resource_id=rid, force=True)
        assert portal.call("satudata_dashboard_indicator_list", "warga", include_data=True) == []
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_dashboard_indicator_show", "warga", id=created["id"])
        (item,) = portal.call("satudata_dashboard_indicator_list", "walidata", include_data=True)
        assert item["data"] is None and item["public"] is False and "tidak dapat dibaca" in item["problem"]
        shown = portal.call("satudata_dashboard_indicator_show", "walidata", id=created["id"])
        assert shown["data"] is None and shown["problem"] == item["problem"]

    def test_deleted_dataset(self, portal):
        """A deleted dataset's indicator stays listed for the walidata, flagged not public, so they can remove
        it; nobody else gets it."""
        dataset, rid = make_table(portal, "penduduk")
        created = indicator(portal, rid)
        helpers.call_action("package_delete", context=sysadmin_ctx(portal), id=dataset["id"])
        assert portal.call("satudata_dashboard_indicator_list", "warga", include_data=True) == []
        (item,) = portal.call("satudata_dashboard_indicator_list", "walidata", include_data=True)
        assert item["id"] == created["id"] and item["public"] is False
        assert "belum terbuka untuk publik" in item["problem"]
