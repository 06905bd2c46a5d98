"""The access matrix: every role × access class × workflow state × endpoint, asserted cell by cell.

The expectation (``meta_visible``/``data_visible``) is written here from the issue's rules, not taken
from the plugin, so the test fails if the plugin and the rules part ways. Every API call goes over
HTTP with the role's API token (anonymous: none), as an OPD system or a citizen would make it.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

import icalendar
import pytest
from ckan.tests import helpers

from ckanext.satudatapasuruan.feedback import config as feedback_config

from .conftest import PLUGINS

# The public plugins and the theme go before scheming, as in config/ckan.ini: their pages, feeds and counters
# are exits too.
PUBLIC_PLUGINS = ("satudata_workflow satudata_infographic satudata_dashboard satudata_calendar satudata_feedback "
                  "satudata_daftardata satudata_monev")
MATRIX_PLUGINS = (PLUGINS.replace("satudata_workflow", PUBLIC_PLUGINS + " satudata_theme")
                  + " dcat satudata_dcat")
RELEASE_DAY = dt.date.today() + dt.timedelta(days=20)
pytestmark = [pytest.mark.ckan_config("ckan.plugins", MATRIX_PLUGINS),
              pytest.mark.ckan_config("ckan.datastore.sqlsearch.enabled", "true"),
              pytest.mark.ckan_config(feedback_config.RATING_LIMIT, 1000),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore")]

# penerima: a citizen the OPD granted access to its terbatas data while it was published.
ROLES = ("anonim", "warga", "penerima", "operator", "operator_lain", "verifikator", "walidata", "pembina",
         "sysadmin")
CLASSES = ("terbuka", "terbatas", "rahasia")
# Each state and the steps that reach it from a fresh draft.
STATES = {
    "draft": [],
    "diajukan": ["submit"],
    "diverifikasi_opd": ["submit", "approve"],
    "terbit": ["submit", "approve", "publish"],
    "dikembalikan": ["submit", "return"],
    "ditarik": ["submit", "approve", "publish", "withdraw"],
}
ACTOR = {"submit": "operator", "approve": "verifikator", "publish": "walidata", "return": "verifikator",
         "withdraw": "walidata"}
OPD = {"operator", "verifikator"}


def meta_visible(role: str, klass: str, state: str) -> bool:
    """Metadata: public once published unless rahasia; before that the OPD, the walidata and, for
    submissions that are not rahasia, the pembina; rahasia only the OPD, the walidata and sysadmins."""
    if role == "sysadmin" or (state == "terbit" and klass != "rahasia"):
        return True
    if role in OPD or role == "walidata":
        return True
    return role == "pembina" and klass != "rahasia" and state != "draft"


def data_visible(role: str, klass: str, state: str) -> bool:
    """Files and DataStore rows: as the metadata, but terbatas data only for its owners and the users
    granted access."""
    if not meta_visible(role, klass, state):
        return False
    return klass != "terbatas" or role in OPD | {"walidata", "pembina", "sysadmin"} or role == "penerima"


def _token(word: str) -> str:
    return "matriks" + word.replace("_", "")


@pytest.fixture
def world(portal, create_with_upload):
    """18 datasets (3 classes × 6 states), each with an uploaded CSV, a DataStore table and a calendar entry."""
    datasets = {}
    for n, (klass, state) in enumerate(itertools.product(CLASSES, STATES)):
        name = f"matriks-{klass}-{state.replace('_', '-')}"
        ds = portal.dataset(klass, name=name, title=f"Data {_token(klass)} {_token(state)} nomor{n}",
                            tag_string="matriksuji")
        res = create_with_upload("kode,jumlah\n35.14.01,10\n", "data.csv", package_id=ds["id"], url="data.csv",
                                 format="CSV", context=portal.ctx("operator"))
        helpers.call_action("datastore_create", context={"user": "sysadmin"}, resource_id=res["id"], force=True,
                            fields=[{"id": "kode", "type": "text"}, {"id": "jumlah", "type": "int"}],
                            records=[{"kode": "35.14.01", "jumlah": 10}])
        for step in STATES[state]:
            portal.call(f"satudata_workflow_{step}", ACTOR[step], id=ds["id"], note="uji matriks")
            if step == "publish" and klass == "terbatas":
                request = portal.call("satudata_access_request_create", "penerima", id=ds["id"],
                                      purpose="Penelitian skripsi tentang kependudukan")
                portal.call("satudata_access_request_decide", "verifikator", id=request["id"], decision="setujui")
        # a release-calendar entry carrying the dataset: the entry is public, the dataset only to who sees it
        portal.call("satudata_calendar_entry_create", "operator", owner_org=ds["owner_org"], package_id=ds["id"],
                    title=f"Rilis jadwal nomor{n}", period="2026", scheduled_date=RELEASE_DAY.isoformat())
        datasets[(klass, state)] = {"id": ds["id"], "name": name, "resource": res["id"], "n": n,
                                    "download": res["url"]}
    # one daftar data entry fulfilled by all of them: it names a dataset only to who may see it
    portal.call("satudata_daftardata_entry_create", "walidata", owner_org=portal.opd["name"],
                name="Data uji matriks akses", urusan="2.12", frekuensi="tahunan", target_year=2026, priority=True,
                dasar_hukum="Uji matriks", status="tersedia", package_ids=[d["id"] for d in datasets.values()])
    return datasets


def _api(app, headers, action: str, **data: Any) -> dict[str, Any]:
    response = app.post(f"/api/3/action/{action}", json=data, headers=headers, status=None)
    assert response.status_code != 500, (action, data, response.body[:500])
    return response.json


def test_access_matrix(app, portal, world, capsys):
    """Zero leaks and no lost access, over every cell."""
    cells, wrong = 0, []

    def check(role, klass, state, endpoint, got, expected):
        nonlocal cells
        cells += 1
        if bool(got) != bool(expected):
            wrong.append(f"{role} × {klass} × {state} × {endpoint}: got {bool(got)}, expected {bool(expected)}")

    for role in ROLES:
        headers = {} if role == "anonim" else {"Authorization": portal.users[role]["token"]}
        catalog = app.get("/catalog.ttl", headers=headers).body
        search = _api(app, headers, "package_search", fq="tags:matriksuji", rows=100, include_private=True,
                      **{"facet.field": ["klasifikasi_akses", "workflow_state"]})["result"]
        found = {d["name"] for d in search["results"]}
        expected_names = {ds["name"] for (k, s), ds in world.items() if meta_visible(role, k, s)}
        check(role, "*", "*", "package_search count", search["count"] == len(expected_names), True)
        facets = {i["name"]: i["count"] for i in search["search_facets"]["klasifikasi_akses"]["items"]}
        want = Counter(k for (k, s) in world if meta_visible(role, k, s))
        for klass in CLASSES:
            check(role, klass, "*", "facet klasifikasi_akses", facets.get(klass, 0) == want[klass], True)
        public_only = _api(app, headers, "package_search", fq="tags:matriksuji", rows=100)["result"]
        recent = _api(app, headers, "recently_changed_packages_activity_list", limit=100)
        recent_ids = {a["object_id"] for a in recent.get("result") or []}
        home = app.get("/", headers=headers).body
        newest = app.get("/data-terbaru", headers=headers).body
        feed = icalendar.Calendar.from_ical(app.get("/kalender-rilis.ics", headers=headers).body)
        feed_text = "\n".join(str(event.get("description", "")) + str(event.get("summary", ""))
                               for event in feed.walk("VEVENT"))
        month = app.get("/kalender-rilis", params={"bulan": RELEASE_DAY.strftime("%Y-%m")}, headers=headers).body
        gallery = app.get("/galeri-infografis", headers=headers).body
        dashboard = app.get("/dashboard-statistik", headers=headers).body
        used = _api(app, headers, "satudata_usage_show", limit=1000)["result"]["datasets"]
        used_ids = {row["package_id"] for row in used}
        listed = _api(app, headers, "satudata_daftardata_entry_list", q="matriks akses")["result"]["results"]
        listed_ids = {d["id"] for e in listed for d in e["datasets"]}
        daftar_page = app.get("/daftar-data", headers=headers).body
        monev = app.get("/capaian-kinerja", headers=headers).body + str(
            _api(app, headers, "satudata_monev_export", format="json")["result"])

        for (klass, state), ds in world.items():
            meta, data = meta_visible(role, klass, state), data_visible(role, klass, state)
            public = state == "terbit" and klass != "rahasia"
            page = app.get(f"/dataset/{ds['name']}", headers=headers, status=None)
            assert page.status_code != 500
            check(role, klass, state, "dataset page", page.status_code == 200, meta)
            shown = _api(app, headers, "package_show", id=ds["id"])
            check(role, klass, state, "package_show", shown["success"], meta)
            address = shown["result"]["resources"][0]["url"] if shown["success"] else ""
            check(role, klass, state, "file address shown", "/download/" in address, data)
            by_q = _api(app, headers, "package_search", q=_token(klass) + " " + _token(state),
                        include_private=True, fq="tags:matriksuji")["result"]["results"]
            hit = [d for d in by_q if d["id"] == ds["id"]]
            check(role, klass, state, "package_search q", hit, meta)
            check(role, klass, state, "file address in search", hit and "/download/" in hit[0]["resources"][0]["url"],
                  data)
            check(role, klass, state, "package_search fq", ds["name"] in found, meta)
            check(role, klass, state, "package_search default (public only)",
                  any(d["id"] == ds["id"] for d in public_only["results"]), public)
            check(role, klass, state, "resource_show",
                  _api(app, headers, "resource_show", id=ds["resource"])["success"], data)
            download = app.get(ds["download"].replace("http://test.ckan.net", ""), headers=headers, status=None)
            assert download.status_code != 500
            check(role, klass, state, "file download", download.status_code == 200, data)
            check(role, klass, state, "datastore_search",
                  _api(app, headers, "datastore_search", resource_id=ds["resource"])["success"], data)
            sql = _api(app, headers, "datastore_search_sql", sql=f'SELECT * FROM "{ds["resource"]}"')
            check(role, klass, state, "datastore_search_sql", sql["success"], data)
            ttl = app.get(f"/dataset/{ds['name']}.ttl", headers=headers, status=None)
            assert ttl.status_code != 500
            # The DCAT outputs are the federation interface: published and not rahasia, whoever asks.
            check(role, klass, state, "DCAT dataset", ttl.status_code == 200, public)
            check(role, klass, state, "DCAT catalog", f"/dataset/{ds['id']}" in catalog, public)
            activity = _api(app, headers, "package_activity_list", id=ds["id"])
            check(role, klass, state, "activity stream", activity["success"] and activity["result"], meta)
            check(role, klass, state, "recent activity", ds["id"] in recent_ids, meta)
            auto = app.get("/api/2/util/dataset/autocomplete", params={"incomplete": f"nomor{ds['n']}"},
                           headers=headers).json["ResultSet"]["Result"]
            title = f"Data {_token(klass)} {_token(state)} nomor{ds['n']}"
            # The home page lists only the newest few: what it shows must be public (no leak either way).
            check(role, klass, state, "home page", title not in home or public, True)
            check(role, klass, state, "Data Terbaru", title in newest, public)
            check(role, klass, state, "autocomplete", any(r["match_field"] and ds["name"] == r.get("name")
                                                          for r in auto), meta)
            # the entry carries the dataset's title to those who may see the dataset, and to no one else
            check(role, klass, state, "kalender .ics", title in feed_text, meta)
            check(role, klass, state, "kalender bulan", title not in month or meta, True)
            check(role, klass, state, "galeri infografis", title not in gallery or public, True)
            check(role, klass, state, "dashboard statistik", title not in dashboard or public, True)
            # each role from its own address: one rating per client, dataset and day is the rule
            rated = app.post("/api/3/action/satudata_rating_create", json={"package_id": ds["id"], "rating": 4},
                             headers=headers, status=None,
                             environ_overrides={"REMOTE_ADDR": f"10.9.{ROLES.index(role)}.1"}).json
            check(role, klass, state, "rating", rated["success"], public)
            check(role, klass, state, "rating summary",
                  _api(app, headers, "satudata_rating_summary", package_id=ds["id"])["success"], meta)
            check(role, klass, state, "usage counts",
                  _api(app, headers, "satudata_usage_show", package_id=ds["id"])["success"], meta)
            check(role, klass, state, "usage of the portal", ds["id"] not in used_ids or meta, True)
            check(role, klass, state, "daftar data entry", ds["id"] in listed_ids, meta)
            check(role, klass, state, "daftar data page",
                  (title not in daftar_page and ds["name"] not in daftar_page) or meta, True)
            # Capaian Kinerja counts datasets, it never names one
            check(role, klass, state, "capaian kinerja", title not in monev and ds["name"] not in monev, True)
    with capsys.disabled():
        print(f"\naccess matrix: {len(ROLES)} roles × {len(CLASSES)} classes × {len(STATES)} states; "
              f"{cells} cells asserted, {len(wrong)} wrong")
    assert not wrong, "\n".join(wrong)
    assert cells == len(ROLES) * (1 + len(CLASSES) + len(world) * 29)
