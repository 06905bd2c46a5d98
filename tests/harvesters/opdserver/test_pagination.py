"""Every listing of the OPD server, walked as the harvester contract says, yields each record exactly once."""
from __future__ import annotations

import pytest

from ckanext.satudatapasuruan.harvesters.opdserver import DEFAULT_API_KEY, DEFAULT_TOKEN
from ckanext.satudatapasuruan.harvesters.opdserver.testing import running_server

from .client import get, walk

SIPD = {"auth": {"type": "bearer", "token": DEFAULT_TOKEN}, "records_path": "data"}
KEY = {"auth": {"type": "header", "name": "X-API-Key", "value": DEFAULT_API_KEY}}

# (path, system, config): one per way the server paginates.
MODES = {
    "page": ("/sipd/api/v1/realisasi", "sipd",
             {**SIPD, "pagination": {"type": "page", "param": "page", "start": 1, "size_param": "per_page",
                                     "size": 10}}),
    "cursor": ("/absensi/api/v1/rekap-kehadiran", "absensi",
               {**KEY, "records_path": "data", "query": {"limit": "10"},
                "pagination": {"type": "cursor", "param": "cursor", "cursor_path": "meta.next_cursor"}}),
    "next_link_body": ("/absensi/api/v2/rekap-kehadiran", "absensi",
                       {**KEY, "records_path": "data", "query": {"per_page": "10"},
                        "pagination": {"type": "next_link", "next_path": "links.next"}}),
    "next_link_header": ("/absensi/api/v2/rekap-kehadiran", "absensi",
                         {**KEY, "records_path": "data", "query": {"per_page": "10"},
                          "pagination": {"type": "next_link"}}),
    "offset_csv": ("/absensi/ekspor/rekap-kehadiran.csv", "absensi",
                   {**KEY, "format": "csv", "pagination": {"type": "offset", "param": "offset",
                                                           "limit_param": "limit", "size": 10}}),
    "xlsx": ("/absensi/ekspor/rekap-kehadiran.xlsx", "absensi", {**KEY, "format": "xlsx"}),
}
ID = {"sipd": "id", "absensi": "id_rekap"}


def _ids(records, system):
    return [str(r[ID[system]]) for r in records]


@pytest.mark.parametrize("count", [53, 50, 0], ids=["partial-last-page", "exact-pages", "empty"])
@pytest.mark.parametrize("mode", list(MODES))
def test_walk_yields_every_record_once(mode, count):
    """Walking the listing returns all records, none twice, in the server's order, whatever the page fit."""
    path, system, config = MODES[mode]
    with running_server(records=count) as server:
        records, replies = walk(server.url + path, config)
        expected = _ids(server.records(system), system)
    assert _ids(records, system) == expected
    assert len(set(expected)) == count
    if mode not in ("xlsx",) and count:
        assert len(replies) >= count // 10  # it really paged


@pytest.mark.parametrize("mode", list(MODES))
def test_order_is_stable(opd_server, mode):
    """The same request answers the same body twice: the ordering does not drift between requests."""
    path, _, config = MODES[mode]
    first, _ = walk(opd_server.url + path, config)
    second, _ = walk(opd_server.url + path, config)
    assert first == second


def test_csv_and_xlsx_carry_the_json_records(opd_server):
    """CSV and XLSX hold the same records and fields as the JSON listing (CSV as text, XLSX typed)."""
    expected = opd_server.records("absensi")
    csv_records, _ = walk(opd_server.url + MODES["offset_csv"][0], MODES["offset_csv"][2])
    xlsx_records, _ = walk(opd_server.url + MODES["xlsx"][0], MODES["xlsx"][2])
    assert csv_records == [{k: str(v) for k, v in r.items()} for r in expected]
    assert xlsx_records == expected


