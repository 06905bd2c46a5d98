"""The availability matrix, the gap list and the KPI on one hand-built fixture (numbers written by hand).

The fixture (``D`` = Dinas Kependudukan dan Pencatatan Sipil, ``K`` = Dinas Kesehatan):

======  ====  ======  ========  ==============  ==========================  =========
entry   OPD   sektor  priority  status          linked                      available
======  ====  ======  ========  ==============  ==========================  =========
A       D     2.12    ya        tersedia        dataset 1 (active)          yes
B       D     2.12    tidak     tersedia        none                        no
C       D     1.02    ya        dibutuhkan      none                        no
D'      K     1.02    ya        dalam_produksi  dataset 1                   no
E       K     1.02    tidak     tersedia        dataset 2 (deleted later)   no
F       K     1.01    tidak     tersedia        dataset 1                   yes
======  ====  ======  ========  ==============  ==========================  =========

Applications: D has SIAK (api_terdokumentasi) and Arsip (belum), K has SIMPUS (belum). Versions agreed on
2025-12-20, 2026-03-01 and 2026-11-01.
"""
from __future__ import annotations

import pytest

from .conftest import make_entry

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
def fixture(portal):
    one = portal.dataset(name="dataset-satu")
    two = portal.dataset(name="dataset-dua")
    made = {
        "A": make_entry(portal, name="A", status="tersedia", package_ids=[one["id"]]),
        "B": make_entry(portal, name="B", priority=False, status="tersedia"),
        "C": make_entry(portal, name="C", urusan="1.02"),
        "D'": make_entry(portal, "walidata", owner_org="dinas-kesehatan", name="D'", urusan="1.02",
                         status="dalam_produksi", package_ids=[one["id"]]),
        "E": make_entry(portal, "walidata", owner_org="dinas-kesehatan", name="E", urusan="1.02", priority=False,
                        status="tersedia", package_ids=[two["id"]]),
        "F": make_entry(portal, "walidata", owner_org="dinas-kesehatan", name="F", urusan="1.01", priority=False,
                        status="tersedia", package_ids=[one["id"]]),
    }
    portal.call("package_delete", "verifikator", id=two["id"])
    for org, name, integration in (("dispendukcapil", "SIAK", "api_terdokumentasi"), ("dispendukcapil", "Arsip",
                                   "belum"), ("dinas-kesehatan", "SIMPUS", "belum")):
        portal.call("satudata_daftardata_app_create", "walidata", owner_org=org, name=name, integration=integration)
    for agreed in ("2026-03-01", "2025-12-20", "2026-11-01"):
        portal.call("satudata_daftardata_version_create", "walidata", agreed_by="Forum Satu Data",
                    agreed_date=agreed)
    return {"entries": made, "one": one, "two": two}


def test_matrix(portal, fixture):
    """Per OPD and sektor: needed (every entry), available (tersedia with an active dataset), priority."""
    found = portal.call("satudata_daftardata_matrix", "warga")
    assert [s["code"] for s in found["sektor"]] == ["1.01", "1.02", "2.12"]
    assert found["sektor"][1]["label"] == "Kesehatan"
    rows = {r["organization"]["name"]: r for r in found["rows"]}
    assert [r["organization"]["name"] for r in found["rows"]] == ["dispendukcapil", "dinas-kesehatan"]
    assert rows["dispendukcapil"]["cells"] == {"2.12": {"needed": 2, "available": 1, "priority": 1},
                                               "1.02": {"needed": 1, "available": 0, "priority": 1}}
    assert rows["dispendukcapil"]["total"] == {"needed": 3, "available": 1, "priority": 2}
    assert rows["dinas-kesehatan"]["cells"] == {"1.02": {"needed": 2, "available": 0, "priority": 1},
                                                "1.01": {"needed": 1, "available": 1, "priority": 0}}
    assert rows["dinas-kesehatan"]["total"] == {"needed": 3, "available": 1, "priority": 1}
    assert found["columns"] == {"1.01": {"needed": 1, "available": 1, "priority": 0},
                                "1.02": {"needed": 3, "available": 0, "priority": 2},
                                "2.12": {"needed": 2, "available": 1, "priority": 1}}
    assert found["total"] == {"needed": 6, "available": 2, "priority": 3}
    only = portal.call("satudata_daftardata_matrix", "warga", owner_org="dinas-kesehatan", priority="ya")
    assert only["total"] == {"needed": 1, "available": 0, "priority": 1}


def test_gap_list(portal, fixture):
    """Entries needed but not available, priority first then by OPD title (Dinas Kependudukan… before
    Dinas Kesehatan), sektor and name."""
    gaps = portal.call("satudata_daftardata_gap_list", "warga")
    assert [g["name"] for g in gaps] == ["C", "D'", "B", "E"]
    assert [g["name"] for g in portal.call("satudata_daftardata_gap_list", "warga", priority=True)] == ["C", "D'"]


def test_kpi_shape_and_numbers(portal, fixture):
    """The KPI has exactly the Monev dashboard's shape, with the hand-computed numbers."""
    kpi = portal.call("satudata_daftardata_kpi", "warga")
    assert kpi == {
        "list_updates_per_year": {"2025": 1, "2026": 2},
        "priority_entries": 3,
        "priority_available": 1,
        "priority_package_ids": [fixture["one"]["id"]],
        "apps_total": 3,
        "apps_integrated_api": 1,
        "per_opd": {
            "dinas-kesehatan": {"priority_entries": 1, "priority_available": 0, "apps_total": 1,
                                "apps_integrated_api": 0},
            "dispendukcapil": {"priority_entries": 2, "priority_available": 1, "apps_total": 2,
                               "apps_integrated_api": 1},
        },
    }


def test_kpi_empty(portal):
    """With nothing recorded every figure is zero (the site user reads it like anyone)."""
    assert portal.call("satudata_daftardata_kpi", "sysadmin") == {
        "list_updates_per_year": {}, "priority_entries": 0, "priority_available": 0, "priority_package_ids": [],
        "apps_total": 0, "apps_integrated_api": 0, "per_opd": {}}
