"""With only the portal's core and the Monev plugin: every figure whose source plugin is not enabled says
"belum tersedia" (on the page, the API and the export), never a number; the others are computed."""
from __future__ import annotations

import csv
import io

import pytest

from .conftest import BARE_PLUGINS, anon

EXTRA_CONFIG = {"ckan.plugins": BARE_PLUGINS}
pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

ABSENT = {"aplikasi_opd_api": ["satudata_daftardata_kpi"], "prioritas_metadata_lengkap": ["satudata_daftardata_kpi"],
          "prioritas_standar_kualitas": ["satudata_daftardata_kpi"],
          "prioritas_sinkron_otomatis": ["satudata_harvest_kpi"], "tiket_selesai_sepekan": ["satudata_quality_kpi"],
          "rilis_sesuai_jadwal": ["satudata_calendar_kpi"], "rekomendasi_ber_qr": ["satudata_rekomendasi_kpi"],
          "kepuasan_pengguna": ["satudata_rating_summary"], "pembaruan_daftar_prioritas": ["satudata_daftardata_kpi"],
          "unduhan_data": ["satudata_usage_show"]}


def test_missing_sources(app, portal):
    """Ten figures belum tersedia with the action they wait for; the catalogue's own figures computed."""
    portal.publish(portal.dataset(name="satu")["id"])  # published: the catalogue figures count it
    board = anon("satudata_monev_show")
    figs = {i["code"]: i for i in board["indicators"]}
    for code, missing in ABSENT.items():
        assert (figs[code]["status"], figs[code]["value"], figs[code]["missing"]) == ("belum_tersedia", None, missing)
        assert figs[code]["status_label"] == "belum tersedia"
    assert figs["dataset_tersedia"]["value"] == 1 and figs["geospasial_terpusat"]["value"] == 0.0
    assert figs["dataset_platform_web"]["value"] == 0.0
    assert figs["kunjungan_monev"]["status"] == "tanpa_data" and figs["uptime_portal"]["status"] == "tanpa_data"
    opd = next(o for o in board["opd"] if o["name"] == "dispendukcapil")
    assert opd["figures"]["unduhan_data"]["status"] == "belum_tersedia"
    rows = {r["kode"]: r for r in csv.DictReader(io.StringIO(anon("satudata_monev_export", format="csv")["content"]))}
    assert all(rows[c]["status"] == "belum tersedia" and rows[c]["nilai"] == "" for c in ABSENT)
    page = app.get("/capaian-kinerja").get_data(as_text=True)
    assert page.count("belum tersedia") >= len(ABSENT)
