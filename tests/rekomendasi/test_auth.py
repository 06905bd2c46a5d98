"""Who may do what: the OPD's operator and verifikator apply, its members follow, another OPD and outsiders are
refused, the BPS pembina reviews what was submitted (not drafts), the geospatial pembina does not, the walidata
sees everything and decides nothing; in the register, the issuer and the walidata revoke."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from ckanext.satudatapasuruan.rekomendasi import config

from .conftest import PDF, REQUIRED, new_application, submitted, upload

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"), pytest.mark.usefixtures("clean_db", "storage")]


def _anonymous(action: str, **data):
    return helpers.call_action(action, context={"user": "", "ignore_auth": False}, **data)


def _refused(portal, who: str, action: str, **data) -> str:
    with pytest.raises(tk.NotAuthorized) as err:
        portal.call(action, who, **data)
    return str(err.value)


class TestApply:
    @pytest.mark.parametrize("who", ["anggota", "operator_lain", "walidata", "pembina", "warga"])
    def test_only_the_owning_opds_operators(self, portal, who):
        """A plain member, another OPD's operator, the walidata, the pembina and a citizen may not apply for the
        OPD's MS-Keg."""
        message = _refused(portal, who, "satudata_rekomendasi_create", package_id=portal.kegiatan["keg"]["id"])
        assert "Hanya operator atau verifikator OPD pemilik kegiatan" in message

    def test_anonymous(self, portal):
        with pytest.raises(tk.NotAuthorized):
            _anonymous("satudata_rekomendasi_create", package_id=portal.kegiatan["keg"]["id"])

    def test_outsider_learns_nothing_of_unknown_ids(self, portal):
        """A citizen giving an unknown MS-Keg is refused, not told that it does not exist."""
        _refused(portal, "warga", "satudata_rekomendasi_create", package_id="tidak-ada")

    @pytest.mark.parametrize("who", ["anggota", "operator_lain", "pembina", "walidata", "warga"])
    @pytest.mark.parametrize("action, extra", [
        ("satudata_rekomendasi_update", {"catatan": "x"}),
        ("satudata_rekomendasi_submit", {}),
    ])
    def test_only_the_opds_operators_edit_and_submit(self, portal, who, action, extra):
        app = new_application(portal, documents=REQUIRED)
        _refused(portal, who, action, id=app["id"], **extra)

    @pytest.mark.parametrize("who", ["anggota", "operator_lain", "pembina", "walidata", "warga"])
    def test_only_the_opds_operators_attach(self, portal, who):
        app = new_application(portal)
        _refused(portal, who, "satudata_rekomendasi_document_add", id=app["id"], kind="kak", upload=upload(PDF))


class TestSee:
    def test_draft(self, portal):
        """A draft is the OPD's (every member) and the walidata's; not the pembina's, another OPD's or a citizen's."""
        app = new_application(portal)
        for who in ("operator", "verifikator", "anggota", "walidata", "sysadmin"):
            assert portal.call("satudata_rekomendasi_show", who, id=app["id"])["id"] == app["id"]
        for who in ("pembina", "pembina_geo", "operator_lain", "warga"):
            assert "tidak berhak melihat" in _refused(portal, who, "satudata_rekomendasi_show", id=app["id"])
        with pytest.raises(tk.NotAuthorized):
            _anonymous("satudata_rekomendasi_show", id=app["id"])
        assert portal.call("satudata_rekomendasi_show", "anggota", id=app["id"])["actions"] == []

    def test_submitted(self, portal):
        """Once submitted the BPS pembina sees it with its review steps and the MS-Keg summary, although the MS-Keg
        draft itself stays closed to them; the geospatial pembina does not see it."""
        app = submitted(portal)
        seen = portal.call("satudata_rekomendasi_show", "pembina", id=app["id"])
        assert seen["actions"] == ["request_revision", "issue", "refuse", "record_external"]
        assert seen["kegiatan"]["title"] == "Survei Penduduk Desa 2026" and seen["kegiatan"]["url"] is None
        assert seen["kegiatan"]["tujuan"] == "Menyediakan data penduduk per desa."
        _refused(portal, "pembina_geo", "satudata_rekomendasi_show", id=app["id"])
        _refused(portal, "operator_lain", "satudata_rekomendasi_show", id=app["id"])
        assert portal.call("satudata_rekomendasi_show", "walidata", id=app["id"])["actions"] == []

    @pytest.mark.ckan_config(config.PEMBINA_ORG, "")
    def test_any_pembina_when_no_pembina_org(self, portal):
        app = submitted(portal)
        assert "issue" in portal.call("satudata_rekomendasi_show", "pembina_geo", id=app["id"])["actions"]

    def test_unknown(self, portal):
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_rekomendasi_show", "walidata", id="tidak-ada")

    def test_lists(self, portal):
        """Each sees the applications they may: the OPD its own, the pembina the submitted ones, the walidata all."""
        mine = submitted(portal)
        draft = new_application(portal, keg="keg2")
        theirs = new_application(portal, "operator_lain", keg="lain")

        def ids(who):
            return {a["id"] for a in portal.call("satudata_rekomendasi_list", who)["results"]}
        assert ids("operator") == ids("anggota") == {mine["id"], draft["id"]}
        assert ids("operator_lain") == {theirs["id"]}
        assert ids("pembina") == {mine["id"]}
        assert ids("walidata") == ids("sysadmin") == {mine["id"], draft["id"], theirs["id"]}
        assert "hanya untuk anggota OPD" in _refused(portal, "warga", "satudata_rekomendasi_list")
        assert ids("pembina_geo") == set()  # a member of its own organisation, which has none
        with pytest.raises(tk.NotAuthorized):
            _anonymous("satudata_rekomendasi_list")


