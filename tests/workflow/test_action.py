"""Transitions, their rules and the audit trail, through the real actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import helpers

from ckanext.satudatapasuruan.workflow.cli import workflow

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _state(portal, dataset_id, who="sysadmin"):
    return portal.call("satudata_workflow_show", who, id=dataset_id)["state"]


class TestTiers:
    def test_operator_drafts_and_the_tiers_publish(self, portal):
        """An operator's dataset goes draft → diajukan → diverifikasi_opd → terbit, public only at the end."""
        ds = portal.dataset()
        assert ds["private"] is True and _state(portal, ds["id"]) == "draft"
        steps = [("satudata_workflow_submit", "operator", "diajukan"),
                 ("satudata_workflow_approve", "verifikator", "diverifikasi_opd"),
                 ("satudata_workflow_publish", "walidata", "terbit")]
        for action, who, state in steps:
            anonymous_sees = helpers.call_action("package_search", context={"user": ""}, q="*:*")["count"]
            assert anonymous_sees == 0, action
            assert portal.call(action, who, id=ds["id"])["state"] == state
        shown = helpers.call_action("package_show", context={"user": ""}, id=ds["id"])
        assert shown["private"] is False
        # publication counts as a change for harvesters asking what changed since a date
        assert shown["metadata_modified"] > ds["metadata_modified"]
        assert helpers.call_action("package_search", context={"user": ""}, q="*:*")["count"] == 1

    def test_the_index_follows_the_state(self, portal):
        """Each transition reindexes the dataset with its state: published ones are counted by
        `workflow_state:terbit`, private rahasia data included, which the public flag cannot tell."""
        draft, secret = portal.dataset(name="masih-draf"), portal.dataset("rahasia", name="data-rahasia")
        portal.publish(secret["id"])

        def count(state):
            return helpers.call_action("package_search", fq=f"+workflow_state:{state}", include_private=True,
                                       rows=0)["count"]

        assert (count("terbit"), count("draft")) == (1, 1)
        assert helpers.call_action("package_show", id=secret["id"])["private"] is True
        portal.call("satudata_workflow_submit", "operator", id=draft["id"])
        assert (count("terbit"), count("draft"), count("diajukan")) == (1, 0, 1)

    def test_ckan_unpublish_is_refused(self, portal):
        """CKAN's "Unpublish" (state=draft) would turn an active dataset into a CKAN draft, hidden from the
        quality board and outside the workflow: refused in Indonesian; published data is not editable at all."""
        ds = portal.dataset(name="masih-draf-alur")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("package_patch", "operator", id=ds["id"], state="draft")
        assert "penarikan" in err.value.error_dict["state"][0]
        assert helpers.call_action("package_show", id=ds["id"])["state"] == "active"
        portal.publish(ds["id"])
        with pytest.raises(tk.NotAuthorized):  # published data changes only as a revision
            portal.call("package_patch", "walidata", id=ds["id"], state="draft")

    def test_private_flag_from_the_form_is_ignored(self, portal):
        """Neither create nor update can make a draft public by sending private=false."""
        ds = portal.dataset(private=False)
        assert ds["private"] is True
        updated = portal.call("package_patch", "operator", id=ds["id"], private=False)
        assert updated["private"] is True

    def test_return_needs_a_note_and_goes_back_to_the_producer(self, portal):
        """Returning without a note is refused with an Indonesian message; with one, the producer can resubmit."""
        ds = portal.dataset()
        portal.call("satudata_workflow_submit", "operator", id=ds["id"])
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_workflow_return", "verifikator", id=ds["id"], note="  ")
        assert "catatan" in str(err.value.error_dict["note"]).lower()
        assert _state(portal, ds["id"]) == "diajukan"
        portal.call("satudata_workflow_return", "verifikator", id=ds["id"], note="Satuan belum diisi")
        assert _state(portal, ds["id"]) == "dikembalikan"
        portal.call("package_patch", "operator", id=ds["id"], notes="Diperbaiki")
        assert portal.call("satudata_workflow_submit", "operator", id=ds["id"])["state"] == "diajukan"

    def test_walidata_returns_from_the_second_step(self, portal):
        """After the OPD's approval only the walidata may return it; the verifier is refused."""
        ds = portal.dataset()
        portal.call("satudata_workflow_submit", "operator", id=ds["id"])
        portal.call("satudata_workflow_approve", "verifikator", id=ds["id"])
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_workflow_return", "verifikator", id=ds["id"], note="x")
        portal.call("satudata_workflow_return", "walidata", id=ds["id"], note="Definisi tidak baku")
        assert _state(portal, ds["id"]) == "dikembalikan"

    def test_withdraw_needs_a_reason_and_hides_the_dataset(self, portal):
        """A published dataset withdrawn with a reason is private again; without a reason nothing changes."""
        ds = portal.dataset()
        portal.publish(ds["id"])
        with pytest.raises(tk.ValidationError):
            portal.call("satudata_workflow_withdraw", "walidata", id=ds["id"])
        assert _state(portal, ds["id"]) == "terbit"
        portal.call("satudata_workflow_withdraw", "walidata", id=ds["id"], note="Data keliru")
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("package_show", context={"user": "", "ignore_auth": False}, id=ds["id"])
        assert helpers.call_action("package_search", context={"user": ""}, q="*:*")["count"] == 0