def test_cursor_walk_survives_removal_before_the_cursor(opd_server):
    """The cursor is keyset-based: removing an already-seen record neither repeats nor skips later ones."""
    path, system, _ = MODES["cursor"]
    headers = {"X-API-Key": DEFAULT_API_KEY}
    first = get(f"{opd_server.url}{path}?limit=10", headers).json()
    opd_server.remove(system, first["data"][0]["id_rekap"])
    second = get(f"{opd_server.url}{path}?limit=10&cursor={first['meta']['next_cursor']}", headers).json()
    assert [r["id_rekap"] for r in second["data"]] == _ids(opd_server.records(system)[9:19], system)


def test_page_meta_describes_the_listing(opd_server):
    """SIPD's meta gives page, per_page, total and total_pages of the whole listing."""
    reply = get(f"{opd_server.url}/sipd/api/v1/realisasi?page=2&per_page=20",
                {"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    assert reply.json()["meta"] == {"page": 2, "per_page": 20, "total": 50, "total_pages": 3}
    assert len(reply.json()["data"]) == 20


def test_next_link_keeps_the_query_and_ends(opd_server):
    """Next links keep the filters of the request; the last page has neither links.next nor a Link header."""
    url = f"{opd_server.url}/absensi/api/v2/rekap-kehadiran?tahun=2026&per_page=30"
    first = get(url, {"X-API-Key": DEFAULT_API_KEY})
    assert "tahun=2026" in first.json()["links"]["next"]
    assert first.headers["Link"] == f'<{first.json()["links"]["next"]}>; rel="next"'
    last = get(first.json()["links"]["next"], {"X-API-Key": DEFAULT_API_KEY})
    assert last.json()["links"]["next"] is None and "Link" not in last.headers


@pytest.mark.parametrize("path, query, field, value", [
    ("/sipd/api/v1/realisasi", "tahun=2025", "tahun", 2025),
    ("/absensi/api/v1/rekap-kehadiran", "bulan=11", "bulan", 11),
])
def test_filters_select_records(path, query, field, value):
    """A filter parameter keeps only the matching records, and all of them."""
    with running_server(records=200) as server:
        system = "sipd" if path.startswith("/sipd") else "absensi"
        auth = {"Authorization": f"Bearer {DEFAULT_TOKEN}"} if system == "sipd" else {"X-API-Key": DEFAULT_API_KEY}
        body = get(f"{server.url}{path}?{query}&{'per_page' if system == 'sipd' else 'limit'}=1000", auth).json()
        expected = [r for r in server.records(system) if r[field] == value]
    assert body["data"] == expected and 0 < len(expected) < 200


@pytest.mark.parametrize("path, query", [
    ("/sipd/api/v1/realisasi", "page=0"),
    ("/sipd/api/v1/realisasi", "page=dua"),
    ("/sipd/api/v1/realisasi", "per_page=0"),
    ("/sipd/api/v1/realisasi", "per_page=1001"),
    ("/sipd/api/v1/realisasi", "page=" + "9" * 5000),
    ("/absensi/api/v1/rekap-kehadiran", "cursor=%%%"),
    ("/absensi/api/v1/rekap-kehadiran", "limit=-1"),
    ("/absensi/ekspor/rekap-kehadiran.csv", "offset=x"),
    ("/absensi/ekspor/rekap-kehadiran.csv", "limit=5000"),
])
def test_bad_paging_parameters_answer_400(opd_server, path, query):
    """A malformed or out-of-range paging parameter is a 400 with a JSON error, not a guess."""
    auth = {"Authorization": f"Bearer {DEFAULT_TOKEN}", "X-API-Key": DEFAULT_API_KEY}
    reply = get(f"{opd_server.url}{path}?{query}", auth)
    assert reply.status == 400
    assert reply.json()["error"] == "bad_request"


def test_page_beyond_the_end_is_empty(opd_server):
    """A page past the last one is an empty list, which ends a page-number walk."""
    reply = get(f"{opd_server.url}/sipd/api/v1/realisasi?page=99", {"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    assert reply.status == 200 and reply.json()["data"] == []
