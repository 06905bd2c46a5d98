"""Actions of the release calendar (Kalender Rilis) and of scheduled releases (embargo)."""
from __future__ import annotations

import calendar as _calendar
import datetime as dt
import os
import tempfile
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Action, Context, DataDict

from ckanext.satudatapasuruan.messages import N_

from .. import config, embargo, importer, kpi, publication, records, visibility
from ..records import ScheduleState
from . import schema

__all__ = [
    "satudata_calendar_entry_create", "satudata_calendar_entry_update", "satudata_calendar_entry_postpone",
    "satudata_calendar_entry_delete", "satudata_calendar_entry_show", "satudata_calendar_entry_list",
    "satudata_calendar_import", "satudata_calendar_kpi", "satudata_release_schedule", "satudata_release_cancel",
    "satudata_release_schedule_show", "satudata_release_schedule_list", "satudata_workflow_publish",
]

NOT_FOUND = N_("Entri kalender rilis tidak ditemukan")


def _user_id(context: Context) -> str | None:
    user = context.get("auth_user_obj")
    return user.id if isinstance(user, model.User) else None


def _entry(entry_id: str) -> dict[str, Any]:
    row = records.get_entry(entry_id)
    if row is None or row["state"] != "active":
        raise tk.ObjectNotFound(tk._(NOT_FOUND))
    return row


def _linked(package_ref: str | None, org_id: str) -> model.Package | None:
    """The dataset an entry links to: it must exist and belong to the entry's OPD."""
    if not package_ref:
        return None
    package = model.Package.get(package_ref)
    if package is None or package.state == "deleted":
        raise tk.ValidationError({"package_id": [tk._("Dataset tidak ditemukan")]})
    if package.owner_org != org_id:
        raise tk.ValidationError({"package_id": [tk._("Dataset ini bukan milik OPD entri ini")]})
    return package


def _urusan(value: str | None, package: model.Package | None) -> str:
    code = value or (package.extras.get("urusan") if package is not None else "")
    if not code:
        raise tk.ValidationError({"urusan": [tk._("Sektor (urusan) wajib diisi bila tidak ada dataset tertaut")]})
    try:
        return tk.get_validator("satudata_calendar_urusan")(code)
    except tk.Invalid as err:
        raise tk.ValidationError({"urusan": [err.error]}) from err


def _show(context: Context, entry_id: str) -> dict[str, Any]:
    viewer = visibility.viewer_of(context)
    row = records.get_entry(entry_id)
    if row is None or row["state"] != "active" or not viewer.may_see(row):
        raise tk.ObjectNotFound(tk._(NOT_FOUND))
    return visibility.present(row, viewer, history=True)


def create_values(values: dict[str, Any], user_id: str | None) -> str:
    """Write one checked entry (no commit): shared by the create action and the bulk load."""
    entry_id = records.insert_entry(values, values["scheduled_date"], user_id)
    row = records.get_entry(entry_id)
    when = publication.backfill(row)
    if when is not None:
        records.update_entry(entry_id, {"published_at": when}, bump=False)
        records.add_event(entry_id, "publish", None, None, None, None)
    return entry_id


