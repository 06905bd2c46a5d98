"""Entries per role, the priority-list versions and their diff, the register of OPD applications."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from .conftest import entry_data, make_entry

pytestmark = pytest.mark.usefixtures("clean_db")


class TestEntryCreate:
    def test_opd_member_and_walidata_write(self, portal):
        """The OPD's operator writes its own entry (sektor name and frekuensi name accepted as codes); the
        walidata writes any OPD's."""
        made = make_entry(portal, urusan="Administrasi Kependudukan dan Pencatatan Sipil", frekuensi="Tahunan")
        assert made["owner_org"] == portal.opd["id"] and made["urusan"] == "2.12" and made["frekuensi"] == "tahunan"
        assert made["organization"]["name"] == "dispendukcapil" and made["status"] == "dibutuhkan"
        assert made["priority"] is True and made["available"] is False and made["datasets"] == []
        other = make_entry(portal, "walidata", owner_org="dinas-kesehatan", urusan="1.02", priority=False)
        assert other["organization"]["title"] == "Dinas Kesehatan"

    @pytest.mark.parametrize("who", ["operator_lain", "pembina", "warga"])
    def test_outsiders_refused(self, portal, who):
        """Another OPD's operator, the pembina and a plain user may not write an OPD's entries."""
        with pytest.raises(tk.NotAuthorized):
            make_entry(portal, who)

    def test_anonymous_refused(self, portal):
        """Nobody writes without signing in."""
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("satudata_daftardata_entry_create", context={"user": "", "ignore_auth": False},
                                **entry_data())

    def test_bad_input_named_in_indonesian(self, portal):
        """Unknown OPD, sektor, frekuensi, status and a bad year are each named."""
        with pytest.raises(tk.ValidationError) as err:
            make_entry(portal, "walidata", owner_org="xyz", urusan="9.99", frekuensi="kadang", target_year="20x6",
                       status="selesai", name=" ")
        errors = err.value.error_dict
        assert errors["owner_org"] == ["Kode OPD 'xyz' tidak dikenal"]
        assert errors["urusan"] == ["Kode sektor '9.99' tidak dikenal"]
        assert errors["frekuensi"] == ["Frekuensi 'kadang' tidak dikenal"]
        assert "Tahun target '20x6' tidak sah" in errors["target_year"][0]
        assert "Status 'selesai' tidak dikenal" in errors["status"][0]
        assert errors["name"] == ["Nama data wajib diisi"]

    def test_link_unknown_dataset_refused(self, portal):
        """A dataset that does not exist cannot be linked."""
        with pytest.raises(tk.ValidationError) as err:
            make_entry(portal, package_ids="tidak-ada")
        assert err.value.error_dict["package_ids"] == ["Dataset 'tidak-ada' tidak ditemukan"]


class TestEntryUpdateDelete:
    def test_roles(self, portal):
        """Another OPD's operator may not change or delete the entry, nor may the owner move it to another OPD;
        the walidata may; deleting removes it."""
        made = make_entry(portal)
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_daftardata_entry_update", "operator_lain", id=made["id"], status="tersedia")
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_daftardata_entry_update", "operator", id=made["id"], owner_org="dinas-kesehatan")
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_daftardata_entry_delete", "operator_lain", id=made["id"])
        changed = portal.call("satudata_daftardata_entry_update", "verifikator", id=made["id"],
                              status="dalam_produksi", target_year=2027)
        assert changed["status"] == "dalam_produksi" and changed["target_year"] == 2027
        assert changed["name"] == made["name"]
        moved = portal.call("satudata_daftardata_entry_update", "walidata", id=made["id"],
                            owner_org="dinas-kesehatan")
        assert moved["owner_org"] == portal.other_opd["id"]
        portal.call("satudata_daftardata_entry_delete", "walidata", id=made["id"])
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_daftardata_entry_show", "warga", id=made["id"])

    def test_unknown_entry(self, portal):
        """An unknown id is not found, for update as for show."""
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_daftardata_entry_update", "walidata", id="tidak-ada", status="tersedia")


