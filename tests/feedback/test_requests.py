"""Data requests (permintaan data): tracking numbers, contacts kept private, routing to an OPD, statuses with
their required fields, who may set what, search and counts, and the requester's mail."""
from __future__ import annotations

import re

import pytest
from ckan.tests import helpers

from ckanext.satudatapasuruan.feedback import config

from .conftest import PLUGINS, REQUEST, make_request

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins")]
FULL = pytest.mark.usefixtures("clean_db", "clean_index")

ANON = {"user": "", "ignore_auth": False}


def _anon(action, **data):
    return helpers.call_action(action, context=dict(ANON), **data)


def _errors(excinfo) -> dict:
    return excinfo.value.error_dict


@pytest.mark.usefixtures("light_db")
class TestCreate:
    @pytest.mark.usefixtures("clean_db")
    def test_number_and_no_contact(self):
        """An anonymous request gets a unique PD-<year>-<6 digits> number; nobody anonymous sees the contact."""
        first, second = make_request(), make_request(data="Data curah hujan harian")
        assert re.fullmatch(r"PD-\d{4}-\d{6}", first["nomor"]) and first["nomor"] != second["nomor"]
        assert first["status"] == "diterima" and "kontak" not in first
        shown = _anon("satudata_data_request_show", nomor=first["nomor"].lower())
        assert shown["data"] == REQUEST["data"] and [h["status"] for h in shown["history"]] == ["diterima"]
        text = str(shown) + str(_anon("satudata_data_request_list"))
        assert "siti@warga.test" not in text and "Siti Aminah" not in text and "3456" not in text

    def test_blank_data_refused(self):
        """What-field of blanks only: an Indonesian 'required' message, nothing stored."""
        with pytest.raises(helpers.logic.ValidationError) as err:
            make_request(data="   ")
        assert _errors(err)["data"] == ["Wajib diisi"]

    def test_bad_email_refused(self):
        with pytest.raises(helpers.logic.ValidationError) as err:
            make_request(email="siti-at-warga")
        assert "e-mail tidak sah" in _errors(err)["email"][0]

    def test_missing_email_refused(self):
        with pytest.raises(helpers.logic.ValidationError) as err:
            make_request(email="")
        assert _errors(err)["email"] == ["Wajib diisi"]

    def test_bad_phone_refused(self):
        with pytest.raises(helpers.logic.ValidationError) as err:
            make_request(telepon="telepon saya")
        assert "telepon tidak sah" in _errors(err)["telepon"][0]

    def test_honeypot_refused(self):
        with pytest.raises(helpers.logic.ValidationError) as err:
            make_request(situs_web="http://spam.example")
        assert "spam" in _errors(err)["situs_web"][0]

    def test_unknown_suggested_opd_refused(self):
        with pytest.raises(helpers.logic.ValidationError) as err:
            make_request(organization="dinas-tidak-ada")
        assert _errors(err)["organization"] == ["OPD tidak ditemukan"]

    @pytest.mark.usefixtures("clean_db")
    @pytest.mark.ckan_config(config.REQUEST_LIMIT, 2)
    def test_rate_limit(self):
        """The third request of the hour from one client is refused with a clear message."""
        make_request()
        make_request()
        with pytest.raises(helpers.logic.ValidationError) as err:
            make_request()
        assert "Terlalu banyak permintaan" in _errors(err)["batas"][0]

    def test_unknown_number(self):
        with pytest.raises(helpers.logic.NotFound):
            _anon("satudata_data_request_show", nomor="PD-2026-999999")


