"""Pages of the Monev dashboard: the public /capaian-kinerja with its CSV/JSON exports, and the walidata's
/capaian-kinerja/kelola (targets, manual IKU values, tantangan dan tindak lanjut)."""
from __future__ import annotations

import json
from datetime import date
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, after_this_request, make_response

from ckanext.satudatapasuruan.messages import N_

from . import iku, visits
from .logic.auth import satudata_permission_monev_manage
from .logic.validators import satudata_monev_year

__all__ = ["capaian"]

capaian = Blueprint("satudata_monev", __name__)

# The per-OPD table's columns (the figures that make sense per OPD), in this order.
OPD_CODES = ("dataset_tersedia", "dataset_platform_web", "metadata_dataset_baru", "prioritas_metadata_lengkap",
             "prioritas_standar_kualitas", "prioritas_sinkron_otomatis", "tiket_selesai_sepekan",
             "rilis_sesuai_jadwal", "aplikasi_opd_api", "rekomendasi_ber_qr", "kepuasan_pengguna", "unduhan_data")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _year() -> tuple[int | None, str | None]:
    raw = tk.request.args.get("tahun")
    if not raw:
        return None, None
    try:
        return satudata_monev_year(raw), None
    except tk.Invalid as err:
        return None, str(err.error)


def _may_manage() -> bool:
    user = model.User.get(tk.current_user.name) if tk.current_user.is_authenticated else None
    return bool(satudata_permission_monev_manage(user)["success"])


def _messages(err: tk.ValidationError) -> list[str]:
    out = []
    for msgs in (err.error_dict or {}).values():
        out.extend(str(m) for m in (msgs if isinstance(msgs, list) else [msgs]))
    return out


def _count_visit() -> None:
    # The client address as the WSGI stack gives it (behind a proxy: CKAN's ProxyFix), as the feedback
    # plugin's counters; a header the client sets itself is not trusted.
    address = tk.request.remote_addr or ""

    @after_this_request
    def counted(response):
        response.call_on_close(lambda: visits.count(address))
        return response


@capaian.route("/capaian-kinerja")
def index():
    year, problem = _year()
    board = tk.get_action("satudata_monev_show")(_context(), {"year": year} if year else {})
    _count_visit()
    charts = {"indicators": [{"code": i["code"], "name": i["name"], "unit": i["unit_label"], "trend": i["trend"]}
                             for i in board["indicators"]],
              "map": board["map"], "labels": {"value": tk._("Capaian"), "target": tk._("Target"),
                                              "datasets": tk._("dataset")}}
    return tk.render("satudata/monev/index.html", {
        "board": board, "problem": problem, "may_manage": _may_manage(), "opd_codes": OPD_CODES,
        "names": {i["code"]: i["name"] for i in board["indicators"]},
        "charts_json": json.dumps(charts, ensure_ascii=False).replace("</", "<\\/")})


def _export(fmt: str):
    year, problem = _year()
    if problem:
        return tk.render("satudata/monev/error.html", {"message": problem}), 400
    done = tk.get_action("satudata_monev_export")(_context(), {"format": fmt, **({"year": year} if year else {})})
    response = make_response(done["content"])
    response.headers["Content-Type"] = done["mimetype"] + "; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{done["filename"]}"'
    return response


@capaian.route("/capaian-kinerja/ekspor.csv")
def export_csv():
    return _export("csv")


@capaian.route("/capaian-kinerja/ekspor.json")
def export_json():
    return _export("json")


def _manage_page(year: int, errors: dict[str, list[str]] | None = None, data: dict[str, Any] | None = None,
                 status: int = 200):
    board = tk.get_action("satudata_monev_show")(_context(), {"year": year})
    audit = tk.get_action("satudata_monev_audit_list")(_context(), {"limit": 30})
    years = list(iku.catalogue().years)
    return tk.render("satudata/monev/manage.html", {
        "board": board, "errors": errors or {}, "data": data or {}, "years": years, "audit": audit,
        "series": _series(board),
        "kinds": {"target": tk._("Target"), "manual": tk._("Nilai diinput walidata"),
                  "tantangan": tk._("Tantangan dan tindak lanjut")}}), status


def _series(board: dict[str, Any]) -> list[dict[str, Any]]:
    """The IKU with several target series, each with the series its target of the shown year matches."""
    lang = tk.h.lang() or "id"
    shown = {i["code"]: i["target"]["value"] for i in board["indicators"]}
    out = []
    for ind in iku.catalogue().indicators:
        if not ind.series:
            continue
        current = next((k for k, v in ind.series.items() if v.targets.get(board["year"]) == shown.get(ind.code)),
                       ind.default_series)
        out.append({"code": ind.code, "name": iku.text(ind.name, lang), "default": ind.default_series,
                    "current": current,
                    "choices": [{"key": k, "name": iku.text(v.name, lang)} for k, v in ind.series.items()]})
    return out


@capaian.route("/capaian-kinerja/kelola")
def manage():
    if not _may_manage():
        return tk.render("satudata/monev/error.html",
                         {"message": tk._("Hanya walidata yang dapat mengubah Capaian Kinerja")}), 403
    year, problem = _year()
    return _manage_page(year or date.today().year, {"tahun": [problem]} if problem else None)


_ACTIONS = {
    "target": "satudata_monev_target_update",
    "seri": "satudata_monev_target_series",
    "manual": "satudata_monev_manual_update",
    "manual_hapus": "satudata_monev_manual_delete",
    "tantangan": "satudata_monev_challenge_create",
    "tantangan_ubah": "satudata_monev_challenge_update",
    "tantangan_hapus": "satudata_monev_challenge_delete",
}
_FIELDS = ("code", "series", "year", "value", "note", "source", "measured_on", "id", "tantangan", "tindak_lanjut")
DONE = {"target": N_("Target disimpan"), "seri": N_("Seri target dipilih"), "manual": N_("Nilai IKU disimpan"),
        "manual_hapus": N_("Nilai IKU dihapus"),
        "tantangan": N_("Tantangan ditambahkan"), "tantangan_ubah": N_("Tantangan diubah"),
        "tantangan_hapus": N_("Tantangan dihapus")}


@capaian.route("/capaian-kinerja/kelola/<form>", methods=["POST"])
def save(form: str):
    if not _may_manage():
        return tk.render("satudata/monev/error.html",
                         {"message": tk._("Hanya walidata yang dapat mengubah Capaian Kinerja")}), 403
    if form not in _ACTIONS:
        return tk.render("satudata/monev/error.html", {"message": tk._("Halaman tidak ditemukan")}), 404
    data = {k: tk.request.form[k] for k in _FIELDS if k in tk.request.form}
    try:
        year = satudata_monev_year(data.get("year") or date.today().year)
    except tk.Invalid:
        year = date.today().year
    try:
        tk.get_action(_ACTIONS[form])(_context(), dict(data))
    except tk.ValidationError as err:
        return _manage_page(year, {form: _messages(err)}, {form: data}, 400)
    except tk.ObjectNotFound as err:
        return _manage_page(year, {form: [str(err.message or err)]}, {form: data}, 404)
    except tk.NotAuthorized as err:  # pragma: no cover - the page checked it first
        return tk.render("satudata/monev/error.html", {"message": str(err)}), 403
    tk.h.flash_success(tk._(DONE[form]))
    return tk.redirect_to("satudata_monev.manage", tahun=year)
