"""Every computed Monev figure equal to a hand-computed fixture catalogue built through the actions; manual
values apart; targets; walidata-only edits, audited; exports; rahasia names never shown."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.satudatapasuruan import usage
from ckanext.satudatapasuruan.feedback.clients import CONTEXT_KEY
from ckanext.satudatapasuruan.monev import records, visits
from ckanext.satudatapasuruan.monev.config import CACHE_TTL, COMPLETE_AT, HEARTBEAT_INTERVAL

from .conftest import anon

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore",
                                      "with_request_context")]

NOW = "2026-02-01 02:02:30"
SECRET = "rahasia-daftar-penerima-khusus"


def _rate(portal, who: str, rating: int, package_id: str | None = None) -> None:
    context = {"user": portal.users[who]["name"], CONTEXT_KEY: who}
    helpers.call_action("satudata_rating_create", context=context, rating=rating,
                        **({"package_id": package_id} if package_id else {}))


@pytest.fixture
def catalogue(portal) -> dict[str, Any]:
    """The fixture catalogue (see the module's expected figures)."""
    with freeze_time("2026-01-05 03:00:00"):
        entered = portal.dataset(name="penduduk-per-kecamatan")  # priority, complete, kecamatan 14 and 11
        portal.call("satudata_row_save", "operator", id=entered["id"],
                    row={"kode_kecamatan": "35.14.14", "jumlah_penduduk": 5})
        secret = portal.dataset("rahasia", name=SECRET, title="Daftar Penerima Khusus Rahasia",
                                kode_wilayah=["35.14.14.1001"], tingkat_wilayah="desa")
        draft = portal.dataset(name="draf-tanpa-kontak", data_prioritas="tidak", dasar_hukum_prioritas="",
                               kontak_email="")
        portal.call("satudata_calendar_entry_create", "operator", owner_org=portal.opd["name"], urusan="2.12",
                    title="Penduduk", period="2025", scheduled_date="2026-01-10", package_id=entered["id"])
        portal.call("satudata_calendar_entry_create", "operator", owner_org=portal.opd["name"], urusan="2.12",
                    title="Tanpa dataset", period="2025", scheduled_date="2026-01-20", priority=True)
        portal.publish(entered["id"])
        portal.publish(secret["id"])
        _rate(portal, "warga", 4)  # the portal
        _rate(portal, "warga", 5, entered["id"])
        _rate(portal, "penerima", 2, entered["id"])
        for _ in range(3):
            usage.record(usage.Kind.DOWNLOAD, package_id=entered["id"])
    visits.count("10.0.0.1", dt.datetime(2026, 1, 20, 8))
    visits.count("10.0.0.2", dt.datetime(2026, 1, 20, 8))
    visits.count("10.0.0.1", dt.datetime(2026, 1, 20, 8, 10))  # the same visit
    visits.count("10.0.0.1", dt.datetime(2026, 2, 1, 1))
    records.add_beat(dt.datetime(2026, 2, 1, 2, 0, 5), True, 200, 12, None)
    records.add_beat(dt.datetime(2026, 2, 1, 2, 1, 5), False, 500, 12, "HTTP 500")
    model.repo.commit()
    return {"entered": entered, "secret": secret, "draft": draft}


def _by_code(board: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["code"]: i for i in board["indicators"]}


# Hand-computed from the catalogue fixture, at 2026-02-01 02:02:30 (completeness counted from 95):
# 3 datasets (penduduk-per-kecamatan: entered through the row form, published, priority; the rahasia one:
# published; a draft without contact e-mail, completeness 89 < 95 and one repair ticket, open for 27 days).
# The catalogue figures count published datasets only (workflow_state terbit): the draft is left out of them,
# so 2 datasets (1 public, 1 rahasia), both complete. The draft's ticket still counts among the year's tickets
# (the quality plugin's KPI: repair work, whatever the state).
EXPECTED = {
    "dataset_tersedia": ("terhitung", 2, None, None),  # penduduk-per-kecamatan and the rahasia one
    "uptime_portal": ("terhitung", 33.33, 1, 3),  # periods 02:00 (up), 02:01 (down), 02:02 (no beat)
    "dataset_platform_web": ("terhitung", 50.0, 1, 2),  # penduduk-per-kecamatan (row form) of the 2 published
    "geospasial_terpusat": ("terhitung", 0.0, 0, 2),  # no geospasial dataset among the 2
    "tiket_selesai_sepekan": ("terhitung", 0.0, 0, 1),  # the draft's ticket: open after 7 days, late
    "rilis_sesuai_jadwal": ("terhitung", 50.0, 1, 2),  # 10 Jan kept (published 5 Jan), 20 Jan missed
    "kepuasan_pengguna": ("terhitung", 3.67, 11, 3),  # portal 4, dataset 5 and 2
    "kunjungan_monev": ("terhitung", 1.5, 3, 2),  # 2 visits in January, 1 in February
    "metadata_dataset_baru": ("terhitung", 100.0, 2, 2),  # both published ones created in 2026 reach 95
    "unduhan_data": ("terhitung", 3, None, None),
    # Their plugins are not enabled here.
    "aplikasi_opd_api": ("belum_tersedia", None, None, None),
    "prioritas_metadata_lengkap": ("belum_tersedia", None, None, None),
    "prioritas_standar_kualitas": ("belum_tersedia", None, None, None),
    "prioritas_sinkron_otomatis": ("belum_tersedia", None, None, None),
    "rekomendasi_ber_qr": ("belum_tersedia", None, None, None),
    "pembaruan_daftar_prioritas": ("belum_tersedia", None, None, None),
}


@pytest.mark.ckan_config(COMPLETE_AT, 95)
@pytest.mark.ckan_config(HEARTBEAT_INTERVAL, 1)
def test_every_figure_equals_the_fixture(portal, catalogue):
    """Each computed IKU, its attainment, its 2025 trend point, the per-OPD figures and ranking and the map
    equal the numbers worked out by hand for the fixture catalogue; absent sources say belum tersedia."""
    with freeze_time(NOW):
        board = anon("satudata_monev_show", year="2026")
    figs = _by_code(board)
    assert set(figs) == set(EXPECTED)
    for code, (status, value, numerator, denominator) in EXPECTED.items():
        got = figs[code]
        assert (got["status"], got["value"], got["numerator"], got["denominator"]) == \
            (status, value, numerator, denominator), code
    assert figs["aplikasi_opd_api"]["missing"] == ["satudata_daftardata_kpi"]
    assert figs["prioritas_sinkron_otomatis"]["missing"] == ["satudata_harvest_kpi"]
    assert figs["rekomendasi_ber_qr"]["missing"] == ["satudata_rekomendasi_kpi"]
    assert figs["dataset_tersedia"]["detail"] == {"public": 1}
    # 2 of the 2026 target 150: 1.33 %, shown to one decimal.
    assert figs["dataset_tersedia"]["target"]["value"] == 150 and figs["dataset_tersedia"]["attainment"] == 1.3
    assert figs["rilis_sesuai_jadwal"]["attainment"] == 71.4  # 50 of the 2026 target 70
    assert figs["unduhan_data"]["target"]["status"] == "perlu_konfirmasi" and figs["unduhan_data"]["attainment"] is None
    assert [(t["year"], t["value"]) for t in figs["dataset_tersedia"]["trend"]] == [(2025, 0), (2026, 2)]
    assert figs["geospasial_terpusat"]["trend"][0]["status"] == "tidak_diukur"
    mine = next(o for o in board["opd"] if o["name"] == "dispendukcapil")
    values = {k: v["value"] for k, v in mine["figures"].items() if v["status"] == "terhitung"}
    # Every fixture dataset is this OPD's: its published 2, web entry 1 of 2, new metadata 2 of 2.
    assert values == {"dataset_tersedia": 2, "dataset_platform_web": 50.0, "metadata_dataset_baru": 100.0,
                      "kepuasan_pengguna": 3.5, "rilis_sesuai_jadwal": 50.0, "tiket_selesai_sepekan": 0.0,
                      "unduhan_data": 3}
    # Mean attainment, each capped at 100: datasets 2/150 = 1.3, web 50/50 = 100, new metadata 100/60 = 100
    # (166.7), satisfaction 3.5/3.5 = 100, releases 50/70 = 71.4, tickets 0/65 = 0 (downloads: not judged):
    # 372.7 / 6 = 62.1.
    assert mine["score"] == 62.1 and mine["rank"] == 1
    other = next(o for o in board["opd"] if o["name"] == "dinas-kesehatan")
    assert other["figures"]["dataset_tersedia"]["value"] == 0 and other["score"] == 0.0
    counts = {k["name"]: k["count"] for k in board["map"]["kecamatan"]}
    # Published only: Bangil (35.14.14) penduduk-per-kecamatan and the rahasia one (desa 35.14.14.1001),
    # Pandaan (35.14.11) penduduk-per-kecamatan; the draft (14 and 11) is not on the map.
    assert len(counts) == 24 and counts["Bangil"] == 2 and counts["Pandaan"] == 1
    assert sum(counts.values()) == 3 and board["map"]["boundary"] is None


@pytest.mark.ckan_config(COMPLETE_AT, 95)
def test_a_draft_is_not_counted(portal, catalogue):
    """The fixture's draft exists and is found by a search over every state, but dataset_tersedia counts the
    2 published datasets only, as long as the draft is draft, diajukan or diverifikasi_opd; published (the
    walidata overriding the gate: no contact e-mail), it is counted: 3."""
    everything = helpers.call_action("package_search", fq="+dataset_type:dataset", include_private=True, rows=0)
    assert everything["count"] == 3

    def available() -> Any:
        return _by_code(anon("satudata_monev_show"))["dataset_tersedia"]["value"]

    draft = catalogue["draft"]["id"]
    assert available() == 2
    portal.call("satudata_workflow_submit", "operator", id=draft)
    assert available() == 2
    portal.call("satudata_workflow_approve", "verifikator", id=draft)
    assert available() == 2
    portal.call("satudata_workflow_publish", "walidata", id=draft,
                gate_override_reason="Surel kontak menyusul dari OPD pekan ini")
    assert available() == 3


def test_manual_values_apart_and_audited(portal):
    """A value the walidata enters shows under manual with its source and date, marked diinput walidata,
    never among the computed indicators; its entry and its removal are audited."""
    done = portal.call("satudata_monev_manual_update", "walidata", code="asn_terlatih", year=2026, value="120",
                       source="Laporan BKPSDM 2026", measured_on="2026-01-31")
    assert done["label"] == "diinput walidata" and done["value"] == 120.0
    board = anon("satudata_monev_show", year=2026)
    assert "asn_terlatih" not in _by_code(board)
    manual = {m["code"]: m for m in board["manual"]}
    assert manual["asn_terlatih"]["value"] == 120.0 and manual["asn_terlatih"]["label"] == "diinput walidata"
    assert manual["asn_terlatih"]["source"] == "Laporan BKPSDM 2026"
    assert manual["asn_terlatih"]["measured_on"] == "2026-01-31"
    assert manual["literasi_data"]["entered"] is False and manual["literasi_data"]["value"] is None
    portal.call("satudata_monev_manual_delete", "walidata", code="asn_terlatih", year=2026)
    trail = portal.call("satudata_monev_audit_list", "walidata", kind="manual")
    assert [(a["before"] is None, a["after"] is None, a["user"]) for a in trail] == [
        (False, True, "walidata"), (True, False, "walidata")]
    assert trail[1]["after"]["value"] == 120.0 and trail[1]["after"]["source"] == "Laporan BKPSDM 2026"


def test_target_edit_audited(portal):
    """The walidata's target replaces the shipped one (still shown beside it) and the change is recorded with
    who and the before/after values; an empty value brings the shipped target back, recorded too."""
    portal.call("satudata_monev_target_update", "walidata", code="dataset_tersedia", year=2026, value="200",
                note="Disepakati Forum Satu Data")
    target = _by_code(anon("satudata_monev_show", year=2026))["dataset_tersedia"]["target"]
    assert target["value"] == 200.0 and target["shipped"] == 150.0 and target["overridden"] is True
    portal.call("satudata_monev_target_update", "walidata", code="dataset_tersedia", year=2026, value="")
    target = _by_code(anon("satudata_monev_show", year=2026))["dataset_tersedia"]["target"]
    assert target["value"] == 150.0 and target["overridden"] is False
    trail = portal.call("satudata_monev_audit_list", "walidata", kind="target", ref="dataset_tersedia")
    assert [(a["before"], a["after"], a["user"], a["year"]) for a in trail] == [
        ({"value": 200.0, "note": "Disepakati Forum Satu Data"}, None, "walidata", 2026),
        (None, {"value": 200.0, "note": "Disepakati Forum Satu Data"}, "walidata", 2026)]


def test_visit_target_series(portal):
    """The walidata may judge Monev visits against the programme table's series; the default series brings
    the shipped targets back; each year's change is audited."""
    done = portal.call("satudata_monev_target_series", "walidata", code="kunjungan_monev", series="program")
    assert done["targets"]["2029"] == 800
    target = _by_code(anon("satudata_monev_show", year=2027))["kunjungan_monev"]["target"]
    assert target["value"] == 300.0 and target["shipped"] == 500.0 and target["overridden"] is True
    portal.call("satudata_monev_target_series", "walidata", code="kunjungan_monev", series="rencana_aksi")
    target = _by_code(anon("satudata_monev_show", year=2027))["kunjungan_monev"]["target"]
    assert target["value"] == 500.0 and target["overridden"] is False
    assert len(portal.call("satudata_monev_audit_list", "walidata", kind="target")) == 10
    for code, series in (("kunjungan_monev", "lain"), ("dataset_tersedia", "program")):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_monev_target_series", "walidata", code=code, series=series)
        assert err.value.error_dict["series"] == ["Seri target tidak dikenal untuk IKU ini"]


def test_a_confirmed_target_is_judged(portal):
    """A shipped target still to be confirmed (downloads) is not judged until the walidata sets one."""
    assert _by_code(anon("satudata_monev_show", year=2026))["unduhan_data"]["target"]["status"] == "perlu_konfirmasi"
    portal.call("satudata_monev_target_update", "walidata", code="unduhan_data", year=2026, value="1000")
    target = _by_code(anon("satudata_monev_show", year=2026))["unduhan_data"]["target"]
    assert target["status"] == "ditetapkan" and target["value"] == 1000.0


def test_challenges(portal):
    """Tantangan dan tindak lanjut: added, changed and removed by the walidata, shown for their year, audited."""
    item = portal.call("satudata_monev_challenge_create", "walidata", year=2026,
                       tantangan="Data prioritas belum lengkap", tindak_lanjut="Pendampingan OPD tiap bulan")
    portal.call("satudata_monev_challenge_update", "walidata", id=item["id"], year=2026,
                tantangan="Data prioritas belum lengkap", tindak_lanjut="Pendampingan OPD tiap dua minggu")
    board = anon("satudata_monev_show", year=2026)
    assert [(c["tantangan"], c["tindak_lanjut"]) for c in board["challenges"]] == [
        ("Data prioritas belum lengkap", "Pendampingan OPD tiap dua minggu")]
    assert anon("satudata_monev_show", year=2025)["challenges"] == []
    portal.call("satudata_monev_challenge_delete", "walidata", id=item["id"])
    assert anon("satudata_monev_show", year=2026)["challenges"] == []
    trail = portal.call("satudata_monev_audit_list", "walidata", kind="tantangan")
    assert len(trail) == 3 and trail[0]["after"] is None and trail[2]["before"] is None
    with pytest.raises(tk.ObjectNotFound):
        portal.call("satudata_monev_challenge_delete", "walidata", id=item["id"])


EDITS = [("satudata_monev_target_update", {"code": "dataset_tersedia", "year": 2026, "value": "1"}),
         ("satudata_monev_target_series", {"code": "kunjungan_monev", "series": "program"}),
         ("satudata_monev_manual_update", {"code": "asn_terlatih", "year": 2026, "value": "1", "source": "x",
                                           "measured_on": "2026-01-01"}),
         ("satudata_monev_manual_delete", {"code": "asn_terlatih", "year": 2026}),
         ("satudata_monev_challenge_create", {"year": 2026, "tantangan": "a", "tindak_lanjut": "b"}),
         ("satudata_monev_challenge_update", {"id": "x", "year": 2026, "tantangan": "a", "tindak_lanjut": "b"}),
         ("satudata_monev_challenge_delete", {"id": "x"}),
         ("satudata_monev_audit_list", {})]


def test_walidata_only(portal):
    """Anonymous users, OPD operators and verifikators, the pembina and a citizen are refused every edit (and
    the audit trail); nothing is written."""
    for action, data in EDITS:
        for who in (None, "operator", "verifikator", "pembina", "warga"):
            context = {"user": portal.users[who]["name"] if who else "", "ignore_auth": False}
            with pytest.raises(tk.NotAuthorized):
                helpers.call_action(action, context=context, **data)
    assert records.audit_rows() == [] and records.targets() == {} and records.manual_values() == {}


BAD = [("satudata_monev_target_update", {"code": "tidak_ada", "year": 2026, "value": "1"}, "code",
        "Kode IKU tidak dikenal: tidak_ada"),
       ("satudata_monev_target_update", {"code": "dataset_tersedia", "year": "dua ribu", "value": "1"}, "year",
        "Tahun harus berupa angka empat digit"),
       ("satudata_monev_target_update", {"code": "dataset_tersedia", "year": 2026, "value": "-5"}, "value",
        "Target tidak boleh negatif"),
       ("satudata_monev_target_update", {"code": "dataset_tersedia", "year": 2026, "value": "banyak"}, "value",
        "Target harus berupa angka"),
       ("satudata_monev_manual_update", {"code": "dataset_tersedia", "year": 2026, "value": "1", "source": "x",
                                         "measured_on": "2026-01-01"}, "code",
        "IKU dataset_tersedia dihitung oleh portal dan tidak dapat diinput"),
       ("satudata_monev_manual_update", {"code": "asn_terlatih", "year": 2026, "value": "1", "source": " ",
                                         "measured_on": "2026-01-01"}, "source", "Sumber wajib diisi"),
       ("satudata_monev_manual_update", {"code": "asn_terlatih", "year": 2026, "value": "1", "source": "x",
                                         "measured_on": "31/01/2026"}, "measured_on",
        "Tanggal data harus berupa tanggal (TTTT-BB-HH)"),
       ("satudata_monev_manual_update", {"code": "asn_terlatih", "year": 2026, "source": "x",
                                         "measured_on": "2026-01-01"}, "value", "Nilai wajib diisi"),
       ("satudata_monev_challenge_create", {"year": 2026, "tantangan": "", "tindak_lanjut": "b"}, "tantangan",
        "Tantangan wajib diisi"),
       ("satudata_monev_show", {"year": 1999}, "year", "Tahun harus antara 2000 dan 2100"),
       ("satudata_monev_export", {"format": "xlsx"}, "format", "Format ekspor harus csv atau json")]


def test_bad_input(portal):
    """Bad input is a validation error naming the field in Indonesian; nothing is written."""
    for action, data, field, message in BAD:
        with pytest.raises(tk.ValidationError) as err:
            portal.call(action, "walidata", **data)
        assert err.value.error_dict[field] == [message], (action, field)
    assert records.audit_rows() == [] and records.targets() == {} and records.manual_values() == {}


def test_export_csv_and_json(portal, catalogue):
    """The export gives the shown figures: CSV with computed rows then diinput walidata rows, JSON as the
    show action; the rahasia dataset is counted but never named."""
    portal.call("satudata_monev_manual_update", "walidata", code="rapat_evaluasi", year=2026, value="4",
                source="Notulen Forum Satu Data", measured_on="2026-01-30")
    with freeze_time(NOW):
        board = anon("satudata_monev_show", year=2026)
        as_csv = anon("satudata_monev_export", year=2026, format="csv")
        as_json = anon("satudata_monev_export", year=2026, format="json")
    assert as_csv["filename"] == "capaian-kinerja-2026.csv" and as_csv["mimetype"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(as_csv["content"])))
    assert [r["kode"] for r in rows] == [i["code"] for i in board["indicators"]] + [m["code"] for m in board["manual"]]
    by_code = {r["kode"]: r for r in rows}
    assert by_code["dataset_tersedia"]["nilai"] == "2" and by_code["dataset_tersedia"]["jenis"] == "dihitung"
    assert by_code["dataset_tersedia"]["target"] == "150"
    assert by_code["aplikasi_opd_api"]["status"] == "belum tersedia" and by_code["aplikasi_opd_api"]["nilai"] == ""
    assert by_code["rapat_evaluasi"]["jenis"] == "diinput walidata" and by_code["rapat_evaluasi"]["nilai"] == "4"
    assert by_code["rapat_evaluasi"]["sumber_nilai"] == "Notulen Forum Satu Data"
    exported = json.loads(as_json["content"])
    assert _by_code(exported) == _by_code(board) and exported["manual"] == board["manual"]
    for text in (as_csv["content"], as_json["content"], json.dumps(board)):
        assert SECRET not in text and "Penerima Khusus" not in text and catalogue["secret"]["id"] not in text