class TestReview:
    @pytest.mark.parametrize("who", ["operator", "verifikator", "walidata", "pembina_geo", "operator_lain", "warga"])
    @pytest.mark.parametrize("action, extra", [
        ("satudata_rekomendasi_request_revision", {"note": "Perbaiki"}),
        ("satudata_rekomendasi_issue", {}),
        ("satudata_rekomendasi_refuse", {"reason": "Tidak"}),
        ("satudata_rekomendasi_record_external", {"outcome": "diproses"}),
    ])
    def test_only_the_bps_pembina(self, portal, who, action, extra):
        app = submitted(portal)
        _refused(portal, who, action, id=app["id"], **extra)

    def test_sysadmin_may(self, portal):
        app = submitted(portal)
        done = portal.call("satudata_rekomendasi_issue", "sysadmin", id=app["id"])
        assert done["document"]["issuer_organization"] == "bps-kabupaten-pasuruan"

    def test_kpi_is_public(self, portal):
        assert _anonymous("satudata_rekomendasi_kpi")["applications"] == 0


class TestRegister:
    def _issued(self, portal, **extra):
        return portal.call("satudata_document_issue", "pembina", data=PDF, title="Surat", kind="surat_uji",
                           issuer="BPS Kabupaten Pasuruan", issuer_organization="bps-kabupaten-pasuruan",
                           recipient_organization="dispendukcapil", **extra)

    @pytest.mark.parametrize("who", ["warga", "anggota"])
    def test_issue_refused(self, portal, who):
        message = _refused(portal, who, "satudata_document_issue", data=PDF, title="Surat", kind="surat_uji",
                           issuer="Saya")
        assert "yang dapat mendaftarkan dokumen" in message

    def test_issue_by_an_organisations_operator(self, portal):
        """An OPD's operator registers documents in its own OPD's name, not another's."""
        done = portal.call("satudata_document_issue", "operator", data=PDF, title="Surat", kind="surat_uji",
                           issuer="Dispendukcapil", issuer_organization="dispendukcapil")
        assert done["issuer_organization"] == "dispendukcapil"
        _refused(portal, "operator", "satudata_document_issue", data=PDF, title="Surat", kind="surat_uji",
                 issuer="Dinkes", issuer_organization="dinas-kesehatan")

    def test_issue_anonymous(self, portal):
        with pytest.raises(tk.NotAuthorized):
            _anonymous("satudata_document_issue", data=PDF, title="Surat", kind="surat_uji", issuer="X")

    @pytest.mark.parametrize("who", ["operator", "operator_lain", "pembina_geo", "warga"])
    def test_revoke_refused(self, portal, who):
        """The recipient, other OPDs, another pembina and citizens may not revoke."""
        code = self._issued(portal)["code"]
        message = _refused(portal, who, "satudata_document_revoke", code=code, reason="Salah")
        assert message.endswith("Hanya penerbit dokumen dan walidata yang dapat mencabut dokumen ini")

    @pytest.mark.parametrize("who", ["pembina", "walidata", "sysadmin"])
    def test_revoke_allowed(self, portal, who):
        code = self._issued(portal)["code"]
        assert portal.call("satudata_document_revoke", who, code=code, reason="Salah nomor")["status"] == "dicabut"

    def test_show_and_verify_are_public(self, portal):
        """Anyone reads a document by its code and checks a file; the audit trail is for its issuer and the
        walidata."""
        code = self._issued(portal)["code"]
        shown = _anonymous("satudata_document_show", code=code)
        assert shown["issuer"] == "BPS Kabupaten Pasuruan" and "events" not in shown and "issued_by" not in shown
        assert "events" not in portal.call("satudata_document_show", "operator", code=code)
        assert portal.call("satudata_document_show", "walidata", code=code)["issued_by"] == "pembina"
        assert _anonymous("satudata_document_verify", code=code, data=PDF)["result"] == "asli"

    def test_lists(self, portal):
        """The walidata lists every document, the issuer's and recipient's members theirs, others none."""
        code = self._issued(portal)["code"]
        portal.call("satudata_document_issue", "walidata", data=PDF, title="Lain", kind="surat_uji",
                    issuer="Diskominfo")

        def codes(who):
            return [d["code"] for d in portal.call("satudata_document_list", who)["results"]]
        assert len(codes("walidata")) == 2
        assert codes("pembina") == codes("operator") == codes("anggota") == [code]
        assert codes("operator_lain") == codes("warga") == []
        with pytest.raises(tk.NotAuthorized):
            _anonymous("satudata_document_list")
