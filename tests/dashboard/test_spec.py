"""What a table can chart (satudata_chart_spec) and the chart's points, captions and numbers."""
from __future__ import annotations

import pytest
from ckan.tests import helpers

from ckanext.satudatapasuruan.dashboard import charts, config
from ckanext.satudatapasuruan.dashboard import helpers as dhelpers
from ckanext.satudatapasuruan.workflow.config import NOTIFY_EMAIL

from .conftest import PLUGINS, make_table, sysadmin_ctx


def f(id_, type_, label=None):
    return {"id": id_, "type": type_, "label": label or id_}


class TestChartSpec:
    """The pure choice of default columns."""

    def test_year_column_is_the_label_even_when_numeric(self):
        """A numeric `tahun` labels the chart and is not offered as a value."""
        spec = charts.chart_spec("r", [f("kecamatan", "text"), f("tahun", "int4"), f("jumlah", "int8"),
                                       f("rasio", "float8")])
        assert spec["label_field"] == "tahun" and spec["value_field"] == "jumlah"
        assert spec["value_fields"] == ["jumlah", "rasio"]
        assert spec["label_fields"] == ["tahun", "kecamatan"]

    def test_date_before_text(self):
        """Without a period name, a date column is preferred over a text one."""
        spec = charts.chart_spec("r", [f("nama", "text"), f("diukur", "date"), f("nilai", "numeric")])
        assert spec["label_field"] == "diukur"

    def test_period_named_by_its_data_dictionary_label(self):
        """The data dictionary's label counts: a column labelled 'Tahun data' is a period."""
        spec = charts.chart_spec("r", [f("kolom_a", "int4", "Tahun data"), f("kolom_b", "int4")])
        assert spec["label_field"] == "kolom_a" and spec["value_fields"] == ["kolom_b"]

    def test_text_label(self):
        """A table of districts is labelled by its text column."""
        spec = charts.chart_spec("r", [f("kecamatan", "text"), f("penduduk", "int4")])
        assert (spec["label_field"], spec["value_field"]) == ("kecamatan", "penduduk")

    @pytest.mark.parametrize("fields", [
        [f("nama", "text"), f("alamat", "text")],       # nothing numeric
        [f("a", "int4"), f("b", "float8")],             # numbers but nothing to label them with
        [f("tahun", "int4")],                           # a period alone
        [],
    ])
    def test_nothing_chartable(self, fields):
        """No numeric column, or no label column: None."""
        assert charts.chart_spec("r", fields) is None


class TestFormatting:
    @pytest.mark.usefixtures("with_request_context")
    @pytest.mark.ckan_config("ckan.locale_default", "id")
    def test_summary_and_numbers_in_indonesian(self):
        """The caption names the count, the highest and lowest, in Indonesian number format, and says when
        the table was cut."""
        data = {"labels": ["A", "B", "C"], "values": [1250.5, None, 3], "total": 900, "rows_read": 3,
                "truncated": True}
        text = charts.summary(data)
        assert text.startswith("3 titik data; tertinggi 1.250,5 (A), terendah 3 (C).")
        assert "3 baris pertama dari 900 baris" in text
        assert charts.format_value(None) == "–"
        assert charts.summary({"labels": ["A"], "values": [None]}) == "Tidak ada nilai untuk ditampilkan."


DATED = [{"id": "tanggal", "type": "date"}, {"id": "kasus", "type": "numeric"}, {"id": "wilayah", "type": "text"}]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore", "with_request_context")
@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.ckan_config("ckan.locale_default", "id")
@pytest.mark.ckan_config(NOTIFY_EMAIL, False)
class TestOnTables:
    def test_helper_reads_the_table(self, portal):
        """satudata_chart_spec gives the columns of a real DataStore table, its titles and row count."""
        _, rid = make_table(portal, "penduduk")
        spec = dhelpers.satudata_chart_spec(rid)
        assert spec["label_field"] == "tahun" and spec["value_fields"] == ["jumlah_penduduk", "kepadatan"]
        assert spec["fields"]["jumlah_penduduk"]["label"] == "Jumlah penduduk" and spec["total"] == 4

    def test_helper_none_for_unknown_and_file_resources(self, portal):
        """An unknown id, an empty id, a resource without a table and a table of text only give None, not an
        error."""
        dataset = portal.dataset(name="berkas")
        res = helpers.call_action("resource_create", context=sysadmin_ctx(portal), package_id=dataset["id"],
                                  url="http://example.test/a.pdf")
        assert dhelpers.satudata_chart_spec("tidak-ada") is None
        assert dhelpers.satudata_chart_spec("") is None
        assert dhelpers.satudata_chart_spec(res["id"]) is None
        assert dhelpers.satudata_resource_chart(dict(res, datastore_active=False)) is None
        _, rid = make_table(portal, "teks", fields=[{"id": "nama", "type": "text"}], records=[{"nama": "a"}])
        assert dhelpers.satudata_chart_spec(rid) is None

    def test_series_dates_decimals_and_sum(self, portal):
        """Dates are shown as dates, numeric cells as numbers; `sum` adds rows of the same label in order."""
        records = [{"tanggal": "2024-01-01", "kasus": "1.5", "wilayah": "B"},
                   {"tanggal": "2024-02-01", "kasus": "2", "wilayah": "A"},
                   {"tanggal": "2024-03-01", "kasus": None, "wilayah": "B"},
                   {"tanggal": "2024-04-01", "kasus": "4", "wilayah": "B"}]
        _, rid = make_table(portal, "kasus", fields=DATED, records=records)
        ctx = charts.anonymous_context()
        plain = charts.series(rid, "tanggal", "kasus", ctx)
        assert plain["labels"] == ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
        assert plain["values"] == [1.5, 2, None, 4] and plain["truncated"] is False
        summed = charts.series(rid, "wilayah", "kasus", ctx, aggregation="sum")
        assert (summed["labels"], summed["values"]) == (["B", "A"], [5.5, 2])
        assert charts.series(rid, "wilayah", "tidak_ada", ctx) is None

    @pytest.mark.ckan_config(config.ROW_LIMIT, 2)
    def test_row_limit_cuts_and_says_so(self, portal):
        """The declared row limit bounds what is read, and the result says it was cut."""
        _, rid = make_table(portal, "penduduk")
        data = charts.series(rid, "tahun", "jumlah_penduduk", charts.anonymous_context())
        assert data["values"] == [1200, 1250] and data["truncated"] and data["total"] == 4
        assert "2 baris pertama dari 4 baris" in charts.summary(data)

    def test_resource_chart_takes_valid_columns_from_the_request(self, app, portal):
        """The snippet's no-JavaScript form: valid columns from the query string are used, others ignored."""
        _, rid = make_table(portal, "penduduk")
        res = {"id": rid, "datastore_active": True}
        with app.flask_app.test_request_context(
                f"/?grafik_sumber={rid}&grafik_label=kecamatan&grafik_nilai=kepadatan"):
            chart = dhelpers.satudata_resource_chart(res)
            assert (chart["label_field"], chart["value_field"]) == ("kecamatan", "kepadatan")
            assert chart["data"]["values"][0] == 1500.5
        with app.flask_app.test_request_context(f"/?grafik_sumber={rid}&grafik_label=x&grafik_nilai=keterangan"):
            chart = dhelpers.satudata_resource_chart(res)
            assert (chart["label_field"], chart["value_field"]) == ("tahun", "jumlah_penduduk")
        with app.flask_app.test_request_context("/?grafik_sumber=lain&grafik_nilai=kepadatan"):
            assert dhelpers.satudata_resource_chart(res)["value_field"] == "jumlah_penduduk"
