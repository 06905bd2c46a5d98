"""Who may do what: the walidata manages templates; the OPD's editors choose an infographic's template;
whoever may see an infographic sees its link and scans."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from ckanext.satudatapasuruan.infographic import records

from .conftest import PLUGINS, image_bytes, make_infographic

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "storage", "app")]

DESIGN = dict(records.DEFAULT_TEMPLATES[1], name="cetak-a3", title="Cetak A3")
ANON = {"user": "", "ignore_auth": False}


class TestTemplates:
    @pytest.mark.parametrize("who", ["operator", "verifikator", "pembina", "warga"])
    def test_only_walidata_creates_and_approves(self, portal, who):
        """OPD roles, the pembina and citizens may neither design nor approve templates."""
        with pytest.raises(tk.NotAuthorized) as err:
            portal.call("satudata_infographic_template_create", who, **DESIGN)
        assert "Hanya walidata yang dapat mengelola templat infografis" in str(err.value)
        made = portal.call("satudata_infographic_template_create", "walidata", **DESIGN)
        for action, data in (("satudata_infographic_template_approve", {"id": made["id"]}),
                             ("satudata_infographic_template_update", {"id": made["id"], "title": "X"})):
            with pytest.raises(tk.NotAuthorized):
                portal.call(action, who, **data)
        assert records.get_template(made["id"])["approved"] is False

    def test_anonymous_refused(self, portal):
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("satudata_infographic_template_create", context=dict(ANON), **DESIGN)

    def test_sysadmin_may(self, portal):
        made = portal.call("satudata_infographic_template_create", "sysadmin", **DESIGN)
        assert portal.call("satudata_infographic_template_approve", "sysadmin", id=made["id"])["approved"]


class TestInfographic:
    def test_template_choice_by_owning_opd_only(self, portal, templates, published):
        """The owner OPD's operator chooses (also once published); another OPD's user cannot."""
        pkg = make_infographic(portal, [published["name"]], image_bytes())
        for who in ("operator_lain", "warga", "walidata"):
            with pytest.raises(tk.NotAuthorized):
                portal.call("satudata_infographic_update", who, id=pkg["id"], template="cetak")
        portal.publish(pkg["id"])
        assert portal.call("satudata_infographic_update", "operator", id=pkg["id"], template="cetak")["template"]
        assert records.link_of(pkg["id"])["template_id"] == records.get_template("cetak")["id"]

    def test_show_follows_the_dataset(self, portal, templates, published):
        """The link and scan count of a draft are its owners' (and reviewers'); once published, everyone's."""
        pkg = make_infographic(portal, [published["name"]], image_bytes())
        for who in ("operator_lain", "warga"):
            with pytest.raises(tk.NotAuthorized):
                portal.call("satudata_infographic_show", who, id=pkg["id"])
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("satudata_infographic_show", context=dict(ANON), id=pkg["id"])
        for who in ("operator", "verifikator", "walidata"):
            assert portal.call("satudata_infographic_show", who, id=pkg["id"])["scans"] == 0
        portal.publish(pkg["id"])
        assert helpers.call_action("satudata_infographic_show", context=dict(ANON), id=pkg["id"])["code"]
