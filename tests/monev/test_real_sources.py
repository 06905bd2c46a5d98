"""The Monev figures fed by the real daftar data and rekomendasi plugins (not answers of their contract shape):
a small scene made through those plugins' actions, and the figures equal to the numbers worked out by hand."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.common import config as ckan_global_config
from freezegun import freeze_time

from ckanext.satudatapasuruan.daftardata import records as daftardata_records
from ckanext.satudatapasuruan.monev.config import COMPLETE_AT
from ckanext.satudatapasuruan.rekomendasi import records as rekomendasi_records

from ..rekomendasi.conftest import MS_KEG, REQUIRED, pdf_bytes, upload
from .conftest import BARE_PLUGINS, anon

# The portal's core, the two source plugins and Monev (no quality plugin: its figures stay belum tersedia).
EXTRA_CONFIG = {"ckan.plugins": BARE_PLUGINS.replace(
    " satudata_monev", " satudata_daftardata satudata_rekomendasi satudata_monev")}
pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")]

NOW = "2026-03-10 09:00:00"


@pytest.fixture
def clean_db(clean_db, migrate_db_for):  # noqa: F811 - the suite's, plus the two plugins' tables
    """The suite's clean database; the daftar data and rekomendasi tables (their own schemas, which the reset
    leaves) migrated when missing and emptied."""
    inspector = sa.inspect(model.Session.connection())
    if not inspector.has_table("app", schema="satudata_daftardata"):
        migrate_db_for("satudata_daftardata")
    if not inspector.has_table(rekomendasi_records.TABLES[0].name, schema="satudata_rekomendasi"):
        migrate_db_for("satudata_rekomendasi")
    model.Session.commit()
    tables = (daftardata_records.entry, daftardata_records.version, daftardata_records.app)
    model.Session.execute(sa.text("TRUNCATE " + ", ".join(f"satudata_daftardata.{t.name}" for t in tables)
                                  + " RESTART IDENTITY"))
    for table in rekomendasi_records.TABLES:
        model.Session.execute(table.delete())
    model.Session.commit()


@pytest.fixture
def storage(with_plugins, tmp_path, monkeypatch):
    """The letters and documents in a fresh folder."""
    monkeypatch.setitem(ckan_global_config, "ckan.storage_path", str(tmp_path))
    return tmp_path


def _scene(portal) -> dict[str, Any]:
    """Daftar data: a priority entry linking a published dataset and a draft; the list agreed on 15 December 2025
    and 9 March 2026; two apps of the OPD, one with a documented API. Rekomendasi: two applications of the OPD
    (one per MS-Keg), both issued in March 2026, one in the portal (a letter stamped with its QR code), one
    recorded from BPS's system without a letter (no QR code)."""
    with freeze_time("2026-03-09 03:00:00"):
        published = portal.dataset(name="penduduk-per-kecamatan")
        portal.publish(published["id"])
        draft = portal.dataset(name="penduduk-draf")
        portal.call("satudata_daftardata_entry_create", "operator", owner_org="dispendukcapil",
                    name="Jumlah penduduk menurut kecamatan", urusan="2.12", frekuensi="tahunan", target_year=2026,
                    priority=True, dasar_hukum="Keputusan Bupati Pasuruan tentang Daftar Data Prioritas",
                    status="tersedia", package_ids=[published["id"], draft["id"]])
        for agreed in ("2025-12-15", "2026-03-09"):
            portal.call("satudata_daftardata_version_create", "walidata",
                        agreed_by="Forum Satu Data Kabupaten Pasuruan", agreed_date=agreed)
        for name, integration in (("SIAK Terpusat", "api_terdokumentasi"), ("Antrian Layanan", "belum")):
            portal.call("satudata_daftardata_app_create", "operator", owner_org="dispendukcapil", name=name,
                        integration=integration)
        issued = []
        for name, title in (("survei-penduduk-2026", "Survei Penduduk Desa 2026"),
                            ("survei-migrasi-2026", "Survei Migrasi 2026")):  # one open application per MS-Keg
            keg = portal.call("package_create", "operator", name=name, owner_org=portal.opd["id"], title=title,
                              **MS_KEG)
            made = portal.call("satudata_rekomendasi_create", "operator", package_id=keg["id"])
            for kind in REQUIRED:
                portal.call("satudata_rekomendasi_document_add", "operator", id=made["id"], kind=kind,
                            upload=upload(pdf_bytes(f"Dokumen {kind}"), f"{kind}.pdf"))
            issued.append(portal.call("satudata_rekomendasi_submit", "operator", id=made["id"]))
    with freeze_time("2026-03-10 02:00:00"):
        portal.call("satudata_rekomendasi_issue", "pembina", id=issued[0]["id"])
        portal.call("satudata_rekomendasi_record_external", "pembina", id=issued[1]["id"], outcome="terbit",
                    reference="B-3514-17")
    return {"published": published, "draft": draft}


