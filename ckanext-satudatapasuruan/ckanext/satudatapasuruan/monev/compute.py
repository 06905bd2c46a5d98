"""The dashboard's computed part: every computed IKU for a year, its trend over the IKU years, the per-OPD
ranking and the map of data availability per kecamatan, gathered through ``reader.Reader`` and cached.

What is cached is language-free (codes, numbers, statuses); names, targets, manual values and challenges
are added by ``dashboard`` on every call (small tables, and a target edit must show at once).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.satudatapasuruan import refdata

from . import config, figures, iku, records, store, visits
from .figures import Figure, Status
from .reader import Reader

__all__ = ["WEB_ENTRY_FQ", "PUBLISHED_FQ", "base_fq", "inputs", "year_figures", "computed", "kecamatan_map",
           "uptime_of", "dashboard", "SNAPSHOT"]

# A dataset whose data lives in the DataStore: entered through the portal (the entry plugin's validated upload
# or row form both write there), as the metadata plugin indexes it from the resources' DataStore dump URLs.
WEB_ENTRY_FQ = "+entri_web:ya"
# The workflow plugin indexes each dataset's state: the catalogue figures count what the portal publishes.
PUBLISHED_FQ = "+workflow_state:terbit"
# Figures of the catalogue as it is now: measured for the running year only.
SNAPSHOT = ("aplikasi_opd_api", "prioritas_metadata_lengkap", "prioritas_standar_kualitas",
            "prioritas_sinkron_otomatis", "dataset_platform_web", "geospasial_terpusat", "kepuasan_pengguna")


# The catalogue's facets, the map's kecamatan and the per-year ones among them: every year's catalogue and new
# datasets, and the map, come from one search.
CATALOGUE_FACETS = ("capacity", "dataset_type", "organization", "kode_kecamatan", "katalog_tahun",
                    "kelengkapan_tahun")


def base_fq() -> str:
    """The published datasets of the counted types, private ones included (rahasia ones only in these
    aggregates, never by name). Drafts (``draft``, ``diajukan``, ``diverifikasi_opd``, ``dikembalikan``) are
    left out of every catalogue figure: the datasets available, the web-entry and geospatial shares, the
    metadata of the year's new datasets, the priority datasets' metadata and quality, the map. A past year
    counts those created by its 31 December that are published now (the index holds the current state)."""
    return "+dataset_type:(" + " OR ".join(config.dataset_types()) + ") " + PUBLISHED_FQ


def _items(counts: Mapping[str, int]) -> dict[str, list[dict[str, Any]]]:
    return {"items": [{"name": k, "count": v} for k, v in sorted(counts.items())]}


def _of_year(found: Mapping[str, Any] | None, year: int) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(the catalogue as of 31 December of ``year``: the datasets published now that were created by then; the
    datasets created in ``year``), each shaped as a search answer, from the per-year facets of the catalogue
    search (``katalog_tahun``, ``kelengkapan_tahun``)."""
    if found is None:
        return None, None
    upto: dict[str, Counter] = {f: Counter() for f in ("capacity", "dataset_type", "organization")}
    total = created = 0
    for value, n in figures.facet(found, "katalog_tahun").items():
        y, org, kind, capacity = (value.split("|") + ["", "", "", ""])[:4]
        if not y.isdigit() or int(y) > year:
            continue
        total += n
        created += n if int(y) == year else 0
        for name, key in (("capacity", capacity), ("dataset_type", kind), ("organization", org)):
            if key:
                upto[name][key] += n
    scores: Counter = Counter()
    for value, n in figures.facet(found, "kelengkapan_tahun").items():
        y, _sep, rest = value.partition("|")
        if y == str(year):
            scores[rest] += n
    catalogue = {"count": total, "search_facets": {name: _items(c) for name, c in upto.items()}}
    return catalogue, {"count": created, "search_facets": {"kelengkapan_opd": _items(scores)}}


