"""Each computed IKU as a pure function of what the other plugins' actions returned (no I/O here).

An input of ``None`` means the action that gives it does not exist (its plugin is not enabled) or failed:
the figure is then *belum tersedia* and names the missing actions, never a number. A share whose
denominator is zero is *tanpa data*. Snapshot figures (the catalogue as it is now) exist only for the
running year; earlier years get *tidak diukur*.

Percentages are 0-100 with two decimals; shares are taken over the unrounded counts.
"""
from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["Status", "Figure", "unavailable", "not_measured", "share", "count", "average", "facet",
           "org_scores", "datasets_available", "uptime", "apps_integrated", "priority_complete",
           "priority_quality", "priority_synced", "web_entry", "geospatial", "tickets_in_week",
           "released_on_schedule", "recommendations_qr", "satisfaction", "monev_visits", "list_updates",
           "new_metadata_complete", "downloads", "open_ticket_packages", "per_opd", "attainment", "score"]

# Actions each figure reads (shown as its source, and as what is missing when it is belum tersedia).
SEARCH = "package_search"
DAFTARDATA = "satudata_daftardata_kpi"
QUALITY_TICKETS = "satudata_quality_open_ticket_datasets"
QUALITY_KPI = "satudata_quality_kpi"
CALENDAR = "satudata_calendar_kpi"
HARVEST = "satudata_harvest_kpi"
REKOMENDASI = "satudata_rekomendasi_kpi"
USAGE = "satudata_usage_show"
RATING = "satudata_rating_summary"


class Status(str, enum.Enum):
    TERHITUNG = "terhitung"  # computed
    BELUM_TERSEDIA = "belum_tersedia"  # a plugin it reads is not enabled (or its action failed)
    TANPA_DATA = "tanpa_data"  # nothing to measure yet (e.g. no priority dataset: no denominator)
    TIDAK_DIUKUR = "tidak_diukur"  # a snapshot of the catalogue: measured for the running year only


