"""Terbatas data: the request-access flow (request → OPD decides → recorded, expiring, revocable)."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers
from freezegun import freeze_time

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore")]

PURPOSE = "Penelitian tugas akhir tentang kepadatan penduduk"


@pytest.fixture
def terbatas(portal, create_with_upload):
    """A published terbatas dataset with an uploaded table in the DataStore."""
    ds = portal.dataset("terbatas")
    res = create_with_upload("jumlah\n7\n", "tabel.csv", package_id=ds["id"], url="tabel.csv",
                             context=portal.ctx("operator"))
    helpers.call_action("datastore_create", context={"user": "sysadmin"}, force=True, resource_id=res["id"],
                        fields=[{"id": "jumlah", "type": "int"}], records=[{"jumlah": 7}])
    portal.publish(ds["id"])
    return {"id": ds["id"], "resource": res["id"]}


def _reads(portal, who, resource_id) -> bool:
    try:
        portal.call("datastore_search", who, resource_id=resource_id)
    except tk.NotAuthorized:
        return False
    return True


class TestFlow:
    def test_request_approve_revoke(self, portal, terbatas):
        """A citizen reads the rows only between the OPD's approval and its revocation."""
        assert not _reads(portal, "warga", terbatas["resource"])
        request = portal.call("satudata_access_request_create", "warga", id=terbatas["id"], purpose=PURPOSE)
        assert request["state"] == "diajukan" and request["user"] == "warga"
        assert not _reads(portal, "warga", terbatas["resource"])
        until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        decided = portal.call("satudata_access_request_decide", "verifikator", id=request["id"],
                              decision="setujui", expires=until)
        assert decided["state"] == "disetujui" and decided["expires"] == until
        assert _reads(portal, "warga", terbatas["resource"])
        assert not _reads(portal, "operator_lain", terbatas["resource"])
        portal.call("satudata_access_request_revoke", "verifikator", id=request["id"], note="Masa penelitian selesai")
        assert not _reads(portal, "warga", terbatas["resource"])
        actions = [e["action"] for e in portal.call("satudata_workflow_history", "walidata", id=terbatas["id"])]
        assert actions[-3:] == ["access_request", "access_grant", "access_revoke"]

    def test_grant_expires(self, portal, terbatas):
        """Access ends after its last day, without anyone acting."""
        request = portal.call("satudata_access_request_create", "warga", id=terbatas["id"], purpose=PURPOSE)
        last_day = dt.date.today() + dt.timedelta(days=2)
        portal.call("satudata_access_request_decide", "verifikator", id=request["id"], decision="setujui",
                    expires=last_day.isoformat())
        with freeze_time(last_day.isoformat() + " 23:00:00"):
            assert _reads(portal, "warga", terbatas["resource"])
        with freeze_time((last_day + dt.timedelta(days=1)).isoformat()):
            assert not _reads(portal, "warga", terbatas["resource"])

    def test_default_expiry_is_a_year(self, portal, terbatas):
        request = portal.call("satudata_access_request_create", "warga", id=terbatas["id"], purpose=PURPOSE)
        decided = portal.call("satudata_access_request_decide", "verifikator", id=request["id"], decision="setujui")
        assert decided["expires"] == (dt.date.today() + dt.timedelta(days=365)).isoformat()

    def test_denied_with_reason(self, portal, terbatas):
        request = portal.call("satudata_access_request_create", "warga", id=terbatas["id"], purpose=PURPOSE)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_access_request_decide", "verifikator", id=request["id"], decision="tolak")
        assert "alasan penolakan" in err.value.error_dict["note"][0]
        denied = portal.call("satudata_access_request_decide", "verifikator", id=request["id"], decision="tolak",
                             note="Data memuat identitas perorangan")
        assert denied["state"] == "ditolak" and not _reads(portal, "warga", terbatas["resource"])
        # a new request may follow a refusal
        assert portal.call("satudata_access_request_create", "warga", id=terbatas["id"],
                           purpose=PURPOSE + " (revisi)")["state"] == "diajukan"

    def test_lists(self, portal, terbatas):
        """The requester lists their own requests, the verifier those waiting for them; outsiders nothing."""
        request = portal.call("satudata_access_request_create", "warga", id=terbatas["id"], purpose=PURPOSE)
        assert [r["id"] for r in portal.call("satudata_access_request_list", "warga")] == [request["id"]]
        assert [r["id"] for r in portal.call("satudata_access_request_list", "verifikator")] == [request["id"]]
        assert portal.call("satudata_access_request_list", "operator_lain") == []
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_access_request_list", "operator_lain", id=terbatas["id"])
        assert len(portal.call("satudata_access_request_list", "walidata", id=terbatas["id"])) == 1


