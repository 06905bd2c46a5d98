"""The figure functions on hand-built answers of the contract shapes (the daftar data, rekomendasi, harvest,
quality, calendar and feedback actions), with the numbers worked out by hand; and the IKU file."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.satudatapasuruan.monev import figures as f
from ckanext.satudatapasuruan.monev import iku

DAFTARDATA = {"list_updates_per_year": {"2025": 1, "2026": 2}, "priority_entries": 5, "priority_available": 4,
              "priority_package_ids": ["p1", "p2", "p3", "p4"], "apps_total": 8, "apps_integrated_api": 3,
              "per_opd": {"dinkes": {"priority_entries": 3, "priority_available": 3, "apps_total": 5,
                                     "apps_integrated_api": 1},
                          "dispendukcapil": {"priority_entries": 2, "priority_available": 1, "apps_total": 3,
                                             "apps_integrated_api": 2}}}
# A search over the priority ids: 4 in the (published) catalogue, named by its id facet; complete (>= 95):
# dinkes 2 of 3, dispendukcapil 0 of 1.
PRIORITY = {"count": 4, "search_facets": {"kelengkapan_opd": {"items": [
    {"name": "dinkes|100", "count": 1}, {"name": "dinkes|97", "count": 1}, {"name": "dinkes|60", "count": 1},
    {"name": "dispendukcapil|89", "count": 1}]}, "id": {"items": [{"name": f"p{i}", "count": 1} for i in range(1, 5)]}}}
TICKETS = [{"package_id": "p1", "organization": "dinkes", "status": "terbuka"},
           {"package_id": "p1", "organization": "dinkes", "status": "dikerjakan"},  # same dataset: once
           {"package_id": "p4", "organization": "dispendukcapil", "status": "selesai"},  # closed: no fault
           {"package_id": "other", "organization": "dinkes", "status": "terbuka"}]  # not a priority dataset
REKOMENDASI = {"applications": 6, "issued": 4, "issued_with_qr": 3, "refused": 1, "share": 0.75, "target": 1.0,
               "per_year": {"2025": {"applications": 2, "issued": 1, "issued_with_qr": 1, "refused": 0},
                            "2026": {"applications": 4, "issued": 3, "issued_with_qr": 2, "refused": 1}},
               "per_opd": {"id-dinkes": {"organization": "dinkes", "title": "Dinkes", "applications": 4, "issued": 3,
                                         "issued_with_qr": 2, "refused": 1}}}
HARVEST = {"numerator": 2, "denominator": 5, "share": 0.4, "measured_at": "2026-02-01T00:00:00+00:00",
           "organizations": [{"id": "id-dinkes", "name": "dinkes", "title": "Dinkes", "numerator": 2,
                              "denominator": 3, "share": 0.6667}]}
QUALITY = {"target_days": 7, "rows": [
    {"month": "2025-12", "organization": "dinkes", "opened": 9, "closed_in_time": 9, "pending": 0},
    {"month": "2026-01", "organization": "dinkes", "opened": 4, "closed_in_time": 2, "pending": 1},
    {"month": "2026-02", "organization": "dispendukcapil", "opened": 3, "closed_in_time": 1, "pending": 0}]}
CALENDAR = {"year": 2026, "priority_entries": 6, "due": 4, "on_schedule": 3, "share": 0.75,
            "per_opd": [{"organization": "id-dinkes", "name": "dinkes", "title": "Dinkes", "priority_entries": 4,
                         "due": 2, "on_schedule": 2, "share": 1.0}]}
RATINGS = {"scope": "portal", "count": 2, "average": 4.5, "distribution": {"4": 1, "5": 1},
           "datasets": {"count": 3, "average": 3.0, "distribution": {"1": 1, "3": 1, "5": 1}}}


def test_daftardata_figures():
    """Apps 3/8; priority complete 2/4 at 95; quality: one faulty priority dataset of 4; list updates 2."""
    assert f.apps_integrated(DAFTARDATA).as_dict()["value"] == 37.5
    done = f.priority_complete(DAFTARDATA, PRIORITY, 95)
    assert (done.value, done.numerator, done.denominator, done.detail["listed"]) == (50.0, 2, 4, 4)
    assert f.priority_complete(DAFTARDATA, PRIORITY, 100).value == 25.0
    quality = f.priority_quality(DAFTARDATA, PRIORITY, TICKETS)
    assert (quality.value, quality.numerator, quality.detail["with_open_ticket"]) == (75.0, 3, 1)
    assert f.list_updates(DAFTARDATA, 2026).value == 2 and f.list_updates(DAFTARDATA, 2027).value == 0
    # p1 still a draft: the published search finds p2-p4 only, and p1's open ticket is not held against them.
    published = {"count": 3, "search_facets": {"kelengkapan_opd": {"items": []}, "id": {"items": [
        {"name": f"p{i}", "count": 1} for i in range(2, 5)]}}}
    quality = f.priority_quality(DAFTARDATA, published, TICKETS)
    assert (quality.value, quality.numerator, quality.denominator, quality.detail["with_open_ticket"]) == \
        (100.0, 3, 3, 0)


def test_absent_sources_say_belum_tersedia():
    """No source action: belum tersedia naming what is missing, never a number."""
    for fig, missing in ((f.apps_integrated(None), ["satudata_daftardata_kpi"]),
                         (f.priority_complete(None, None, 100), ["satudata_daftardata_kpi"]),
                         (f.priority_quality(DAFTARDATA, PRIORITY, None), ["satudata_quality_open_ticket_datasets"]),
                         (f.list_updates(None, 2026), ["satudata_daftardata_kpi"]),
                         (f.recommendations_qr(None, 2026), ["satudata_rekomendasi_kpi"]),
                         (f.priority_synced(None), ["satudata_harvest_kpi"]),
                         (f.tickets_in_week(None, 2026), ["satudata_quality_kpi"]),
                         (f.released_on_schedule(None), ["satudata_calendar_kpi"]),
                         (f.satisfaction(None), ["satudata_rating_summary"]),
                         (f.downloads(None), ["satudata_usage_show"]),
                         (f.datasets_available(None), ["package_search"])):
        assert fig.as_dict()["status"] == "belum_tersedia" and fig.value is None and list(fig.missing) == missing


def test_other_instruments():
    """QR 2/3 issued in 2026; harvest 2/5; tickets of 2026: (2+1) in time of (4-1)+3; calendar 3/4;
    satisfaction (4+5+1+3+5)/5; downloads from the usage totals."""
    assert f.recommendations_qr(REKOMENDASI, 2026).value == 66.67
    assert f.recommendations_qr(REKOMENDASI, 2024).status is f.Status.TANPA_DATA
    assert f.priority_synced(HARVEST).value == 40.0
    tickets = f.tickets_in_week(QUALITY, 2026)
    assert (tickets.value, tickets.numerator, tickets.denominator) == (50.0, 3, 6)
    assert f.tickets_in_week(QUALITY, 2025).value == 100.0
    assert f.released_on_schedule(CALENDAR).value == 75.0
    assert f.satisfaction(RATINGS).value == 3.6
    assert f.downloads({"totals": {"view": 9, "download": 12, "scan": 1}}).value == 12


def test_visits_uptime_and_shares():
    """Average monthly visits from the first counted month; uptime capped; empty denominators are tanpa data."""
    months = {dt.date(2026, 3, 1): 40, dt.date(2026, 4, 1): 20, dt.date(2025, 12, 1): 99}
    # First visit in March 2026, today in May: March, April, May = 3 months, 60 visits.
    assert f.monev_visits(months, dt.date(2026, 3, 1), 2026, dt.date(2026, 5, 10)).value == 20.0
    # A past year: from its first month to December.
    assert f.monev_visits(months, dt.date(2025, 12, 1), 2025, dt.date(2026, 5, 10)).value == 99.0
    assert f.monev_visits({}, None, 2026, dt.date(2026, 5, 10)).status is f.Status.TANPA_DATA
    assert f.uptime(5, 4).value == 100.0 and f.uptime(0, 0).status is f.Status.TANPA_DATA
    assert f.share(1, 3).value == 33.33 and f.share(1, 0).status is f.Status.TANPA_DATA


def test_per_opd_from_contracts():
    """Per OPD: the daftar data by OPD name, rekomendasi by OPD id, calendar and harvest by name."""
    orgs = [{"id": "id-dinkes", "name": "dinkes"}, {"id": "id-dukcapil", "name": "dispendukcapil"}]
    catalogue = {"count": 5, "search_facets": {"organization": {"items": [{"name": "dinkes", "count": 4},
                                                                           {"name": "dispendukcapil", "count": 1}]}}}
    web = {"count": 2, "search_facets": {"organization": {"items": [{"name": "dinkes", "count": 2}]}}}
    out = f.per_opd(orgs, year=2026, current=True, complete_at=95, catalogue=catalogue, web=web, created=None,
                    daftardata=DAFTARDATA, priority=PRIORITY, open_tickets=TICKETS, harvest=HARVEST,
                    calendar=CALENDAR, quality_kpi=QUALITY, rekomendasi=REKOMENDASI,
                    downloads_by_org={"id-dinkes": {"totals": {"download": 7}}, "id-dukcapil": None},
                    ratings_by_org=None)
    dinkes = {k: v.value for k, v in out["id-dinkes"].items()}
    assert dinkes["dataset_tersedia"] == 4 and dinkes["dataset_platform_web"] == 50.0
    assert dinkes["aplikasi_opd_api"] == 20.0 and dinkes["prioritas_metadata_lengkap"] == 66.67
    assert dinkes["prioritas_standar_kualitas"] == 66.67  # 3 priority datasets, one with an open ticket
    assert dinkes["prioritas_sinkron_otomatis"] == 66.67 and dinkes["rilis_sesuai_jadwal"] == 100.0
    assert dinkes["tiket_selesai_sepekan"] == 66.67  # 2 in time of 4 - 1 pending
    assert dinkes["rekomendasi_ber_qr"] == 66.67 and dinkes["unduhan_data"] == 7
    assert out["id-dinkes"]["metadata_dataset_baru"].status is f.Status.BELUM_TERSEDIA
    assert out["id-dinkes"]["kepuasan_pengguna"].status is f.Status.BELUM_TERSEDIA
    dukcapil = out["id-dukcapil"]
    assert dukcapil["aplikasi_opd_api"].value == 66.67 and dukcapil["prioritas_metadata_lengkap"].value == 0.0
    assert dukcapil["rekomendasi_ber_qr"].status is f.Status.TANPA_DATA
    assert dukcapil["unduhan_data"].status is f.Status.BELUM_TERSEDIA


def test_score():
    """Mean attainment capped at 100 over the figures with a value and a target."""
    assert f.attainment(30, 60) == 50.0 and f.attainment(None, 60) is None and f.attainment(3, None) is None
    assert f.score({"a": 30, "b": 90, "c": None, "d": 5}, {"a": 60, "b": 60, "c": 10, "d": None}) == 75.0
    assert f.score({"a": None}, {"a": 1}) is None


def test_iku_file():
    """The shipped IKU: 16 computed, 6 manual, every target year in 2025-2029, the garbled download targets
    flagged, both visit series shipped with the action-plan one as default."""
    cat = iku.catalogue()
    assert len(cat.of_kind(iku.Kind.COMPUTED)) == 16 and len(cat.of_kind(iku.Kind.MANUAL)) == 6
    assert iku.get("dataset_tersedia").targets == {2025: 50, 2026: 150, 2027: 300, 2028: 500, 2029: 750}
    assert iku.get("unduhan_data").targets_status is iku.TargetStatus.PERLU_KONFIRMASI
    visits = iku.get("kunjungan_monev")
    assert set(visits.series) == {"rencana_aksi", "program"} and visits.targets[2029] == 1200
    assert iku.text(visits.name, "en") == "Average monthly visits to the Monev dashboard"


@pytest.mark.parametrize(("text", "message"), [
    ("years: []", "no years"),
    ("years: [2025]\nunits: {x: {id: x}}\nindicators:\n - {code: a, kind: computed, unit: y, name: {id: A}}",
     "unknown unit"),
    ("years: [2025]\nunits: {x: {id: x}}\nindicators:\n - {code: a, kind: computed, unit: x, name: {id: A},"
     " source: {id: s}, targets: {2030: 1}}", "target year 2030"),
    ("years: [2025]\nunits: {x: {id: x}}\nindicators:\n - {code: a, kind: computed, unit: x, name: {id: A},"
     " source: {id: s}}\n - {code: a, kind: manual, unit: x, name: {id: A}, source: {id: s}}", "a twice"),
])
def test_bad_iku_file(text, message):
    """A malformed IKU file is refused with the reason."""
    with pytest.raises(ValueError, match=message):
        iku.load(text)