class TestEntryList:
    def test_filters(self, portal):
        """The list filters by OPD, sektor, priority and status; priority entries come first."""
        make_entry(portal, name="B data", priority=False)
        make_entry(portal, name="C data")
        make_entry(portal, "operator_lain", owner_org="dinas-kesehatan", name="A data", urusan="1.02",
                   status="tersedia", priority=False)
        every = portal.call("satudata_daftardata_entry_list", "warga")
        assert every["count"] == 3 and [e["name"] for e in every["results"]] == ["C data", "A data", "B data"]
        names = lambda **f: [e["name"] for e in portal.call("satudata_daftardata_entry_list", "warga", **f)["results"]]  # noqa: E731
        assert names(owner_org="dinas-kesehatan") == ["A data"]
        assert names(urusan="2.12") == ["C data", "B data"]
        assert names(priority="tidak") == ["A data", "B data"]
        assert names(priority=True) == ["C data"]
        assert names(status="tersedia") == ["A data"]
        assert names(q="b") == ["B data"]


class TestRahasia:
    def test_linked_rahasia_dataset_only_counted_for_outsiders(self, portal):
        """A rahasia dataset linked to an entry is named to its OPD and the walidata, and only counted for
        anonymous visitors and other users, in show, list and gap list."""
        dataset = portal.dataset("rahasia", name="data-rahasia-penduduk", title="Data Rahasia Penduduk")
        made = make_entry(portal, status="tersedia", package_ids=dataset["name"])
        assert made["datasets"][0]["title"] == "Data Rahasia Penduduk" and made["available"] is True
        for who in ("walidata", "verifikator"):
            seen = portal.call("satudata_daftardata_entry_show", who, id=made["id"])
            assert seen["package_ids"] == [dataset["id"]]
        anonymous = helpers.call_action("satudata_daftardata_entry_show",
                                        context={"user": "", "ignore_auth": False}, id=made["id"])
        for shown in (anonymous, portal.call("satudata_daftardata_entry_show", "operator_lain", id=made["id"]),
                      portal.call("satudata_daftardata_entry_list", "warga")["results"][0]):
            assert shown["datasets"] == [] and shown["package_ids"] == []
            assert shown["datasets_count"] == 1 and shown["datasets_hidden"] == 1
            assert "Rahasia" not in str(shown) and dataset["id"] not in str(shown)

    def test_outsider_cannot_link_what_they_cannot_see(self, portal):
        """Another OPD's operator cannot link the rahasia dataset (it does not exist for them); an update by
        someone who cannot see it keeps the link."""
        dataset = portal.dataset("rahasia", name="data-rahasia-penduduk")
        with pytest.raises(tk.ValidationError):
            make_entry(portal, "operator_lain", owner_org="dinas-kesehatan", package_ids=dataset["id"])
        made = make_entry(portal, "operator_lain", owner_org="dinas-kesehatan")
        portal.call("satudata_daftardata_entry_update", "walidata", id=made["id"], package_ids=[dataset["id"]])
        portal.call("satudata_daftardata_entry_update", "operator_lain", id=made["id"], package_ids=[])
        kept = portal.call("satudata_daftardata_entry_show", "walidata", id=made["id"])
        assert kept["package_ids"] == [dataset["id"]]