def inputs(reader: Reader, year: int, today: dt.date) -> dict[str, Any]:
    """What the figures of ``year`` are computed from (``None``: the source is missing)."""
    current = year == today.year
    # One search of the catalogue as it is now serves every year: a past year's catalogue and each year's new
    # datasets come from its per-year facets (a search per year and figure cost most of a cold dashboard).
    now_found = reader.search(base_fq(), *CATALOGUE_FACETS)
    past, created = _of_year(now_found, year)
    out: dict[str, Any] = {
        "catalogue": now_found if current else past,
        "web": reader.search(f"{base_fq()} {WEB_ENTRY_FQ}", "organization") if current else None,
        "created": created,
        "daftardata": reader.call(figures.DAFTARDATA) if current else None,
        "harvest": reader.call(figures.HARVEST) if current else None,
        "calendar": reader.call(figures.CALENDAR, {"year": year}),
        "rekomendasi": reader.call(figures.REKOMENDASI, {"year": year}),
        "ratings": reader.call(figures.RATING, {"by_organization": True}) if current else None,
        # One call for the portal and every OPD (by_organization), not one per OPD.
        "usage": reader.call(figures.USAGE, {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31",
                                             "limit": 1, "by_organization": True}),
    }
    months_back = (today.year - year) * 12 + today.month
    # One window for every year of the trend (the reader remembers the answer): the KPI reads every ticket.
    first = min(iku.catalogue().years)
    window = min(60, (today.year - first) * 12 + today.month)
    out["quality_kpi"] = reader.call(figures.QUALITY_KPI, {"months": window}) if months_back <= 60 else None
    out["priority"] = out["open_tickets"] = None
    if out["daftardata"] is not None:
        ids = sorted({str(i) for i in out["daftardata"].get("priority_package_ids") or ()})
        # The "id" facet: which listed datasets are published (an open ticket of a draft is not held against
        # the published priority datasets).
        out["priority"] = reader.search_ids(base_fq(), ids, "kelengkapan_opd", "id") if ids else \
            {"count": 0, "search_facets": {"kelengkapan_opd": {"items": []}, "id": {"items": []}}}
    if current and reader.exists(figures.QUALITY_TICKETS):
        # One row per dataset and status, not every ticket with its findings (5.7 s at 10,000 datasets), and
        # only of the priority datasets: the figures built on it read no other.
        ids = sorted({str(i) for i in (out["daftardata"] or {}).get("priority_package_ids") or ()})
        found = reader.call(figures.QUALITY_TICKETS, {"package_ids": ids})
        out["open_tickets"] = None if found is None else found["results"]
    return out


def uptime_of(year: int, now: dt.datetime) -> Figure:
    """Heartbeat periods answered of the periods from the first heartbeat (or 1 January) to now (or 31
    December)."""
    first = records.first_beat()
    seconds = config.heartbeat_interval() * 60
    start = max(dt.datetime(year, 1, 1), first) if first else None
    end = min(now, dt.datetime(year + 1, 1, 1))
    if start is None or start >= end:
        return Figure(Status.TANPA_DATA)
    ok, _seen = records.beat_buckets(start, end, seconds)
    expected = int(end.timestamp() // seconds) - int(start.timestamp() // seconds) + (1 if end.timestamp() %
                                                                                      seconds else 0)
    return figures.uptime(len(ok), max(1, expected))


def _visits(year: int, today: dt.date) -> Figure:
    by_month = visits.by_month(year)
    firsts = [m for m in (records.first_visit_month(), *visits.pending()) if m is not None]
    return figures.monev_visits(by_month, min(firsts) if firsts else None, year, today)


def year_figures(reader: Reader, year: int, now: dt.datetime, data: Mapping[str, Any] | None = None,
                 ) -> dict[str, Figure]:
    """{IKU code: Figure} of every computed IKU for ``year``."""
    today = now.date()
    if year > today.year:
        return {i.code: Figure(Status.TANPA_DATA) for i in iku.catalogue().of_kind(iku.Kind.COMPUTED)}
    data = data if data is not None else inputs(reader, year, today)
    current = year == today.year
    complete_at = config.complete_at()
    out = {
        "dataset_tersedia": figures.datasets_available(data["catalogue"]),
        "uptime_portal": uptime_of(year, now),
        "aplikasi_opd_api": figures.apps_integrated(data["daftardata"]),
        "prioritas_metadata_lengkap": figures.priority_complete(data["daftardata"], data["priority"], complete_at),
        "prioritas_standar_kualitas": figures.priority_quality(data["daftardata"], data["priority"],
                                                               data["open_tickets"]),
        "prioritas_sinkron_otomatis": figures.priority_synced(data["harvest"]),
        "dataset_platform_web": figures.web_entry(data["catalogue"], data["web"]),
        "geospasial_terpusat": figures.geospatial(data["catalogue"]),
        "tiket_selesai_sepekan": figures.tickets_in_week(data["quality_kpi"], year),
        "rilis_sesuai_jadwal": figures.released_on_schedule(data["calendar"]),
        "rekomendasi_ber_qr": figures.recommendations_qr(data["rekomendasi"], year),
        "kepuasan_pengguna": figures.satisfaction(data["ratings"]),
        "kunjungan_monev": _visits(year, today),
        "pembaruan_daftar_prioritas": figures.list_updates(reader.call(figures.DAFTARDATA), year),
        "metadata_dataset_baru": figures.new_metadata_complete(data["created"], complete_at),
        "unduhan_data": figures.downloads(data["usage"]),
    }
    if not current:
        for code in SNAPSHOT:
            out[code] = figures.not_measured()
        if year < today.year - 4:
            out["tiket_selesai_sepekan"] = figures.not_measured()
    return out