@dataclass(frozen=True)
class Figure:
    status: Status
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    missing: tuple[str, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status.value, "value": self.value, "numerator": self.numerator,
                "denominator": self.denominator, "missing": list(self.missing), "detail": dict(self.detail)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Figure:
        return cls(Status(data["status"]), data.get("value"), data.get("numerator"), data.get("denominator"),
                   tuple(data.get("missing") or ()), MappingProxyType(dict(data.get("detail") or {})))


def unavailable(*actions: str) -> Figure:
    return Figure(Status.BELUM_TERSEDIA, missing=tuple(actions))


def not_measured() -> Figure:
    return Figure(Status.TIDAK_DIUKUR)


def share(numerator: float, denominator: float, **detail: Any) -> Figure:
    """``numerator`` of ``denominator`` as a percentage; *tanpa data* without a denominator."""
    if not denominator:
        return Figure(Status.TANPA_DATA, None, numerator, denominator, detail=MappingProxyType(detail))
    return Figure(Status.TERHITUNG, round(100 * numerator / denominator, 2), numerator, denominator,
                  detail=MappingProxyType(detail))


def count(n: float, **detail: Any) -> Figure:
    return Figure(Status.TERHITUNG, n, detail=MappingProxyType(detail))


def average(total: float, n: float, digits: int = 2, **detail: Any) -> Figure:
    if not n:
        return Figure(Status.TANPA_DATA, None, total, n, detail=MappingProxyType(detail))
    return Figure(Status.TERHITUNG, round(total / n, digits), total, n, detail=MappingProxyType(detail))


def _missing(**inputs: Any) -> tuple[str, ...]:
    return tuple(name for name, value in inputs.items() if value is None)


def facet(result: Mapping[str, Any] | None, name: str) -> dict[str, int]:
    """{value: count} of one facet of a ``package_search`` result."""
    if not result:
        return {}
    items = ((result.get("search_facets") or {}).get(name) or {}).get("items") or []
    return {str(i["name"]): int(i["count"]) for i in items}


def org_scores(result: Mapping[str, Any] | None, complete_at: int) -> dict[str, list[int]]:
    """{OPD name: [datasets, complete]} from the ``kelengkapan_opd`` facet ("<opd>|<score>") of a search."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for value, n in facet(result, "kelengkapan_opd").items():
        org, _sep, score = value.rpartition("|")
        try:
            complete = int(score) >= complete_at
        except ValueError:
            complete = False
        out[org][0] += n
        out[org][1] += n if complete else 0
    return dict(out)


# --- the catalogue ----------------------------------------------------------------------------------------

def datasets_available(catalogue: Mapping[str, Any] | None) -> Figure:
    """The published datasets of the counted types (private ones too: aggregates only; drafts left out by the
    search, ``compute.base_fq``); ``public`` beside it."""
    if catalogue is None:
        return unavailable(SEARCH)
    return count(int(catalogue["count"]), public=facet(catalogue, "capacity").get("public", 0))


def web_entry(catalogue: Mapping[str, Any] | None, web: Mapping[str, Any] | None) -> Figure:
    """Datasets whose data was entered through the portal (validated upload or the row form: the entry
    plugin's DataStore resource) of all datasets (the rest: harvested, API, files)."""
    if catalogue is None or web is None:
        return unavailable(SEARCH)
    return share(int(web["count"]), int(catalogue["count"]))


def geospatial(catalogue: Mapping[str, Any] | None, geo_type: str = "geospasial") -> Figure:
    """Thematic geospatial layers (type ``geospasial``) of all datasets."""
    if catalogue is None:
        return unavailable(SEARCH)
    return share(facet(catalogue, "dataset_type").get(geo_type, 0), int(catalogue["count"]))


def new_metadata_complete(created: Mapping[str, Any] | None, complete_at: int) -> Figure:
    """Of the datasets created in the year, those whose completeness reaches ``complete_at``."""
    if created is None:
        return unavailable(SEARCH)
    scores = org_scores(created, complete_at)
    return share(sum(c for _n, c in scores.values()), int(created["count"]))


# --- priority datasets (the daftar data prioritas) --------------------------------------------------------

def _priority_ids(daftardata: Mapping[str, Any]) -> set[str]:
    return {str(i) for i in daftardata.get("priority_package_ids") or ()}


def _found_ids(priority: Mapping[str, Any] | None) -> set[str]:
    """The priority datasets the search over the list's ids found in the counted catalogue (its ``id``
    facet): a listed dataset still a draft is not one of them."""
    return set(facet(priority, "id"))


def priority_complete(daftardata: Mapping[str, Any] | None, priority: Mapping[str, Any] | None,
                      complete_at: int) -> Figure:
    """Of the priority list's datasets still in the catalogue (``priority``: a search over their ids), those
    with complete metadata."""
    if daftardata is None:  # no priority list: no search over it either
        return unavailable(DAFTARDATA)
    if priority is None:
        return unavailable(SEARCH)
    scores = org_scores(priority, complete_at)
    return share(sum(c for _n, c in scores.values()), int(priority["count"]),
                 listed=len(_priority_ids(daftardata)))


def open_ticket_packages(open_tickets: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """{dataset id: its OPD's name} of the datasets with an open (terbuka/dikerjakan) repair ticket."""
    return {str(t["package_id"]): str(t.get("organization") or "") for t in open_tickets
            if t.get("status") in ("terbuka", "dikerjakan")}


def priority_quality(daftardata: Mapping[str, Any] | None, priority: Mapping[str, Any] | None,
                     open_tickets: list[Mapping[str, Any]] | None) -> Figure:
    """Of the priority list's datasets in the catalogue, those meeting the quality rules: no open ticket (a
    ticket of a listed dataset outside the counted catalogue, e.g. a draft, is not held against them)."""
    if daftardata is None:
        return unavailable(DAFTARDATA)
    missing = _missing(**{SEARCH: priority, QUALITY_TICKETS: open_tickets})
    if missing:
        return unavailable(*missing)
    faulty = set(open_ticket_packages(open_tickets)) & _priority_ids(daftardata) & _found_ids(priority)
    total = int(priority["count"])
    return share(max(0, total - len(faulty)), total, with_open_ticket=len(faulty))


def priority_synced(harvest: Mapping[str, Any] | None) -> Figure:
    """The harvest plugin's KPI: priority datasets kept current by a scheduled harvest."""
    if harvest is None:
        return unavailable(HARVEST)
    return share(int(harvest["numerator"]), int(harvest["denominator"]))


def apps_integrated(daftardata: Mapping[str, Any] | None) -> Figure:
    """OPD applications integrated by API, of the applications in the daftar data."""
    if daftardata is None:
        return unavailable(DAFTARDATA)
    return share(int(daftardata.get("apps_integrated_api") or 0), int(daftardata.get("apps_total") or 0))


def list_updates(daftardata: Mapping[str, Any] | None, year: int) -> Figure:
    """How many times the priority list was updated in the year."""
    if daftardata is None:
        return unavailable(DAFTARDATA)
    return count(int((daftardata.get("list_updates_per_year") or {}).get(str(year)) or 0))


# --- the other instruments --------------------------------------------------------------------------------

def _ticket_cells(quality_kpi: Mapping[str, Any], year: int) -> dict[str, list[int]]:
    """{OPD name: [opened, closed in time, pending]} of the tickets opened in the year."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in quality_kpi.get("rows") or ():
        if str(row.get("month", "")).startswith(f"{year}-"):
            cell = out[str(row.get("organization") or "")]
            cell[0] += int(row["opened"])
            cell[1] += int(row["closed_in_time"])
            cell[2] += int(row["pending"])
    return dict(out)


def tickets_in_week(quality_kpi: Mapping[str, Any] | None, year: int) -> Figure:
    """Repair tickets opened in the year and closed within the quality plugin's target days (still-pending
    ones, younger than the target, are left out as the quality plugin does)."""
    if quality_kpi is None:
        return unavailable(QUALITY_KPI)
    cells = _ticket_cells(quality_kpi, year).values()
    opened, in_time, pending = (sum(c[i] for c in cells) for i in range(3))
    return share(in_time, opened - pending, opened=opened, pending=pending,
                 target_days=quality_kpi.get("target_days"))


def released_on_schedule(calendar: Mapping[str, Any] | None) -> Figure:
    """The calendar plugin's KPI for the year: priority releases due, and those on their first date."""
    if calendar is None:
        return unavailable(CALENDAR)
    return share(int(calendar["on_schedule"]), int(calendar["due"]))


def recommendations_qr(rekomendasi: Mapping[str, Any] | None, year: int) -> Figure:
    """Recommendations issued in the year with a verification QR code, of those issued."""
    if rekomendasi is None:
        return unavailable(REKOMENDASI)
    cell = (rekomendasi.get("per_year") or {}).get(str(year)) or {}
    return share(int(cell.get("issued_with_qr") or 0), int(cell.get("issued") or 0))


def satisfaction(ratings: Mapping[str, Any] | None) -> Figure:
    """Average of every rating (1-5): of the portal itself and of its public datasets."""
    if ratings is None:
        return unavailable(RATING)
    distribution: dict[int, int] = defaultdict(int)
    for part in (ratings, ratings.get("datasets") or {}):
        for value, n in (part.get("distribution") or {}).items():
            distribution[int(value)] += int(n)
    total = sum(v * n for v, n in distribution.items())
    return average(total, sum(distribution.values()), ratings=sum(distribution.values()))


def downloads(usage: Mapping[str, Any] | None) -> Figure:
    """Resource downloads (and infographic downloads) counted in the year."""
    if usage is None:
        return unavailable(USAGE)
    return count(int((usage.get("totals") or {}).get("download") or 0))


def monev_visits(by_month: Mapping[dt.date, int], first_month: dt.date | None, year: int,
                 today: dt.date) -> Figure:
    """Average visits per month of the dashboard in the year, over the months it was counted: from the
    first month with a visit (or January) to December, or to the current month in the running year."""
    if first_month is None or first_month > dt.date(year, 12, 1) or year > today.year:
        return Figure(Status.TANPA_DATA)
    start = max(dt.date(year, 1, 1), first_month)
    end = dt.date(year, 12, 1) if year < today.year else dt.date(today.year, today.month, 1)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    total = sum(n for month, n in by_month.items() if month.year == year)
    return average(total, months, digits=1)


def uptime(ok: int, expected: int) -> Figure:
    """Periods in which the portal answered its heartbeat, of the periods since the first heartbeat."""
    return share(min(ok, expected), expected)


# --- per OPD ----------------------------------------------------------------------------------------------

def attainment(value: float | None, target: float | None) -> float | None:
    """The value as a percentage of its target (higher is better for every IKU)."""
    if value is None or not target:
        return None
    return round(100 * value / target, 1)


def score(values: Mapping[str, float | None], targets: Mapping[str, float | None]) -> float | None:
    """Mean attainment, each capped at 100, over the figures that have both a value and a target."""
    parts = [min(100.0, a) for code, value in values.items()
             if (a := attainment(value, targets.get(code))) is not None]
    return round(sum(parts) / len(parts), 1) if parts else None


def per_opd(orgs: Iterable[Mapping[str, Any]], *, year: int, current: bool, complete_at: int,
            catalogue: Mapping[str, Any] | None, web: Mapping[str, Any] | None,
            created: Mapping[str, Any] | None, daftardata: Mapping[str, Any] | None,
            priority: Mapping[str, Any] | None, open_tickets: list[Mapping[str, Any]] | None,
            harvest: Mapping[str, Any] | None, calendar: Mapping[str, Any] | None,
            quality_kpi: Mapping[str, Any] | None, rekomendasi: Mapping[str, Any] | None,
            downloads_by_org: Mapping[str, Mapping[str, Any] | None] | None,
            ratings_by_org: Mapping[str, Mapping[str, Any] | None] | None) -> dict[str, dict[str, Figure]]:
    """{OPD id: {IKU code: Figure}} for every OPD in ``orgs`` (``id``, ``name``), on the figures that make
    sense per OPD. Inputs as for the portal-wide figures; ``rekomendasi`` for the year (per_opd by OPD id),
    ``downloads_by_org`` / ``ratings_by_org`` per OPD id (None: the action does not exist); the daftar data's
    ``per_opd`` by OPD name."""
    per_cat = facet(catalogue, "organization")
    per_web = facet(web, "organization")
    new_scores = org_scores(created, complete_at)
    prio_scores = org_scores(priority, complete_at)
    faulty: dict[str, int] = defaultdict(int)
    if daftardata is not None and open_tickets is not None:
        ids = _priority_ids(daftardata) & _found_ids(priority)
        for package_id, org in open_ticket_packages(open_tickets).items():
            if package_id in ids:
                faulty[org] += 1
    harvest_of = {o.get("name"): o for o in (harvest or {}).get("organizations") or ()}
    calendar_of = {o.get("name"): o for o in (calendar or {}).get("per_opd") or ()}
    tickets = _ticket_cells(quality_kpi, year) if quality_kpi is not None else {}
    apps = (daftardata or {}).get("per_opd") or {}
    rek = (rekomendasi or {}).get("per_opd") or {}
    out: dict[str, dict[str, Figure]] = {}
    for org in orgs:
        oid, name = org["id"], org["name"]
        figs: dict[str, Figure] = {}
        figs["dataset_tersedia"] = (unavailable(SEARCH) if catalogue is None else count(per_cat.get(name, 0)))
        figs["dataset_platform_web"] = (unavailable(SEARCH) if catalogue is None or web is None
                                        else share(per_web.get(name, 0), per_cat.get(name, 0)))
        new = new_scores.get(name, [0, 0])
        figs["metadata_dataset_baru"] = unavailable(SEARCH) if created is None else share(new[1], new[0])
        if not current:
            for code in ("prioritas_metadata_lengkap", "prioritas_standar_kualitas", "prioritas_sinkron_otomatis",
                         "aplikasi_opd_api", "kepuasan_pengguna"):
                figs[code] = not_measured()
        else:
            prio = prio_scores.get(name, [0, 0])
            missing = (DAFTARDATA,) if daftardata is None else _missing(**{SEARCH: priority})
            figs["prioritas_metadata_lengkap"] = unavailable(*missing) if missing else share(prio[1], prio[0])
            missing = (DAFTARDATA,) if daftardata is None else _missing(**{SEARCH: priority,
                                                                            QUALITY_TICKETS: open_tickets})
            figs["prioritas_standar_kualitas"] = (unavailable(*missing) if missing else
                                                  share(max(0, prio[0] - faulty.get(name, 0)), prio[0]))
            h = harvest_of.get(name) or {}
            figs["prioritas_sinkron_otomatis"] = (unavailable(HARVEST) if harvest is None else
                                                  share(int(h.get("numerator") or 0), int(h.get("denominator") or 0)))
            a = apps.get(name) or {}  # the daftar data's per_opd is keyed by OPD name
            figs["aplikasi_opd_api"] = (unavailable(DAFTARDATA) if daftardata is None else
                                        share(int(a.get("apps_integrated_api") or 0), int(a.get("apps_total") or 0)))
            r = (ratings_by_org or {}).get(oid)
            figs["kepuasan_pengguna"] = (unavailable(RATING) if ratings_by_org is None or r is None else
                                         average(float(r.get("average") or 0) * int(r.get("count") or 0),
                                                 int(r.get("count") or 0), ratings=int(r.get("count") or 0)))
        c = calendar_of.get(name) or {}
        figs["rilis_sesuai_jadwal"] = (unavailable(CALENDAR) if calendar is None else
                                       share(int(c.get("on_schedule") or 0), int(c.get("due") or 0)))
        t = tickets.get(name, [0, 0, 0])
        figs["tiket_selesai_sepekan"] = (unavailable(QUALITY_KPI) if quality_kpi is None else
                                         share(t[1], t[0] - t[2]))
        k = rek.get(oid) or {}
        figs["rekomendasi_ber_qr"] = (unavailable(REKOMENDASI) if rekomendasi is None else
                                      share(int(k.get("issued_with_qr") or 0), int(k.get("issued") or 0)))
        d = (downloads_by_org or {}).get(oid)
        figs["unduhan_data"] = (unavailable(USAGE) if downloads_by_org is None or d is None else
                                count(int((d.get("totals") or {}).get("download") or 0)))
        out[oid] = figs
    return out