class TestVersions:
    def test_snapshot_list_and_diff(self, portal):
        """The walidata records a version (a copy of the priority entries only); later edits leave it as it
        was; the diff names added, removed and changed entries, against another version or the live list."""
        kept = make_entry(portal, name="Tetap")
        changed = make_entry(portal, name="Berubah")
        removed = make_entry(portal, name="Dihapus")
        make_entry(portal, name="Bukan prioritas", priority=False)
        first = portal.call("satudata_daftardata_version_create", "walidata", agreed_by="Forum Satu Data",
                            agreed_date="2026-03-02", note="Rapat pertama")
        assert first["entry_count"] == 3 and {e["name"] for e in first["entries"]} == {"Tetap", "Berubah", "Dihapus"}
        portal.call("satudata_daftardata_entry_update", "operator", id=changed["id"], status="tersedia",
                    target_year=2027)
        portal.call("satudata_daftardata_entry_update", "operator", id=removed["id"], priority=False)
        added = make_entry(portal, name="Baru")
        live = portal.call("satudata_daftardata_version_diff", "warga", old=first["id"])
        assert [e["id"] for e in live["added"]] == [added["id"]]
        assert [e["id"] for e in live["removed"]] == [removed["id"]]
        assert [(c["new"]["id"], c["fields"]) for c in live["changed"]] == [(changed["id"],
                                                                             ["target_year", "status"])]
        assert live["changed"][0]["old"]["status"] == "dibutuhkan" and live["new"] is None
        second = portal.call("satudata_daftardata_version_create", "walidata", agreed_by="Forum Satu Data",
                             agreed_date="2026-09-01")
        between = portal.call("satudata_daftardata_version_diff", "warga", old=first["id"], new=second["id"])
        assert {k: len(between[k]) for k in ("added", "removed", "changed")} == {"added": 1, "removed": 1,
                                                                                  "changed": 1}
        assert portal.call("satudata_daftardata_version_show", "warga", id=first["id"])["entry_count"] == 3
        assert [v["id"] for v in portal.call("satudata_daftardata_version_list", "warga")] == [second["id"],
                                                                                                first["id"]]
        assert kept["id"] not in str(between)

    def test_only_walidata_records(self, portal):
        """The OPD's verifier and the pembina may not record a version; bad dates and a missing agreer are
        named; an unknown version is not found."""
        for who in ("verifikator", "pembina"):
            with pytest.raises(tk.NotAuthorized):
                portal.call("satudata_daftardata_version_create", who, agreed_by="Forum", agreed_date="2026-01-01")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_daftardata_version_create", "walidata", agreed_by="", agreed_date="kemarin")
        assert err.value.error_dict["agreed_by"] == ["Disepakati oleh wajib diisi"]
        assert "Tanggal 'kemarin' tidak sah" in err.value.error_dict["agreed_date"][0]
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_daftardata_version_show", "warga", id=99)
        made = portal.call("satudata_daftardata_version_create", "walidata", agreed_by="Forum",
                           agreed_date="2026-01-01")
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_daftardata_version_delete", "operator", id=made["id"])
        portal.call("satudata_daftardata_version_delete", "walidata", id=made["id"])
        assert portal.call("satudata_daftardata_version_list", "warga") == []


class TestApps:
    def test_register_roles_and_integration(self, portal):
        """The OPD registers its applications; another OPD may not; ``dipanen`` needs a harvest source, and is
        refused while the harvest plugin is not enabled."""
        made = portal.call("satudata_daftardata_app_create", "operator", owner_org="dispendukcapil",
                           name="SIAK", function="Administrasi kependudukan", integration="api_terdokumentasi")
        assert made["integration_label"] == "API terdokumentasi" and made["harvest_source_id"] is None
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_daftardata_app_update", "operator_lain", id=made["id"], name="X")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_daftardata_app_update", "operator", id=made["id"], integration="dipanen")
        assert "memerlukan sumber panen" in err.value.error_dict["harvest_source_id"][0]
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_daftardata_app_create", "operator", owner_org="dispendukcapil", name="Y",
                        integration="dipanen", harvest_source_id="sumber-opd")
        assert "ckanext-harvest" in err.value.error_dict["harvest_source_id"][0]
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_daftardata_app_create", "operator", owner_org="dispendukcapil", name="",
                        integration="manual")
        assert err.value.error_dict["name"] == ["Nama aplikasi wajib diisi"]
        assert "Status integrasi 'manual' tidak dikenal" in err.value.error_dict["integration"][0]
        listed = portal.call("satudata_daftardata_app_list", "warga", owner_org="dispendukcapil")
        assert [a["name"] for a in listed] == ["SIAK"]
        portal.call("satudata_daftardata_app_delete", "walidata", id=made["id"])
        assert portal.call("satudata_daftardata_app_list", "warga") == []