def kecamatan_map(reader: Reader) -> dict[str, Any]:
    """Datasets per kecamatan (its own code or one of its desa), with the boundary layer to draw
    when one is configured and public."""
    # One facet over the metadata plugin's derived `kode_kecamatan` (each dataset once per kecamatan), not a
    # search per kecamatan: 24 whole-catalogue counts took 2.9 of the 4 s of a cold dashboard at 10,000 datasets.
    found = reader.search(base_fq(), *CATALOGUE_FACETS)  # the running year's catalogue search, remembered
    counts = figures.facet(found, "kode_kecamatan") if found is not None else None
    cells = [{"code": entry.code, "name": entry.name,
              "count": None if counts is None else int(counts.get(entry.code, 0))} for entry in refdata.kecamatan()]
    return {"kecamatan": cells, "boundary": _boundary(reader)}


def _boundary(reader: Reader) -> dict[str, Any] | None:
    ref = config.boundary_dataset()
    if not ref:
        return None
    # As anonymous: only a dataset everyone may read is drawn (its GeoJSON is fetched by the browser).
    try:
        pkg = tk.get_action("package_show")({"user": "", "ignore_auth": False}, {"id": ref})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    for res in pkg.get("resources") or ():
        if (res.get("format") or "").lower() in ("geojson", "json") and res.get("url"):
            return {"url": res["url"], "property": config.boundary_code_property()}
    return None


def _orgs() -> list[dict[str, Any]]:
    """Every active OPD (organization): id, name and title from CKAN's own table. ``organization_list`` with
    ``all_fields`` runs a facet search and a validated ``organization_show`` per OPD (a quarter of a cold
    dashboard at 25 OPDs) for three columns."""
    query = (sa.select(model.Group.id, model.Group.name, model.Group.title)
             .where(model.Group.is_organization.is_(True), model.Group.state == "active")
             .order_by(model.Group.name))
    return [{"id": r.id, "name": r.name, "title": r.title or r.name} for r in model.Session.execute(query)]


def computed(year: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """The cached, language-free part of the dashboard for ``year``: figures, trend, OPD figures, map."""
    now = now or dt.datetime.utcnow()
    today = now.date()

    def build() -> dict[str, Any]:
        reader = Reader()
        years = [y for y in iku.catalogue().years if y <= today.year] or [year]
        by_year: dict[int, dict[str, Figure]] = {}
        data_of: dict[int, dict[str, Any]] = {}
        for y in sorted(set(years) | {year}):
            data_of[y] = inputs(reader, y, today) if y <= today.year else {}
            by_year[y] = year_figures(reader, y, now, data_of[y] if y <= today.year else None)
        opd: dict[str, dict[str, Figure]] = {}
        orgs = _orgs()
        if year <= today.year:
            d = data_of[year]
            downloads = ratings = None
            if d["usage"] is not None:
                per_org = {e["organization"]["id"]: e for e in d["usage"].get("organizations") or ()}
                downloads = {o["id"]: {"totals": per_org.get(o["id"]) or {"download": 0}} for o in orgs}
            if d["ratings"] is not None:  # the running year (a past year's ratings are not measured)
                per_rating = {e["organization"]["id"]: e for e in d["ratings"].get("organizations") or ()}
                ratings = {o["id"]: per_rating.get(o["id"]) or {"count": 0, "average": None} for o in orgs}
            opd = figures.per_opd(orgs, year=year, current=year == today.year, complete_at=config.complete_at(),
                                  catalogue=d["catalogue"], web=d["web"], created=d["created"],
                                  daftardata=d["daftardata"], priority=d["priority"], open_tickets=d["open_tickets"],
                                  harvest=d["harvest"], calendar=d["calendar"], quality_kpi=d["quality_kpi"],
                                  rekomendasi=d["rekomendasi"], downloads_by_org=downloads, ratings_by_org=ratings)
        return {
            "year": year, "computed_at": now.isoformat(timespec="seconds"),
            "figures": {c: f.as_dict() for c, f in by_year[year].items()},
            "trend": {str(y): {c: f.as_dict() for c, f in figs.items()} for y, figs in by_year.items() if y in years},
            "orgs": orgs,
            "opd": {oid: {c: f.as_dict() for c, f in figs.items()} for oid, figs in opd.items()},
            "map": kecamatan_map(reader),
            "missing": sorted(reader.missing),
        }

    return store.cached("dashboard", f"{year}:{today.isoformat()}", build)


def dashboard(year: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the page and the export show for ``year`` (without language: see ``logic.action``)."""
    part = computed(year, now)
    overrides = records.targets()
    manual = records.manual_values()
    return {**part, "overrides": overrides, "manual": manual, "challenges": records.challenges(year)}