class TestRefusals:
    @pytest.mark.parametrize("action, who", [
        ("satudata_workflow_approve", "verifikator"), ("satudata_workflow_publish", "walidata"),
        ("satudata_workflow_withdraw", "walidata"), ("satudata_workflow_return", "verifikator")])
    def test_illegal_transition_from_draft(self, portal, action, who):
        """A step that does not leave `draft` is a validation error naming the state; the dataset is unchanged."""
        ds = portal.dataset()
        with pytest.raises(tk.ValidationError) as err:
            portal.call(action, who, id=ds["id"], note="catatan")
        assert "Draf" in err.value.error_dict["state"][0]
        assert _state(portal, ds["id"]) == "draft"
        assert model.Package.get(ds["id"]).private is True

    @pytest.mark.parametrize("action, who", [
        ("satudata_workflow_submit", "operator_lain"), ("satudata_workflow_submit", "walidata"),
        ("satudata_workflow_submit", "pembina"), ("satudata_workflow_submit", "warga")])
    def test_submit_outside_the_opd(self, portal, action, who):
        """Only the OPD's own operators and verifier submit its datasets."""
        ds = portal.dataset()
        with pytest.raises(tk.NotAuthorized) as err:
            portal.call(action, who, id=ds["id"])
        assert "operator atau verifikator OPD" in str(err.value)
        assert _state(portal, ds["id"]) == "draft"

    @pytest.mark.parametrize("who", ["operator", "operator_lain", "walidata", "pembina"])
    def test_approve_only_by_the_opd_verifier(self, portal, who):
        ds = portal.dataset()
        portal.call("satudata_workflow_submit", "operator", id=ds["id"])
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_workflow_approve", who, id=ds["id"])
        assert _state(portal, ds["id"]) == "diajukan"

    @pytest.mark.parametrize("who", ["operator", "verifikator", "pembina", "operator_lain"])
    def test_publish_only_by_the_walidata(self, portal, who):
        """The pembina data and the OPD never publish."""
        ds = portal.dataset()
        portal.call("satudata_workflow_submit", "operator", id=ds["id"])
        portal.call("satudata_workflow_approve", "verifikator", id=ds["id"])
        with pytest.raises(tk.NotAuthorized) as err:
            portal.call("satudata_workflow_publish", who, id=ds["id"])
        assert "walidata" in str(err.value)
        assert _state(portal, ds["id"]) == "diverifikasi_opd"

    def test_unknown_dataset(self, portal):
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_workflow_submit", "operator", id="tidak-ada")

    @pytest.mark.parametrize("state_steps", [1, 3])
    def test_no_edits_under_review_or_published(self, portal, state_steps):
        """A submitted or published dataset is not edited in place; the message says what to do."""
        ds = portal.dataset()
        steps = [("satudata_workflow_submit", "operator"), ("satudata_workflow_approve", "verifikator"),
                 ("satudata_workflow_publish", "walidata")][:state_steps]
        for action, who in steps:
            portal.call(action, who, id=ds["id"])
        with pytest.raises(tk.NotAuthorized):
            portal.call("package_patch", "operator", id=ds["id"], title="Diubah")
        assert model.Package.get(ds["id"]).title == ds["title"]


