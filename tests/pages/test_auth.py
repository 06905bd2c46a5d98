"""Who may manage the pages: the walidata (the workflow's rule: a member of the walidata organisation) and
sysadmins; nobody else, whether through the actions, the API or the auth functions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import helpers

from .conftest import PDF, headers, make_page, upload

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"), pytest.mark.usefixtures("clean_db", "storage")]

MANAGE = ("satudata_page_create", "satudata_page_update", "satudata_page_delete",
          "satudata_page_attachment_create", "satudata_page_attachment_delete")
OTHERS = ("warga", "operator", "verifikator", "pembina")


def _auth(name: str, user: str | None) -> bool:
    context = {"user": user or "", "model": model}
    try:
        helpers.call_auth(name, context)
    except tk.NotAuthorized:
        return False
    return True


@pytest.mark.parametrize("name", MANAGE)
def test_only_walidata_and_sysadmin_manage(portal, name):
    """Anonymous visitors, citizens, OPD editors and admins and the pembina may not manage pages."""
    assert _auth(name, "walidata") and _auth(name, "sysadmin")
    for who in (None, *OTHERS):
        assert not _auth(name, who), who


@pytest.mark.parametrize("name", ("satudata_page_show", "satudata_page_list"))
def test_everyone_reads(portal, name):
    for who in (None, "warga", "walidata"):
        assert _auth(name, who)


def test_refused_actions_change_nothing(portal, storage):
    page = make_page(portal)
    made = portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="PDF",
                       upload=upload(PDF, "a.pdf"))
    for who in OTHERS:
        with pytest.raises(tk.NotAuthorized) as err:
            portal.call("satudata_page_update", who, id=page["id"], title="Diretas")
        assert "Hanya walidata yang dapat mengelola halaman portal" in str(err.value)
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_page_create", who, slug="baru", title="Baru", section="tentang")
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_page_attachment_create", who, page_id=page["id"], title="X",
                        upload=upload(PDF, "x.pdf"))
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_page_attachment_delete", who, id=made["id"])
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_page_delete", who, id=page["id"])
    found = portal.call("satudata_page_show", "walidata", id=page["id"])
    assert found["title"] == "Panduan unggah" and len(found["attachments"]) == 1
    assert [p["slug"] for p in portal.call("satudata_page_list", "walidata", include_unpublished=True)] == \
        ["panduan-unggah"]


def test_api(app, portal):
    """Through the action API: anonymous reads published pages, the operator is refused, the walidata writes."""
    make_page(portal)
    response = app.get("/api/3/action/satudata_page_show?id=panduan-unggah")
    assert response.json["result"]["title"] == "Panduan unggah"
    response = app.post("/api/3/action/satudata_page_create", headers=headers(portal, "operator"),
                        json={"slug": "api", "title": "API", "section": "panduan"}, status=403)
    response = app.post("/api/3/action/satudata_page_create", headers=headers(portal, "walidata"),
                        json={"slug": "api", "title": "API", "section": "panduan", "published": True})
    assert response.json["result"]["slug"] == "api"
    response = app.post("/api/3/action/satudata_page_create", headers=headers(portal, "walidata"),
                        json={"slug": "api", "title": "", "section": "x"}, status=409)
    assert response.json["error"]["title"] == ["Judul wajib diisi"]


def test_walidata_role_follows_membership(portal):
    """The rule is the workflow's: leaving the walidata organisation ends the right to manage pages."""
    member = helpers.call_action("user_create", name="walidata_baru", email="wb@pasuruankab.test",
                                 password="rahasia-panjang-123")
    helpers.call_action("organization_member_create", id="walidata", username="walidata_baru", role="member")
    assert _auth("satudata_page_create", "walidata_baru")
    helpers.call_action("organization_member_delete", context={"user": "sysadmin"}, id="walidata",
                        username=member["name"])
    assert not _auth("satudata_page_create", "walidata_baru")


@pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.walidata_org", "diskominfo")
def test_walidata_organisation_from_workflow_config(portal):
    """Another walidata organisation configured for the workflow: the old members lose the right."""
    assert not _auth("satudata_page_create", "walidata") and _auth("satudata_page_create", "sysadmin")
