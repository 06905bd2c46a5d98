"""The board /kualitas-metadata and a ticket's page for each role: the OPD its own tickets, the walidata
all (with the OPD filter), another OPD none of them, anonymous to the login page."""
from __future__ import annotations

import pytest

from .conftest import PLUGINS, ticket_of

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _as(portal, who):
    return {"Authorization": portal.users[who]["token"]}


def test_board_for_each_role(app, portal):
    """Three labelled columns with the OPD's card (dataset, rule, severity, message, age) for its operator
    and the walidata; nothing of it for the other OPD; the filter form is labelled; anonymous logs in."""
    ds = portal.dataset("rahasia", name="rahasia-a", title="Data Rahasia Dinas", konsep="")
    mine = app.get("/kualitas-metadata", headers=_as(portal, "operator")).get_data(as_text=True)
    for text in ("<h1>Kualitas metadata</h1>", ">Terbuka <", ">Dikerjakan <", ">Selesai <", "Data Rahasia Dinas",
                 "MQ-001", "Kritis", "umur 0 hari", 'for="filter-organization"', 'for="filter-severity"',
                 'name="_csrf_token"', "Tandai dikerjakan", "Tiket selesai dalam 7 hari",
                 "Belum ada tiket yang dapat dinilai."):
        assert text in mine, text
    other = app.get("/kualitas-metadata", headers=_as(portal, "operator_lain")).get_data(as_text=True)
    assert "Data Rahasia Dinas" not in other and "0 tiket" in other
    walidata = app.get("/kualitas-metadata?organization=dispendukcapil&severity=kritis",
                       headers=_as(portal, "walidata")).get_data(as_text=True)
    assert "Data Rahasia Dinas" in walidata and "Dinas Kependudukan dan Pencatatan Sipil" in walidata
    filtered = app.get("/kualitas-metadata?severity=sedang", headers=_as(portal, "walidata")).get_data(as_text=True)
    assert "Data Rahasia Dinas" not in filtered
    bad = app.get("/kualitas-metadata?severity=%3Cx%3E", headers=_as(portal, "walidata")).get_data(as_text=True)
    assert "Nilai penyaring tidak dikenal" in bad and "Data Rahasia Dinas" in bad
    anonymous = app.get("/kualitas-metadata", follow_redirects=False)
    assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"]
    citizen = app.get("/kualitas-metadata", headers=_as(portal, "warga"), status=403).get_data(as_text=True)
    assert "hanya untuk anggota OPD" in citizen
    ticket = ticket_of(portal, ds["id"], "MQ-001")
    app.get(f"/kualitas-metadata/tiket/{ticket['id']}", headers=_as(portal, "operator_lain"), status=403)
    app.get("/kualitas-metadata/tiket/tidak-ada", headers=_as(portal, "walidata"), status=404)


def test_ticket_page_mark_and_comment(app, portal):
    """The operator marks the ticket dikerjakan and comments through the page's forms; an empty comment is
    refused with the message."""
    ds = portal.dataset(konsep="")
    ticket = ticket_of(portal, ds["id"], "MQ-001")
    url = f"/kualitas-metadata/tiket/{ticket['id']}"
    page = app.get(url, headers=_as(portal, "operator")).get_data(as_text=True)
    assert "Riwayat status" in page and 'for="comment"' in page and "Cara memperbaiki:" in page
    app.post(url, headers=_as(portal, "operator"), data={"status": "dikerjakan"})
    app.post(url, headers=_as(portal, "operator"), data={"comment": "Sudah kami lengkapi"})
    page = app.post(url, headers=_as(portal, "operator"), data={"comment": " "},
                    follow_redirects=True).get_data(as_text=True)
    assert "Komentar tidak boleh kosong" in page and "Sudah kami lengkapi" in page
    assert ticket_of(portal, ds["id"], "MQ-001")["status"] == "dikerjakan"