@FULL
class TestUpdate:
    def test_route_process_and_close(self, portal, published):
        """Walidata routes to the OPD, the OPD processes and closes with a public dataset; contacts are seen by
        the walidata and the routed OPD only; the history keeps each step."""
        req = make_request(organization=portal.other_opd["name"])
        assert req["usulan_organization"]["name"] == "dinas-kesehatan"
        routed = portal.call("satudata_data_request_update", "walidata", nomor=req["nomor"], status="diteruskan",
                             organization=portal.opd["name"], note="Data kependudukan ada di Dispendukcapil")
        assert routed["organization"]["name"] == "dispendukcapil" and routed["kontak"]["email"] == REQUEST["email"]
        assert portal.call("satudata_data_request_show", "operator", nomor=req["nomor"])["kontak"]
        for outsider in ("operator_lain", "warga"):
            assert "kontak" not in portal.call("satudata_data_request_show", outsider, nomor=req["nomor"])
        portal.call("satudata_data_request_update", "operator", nomor=req["nomor"], status="diproses")
        done = portal.call("satudata_data_request_update", "verifikator", nomor=req["nomor"], status="tersedia",
                           package_id=published["name"])
        assert done["package"]["name"] == published["name"]
        assert [h["status"] for h in done["history"]] == ["diterima", "diteruskan", "diproses", "tersedia"]
        assert done["history"][1]["note"] == "Data kependudukan ada di Dispendukcapil"

    def test_other_opd_refused(self, portal):
        """A member of another OPD cannot act on a request routed elsewhere."""
        req = make_request()
        portal.call("satudata_data_request_update", "walidata", nomor=req["nomor"], status="diteruskan",
                    organization=portal.opd["id"])
        with pytest.raises(helpers.logic.NotAuthorized):
            portal.call("satudata_data_request_update", "operator_lain", nomor=req["nomor"], status="diproses")

    def test_opd_cannot_reject_or_route(self, portal):
        req = make_request()
        portal.call("satudata_data_request_update", "walidata", nomor=req["nomor"], status="diteruskan",
                    organization=portal.opd["id"])
        with pytest.raises(helpers.logic.NotAuthorized, match="diproses atau tersedia"):
            portal.call("satudata_data_request_update", "operator", nomor=req["nomor"], status="ditolak",
                        alasan="Tidak ada")

    def test_anonymous_cannot_update(self, portal):
        req = make_request()
        with pytest.raises(helpers.logic.NotAuthorized):
            _anon("satudata_data_request_update", nomor=req["nomor"], status="diproses")

    def test_tersedia_needs_dataset(self, portal):
        req = make_request()
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_data_request_update", "walidata", nomor=req["nomor"], status="tersedia")
        assert _errors(err)["package_id"] == ["Pilih dataset yang memenuhi permintaan"]

    def test_tersedia_needs_public_dataset(self, portal, secret):
        """A rahasia dataset (or an unknown one) cannot answer a public request."""
        req = make_request()
        for package in (secret["name"], "tidak-ada"):
            with pytest.raises(helpers.logic.ValidationError) as err:
                portal.call("satudata_data_request_update", "walidata", nomor=req["nomor"], status="tersedia",
                            package_id=package)
            assert "belum terbuka untuk publik" in _errors(err)["package_id"][0]

    def test_ditolak_needs_reason(self, portal):
        req = make_request()
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_data_request_update", "walidata", nomor=req["nomor"], status="ditolak")
        assert _errors(err)["alasan"] == ["Alasan penolakan wajib diisi"]
        done = portal.call("satudata_data_request_update", "walidata", nomor=req["nomor"], status="ditolak",
                           alasan="Data dikecualikan (UU KIP)")
        assert _anon("satudata_data_request_show", nomor=req["nomor"])["alasan"] == "Data dikecualikan (UU KIP)"
        # closed: no further change
        with pytest.raises(helpers.logic.ValidationError, match="sudah selesai"):
            portal.call("satudata_data_request_update", "walidata", nomor=done["nomor"], status="diproses")

    def test_diteruskan_needs_opd_and_status_known(self, portal):
        req = make_request()
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_data_request_update", "walidata", nomor=req["nomor"], status="diteruskan")
        assert _errors(err)["organization"] == ["Pilih OPD tujuan penerusan"]
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_data_request_update", "walidata", nomor=req["nomor"], status="selesai")
        assert "Status tidak dikenal" in _errors(err)["status"][0]

    def test_unknown_request(self, portal):
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_data_request_update", "walidata", nomor="PD-1999-000001", status="diproses")


@FULL
class TestListAndStats:
    def test_search_filter_page_and_counts(self, portal):
        """Text search, status and OPD filters, pages; counts per status and per OPD without side effects."""
        reqs = [make_request(data=f"Data nomor {i} tentang irigasi" if i % 2 else f"Data sekolah {i}")
                for i in range(5)]
        portal.call("satudata_data_request_update", "walidata", nomor=reqs[0]["nomor"], status="diteruskan",
                    organization=portal.opd["name"])
        assert _anon("satudata_data_request_list", q="irigasi")["count"] == 2
        assert [r["nomor"] for r in _anon("satudata_data_request_list", status="diteruskan")["results"]] == [
            reqs[0]["nomor"]]
        assert _anon("satudata_data_request_list", organization="dispendukcapil")["count"] == 1
        page2 = _anon("satudata_data_request_list", limit=2, page=3)
        assert page2["count"] == 5 and len(page2["results"]) == 1
        stats = _anon("satudata_data_request_stats")
        assert stats["total"] == 5 and stats["per_status"] == {"diterima": 4, "diteruskan": 1, "diproses": 0,
                                                               "tersedia": 0, "ditolak": 0}
        assert stats["per_organization"][0]["organization"]["name"] == "dispendukcapil"
        assert stats["per_organization"][-1]["organization"] is None

    def test_bad_filters_refused(self, portal):
        for bad in ({"status": "selesai"}, {"organization": "tidak-ada"}, {"page": "dua"}, {"limit": 0}):
            with pytest.raises(helpers.logic.ValidationError):
                _anon("satudata_data_request_list", **bad)


@FULL
class TestMail:
    @pytest.mark.ckan_config("ckanext.satudatapasuruan.feedback.notify_email", True)
    def test_acknowledgement_and_status_mail(self, portal, inbox):
        """The requester gets the tracking number at once and a mail on each status change (with the reason)."""
        req = make_request()
        mails = inbox.wait("siti@warga.test")
        assert req["nomor"] in mails[0][0] and f"/permintaan-data/{req['nomor']}" in mails[0][1]
        portal.call("satudata_data_request_update", "walidata", nomor=req["nomor"], status="ditolak",
                    alasan="Data belum pernah dikumpulkan")
        mails = inbox.wait("siti@warga.test", 2)
        assert "Ditolak" in mails[1][0] and "Data belum pernah dikumpulkan" in mails[1][1]

    @pytest.mark.ckan_config("ckanext.satudatapasuruan.feedback.notify_email", True)
    def test_mail_server_down_keeps_request(self, monkeypatch):
        import socket

        import ckan.plugins.toolkit as tk
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
        assert make_request()["status"] == "diterima"
