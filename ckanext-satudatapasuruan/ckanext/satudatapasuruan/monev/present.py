"""The dashboard as the API, the page and the exports show it: computed figures with their targets and
trend, manual values apart (*diinput walidata*), challenges, the OPD ranking, the map. Names in the reader's
language; everything else as ``compute`` gave it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from ckanext.satudatapasuruan.messages import N_

from . import compute, figures, iku

__all__ = ["STATUS_LABELS", "target_of", "build", "csv_text", "CSV_COLUMNS", "MANUAL_LABEL"]

STATUS_LABELS = {
    figures.Status.TERHITUNG.value: N_("terhitung"),
    figures.Status.BELUM_TERSEDIA.value: N_("belum tersedia"),
    figures.Status.TANPA_DATA.value: N_("tanpa data"),
    figures.Status.TIDAK_DIUKUR.value: N_("tidak diukur"),
}
MANUAL_LABEL = N_("diinput walidata")
CSV_COLUMNS = ("jenis", "kode", "indikator", "tahun", "nilai", "satuan", "status", "target", "status_target",
               "capaian_persen", "pembilang", "penyebut", "sumber_target", "sumber_nilai", "tanggal_ukur")


def target_of(indicator: iku.Iku, year: int, overrides: Mapping[tuple[str, int], Mapping[str, Any]],
              lang: str) -> dict[str, Any]:
    """The target the figure of ``year`` is judged against: the walidata's, else the shipped one (a shipped
    target still to be confirmed is shown but not used)."""
    shipped = indicator.targets.get(year)
    override = overrides.get((indicator.code, year))
    if override is not None:
        return {"value": override["value"], "shipped": shipped, "status": iku.TargetStatus.DITETAPKAN.value,
                "overridden": True, "note": override.get("note") or "", "source": N_("Ditetapkan walidata")}
    status = iku.TargetStatus.BELUM_DITETAPKAN if shipped is None else indicator.targets_status
    return {"value": shipped, "shipped": shipped, "status": status.value, "overridden": False,
            "note": iku.text(indicator.targets_note, lang) if indicator.targets_note else "",
            "source": iku.text(indicator.source, lang)}


def _judged(target: Mapping[str, Any]) -> float | None:
    return target["value"] if target["status"] == iku.TargetStatus.DITETAPKAN.value else None


def _unit(indicator: iku.Iku, lang: str) -> str:
    return iku.text(iku.catalogue().units[indicator.unit], lang)


def build(year: int, lang: str = "id", now: dt.datetime | None = None) -> dict[str, Any]:
    data = compute.dashboard(year, now)
    cat = iku.catalogue()
    overrides, manual = data["overrides"], data["manual"]
    indicators = []
    for ind in cat.of_kind(iku.Kind.COMPUTED):
        fig = data["figures"][ind.code]
        target = target_of(ind, year, overrides, lang)
        trend = [{"year": int(y), "value": figs[ind.code]["value"], "status": figs[ind.code]["status"],
                  "target": _judged(target_of(ind, int(y), overrides, lang))}
                 for y, figs in sorted(data["trend"].items())]
        indicators.append({
            "code": ind.code, "kind": ind.kind.value, "name": iku.text(ind.name, lang), "unit": ind.unit,
            "unit_label": _unit(ind, lang), **fig, "target": target,
            "attainment": figures.attainment(fig["value"], _judged(target)), "trend": trend})
    manual_out = []
    for ind in cat.of_kind(iku.Kind.MANUAL):
        row = manual.get((ind.code, year))
        target = target_of(ind, year, overrides, lang)
        value = row["value"] if row else None
        manual_out.append({
            "code": ind.code, "kind": ind.kind.value, "name": iku.text(ind.name, lang), "unit": ind.unit,
            "unit_label": _unit(ind, lang), "entered": row is not None, "value": value,
            "source": row["source"] if row else None,
            "measured_on": row["measured_on"].isoformat() if row else None, "note": (row or {}).get("note") or "",
            "target": target, "attainment": figures.attainment(value, _judged(target)),
            "history": [{"year": y, "value": manual[(ind.code, y)]["value"]} for y in cat.years
                        if (ind.code, y) in manual]})
    targets = {i["code"]: _judged(i["target"]) for i in indicators}
    ranking = []
    for org in data["orgs"]:
        figs = data["opd"].get(org["id"]) or {}
        values = {code: f["value"] for code, f in figs.items() if f["status"] == figures.Status.TERHITUNG.value}
        ranking.append({"name": org["name"], "title": org["title"], "score": figures.score(values, targets),
                        "figures": {code: {"status": f["status"], "value": f["value"]} for code, f in figs.items()}})
    ranking.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["title"].lower()))
    for rank, row in enumerate(ranking, 1):
        row["rank"] = rank if row["score"] is not None else None
    return {
        "year": year, "years": list(cat.years), "computed_at": data["computed_at"],
        "indicators": indicators, "manual": manual_out,
        "challenges": [{"id": c["id"], "year": c["year"], "tantangan": c["tantangan"],
                        "tindak_lanjut": c["tindak_lanjut"], "updated_at": c["updated_at"].isoformat()}
                       for c in data["challenges"]],
        "opd": ranking,
        "map": data["map"], "missing": data["missing"],
    }


def _num(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def csv_text(board: Mapping[str, Any], translate=lambda s: s) -> str:
    """The dashboard as CSV: computed figures first, then the manual ones (``jenis`` tells them apart)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for ind in board["indicators"]:
        writer.writerow(["dihitung", ind["code"], ind["name"], board["year"], _num(ind["value"]), ind["unit_label"],
                         translate(STATUS_LABELS[ind["status"]]), _num(ind["target"]["value"]),
                         ind["target"]["status"], _num(ind["attainment"]), _num(ind["numerator"]),
                         _num(ind["denominator"]), translate(ind["target"]["source"]),
                         " ".join(ind["missing"]) or "portal", ""])
    for ind in board["manual"]:
        writer.writerow([translate(MANUAL_LABEL), ind["code"], ind["name"], board["year"], _num(ind["value"]),
                         ind["unit_label"], "" if ind["entered"] else translate(STATUS_LABELS["tanpa_data"]),
                         _num(ind["target"]["value"]), ind["target"]["status"], _num(ind["attainment"]), "", "",
                         translate(ind["target"]["source"]), ind["source"] or "", ind["measured_on"] or ""])
    return out.getvalue()
