"""MQ-010: a dataset's standar data against the Kamus Data entry of its kode (read through the kamus actions);
the rule passes when satudata_kamus is not loaded."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.satudatapasuruan.quality import rules

from ..kamus.conftest import ENTRY, empty_kamus, migrate
from ..metadata.conftest import complete_dataset
from .conftest import PLUGINS, ticket_of

NOW = dt.datetime(2026, 3, 1, 12, 0)
KAMUS_PLUGINS = PLUGINS + " satudata_kamus"


def test_passes_without_the_kamus_plugin():
    """Without satudata_kamus there is nothing to compare with: no finding, whatever the definitions say."""
    pkg = complete_dataset("org-id", definisi="Apa saja", kode_standar_data="SP00055.00.00")
    assert rules.RULES["MQ-010"].check(pkg, NOW) == []
    assert rules.RULES["MQ-010"].severity is rules.Severity.TINGGI


@pytest.mark.ckan_config("ckan.plugins", KAMUS_PLUGINS)
@pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False)
@pytest.mark.ckan_config("ckan.locale_default", "id")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestWithKamus:
    @pytest.fixture(autouse=True)
    def kamus(self, with_plugins, clean_db, migrate_db_for, portal):
        migrate(migrate_db_for)
        empty_kamus()
        portal.call("satudata_kamus_entry_create", "walidata", **ENTRY)

    def test_same_definitions_pass(self, portal):
        """A dataset carrying the entry's standar data (up to spacing and case) opens no MQ-010 ticket; one
        whose kode the kamus lacks neither."""
        ds = portal.dataset(definisi="  orang yang berdomisili di wilayah Indonesia   selama satu tahun atau lebih.")
        assert ticket_of(portal, ds["id"], "MQ-010") is None
        other = portal.dataset(name="lain", kode_standar_data="SP00999.00.00", definisi="Lain")
        assert ticket_of(portal, other["id"], "MQ-010") is None

    def test_diverging_definition_flagged(self, portal):
        """A different definition opens a tinggi MQ-010 ticket naming the field, the kode, the version and both
        texts; fixing it closes the ticket."""
        ds = portal.dataset(definisi="Penduduk yang tercatat di Dispendukcapil.")
        ticket = ticket_of(portal, ds["id"], "MQ-010")
        assert ticket["status"] == "terbuka" and ticket["severity"] == "tinggi"
        assert ticket["message"] == ("Definisi berbeda dari Kamus Data SP00055.00.00 versi 1: dataset \u201cPenduduk "
                                     "yang tercatat di Dispendukcapil.\u201d, kamus \u201c"
                                     + ENTRY["definisi"] + "\u201d.")
        portal.call("package_patch", "operator", id=ds["id"], definisi=ENTRY["definisi"])
        assert ticket_of(portal, ds["id"], "MQ-010")["status"] == "selesai"

    def test_older_version_and_retired_entry_named(self, portal):
        """After the entry changed, a dataset still carrying version 1 is told so at the next scan; once the
        entry is retired that is named too."""
        ds = portal.dataset()
        portal.call("satudata_kamus_entry_update", "pembina", kode="SP00055.00.00", definisi="Definisi baru.")
        portal.call("satudata_quality_scan", "walidata", id=ds["id"])
        message = ticket_of(portal, ds["id"], "MQ-010")["message"]
        assert message.startswith("Standar data dataset ini mengikuti versi 1 entri Kamus Data SP00055.00.00; "
                                  "versi terkini 2")
        portal.call("satudata_kamus_entry_delete", "walidata", kode="SP00055.00.00", note="Diganti")
        portal.call("satudata_quality_scan", "walidata", id=ds["id"])
        assert "Entri Kamus Data SP00055.00.00 sudah dipensiunkan" in ticket_of(portal, ds["id"], "MQ-010")["message"]