class TestAuditTrail:
    def test_every_step_is_recorded(self, portal):
        """Who, from, to and the note of each step, oldest first, for members and reviewers."""
        ds = portal.dataset()
        portal.call("satudata_workflow_submit", "operator", id=ds["id"], note="Mohon diperiksa")
        portal.call("satudata_workflow_return", "verifikator", id=ds["id"], note="Lengkapi definisi")
        portal.call("satudata_workflow_comment", "pembina", id=ds["id"], note="Gunakan KBLI 2020",
                    kind="rekomendasi")
        history = portal.call("satudata_workflow_history", "walidata", id=ds["id"])
        assert [(e["action"], e["from_state"], e["to_state"], e["user"]) for e in history] == [
            ("create", None, "draft", portal.users["operator"]["id"] and "operator"),
            ("submit", "draft", "diajukan", "operator"),
            ("return", "diajukan", "dikembalikan", "verifikator"),
            ("rekomendasi", "dikembalikan", "dikembalikan", "pembina")]
        assert history[2]["note"] == "Lengkapi definisi"

    @pytest.mark.parametrize("who", ["operator_lain", "warga"])
    def test_history_hidden_from_outsiders(self, portal, who):
        ds = portal.dataset()
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_workflow_history", who, id=ds["id"])

    def test_trail_cannot_be_rewritten(self, portal):
        """The database itself refuses UPDATE and DELETE on the audit trail."""
        ds = portal.dataset()
        for statement in ("UPDATE satudata_workflow.event SET note = 'x' WHERE package_id = :id",
                          "DELETE FROM satudata_workflow.event WHERE package_id = :id"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                model.Session.execute(sa.text(statement), {"id": ds["id"]})
            model.Session.rollback()
        assert len(portal.call("satudata_workflow_history", "operator", id=ds["id"])) == 1

    def test_comment_kind_is_checked(self, portal):
        ds = portal.dataset()
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_workflow_comment", "pembina", id=ds["id"], note="x", kind="perintah")
        assert "komentar" in err.value.error_dict["kind"][0]


class TestTasks:
    def test_each_role_sees_its_turn(self, portal):
        """Tugas saya: the verifier sees submissions, the walidata OPD-verified ones, the operator returns."""
        ds = portal.dataset()
        portal.call("satudata_workflow_submit", "operator", id=ds["id"])

        def names(who):
            return [(t["name"], t["transitions"]) for t in portal.call("satudata_workflow_task_list", who)]

        assert names("verifikator") == [(ds["name"], ["approve", "return"])]
        assert names("walidata") == [(ds["name"], ["return"])]
        assert [t["name"] for t in portal.call("satudata_workflow_task_list", "pembina")] == [ds["name"]]
        assert names("operator_lain") == []
        portal.call("satudata_workflow_approve", "verifikator", id=ds["id"])
        assert names("walidata") == [(ds["name"], ["return", "publish"])]
        assert names("verifikator") == []
        portal.call("satudata_workflow_return", "walidata", id=ds["id"], note="Perbaiki")
        assert names("operator") == [(ds["name"], ["submit"])]

    def test_anonymous_has_no_tasks(self, portal):
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("satudata_workflow_task_list", context={"user": "", "ignore_auth": False})


class TestRoles:
    def test_assign_and_list(self, portal):
        """An OPD's verifier makes a citizen an operator; the walidata role is for sysadmins to give."""
        portal.call("satudata_role_assign", "verifikator", user="warga", role="operator",
                    organization="dispendukcapil")
        assert portal.call("satudata_role_list", "warga") == [
            {"role": "operator", "organization": "dispendukcapil",
             "organization_title": "Dinas Kependudukan dan Pencatatan Sipil"}]
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_role_assign", "verifikator", user="warga", role="walidata")
        portal.call("satudata_role_assign", "sysadmin", user="warga", role="walidata")
        assert {r["role"] for r in portal.call("satudata_role_list", "warga")} == {"operator", "walidata"}
        portal.call("satudata_role_revoke", "verifikator", user="warga", role="operator",
                    organization="dispendukcapil")
        assert [r["role"] for r in portal.call("satudata_role_list", "warga")] == ["walidata"]

    def test_bad_role_input(self, portal):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_role_assign", "sysadmin", user="warga", role="raja")
        assert "Peran tidak dikenal" in err.value.error_dict["role"][0]
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_role_assign", "sysadmin", user="warga", role="operator")
        assert "organisasi" in err.value.error_dict["organization"][0]

    def test_verifier_cannot_assign_in_another_opd(self, portal):
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_role_assign", "verifikator", user="warga", role="operator",
                        organization="dinas-kesehatan")

    def test_others_roles_are_private(self, portal):
        with pytest.raises(tk.NotAuthorized):
            portal.call("satudata_role_list", "warga", user="operator")


class TestMoveCommand:
    def test_move_takes_every_tier(self, cli, portal):
        """`ckan satudata-workflow move` makes each transition in turn, recorded, and only from --from."""
        ds = portal.dataset()
        result = cli.invoke(workflow, ["move", "--to", "terbit", ds["name"]])
        assert result.exit_code == 0, result.output
        assert _state(portal, ds["id"]) == "terbit"
        history = portal.call("satudata_workflow_history", "walidata", id=ds["id"])
        assert [e["action"] for e in history] == ["create", "submit", "approve", "publish"]
        result = cli.invoke(workflow, ["move", "--from", "draft", "--to", "diajukan", ds["name"]])
        assert result.exit_code == 0 and "dilewati" in result.output
        assert _state(portal, ds["id"]) == "terbit"

    def test_move_reports_unknown_datasets(self, cli, portal):
        result = cli.invoke(workflow, ["move", "--to", "terbit", "tidak-ada"])
        assert result.exit_code == 1 and "tidak ditemukan" in result.output


def test_paths_follow_the_rules():
    """The shortest legal path between states, and none where the rules give none."""
    from ckanext.satudatapasuruan.workflow.machine import State, Transition, path

    assert path(State.DRAFT, State.TERBIT) == [Transition.SUBMIT, Transition.APPROVE, Transition.PUBLISH]
    assert path(State.TERBIT, State.DIAJUKAN) == [Transition.WITHDRAW, Transition.SUBMIT]
    assert path(State.DIAJUKAN, State.DIAJUKAN) == []
    assert path(State.DIAJUKAN, State.DRAFT) is None
