"""Pages of the release calendar: month grid and list with filters, the iCalendar feeds, and the management
forms (create, edit, postpone, delete, bulk load) for the OPD and the walidata."""
from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, make_response

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.messages import N_

from . import config, feed, visibility
from .importer import COLUMNS
from .logic import schema
from .logic.action import visible_entries
from .status import LABELS, Status

__all__ = ["kalender"]

kalender = Blueprint("satudata_calendar", __name__)

MONTHS = (N_("Januari"), N_("Februari"), N_("Maret"), N_("April"), N_("Mei"), N_("Juni"), N_("Juli"),
          N_("Agustus"), N_("September"), N_("Oktober"), N_("November"), N_("Desember"))
DAYS = ((N_("Senin"), N_("Sen")), (N_("Selasa"), N_("Sel")), (N_("Rabu"), N_("Rab")), (N_("Kamis"), N_("Kam")),
        (N_("Jumat"), N_("Jum")), (N_("Sabtu"), N_("Sab")), (N_("Minggu"), N_("Min")))
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_FORM_FIELDS = ("owner_org", "urusan", "title", "period", "scheduled_date", "package_id", "notes")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _messages(err: tk.ValidationError) -> list[str]:
    # The messages name their field themselves ("Judul rilis wajib diisi", "Baris 3, kolom OPD: ...").
    out = []
    for msgs in (err.error_dict or {}).values():
        out.extend(str(m) for m in (msgs if isinstance(msgs, list) else [msgs]))
    return out


def _filters() -> tuple[dict[str, Any], list[str]]:
    """The filter form's values, validated by the list action's own schema; bad ones are named and dropped."""
    args = tk.request.args
    chosen = {"organization": args.get("organization", ""), "urusan": args.get("sektor", ""),
              "status": args.get("status", "")}
    given = {k: v for k, v in chosen.items() if v}
    data, problems = tk.navl_validate(given, schema.entry_list(), _context())
    errors = []
    for key in problems:
        if key in chosen:
            errors.append(tk._("Nilai penyaring tidak dikenal dan diabaikan: {value}").format(value=chosen[key][:40]))
            chosen[key] = ""
    query = {k: data[k] for k in given if k not in problems}
    return {"chosen": chosen, "query": query}, errors


def _choices() -> dict[str, Any]:
    orgs = model.Session.query(model.Group).filter(model.Group.is_organization.is_(True),
                                                   model.Group.state == "active").order_by(model.Group.title).all()
    lang = visibility.lang()
    return {"organizations": [{"value": o.name, "id": o.id, "label": o.title or o.name} for o in orgs],
            "sektor": refdata.choices("urusan", lang),
            "statuses": [{"value": s.value, "label": tk._(LABELS[s])} for s in Status]}


def _may_manage() -> bool:
    viewer = visibility.viewer_of(_context())
    return viewer.walidata or bool(viewer.manage_orgs)


def _month_arg() -> tuple[dt.date, list[str]]:
    value = tk.request.args.get("bulan", "")
    today = config.today()
    if value and _MONTH.match(value) and 1 <= int(value[5:]) <= 12 and 2000 <= int(value[:4]) <= 2100:
        return dt.date(int(value[:4]), int(value[5:]), 1), []
    errors = [tk._("Bulan harus berformat TTTT-BB, mis. 2026-03")] if value else []
    return today.replace(day=1), errors