def _figures(board: dict[str, Any]) -> dict[str, tuple]:
    return {i["code"]: (i["status"], i["value"], i["numerator"], i["denominator"]) for i in board["indicators"]}


@pytest.mark.ckan_config(COMPLETE_AT, 95)
def test_figures_from_the_real_plugins(portal, storage):
    """Hand-computed from the scene, on 10 March 2026:
    - pembaruan_daftar_prioritas: 1 version agreed in 2026 (and 1 in 2025, the 2025 trend point);
    - aplikasi_opd_api: 1 app with a documented API of 2 = 50 %, the OPD's too;
    - rekomendasi_ber_qr: 2 issued in 2026, 1 with the portal's QR code = 50 %, the OPD's too;
    - prioritas_metadata_lengkap: the entry links 2 datasets, the published one is counted (complete, >= 95)
      and the draft is not: 1 of 1 = 100 %, listed 2; prioritas_standar_kualitas waits for the quality plugin;
    - dataset_tersedia: 1 (the draft and the MS-Keg records, not a counted type, left out)."""
    _scene(portal)
    with freeze_time(NOW):
        board = anon("satudata_monev_show", year=2026)
    figs = _figures(board)
    assert figs["pembaruan_daftar_prioritas"] == ("terhitung", 1, None, None)
    assert figs["aplikasi_opd_api"] == ("terhitung", 50.0, 1, 2)
    assert figs["rekomendasi_ber_qr"] == ("terhitung", 50.0, 1, 2)
    assert figs["prioritas_metadata_lengkap"] == ("terhitung", 100.0, 1, 1)
    assert figs["prioritas_standar_kualitas"][0] == "belum_tersedia"
    assert figs["dataset_tersedia"] == ("terhitung", 1, None, None)
    indicators = {i["code"]: i for i in board["indicators"]}
    assert indicators["prioritas_metadata_lengkap"]["detail"]["listed"] == 2
    assert indicators["prioritas_standar_kualitas"]["missing"] == ["satudata_quality_open_ticket_datasets"]
    trend = {t["year"]: (t["status"], t["value"]) for t in indicators["pembaruan_daftar_prioritas"]["trend"]}
    assert trend == {2025: ("terhitung", 1), 2026: ("terhitung", 1)}
    missing = set(board["missing"])
    assert not missing & {"satudata_daftardata_kpi", "satudata_rekomendasi_kpi"}
    mine = next(o for o in board["opd"] if o["name"] == "dispendukcapil")["figures"]
    assert (mine["aplikasi_opd_api"]["value"], mine["rekomendasi_ber_qr"]["value"]) == (50.0, 50.0)
    assert mine["prioritas_metadata_lengkap"]["value"] == 100.0
    other = next(o for o in board["opd"] if o["name"] == "dinas-kesehatan")["figures"]
    assert other["aplikasi_opd_api"]["status"] == other["rekomendasi_ber_qr"]["status"] == "tanpa_data"


def test_empty_sources_are_counted(portal):
    """With both plugins loaded and nothing in them, their figures are computed, not belum tersedia: no list
    update (0), no app (0 of 0) and no recommendation (0 of 0): tanpa data."""
    with freeze_time(NOW):
        figs = _figures(anon("satudata_monev_show", year=2026))
    assert figs["pembaruan_daftar_prioritas"] == ("terhitung", 0, None, None)
    assert figs["aplikasi_opd_api"] == ("tanpa_data", None, 0, 0)
    assert figs["rekomendasi_ber_qr"] == ("tanpa_data", None, 0, 0)
    assert figs["prioritas_metadata_lengkap"] == ("tanpa_data", None, 0, 0)