@validate(schema.entry_create)
def satudata_calendar_entry_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Announce a release in the calendar (the OPD's operators and verifiers, or the walidata).

    :param owner_org: the OPD (organization id or name)
    :param title: the release's public title
    :param period: the period the data covers, e.g. ``2025`` or ``Triwulan I 2026``
    :param scheduled_date: the promised date, ``YYYY-MM-DD`` (WIB)
    :param urusan: sektor, an urusan code of Permendagri 90/2019 (e.g. ``2.12``); optional when a dataset is
        linked (the dataset's ``urusan`` is taken)
    :param package_id: the dataset that will carry the release (optional; it must belong to the OPD)
    :param priority: priority data when no dataset is linked (default false; a linked dataset's
        ``data_prioritas`` decides otherwise)
    :param public: false to show the entry only to the OPD and the walidata (default true)
    :param notes: a description (optional)
    :returns: the entry (as ``satudata_calendar_entry_show``)
    """
    tk.check_access("satudata_calendar_entry_create", context, data_dict)
    package = _linked(data_dict.get("package_id"), data_dict["owner_org"])
    values = dict(data_dict, package_id=package.id if package else None,
                  urusan=_urusan(data_dict.get("urusan"), package))
    entry_id = create_values(values, _user_id(context))
    model.repo.commit()
    return _show(context, entry_id)


@validate(schema.entry_update)
def satudata_calendar_entry_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change an entry's title, period, sektor, notes, dataset link or flags (its SEQUENCE goes up).

    The date changes only by ``satudata_calendar_entry_postpone`` (with a reason, kept in the history).

    :param id: the entry's id
    :param owner_org, title, period, urusan, package_id, priority, public, notes: as for create (only the
        fields given change; ``package_id`` empty unlinks the dataset)
    :returns: the entry
    """
    tk.check_access("satudata_calendar_entry_update", context, data_dict)
    row = _entry(data_dict["id"])
    if "scheduled_date" in data_dict and data_dict["scheduled_date"] != row["scheduled_date"]:
        raise tk.ValidationError({"scheduled_date": [tk._(
            "Tanggal rilis diubah dengan penundaan (alasan dan tanggal baru), bukan dengan penyuntingan")]})
    values = {k: data_dict[k] for k in records.ENTRY_FIELDS if k in data_dict}
    org_id = values.get("owner_org", row["owner_org"])
    package_ref = values["package_id"] if "package_id" in values else row["package_id"]
    package = _linked(package_ref, org_id)
    values["package_id"] = package.id if package else None
    if "urusan" in values or package is not None and not row["urusan"]:
        values["urusan"] = _urusan(values.get("urusan"), package)
    relinked = values["package_id"] != row["package_id"]
    if relinked:
        values["published_at"] = None
    records.update_entry(row["id"], values)
    records.add_event(row["id"], "update", None, None, None, _user_id(context))
    if relinked and package is not None:
        when = publication.backfill(records.get_entry(row["id"]))
        if when is not None:
            records.update_entry(row["id"], {"published_at": when}, bump=False)
            records.add_event(row["id"], "publish", None, None, None, None)
    model.repo.commit()
    return _show(context, row["id"])


@validate(schema.entry_postpone)
def satudata_calendar_entry_postpone(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Postpone a release (the OPD or the walidata): a reason and a later date; the old date and the reason stay
    in the entry's history, shown with it; the status becomes ``ditunda`` until the new date.

    :param id: the entry's id
    :param new_date: the new date, ``YYYY-MM-DD``, later than the current one and not in the past
    :param reason: why (required; public)
    :returns: the entry
    """
    tk.check_access("satudata_calendar_entry_postpone", context, data_dict)
    row = _entry(data_dict["id"])
    if row["published_at"] is not None:
        raise tk.ValidationError({"id": [tk._("Rilis ini sudah terbit; tidak dapat ditunda")]})
    new_date = data_dict["new_date"]
    if new_date <= row["scheduled_date"]:
        raise tk.ValidationError({"new_date": [tk._("Tanggal baru harus lebih lambat dari tanggal rilis sekarang "
                                                    "({date})").format(date=row["scheduled_date"].isoformat())]})
    if new_date < config.today():
        raise tk.ValidationError({"new_date": [tk._("Tanggal baru tidak boleh di masa lalu")]})
    records.update_entry(row["id"], {"scheduled_date": new_date, "postponements": records.entry.c.postponements + 1})
    records.add_event(row["id"], "postpone", row["scheduled_date"], new_date, data_dict["reason"],
                      _user_id(context))
    model.repo.commit()
    return _show(context, row["id"])


@validate(schema.by_id)
def satudata_calendar_entry_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove an entry from the calendar (kept in the database, marked deleted; it leaves the feeds).

    :param id: the entry's id
    """
    tk.check_access("satudata_calendar_entry_delete", context, data_dict)
    row = _entry(data_dict["id"])
    records.update_entry(row["id"], {"state": "deleted"})
    records.add_event(row["id"], "delete", None, None, None, _user_id(context))
    model.repo.commit()
    return {"id": row["id"], "deleted": True}


@tk.side_effect_free
@validate(schema.by_id)
def satudata_calendar_entry_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One entry with its status and history (postponements with their old dates and reasons).

    The linked ``dataset`` (id, name, title, url) is given only to those who may see the dataset; a non-public
    entry exists only for its OPD and the walidata.

    :param id: the entry's id
    :returns: ``status`` (``terjadwal``, ``terbit_tepat_waktu``, ``terlambat``, ``ditunda``), ``status_label``,
        ``scheduled_date``, ``original_date``, ``published_date``, ``on_original_schedule``, ``sequence``,
        ``history``, ``may_edit`` …
    """
    tk.check_access("satudata_calendar_entry_show", context, data_dict)
    return _show(context, data_dict["id"])


def _bounds(data: DataDict) -> tuple[dt.date | None, dt.date | None]:
    start, end = data.get("start"), data.get("end")
    if data.get("month"):
        first = data["month"]
        start, end = first, first.replace(day=_calendar.monthrange(first.year, first.month)[1])
    elif data.get("year"):
        start, end = dt.date(data["year"], 1, 1), dt.date(data["year"], 12, 31)
    if start and end and end < start:
        raise tk.ValidationError({"end": [tk._("Tanggal akhir tidak boleh sebelum tanggal awal")]})
    return start, end


def visible_entries(context: Context, data_dict: DataDict, *, history: bool = False) -> list[dict[str, Any]]:
    """The entries the caller may see, filtered (validated ``data_dict`` of the list schema)."""
    start, end = _bounds(data_dict)
    viewer = visibility.viewer_of(context)
    today = config.today()
    orgs: dict[str, dict[str, Any]] = {}
    wanted = data_dict.get("status")
    out = []
    for row in records.entries(owner_org=data_dict.get("organization"), urusan=data_dict.get("urusan"),
                               start=start, end=end):
        if not viewer.may_see(row):
            continue
        if wanted and visibility.status_of(row, today).value != wanted:
            continue
        out.append(visibility.present(row, viewer, today=today, orgs=orgs, history=history))
        if len(out) >= data_dict.get("limit", 1000):
            break
    return out


@tk.side_effect_free
@validate(schema.entry_list)
def satudata_calendar_entry_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The calendar's entries the caller may see, by date.

    :param organization: only this OPD (id or name)
    :param urusan: only this sektor (urusan code)
    :param status: only ``terjadwal``, ``terbit_tepat_waktu``, ``terlambat`` or ``ditunda``
    :param month: ``YYYY-MM`` (or ``year``: ``YYYY``; or ``start``/``end``: ``YYYY-MM-DD``, inclusive)
    :param limit: at most this many (default 1000)
    """
    tk.check_access("satudata_calendar_entry_list", context, data_dict)
    return visible_entries(context, data_dict)


def _errors_out(errors: list) -> dict[str, list[str]]:
    shown = [tk._("Baris {row}, kolom {column}: {reason}").format(row=e.row, column=e.column, reason=e.reason)
             for e in errors[:200]]
    if len(errors) > 200:
        shown.append(tk._("… dan {n} kesalahan lain").format(n=len(errors) - 200))
    return {"upload": shown}


def satudata_calendar_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Load many entries from an XLSX or CSV file, all or nothing.

    Columns (header row; by name or alias, any order): ``OPD`` (name or official title), ``Sektor`` (urusan
    code or name; optional with a dataset), ``Judul``, ``Periode``, ``Tanggal rilis`` (``YYYY-MM-DD``,
    ``DD/MM/YYYY`` or a date cell), ``Dataset`` (optional, name or id), ``Prioritas`` and ``Publik`` (ya/tidak,
    optional), ``Keterangan`` (optional). The data uploads' validation core reads and checks the file; every
    problem is reported with its row and column and **nothing** is saved unless every row is good.

    :param upload: the file (multipart form field)
    :param dry_run: true to check only
    :returns: ``created`` (count) and ``ids``; or a ValidationError whose ``upload`` lists the problems
    """
    tk.check_access("satudata_calendar_import", context, data_dict)
    upload = data_dict.get("upload")
    stream = getattr(upload, "stream", None) or getattr(upload, "file", None)
    if stream is None:
        raise tk.ValidationError({"upload": [tk._("Pilih berkas XLSX atau CSV untuk diunggah")]})
    viewer = visibility.viewer_of(context)
    limit = config.import_max_bytes()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "kalender")
        size = 0
        with open(path, "wb") as out:
            while block := stream.read(1024 * 1024):
                size += len(block)
                if size > limit:
                    raise tk.ValidationError({"upload": [tk._("Berkas lebih besar dari batas {max} MB").format(
                        max=limit // (1024 * 1024))]})
                out.write(block)
        try:
            rows, errors = importer.parse(path, viewer, max_bytes=limit, max_rows=config.import_max_rows())
        except importer.ImportProblem as err:
            raise tk.ValidationError({"upload": [err.message]}) from err
    if errors:
        raise tk.ValidationError(_errors_out(errors))
    dry_run = tk.asbool(data_dict.get("dry_run", False))
    if dry_run:
        return {"created": 0, "checked": len(rows), "ids": []}
    user_id = _user_id(context)
    ids = [create_values(values, user_id) for values in rows]
    model.repo.commit()
    return {"created": len(ids), "checked": len(rows), "ids": ids}


@tk.side_effect_free
@validate(schema.kpi)
def satudata_calendar_kpi(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """IKU "priority datasets released on calendar schedule": of the priority entries whose first announced
    date falls in ``year`` and has passed (or that are published), the share published on or before that first
    date (a postponement does not excuse). Priority: the linked dataset's ``data_prioritas`` = ``ya``, or the
    entry's own flag when no dataset is linked. Counts only; no titles.

    :param year: ``YYYY``
    :param organization: one OPD (optional)
    :returns: ``year``, ``organization``, ``priority_entries``, ``due``, ``on_schedule``, ``share`` (0–1 or null
        when nothing is due), ``target`` (the IKU target for the year, or null), ``per_opd`` (the same per OPD)
    """
    tk.check_access("satudata_calendar_kpi", context, data_dict)
    return kpi.compute(data_dict["year"], data_dict.get("organization"), config.today())


# --- scheduled releases (embargo) ---------------------------------------------------------------------

def _package(ref: str) -> model.Package:
    package = model.Package.get(ref)
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset tidak ditemukan"))
    return package


def _schedule_out(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    names = {u.id: u.name for u in model.Session.query(model.User).filter(
        model.User.id.in_([x for x in (row["scheduled_by"], row["published_by"]) if x]))}
    package = model.Package.get(row["package_id"])
    return {"id": row["id"], "package_id": row["package_id"], "name": package.name if package else None,
            "publish_at": row["publish_at"].isoformat(), "publish_at_local": embargo.local_text(row["publish_at"]),
            "state": row["state"], "scheduled_by": names.get(row["scheduled_by"]),
            "published_by": names.get(row["published_by"]), "note": row["note"],
            "done": row["done"].isoformat() if row["done"] else None}


@validate(schema.release_schedule)
def satudata_release_schedule(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The walidata schedules the publication of an OPD-verified dataset (state ``diverifikasi_opd``) for a date
    and time; calling it again moves the schedule. Until then the dataset stays unpublished (private);
    ``ckan satudata-calendar tick`` publishes it through ``satudata_workflow_publish`` at that time, never
    earlier, once. A manual publication meanwhile is refused.

    :param id: the dataset's id or name
    :param publish_at: ``YYYY-MM-DD HH:MM`` in WIB (Asia/Jakarta), or ISO 8601 with an offset; in the future
    :param note: a note for the audit trail (optional)
    :returns: the schedule (``publish_at`` in UTC, ``publish_at_local``, ``state``, ``scheduled_by``)
    """
    tk.check_access("satudata_release_schedule", context, data_dict)
    package = _package(data_dict["id"])
    state = tk.get_action("satudata_workflow_show")({"ignore_auth": True}, {"id": package.id})
    if state["state"] != "diverifikasi_opd":
        raise tk.ValidationError({"id": [tk._(
            "Hanya dataset yang sudah diverifikasi OPD (menunggu walidata) yang dapat dijadwalkan; status sekarang: "
            "{state}").format(state=state["state_label"])]})
    if data_dict["publish_at"] <= dt.datetime.utcnow():
        raise tk.ValidationError({"publish_at": [tk._("Waktu rilis harus di masa depan")]})
    user_id = _user_id(context)
    pending = records.pending_schedule(package.id)
    if pending is None:
        records.insert_schedule(package.id, data_dict["publish_at"], user_id, data_dict["note"] or None)
    else:
        records.move_schedule(pending["id"], data_dict["publish_at"], user_id, data_dict["note"] or None)
    model.repo.commit()
    note = tk._("Dijadwalkan terbit {when}").format(when=embargo.local_text(data_dict["publish_at"]))
    tk.get_action("satudata_workflow_comment")({"user": context["user"]}, {"id": package.id, "note": note})
    return _schedule_out(records.pending_schedule(package.id))


@validate(schema.release_cancel)
def satudata_release_cancel(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The walidata cancels a scheduled release; the dataset stays OPD-verified, to publish or schedule again.

    :param id: the dataset's id or name
    :param note: why (optional)
    """
    tk.check_access("satudata_release_cancel", context, data_dict)
    package = _package(data_dict["id"])
    pending = records.pending_schedule(package.id)
    if pending is None:
        raise tk.ValidationError({"id": [tk._("Dataset ini tidak memiliki jadwal rilis")]})
    records.finish_schedule(pending["id"], ScheduleState.DIBATALKAN, _user_id(context), data_dict["note"] or None)
    model.repo.commit()
    tk.get_action("satudata_workflow_comment")({"user": context["user"]},
                                               {"id": package.id, "note": tk._("Jadwal rilis dibatalkan")})
    return _schedule_out(records.latest_schedule(package.id))


@tk.side_effect_free
@validate(schema.by_id)
def satudata_release_schedule_show(context: Context, data_dict: DataDict) -> dict[str, Any] | None:
    """A dataset's pending (or latest) scheduled release, for those who may see the dataset; null when none.

    :param id: the dataset's id or name
    """
    tk.check_access("satudata_release_schedule_show", context, data_dict)
    package = _package(data_dict["id"])
    return _schedule_out(records.pending_schedule(package.id) or records.latest_schedule(package.id))


@tk.side_effect_free
def satudata_release_schedule_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every pending scheduled release, soonest first (walidata)."""
    tk.check_access("satudata_release_schedule_list", context, data_dict)
    return [_schedule_out(r) for r in records.pending_schedules()]


@tk.chained_action
def satudata_workflow_publish(next_action: Action, context: Context, data_dict: DataDict):
    """A dataset with a pending scheduled release is published only by the tick, at its time."""
    tk.check_access("satudata_workflow_publish", context, data_dict)
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is not None and not context.get(embargo.EMBARGO_FLAG):
        pending = records.pending_schedule(package.id)
        if pending is not None:
            raise tk.ValidationError({"id": [tk._(
                "Dataset ini dijadwalkan terbit {when}; batalkan atau ubah jadwalnya untuk menerbitkannya "
                "sekarang").format(when=embargo.local_text(pending["publish_at"]))]})
    return next_action(context, data_dict)