@pytest.mark.ckan_config(CACHE_TTL, 300)
def test_cached_until_a_change(portal):
    """Figures are served from the cache until a dataset changes; a walidata edit shows at once."""
    assert _by_code(anon("satudata_monev_show"))["dataset_tersedia"]["value"] == 0
    records.add_beat(dt.datetime.utcnow(), True, 200, 1, None)  # no action: the cached figure stays
    model.repo.commit()
    assert _by_code(anon("satudata_monev_show"))["uptime_portal"]["status"] == "tanpa_data"
    baru = portal.dataset(name="baru")  # a draft: not counted, but its creation orphans the cache
    assert _by_code(anon("satudata_monev_show"))["dataset_tersedia"]["value"] == 0
    portal.publish(baru["id"])
    board = anon("satudata_monev_show")
    assert _by_code(board)["dataset_tersedia"]["value"] == 1 and _by_code(board)["uptime_portal"]["value"] == 100.0
    portal.call("satudata_monev_target_update", "walidata", code="dataset_tersedia", year=dt.date.today().year,
                value="7")
    assert _by_code(anon("satudata_monev_show"))["dataset_tersedia"]["target"]["value"] == 7.0


@pytest.mark.ckan_config(COMPLETE_AT, 95)
def test_priority_figures_with_a_daftar_data_answer(portal, catalogue, monkeypatch):
    """With a daftar data answer of the contract shape naming the fixture's datasets (the plugin is built
    elsewhere), the priority figures read the real index and tickets. Of the 4 ids listed, the published
    catalogue holds 2 (the draft is not published, one id is gone): complete 2 of 2 (both reach 95), meeting
    the quality rules 2 of 2 (the only open ticket is the draft's, not one of the 2); once the draft is
    published, 2 of 3 for both; ids asked in chunks sum up the same."""
    from ckanext.satudatapasuruan.monev import compute, figures, reader

    ids = [catalogue[k]["id"] for k in ("entered", "secret", "draft")] + ["gone-from-catalogue"]
    answer = {"list_updates_per_year": {"2026": 2}, "priority_entries": 4, "priority_available": 3,
              "priority_package_ids": ids, "apps_total": 4, "apps_integrated_api": 1, "per_opd": {}}
    monkeypatch.setattr(reader, "ID_CHUNK", 2)
    with freeze_time(NOW):
        read = reader.Reader()
        read._memo[(figures.DAFTARDATA, "{}")] = answer  # the answer the action would give
        data = compute.inputs(read, 2026, dt.date(2026, 2, 1))
        figs = compute.year_figures(read, 2026, dt.datetime(2026, 2, 1, 2, 2, 30), data)
    assert data["priority"]["count"] == 2 and len(data["open_tickets"]) == 1
    found = {i["name"] for i in data["priority"]["search_facets"]["id"]["items"]}
    assert found == {catalogue["entered"]["id"], catalogue["secret"]["id"]}  # the published ones, by the id facet
    assert data["open_tickets"][0]["package_id"] == catalogue["draft"]["id"]
    done = figs["prioritas_metadata_lengkap"]
    assert (done.value, done.numerator, done.denominator, done.detail["listed"]) == (100.0, 2, 2, 4)
    quality = figs["prioritas_standar_kualitas"]
    assert (quality.value, quality.numerator, quality.denominator, quality.detail["with_open_ticket"]) == \
        (100.0, 2, 2, 0)
    assert figs["aplikasi_opd_api"].value == 25.0 and figs["pembaruan_daftar_prioritas"].value == 2
    # The walidata publishes the draft over the gate, its ticket still open: 3 published priority datasets,
    # complete 2 of 3 (the draft: 89 < 95), meeting the quality rules 2 of 3 (its open ticket now counts).
    with freeze_time(NOW):
        portal.call("satudata_workflow_submit", "operator", id=catalogue["draft"]["id"])
        portal.call("satudata_workflow_approve", "verifikator", id=catalogue["draft"]["id"])
        portal.call("satudata_workflow_publish", "walidata", id=catalogue["draft"]["id"],
                    gate_override_reason="Surel kontak menyusul dari OPD pekan ini")
        read = reader.Reader()
        read._memo[(figures.DAFTARDATA, "{}")] = answer
        data = compute.inputs(read, 2026, dt.date(2026, 2, 1))
        figs = compute.year_figures(read, 2026, dt.datetime(2026, 2, 1, 2, 2, 30), data)
    assert data["priority"]["count"] == 3 and len(data["open_tickets"]) == 1
    done = figs["prioritas_metadata_lengkap"]
    assert (done.value, done.numerator, done.denominator) == (66.67, 2, 3)
    quality = figs["prioritas_standar_kualitas"]
    assert (quality.value, quality.numerator, quality.denominator, quality.detail["with_open_ticket"]) == \
        (66.67, 2, 3, 1)
