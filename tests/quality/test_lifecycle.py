"""A ticket's life: opened by the scan after a save, closed by itself when a rescan passes, reopened when
the fault returns, with its history; the scan on save never fails the save."""
from __future__ import annotations

import pytest
from freezegun import freeze_time

from ckanext.satudatapasuruan.quality import config, records, rules

from .conftest import PLUGINS, ticket_of, tickets

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


class TestSignalScan:
    def test_create_opens_update_closes_update_reopens(self, portal):
        """A missing konsep opens MQ-001 on create; filling it closes it (selesai, closed_at); emptying it
        again reopens it; each change is in the history with who and how."""
        ds = portal.dataset(konsep="")
        opened = ticket_of(portal, ds["id"], "MQ-001")
        assert opened["status"] == "terbuka" and opened["severity"] == "kritis"
        assert opened["organization"] == "dispendukcapil" and "Konsep" in opened["message"]
        portal.call("package_patch", "operator", id=ds["id"], konsep="Penduduk")
        closed = ticket_of(portal, ds["id"], "MQ-001")
        assert closed["status"] == "selesai" and closed["closed_at"]
        portal.call("package_update", "operator", **{**portal.call("package_show", "operator", id=ds["id"]),
                                                      "konsep": ""})
        reopened = ticket_of(portal, ds["id"], "MQ-001")
        assert reopened["id"] == opened["id"] and reopened["status"] == "terbuka" and reopened["closed_at"] is None
        history = portal.call("satudata_quality_ticket_show", "walidata", id=opened["id"])["history"]
        assert [(e["from_status"], e["to_status"], e["via"], e["user_name"]) for e in history] == [
            (None, "terbuka", "pemindaian", "operator"), ("terbuka", "selesai", "pemindaian", "operator"),
            ("selesai", "terbuka", "pemindaian", "operator")]

    def test_one_ticket_per_dataset_and_rule(self, portal):
        """A dataset meeting every rule opens nothing; several missing fields are findings of one MQ-001
        ticket, and saving again adds no second ticket."""
        complete = portal.dataset(name="lengkap")
        assert tickets(portal, package=complete["id"]) == []
        ds = portal.dataset(konsep="", definisi="")
        portal.call("package_patch", "operator", id=ds["id"], notes="Deskripsi baru")
        found = [t for t in tickets(portal, package=ds["id"]) if t["rule"] == "MQ-001"]
        assert len(found) == 1 and len(found[0]["findings"]) == 2

    def test_return_id_only_and_deferred_commit(self, portal):
        """A save answering only the id is scanned all the same; one that defers its commit is left to the
        nightly scan (the receiver never commits someone else's transaction)."""
        from ckan import model
        from ckan.tests import helpers

        data = {**portal.call("package_show", "operator", id=portal.dataset()["id"]), "konsep": ""}
        helpers.call_action("package_update", context={**portal.ctx("operator"), "return_id_only": True}, **data)
        assert ticket_of(portal, data["id"], "MQ-001")["status"] == "terbuka"
        data = {**data, "konsep": "Penduduk"}
        helpers.call_action("package_update", context={**portal.ctx("operator"), "defer_commit": True}, **data)
        model.repo.commit()
        assert ticket_of(portal, data["id"], "MQ-001")["status"] == "terbuka"

    @pytest.mark.ckan_config(config.SCAN_ON_SAVE, False)
    def test_scan_on_save_off(self, portal):
        """With scan_on_save off, saving opens nothing; the walidata's scan does."""
        ds = portal.dataset(konsep="")
        assert tickets(portal, package=ds["id"]) == []
        result = portal.call("satudata_quality_scan", "walidata", id=ds["name"])
        assert result["scanned"] == 1 and result["datasets"][0]["opened"] == ["MQ-001"]

    def test_broken_rule_neither_fails_the_save_nor_closes(self, portal, monkeypatch):
        """A rule that raises is logged, the save succeeds and its open ticket stays open; a scan that fails
        altogether never fails the save either."""
        ds = portal.dataset(konsep="")
        broken = rules.Rule("MQ-001", rules.Severity.KRITIS, "x", "y", lambda pkg, now: 1 / 0)
        monkeypatch.setitem(rules.RULES, "MQ-001", broken)
        portal.call("package_patch", "operator", id=ds["id"], konsep="Penduduk")
        assert ticket_of(portal, ds["id"], "MQ-001")["status"] == "terbuka"

        def fail(package_id):
            raise RuntimeError("ticket table unreachable")
        monkeypatch.setattr(records, "tickets_of_package", fail)
        saved = portal.call("package_patch", "operator", id=ds["id"], notes="Masih tersimpan")
        assert saved["notes"] == "Masih tersimpan"

    def test_freshness_after_a_year(self, portal):
        """An annual dataset untouched for more than 13 months gets MQ-008 at the nightly scan."""
        with freeze_time("2025-01-10"):
            ds = portal.dataset()
        with freeze_time("2026-03-01"):
            result = portal.call("satudata_quality_scan", "walidata", all=True)
        assert result["datasets"][0]["opened"] == ["MQ-008"]
        assert ticket_of(portal, ds["id"], "MQ-008")["severity"] == "sedang"


class TestGeospatialLayers:
    def test_layer_ticketed_on_save_and_not_held_by_the_gate(self, portal):
        """A geospasial layer whose extent reaches Malang (inside the form's wider box, outside the regency)
        and has no scale opens MQ-012 and MQ-001 on save, and no rule of the statistical schema; moving the
        extent inside closes MQ-012; the publish gate leaves layers to the tickets."""
        import json

        outside = {"type": "Polygon", "coordinates": [[[112.70, -7.70], [112.90, -7.70], [112.90, -8.05],
                                                       [112.70, -8.05], [112.70, -7.70]]]}
        layer = portal.call("package_create", "operator", type="geospasial", name="sawah-pertanian",
                            title="Lahan Sawah", owner_org=portal.opd["id"], notes="Lahan sawah baku.",
                            urusan="2.09", tema_ig="Pertanian", tahun="2024", crs="4326",
                            klasifikasi_akses="terbuka", sumber_data="Dinas Pertanian", kontak_nama="Bidang PSP",
                            kontak_email="psp@pertanian.pasuruankab.go.id", spatial=json.dumps(outside))
        found = {t["rule"]: t for t in tickets(portal, package=layer["id"])}
        assert set(found) == {"MQ-001", "MQ-012"}
        assert "Skala atau resolusi" in found["MQ-001"]["message"] and "di luar wilayah" in found["MQ-012"]["message"]
        inside = {"type": "Point", "coordinates": [112.78, -7.70]}
        portal.call("package_patch", "operator", id=layer["id"], spatial=json.dumps(inside))
        assert ticket_of(portal, layer["id"], "MQ-012")["status"] == "selesai"
        assert ticket_of(portal, layer["id"], "MQ-001")["status"] == "terbuka"
        verdict = portal.call("satudata_quality_gate_check", "walidata", id=layer["id"])
        assert verdict["applies"] is False and verdict["reasons"] == []
