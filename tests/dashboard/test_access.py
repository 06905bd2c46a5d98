"""Access classes are sacred: no chart, indicator or title of a rahasia, draft or withdrawn dataset reaches anyone
outside its owners, whatever the page (Dashboard Statistik, the dataset page's chart, the API)."""
from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from ckanext.satudatapasuruan.dashboard import charts
from ckanext.satudatapasuruan.workflow.config import NOTIFY_EMAIL

from .conftest import PLUGINS, indicator, make_table, sysadmin_ctx

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.ckan_config(NOTIFY_EMAIL, False),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore")]

OUTSIDERS = ("anonymous", "operator_lain", "warga")


def _ctx(portal, who):
    return charts.anonymous_context() if who == "anonymous" else portal.ctx(who)


def _listed(portal, who, **data):
    return [i["title"] for i in helpers.call_action("satudata_dashboard_indicator_list", context=_ctx(portal, who),
                                                    **data)]


def _headers(portal, who):
    return {} if who == "anonymous" else {"Authorization": portal.users[who]["token"]}


def _snippet(app, portal, who, dataset, rid):
    """The dataset page's chart snippet as ``who`` gets it."""
    res = helpers.call_action("resource_show", context=sysadmin_ctx(portal), id=rid)
    with app.flask_app.test_request_context(headers=_headers(portal, who)):
        return tk.render_snippet("satudata_dashboard/snippets/resource_chart.html", {"pkg": dataset, "res": res})


@pytest.mark.usefixtures("with_request_context")
class TestWithdrawn:
    def test_withdrawn_dataset_leaves_the_dashboard(self, app, portal):
        """After the walidata withdraws the dataset, outsiders no longer get its indicator (list, show, page);
        the owning OPD still does, and the walidata see it flagged as not public."""
        dataset, rid = make_table(portal, "penduduk")
        created = indicator(portal, rid, title="Penduduk yang akan ditarik")
        assert _listed(portal, "anonymous", include_data=True) == ["Penduduk yang akan ditarik"]
        portal.call("satudata_workflow_withdraw", "walidata", id=dataset["id"], note="Data keliru")
        for who in OUTSIDERS:
            assert _listed(portal, who) == [] and _listed(portal, who, include_data=True) == []
            with pytest.raises(tk.ObjectNotFound):
                helpers.call_action("satudata_dashboard_indicator_show", context=_ctx(portal, who), id=created["id"])
            body = app.get("/dashboard-statistik", headers=_headers(portal, who)).body
            assert "Penduduk yang akan ditarik" not in body and rid not in body
        assert _listed(portal, "operator", include_data=True) == ["Penduduk yang akan ditarik"]
        (item,) = portal.call("satudata_dashboard_indicator_list", "walidata")
        assert item["public"] is False and "belum terbuka" in item["problem"]

    def test_data_reclassified_terbatas_is_skipped(self, portal):
        """A published dataset reclassified terbatas keeps public metadata but its rows are not public: the
        chart disappears for outsiders, stays for the owners."""
        dataset, rid = make_table(portal, "penduduk")
        indicator(portal, rid, title="Akan terbatas")
        helpers.call_action("package_patch", context=sysadmin_ctx(portal), id=dataset["id"],
                            klasifikasi_akses="terbatas")
        for who in OUTSIDERS:
            assert _listed(portal, who, include_data=True) == []
        assert _listed(portal, "verifikator", include_data=True) == ["Akan terbatas"]

    def test_deleted_resource_is_listed_for_the_walidata_only(self, portal):
        """An indicator whose resource was deleted shows nothing publicly; the walidata see it to delete it."""
        _, rid = make_table(portal, "penduduk")
        created = indicator(portal, rid)
        helpers.call_action("resource_delete", context=sysadmin_ctx(portal), id=rid)
        assert _listed(portal, "anonymous") == []
        (item,) = portal.call("satudata_dashboard_indicator_list", "walidata")
        assert item["id"] == created["id"] and item["package"] is None and item["public"] is False


class TestPrivateTables:
    def test_chart_of_a_private_table_only_for_its_owners(self, app, portal):
        """A rahasia (published), draft or terbatas dataset's table gives outsiders no chart spec, no data and no
        snippet; its OPD sees the chart."""
        tables = [make_table(portal, name, klass=klass, publish=publish)
                  for name, klass, publish in (("rahasia", "rahasia", True), ("draf", "terbuka", False),
                                               ("terbatas", "terbatas", True))]
        for dataset, rid in tables:
            for who in OUTSIDERS:
                assert charts.spec_for(rid, _ctx(portal, who)) is None
                assert charts.series(rid, "tahun", "jumlah_penduduk", _ctx(portal, who)) is None
                html = _snippet(app, portal, who, dataset, rid)
                assert "satudata-chart" not in html and "2022" not in html
            assert charts.spec_for(rid, portal.ctx("operator"))["value_field"] == "jumlah_penduduk"
            owner_html = _snippet(app, portal, "operator", dataset, rid)
            assert 'data-module="satudata-chart"' in owner_html and "Bangil" not in owner_html  # tahun labels
            assert "2022" in owner_html

    def test_public_table_charted_for_everyone(self, app, portal):
        """The good case: a published terbuka table is charted for anonymous visitors too."""
        dataset, rid = make_table(portal, "penduduk")
        html = _snippet(app, portal, "anonymous", dataset, rid)
        assert 'data-module="satudata-chart"' in html and "1.250" in html