def _shift(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _query_string(chosen: dict[str, str], **extra: str) -> dict[str, str]:
    params = {**extra, "organization": chosen["organization"], "sektor": chosen["urusan"], "status": chosen["status"]}
    return {k: v for k, v in params.items() if v}


@kalender.route("/kalender-rilis")
def month():
    """The month grid (a real table: caption, day headers), prev/next month, filters."""
    filters, errors = _filters()
    first, month_errors = _month_arg()
    entries = visible_entries(_context(), {**filters["query"], "month": first, "limit": 5000})
    by_day: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_day.setdefault(entry["scheduled_date"], []).append(entry)
    weeks = _calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    title = f"{tk._(MONTHS[first.month - 1])} {first.year}"
    prev, nxt = _shift(first, -1), _shift(first, 1)
    return tk.render("satudata/calendar/month.html", {
        "title": title, "first": first, "weeks": weeks, "by_day": by_day, "entries": entries,
        "days": [(tk._(long), tk._(short)) for long, short in DAYS], "today": config.today(),
        "prev": {"label": f"{tk._(MONTHS[prev.month - 1])} {prev.year}",
                 "params": _query_string(filters["chosen"], bulan=prev.strftime("%Y-%m"))},
        "next": {"label": f"{tk._(MONTHS[nxt.month - 1])} {nxt.year}",
                 "params": _query_string(filters["chosen"], bulan=nxt.strftime("%Y-%m"))},
        "chosen": filters["chosen"], "choices": _choices(), "errors": errors + month_errors, "view": "bulan",
        "may_manage": _may_manage(),
    })


@kalender.route("/kalender-rilis/daftar")
def listing():
    """The list of a year's entries (default: this year), with the same filters."""
    filters, errors = _filters()
    value = tk.request.args.get("tahun", "")
    year = config.today().year
    if value and _YEAR.match(value) and 2000 <= int(value) <= 2100:
        year = int(value)
    elif value:
        errors.append(tk._("Tahun harus empat angka, mis. 2026"))
    entries = visible_entries(_context(), {**filters["query"], "year": year, "limit": 5000}, history=True)
    return tk.render("satudata/calendar/list.html", {
        "year": year, "entries": entries, "chosen": filters["chosen"], "choices": _choices(), "errors": errors,
        "view": "daftar", "may_manage": _may_manage(),
        "prev_params": _query_string(filters["chosen"], tahun=str(year - 1)),
        "next_params": _query_string(filters["chosen"], tahun=str(year + 1)),
    })


def _ics(org: str | None):
    data: dict[str, Any] = {"limit": 5000}
    name = tk._("Kalender Rilis Satu Data Kabupaten Pasuruan")
    if org:
        group = model.Group.get(org)
        if group is None or not group.is_organization or group.state != "active":
            return tk.render("satudata/calendar/not_found.html", {}), 404
        data["organization"] = group.id
        name = f"{name} \u2013 {group.title or group.name}"
    entries = visible_entries(_context(), data, history=True)
    labels = {"opd": tk._("OPD"), "sektor": tk._("Sektor"), "periode": tk._("Periode"), "status": tk._("Status"),
              "dataset": tk._("Dataset"), "ditunda": tk._("Ditunda dari {old} ke {new}: {reason}")}
    response = make_response(feed.build(entries, name, labels))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="kalender-rilis{"-" + org if org else ""}.ics"'
    return response


@kalender.route("/kalender-rilis.ics")
def ics_all():
    """The whole portal's calendar as iCalendar (what the viewer may see); ``?organization=`` for one OPD."""
    return _ics(tk.request.args.get("organization") or None)


@kalender.route("/kalender-rilis/<org>.ics")
def ics_org(org: str):
    """One OPD's calendar as iCalendar."""
    return _ics(org)


# --- management ---------------------------------------------------------------------------------------------

def _form_data() -> dict[str, Any]:
    form = tk.request.form
    data = {k: form.get(k, "") for k in _FORM_FIELDS}
    data["priority"] = form.get("priority") == "on"
    data["public"] = form.get("public") == "on"
    return data


def _entry_or_404(entry_id: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("satudata_calendar_entry_show")(_context(), {"id": entry_id})
    except tk.ObjectNotFound:
        return None


def _render_form(template: str, status: int = 200, **extra: Any):
    return tk.render(template, {"choices": _choices(), **extra}), status


@kalender.route("/kalender-rilis/baru", methods=["GET", "POST"])
def create():
    """Announce a release (the OPD's operators and verifiers, the walidata)."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login")
    data = {"public": True}
    errors: list[str] = []
    if tk.request.method == "POST":
        data = _form_data()
        try:
            made = tk.get_action("satudata_calendar_entry_create")(_context(), dict(data))
            tk.h.flash_success(tk._("Jadwal rilis disimpan."))
            return tk.redirect_to("satudata_calendar.listing", tahun=made["scheduled_date"][:4])
        except tk.NotAuthorized:
            errors = [tk._("Anda tidak berhak mengelola jadwal rilis OPD ini")]
        except tk.ValidationError as err:
            errors = _messages(err)
    return _render_form("satudata/calendar/form.html", 400 if errors else 200, data=data, errors=errors, entry=None)


@kalender.route("/kalender-rilis/<id>/ubah", methods=["GET", "POST"])
def edit(id: str):
    entry = _entry_or_404(id)
    if entry is None:
        return tk.render("satudata/calendar/not_found.html", {}), 404
    if not entry["may_edit"]:
        return tk.render("satudata/calendar/not_found.html", {}), 403
    data = {**entry, "owner_org": entry["organization"]["name"],
            "package_id": entry["dataset"]["name"] if entry["dataset"] else ""}
    errors: list[str] = []
    if tk.request.method == "POST":
        data = _form_data()
        data.pop("scheduled_date", None)
        try:
            tk.get_action("satudata_calendar_entry_update")(_context(), {"id": id, **data})
            tk.h.flash_success(tk._("Jadwal rilis disimpan."))
            return tk.redirect_to("satudata_calendar.listing", tahun=entry["scheduled_date"][:4])
        except tk.NotAuthorized:
            errors = [tk._("Anda tidak berhak mengelola jadwal rilis OPD ini")]
        except tk.ValidationError as err:
            errors = _messages(err)
        data["scheduled_date"] = entry["scheduled_date"]
    return _render_form("satudata/calendar/form.html", 400 if errors else 200, data=data, errors=errors, entry=entry)


@kalender.route("/kalender-rilis/<id>/tunda", methods=["GET", "POST"])
def postpone(id: str):
    entry = _entry_or_404(id)
    if entry is None:
        return tk.render("satudata/calendar/not_found.html", {}), 404
    if not entry["may_edit"]:
        return tk.render("satudata/calendar/not_found.html", {}), 403
    data = {"new_date": "", "reason": ""}
    errors: list[str] = []
    if tk.request.method == "POST":
        data = {"new_date": tk.request.form.get("new_date", ""), "reason": tk.request.form.get("reason", "")}
        try:
            tk.get_action("satudata_calendar_entry_postpone")(_context(), {"id": id, **data})
            tk.h.flash_success(tk._("Rilis ditunda."))
            return tk.redirect_to("satudata_calendar.listing", tahun=data["new_date"][:4])
        except tk.ValidationError as err:
            errors = _messages(err)
    return tk.render("satudata/calendar/postpone.html", {"entry": entry, "data": data, "errors": errors}), \
        400 if errors else 200


@kalender.route("/kalender-rilis/<id>/hapus", methods=["POST"])
def delete(id: str):
    try:
        tk.get_action("satudata_calendar_entry_delete")(_context(), {"id": id})
        tk.h.flash_success(tk._("Jadwal rilis dihapus."))
    except tk.ObjectNotFound:
        return tk.render("satudata/calendar/not_found.html", {}), 404
    except tk.NotAuthorized:
        return tk.render("satudata/calendar/not_found.html", {}), 403
    return tk.redirect_to("satudata_calendar.listing")


@kalender.route("/kalender-rilis/impor", methods=["GET", "POST"])
def bulk():
    """Bulk load from XLSX/CSV: all rows or none."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login")
    errors: list[str] = []
    if tk.request.method == "POST":
        try:
            done = tk.get_action("satudata_calendar_import")(_context(), {"upload": tk.request.files.get("upload")})
            tk.h.flash_success(tk._("{n} jadwal rilis dimuat.").format(n=done["created"]))
            return tk.redirect_to("satudata_calendar.listing")
        except tk.ValidationError as err:
            errors = _messages(err)
    return tk.render("satudata/calendar/import.html", {"errors": errors, "columns": COLUMNS}), 400 if errors else 200


@kalender.route("/dataset/<id>/jadwal-rilis", methods=["POST"])
def schedule(id: str):
    """The walidata's form on the dataset page: schedule, move or cancel the release."""
    form = tk.request.form
    try:
        if form.get("aksi") == "batalkan":
            tk.get_action("satudata_release_cancel")(_context(), {"id": id})
            tk.h.flash_success(tk._("Jadwal rilis dibatalkan"))
        else:
            done = tk.get_action("satudata_release_schedule")(_context(), {"id": id,
                                                                          "publish_at": form.get("publish_at", "")})
            tk.h.flash_success(tk._("Dijadwalkan terbit {when}").format(when=done["publish_at_local"]))
    except tk.ObjectNotFound:
        return tk.render("satudata/calendar/not_found.html", {}), 404
    except tk.NotAuthorized:
        return tk.render("satudata/calendar/not_found.html", {}), 403
    except tk.ValidationError as err:
        tk.h.flash_error(" ".join(_messages(err)))
    return tk.redirect_to("dataset.read", id=id)