class TestRefusals:
    def test_short_purpose(self, portal, terbatas):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_access_request_create", "warga", id=terbatas["id"], purpose="untuk riset")
        assert "paling sedikit 20 karakter" in err.value.error_dict["purpose"][0]

    def test_only_published_terbatas(self, portal):
        """No requests for open data (already public) or for data not yet published."""
        open_ds = portal.dataset("terbuka")
        portal.publish(open_ds["id"])
        draft = portal.dataset("terbatas", name="draf-terbatas")
        for dataset_id in (open_ds["id"],):
            with pytest.raises(tk.ValidationError) as err:
                portal.call("satudata_access_request_create", "warga", id=dataset_id, purpose=PURPOSE)
            assert "terbatas yang sudah terbit" in err.value.error_dict["id"][0]
        with pytest.raises(tk.NotAuthorized):  # a draft is not even visible to the citizen
            portal.call("satudata_access_request_create", "warga", id=draft["id"], purpose=PURPOSE)

    def test_duplicate_and_owner_requests(self, portal, terbatas):
        portal.call("satudata_access_request_create", "warga", id=terbatas["id"], purpose=PURPOSE)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_access_request_create", "warga", id=terbatas["id"], purpose=PURPOSE)
        assert "menunggu keputusan" in err.value.error_dict["id"][0]
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_access_request_create", "operator", id=terbatas["id"], purpose=PURPOSE)
        assert "sudah memiliki akses" in err.value.error_dict["id"][0]

    def test_anonymous_cannot_request(self, portal, terbatas):
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("satudata_access_request_create", context={"user": "", "ignore_auth": False},
                                id=terbatas["id"], purpose=PURPOSE)

    @pytest.mark.parametrize("who", ["operator", "walidata", "pembina", "operator_lain", "warga"])
    def test_only_the_opd_verifier_decides(self, portal, terbatas, who):
        request = portal.call("satudata_access_request_create", "penerima", id=terbatas["id"], purpose=PURPOSE)
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_access_request_decide", who, id=request["id"], decision="setujui")
        assert portal.call("satudata_access_request_list", "penerima")[0]["state"] == "diajukan"

    @pytest.mark.parametrize("expires, message", [
        ("2020-01-01", "setelah hari ini"), ("besok", "TTTT-BB-HH"), ("2099-01-01", "lima tahun")])
    def test_bad_expiry(self, portal, terbatas, expires, message):
        request = portal.call("satudata_access_request_create", "warga", id=terbatas["id"], purpose=PURPOSE)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_access_request_decide", "verifikator", id=request["id"], decision="setujui",
                        expires=expires)
        assert message in err.value.error_dict["expires"][0]
        assert not _reads(portal, "warga", terbatas["resource"])

    def test_decided_twice_and_bad_revocations(self, portal, terbatas):
        request = portal.call("satudata_access_request_create", "warga", id=terbatas["id"], purpose=PURPOSE)
        with pytest.raises(tk.ValidationError):
            portal.call("satudata_access_request_revoke", "verifikator", id=request["id"], note="x")
        portal.call("satudata_access_request_decide", "verifikator", id=request["id"], decision="setujui")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_access_request_decide", "verifikator", id=request["id"], decision="tolak", note="x")
        assert "sudah diputuskan" in err.value.error_dict["id"][0]
        with pytest.raises(tk.ValidationError):
            portal.call("satudata_access_request_revoke", "verifikator", id=request["id"], note=" ")
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_access_request_decide", "verifikator", id="tidak-ada", decision="setujui")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_access_request_decide", "verifikator", id=request["id"], decision="mungkin")
        assert "setujui" in err.value.error_dict["decision"][0]


class TestHostedOnly:
    def test_terbatas_data_must_be_uploaded(self, portal):
        """A link cannot be restricted, so a terbatas dataset refuses one; an open dataset keeps it."""
        with pytest.raises(tk.ValidationError) as err:
            portal.dataset("terbatas", resources=[{"url": "https://opd.example/data.csv", "name": "Tautan"}])
        assert "tautan luar tidak diizinkan: Tautan" in err.value.error_dict["resources"][0]
        ds = portal.dataset("terbuka", resources=[{"url": "https://opd.example/data.csv", "name": "Tautan"}])
        with pytest.raises(tk.ValidationError):
            portal.call("package_patch", "operator", id=ds["id"], klasifikasi_akses="terbatas")
        assert portal.call("package_show", "operator", id=ds["id"])["klasifikasi_akses"] == "terbuka"

    def test_federated_copy_may_point_at_its_origins_resource_page(self, portal):
        """A terbatas dataset harvested from another portal links to the origin's resource page, where access is
        granted: that page holds no data and is allowed; a file on the same host is still refused."""
        page = "https://satudata.jatimprov.test/dataset/aki/resource/3f2b1c9e-8d7a-4e6f-9b0c-1a2b3c4d5e6f"
        ds = portal.dataset("terbatas", resources=[{"url": page, "name": "Halaman sumber daya asal"}])
        assert ds["resources"][0]["url"] == page
        with pytest.raises(tk.ValidationError):
            portal.dataset("terbatas", name="salinan-berkas", resources=[
                {"url": page + "/download/aki.csv", "name": "Berkas"}])
