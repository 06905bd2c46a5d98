"""Edits of published datasets are held as revisions, reviewed in two tiers, and only then applied."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from ckanext.satudatapasuruan.workflow.revisions import diff

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


@pytest.fixture
def published(portal):
    ds = portal.dataset(resources=[{"url": "https://opd.example/penduduk.csv", "name": "Tabel", "format": "CSV"}])
    portal.publish(ds["id"])
    return ds


def _public_title(dataset_id: str) -> str:
    return helpers.call_action("package_show", context={"user": "", "ignore_auth": False}, id=dataset_id)["title"]


class TestRevision:
    def test_public_keeps_the_published_version_until_both_reviews(self, portal, published):
        """The edit waits through the OPD verifier and the walidata; search and show change only then."""
        result = portal.call("satudata_revision_propose", "operator", id=published["id"], title="Judul Baru 2025",
                             satudata_note="Pembaruan judul")
        assert result["satudata_revision"]["state"] == "diajukan"
        assert result["title"] == published["title"]
        for who, action, state in (("verifikator", "satudata_revision_approve", "diverifikasi_opd"),
                                   ("walidata", "satudata_revision_publish", "diterapkan")):
            assert _public_title(published["id"]) == published["title"]
            search = helpers.call_action("package_search", context={"user": ""}, q="Judul Baru")
            assert search["count"] == 0
            assert portal.call(action, who, id=published["id"])["state"] == state
        assert _public_title(published["id"]) == "Judul Baru 2025"
        assert helpers.call_action("package_search", context={"user": ""}, q="Judul Baru")["count"] == 1
        actions = [e["action"] for e in portal.call("satudata_workflow_history", "operator", id=published["id"])]
        assert actions[-3:] == ["revision_submit", "revision_approve", "revision_publish"]

    def test_published_revision_is_a_new_modification(self, portal, published):
        """The applied revision gets its own metadata_modified, after the proposal: harvesters of the portal
        (modified_since, ckanext-harvest's ckan harvester) see the change as new."""
        before = helpers.call_action("package_show", id=published["id"])["metadata_modified"]
        portal.call("satudata_revision_propose", "operator", id=published["id"], title="Judul Baru 2025")
        proposed_at = helpers.call_action("package_show", id=published["id"])["metadata_modified"]
        portal.call("satudata_revision_approve", "verifikator", id=published["id"])
        portal.call("satudata_revision_publish", "walidata", id=published["id"])
        after = helpers.call_action("package_show", id=published["id"])["metadata_modified"]
        assert after > proposed_at >= before

    def test_reviewers_see_a_field_by_field_diff(self, portal, published):
        """Metadata and resource changes are listed with the published and the proposed value."""
        current = portal.call("package_show", "operator", id=published["id"])
        resources = [dict(current["resources"][0], name="Tabel 2024")]
        resources.append({"url": "https://opd.example/penduduk-2025.csv", "name": "Tabel 2025", "format": "CSV"})
        portal.call("satudata_revision_propose", "operator", id=published["id"], satuan="orang",
                    resources=resources)
        revision = portal.call("satudata_revision_show", "walidata", id=published["id"])
        assert {(c["field"], c["before"], c["after"]) for c in revision["diff"]["fields"]} >= {
            ("satuan", "jiwa", "orang")}
        changes = {(r["name"], r["change"]) for r in revision["diff"]["resources"]}
        assert changes == {("Tabel 2024", "diubah"), ("Tabel 2025", "ditambah")}
        renamed = [r for r in revision["diff"]["resources"] if r["change"] == "diubah"][0]
        assert {"field": "name", "before": "Tabel", "after": "Tabel 2024"} in renamed["fields"]
        assert revision["transitions"] == ["return"]  # the walidata's turn comes after the OPD's approval

    def test_returned_revision_changes_nothing(self, portal, published):
        portal.call("satudata_revision_propose", "operator", id=published["id"], title="Salah")
        with pytest.raises(tk.ValidationError):
            portal.call("satudata_revision_return", "verifikator", id=published["id"])
        portal.call("satudata_revision_return", "verifikator", id=published["id"], note="Judul tidak baku")
        assert _public_title(published["id"]) == published["title"]
        # returned: a new proposal may follow
        portal.call("satudata_revision_propose", "operator", id=published["id"], title="Benar")
        assert portal.call("satudata_revision_show", "operator", id=published["id"])["state"] == "diajukan"


class TestRefusals:
    def test_direct_edit_of_published_dataset_is_refused(self, portal, published):
        with pytest.raises(tk.NotAuthorized) as err:
            portal.call("package_patch", "operator", id=published["id"], title="Langsung")
        assert "revisi" in str(err.value)

    def test_invalid_revision_is_refused_and_nothing_stored(self, portal, published):
        """A revision is validated like an edit: bad values come back keyed, no revision is kept."""
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_revision_propose", "operator", id=published["id"], kode_standar_data="salah")
        assert "kode_standar_data" in err.value.error_dict
        assert portal.call("satudata_revision_show", "operator", id=published["id"]) is None
        assert _public_title(published["id"]) == published["title"]

    def test_one_revision_at_a_time_and_no_empty_revision(self, portal, published):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_revision_propose", "operator", id=published["id"])
        assert "Tidak ada perubahan" in err.value.error_dict["id"][0]
        portal.call("satudata_revision_propose", "operator", id=published["id"], title="Satu")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_revision_propose", "operator", id=published["id"], title="Dua")
        assert "masih diverifikasi" in err.value.error_dict["id"][0]

    @pytest.mark.parametrize("who", ["operator_lain", "warga", "pembina", "walidata"])
    def test_only_the_opd_proposes(self, portal, published, who):
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_revision_propose", who, id=published["id"], title="X")

    def test_tiers_hold_for_revisions(self, portal, published):
        """The walidata cannot publish a revision the OPD has not approved; the verifier cannot publish."""
        portal.call("satudata_revision_propose", "operator", id=published["id"], title="Baru")
        with pytest.raises(tk.ValidationError):
            portal.call("satudata_revision_publish", "walidata", id=published["id"])
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_revision_approve", "walidata", id=published["id"])
        portal.call("satudata_revision_approve", "verifikator", id=published["id"])
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_revision_publish", "verifikator", id=published["id"])
        assert _public_title(published["id"]) == published["title"]

    def test_draft_is_edited_directly(self, portal):
        ds = portal.dataset()
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_revision_propose", "operator", id=ds["id"], title="X")
        assert "belum terbit" in err.value.error_dict["id"][0]

    def test_no_revision_to_review(self, portal, published):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_revision_approve", "verifikator", id=published["id"])
        assert "Tidak ada revisi" in err.value.error_dict["id"][0]


def test_diff_ignores_bookkeeping():
    """Timestamps and derived counts are not changes; an emptied value is."""
    before = {"title": "A", "metadata_modified": "1", "notes": "x", "resources": [{"id": "r", "name": "n"}]}
    after = {"title": "A", "metadata_modified": "2", "notes": "", "resources": [{"id": "r", "name": "n",
                                                                                  "metadata_modified": "3"}]}
    assert diff(before, after) == {"fields": [{"field": "notes", "before": "x", "after": ""}], "resources": []}
