"""Actions of the daftar data: entries, versions of the priority list and their diff, the availability matrix
and gap list, the bulk import, the register of OPD applications, and the KPI."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Context, DataDict

from .. import config, importer, records, summary
from ..records import Integration
from . import schema
from .auth import satudata_permission_daftardata_manage

__all__ = ["satudata_daftardata_entry_create", "satudata_daftardata_entry_update",
           "satudata_daftardata_entry_delete", "satudata_daftardata_entry_show", "satudata_daftardata_entry_list",
           "satudata_daftardata_import", "satudata_daftardata_version_create", "satudata_daftardata_version_delete",
           "satudata_daftardata_version_show", "satudata_daftardata_version_list",
           "satudata_daftardata_version_diff", "satudata_daftardata_matrix", "satudata_daftardata_gap_list",
           "satudata_daftardata_app_create", "satudata_daftardata_app_update", "satudata_daftardata_app_delete",
           "satudata_daftardata_app_show", "satudata_daftardata_app_list", "satudata_daftardata_kpi"]


def _user_id(context: Context) -> str | None:
    user = context.get("auth_user_obj")
    return user.id if isinstance(user, model.User) else None


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def _entry_not_found() -> tk.ObjectNotFound:
    return tk.ObjectNotFound(tk._("Entri daftar data tidak ditemukan"))


def _show_entry(context: Context, row: dict[str, Any]) -> dict[str, Any]:
    return summary.entry_out(row, summary.packages_of([row]), summary.org_names([row["owner_org"]]),
                             summary.Viewer(context))


def _check_links(context: Context, package_ids: list[str]) -> None:
    """Linking a dataset needs the right to read it (nobody links what they cannot see)."""
    viewer = summary.Viewer(context)
    for pid in package_ids:
        if not viewer.may_see(pid):
            raise tk.ValidationError({"package_ids": [tk._("Dataset '{value}' tidak ditemukan").format(value=pid)]})


# --- entries ---------------------------------------------------------------------------------------------

@validate(schema.entry_create)
def satudata_daftardata_entry_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add a data need of an OPD (the OPD's operators and verifiers, the walidata).

    :param owner_org: the OPD (organization name or id)
    :param name: the name of the data
    :param urusan: the sektor, a code of the ``urusan`` vocabulary (e.g. ``1.02``) or its name
    :param program: the related programme or RPJMD indicator (optional)
    :param frekuensi: a code of the ``frekuensi`` vocabulary (e.g. ``tahunan``)
    :param target_year: the year the data is needed by (2000-2100)
    :param priority: true for data prioritas (optional, default false)
    :param dasar_hukum: the legal basis of the priority (optional)
    :param status: ``dibutuhkan`` (default), ``dalam_produksi`` or ``tersedia``
    :param package_ids: datasets that fulfil it (names or ids; a list or comma-separated text; optional)
    :returns: the entry (as ``satudata_daftardata_entry_show``)
    """
    tk.check_access("satudata_daftardata_entry_create", context, data_dict)
    _check_links(context, data_dict["package_ids"])
    id_ = records.insert_entry(data_dict, _user_id(context), _now())
    model.repo.commit()
    return _show_entry(context, records.get_entry(id_))


@validate(schema.entry_update)
def satudata_daftardata_entry_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change an entry (its OPD's operators and verifiers, the walidata): the fields given replace the current
    ones. Parameters as ``satudata_daftardata_entry_create``, all optional but ``id``. Linked datasets the
    editor may not see are kept when ``package_ids`` is given.

    :param id: the entry's id
    :returns: the entry
    """
    tk.check_access("satudata_daftardata_entry_update", context, data_dict)
    current = records.get_entry(data_dict["id"])
    if current is None:
        raise _entry_not_found()
    if "package_ids" in data_dict:
        _check_links(context, [p for p in data_dict["package_ids"] if p not in current["package_ids"]])
        viewer = summary.Viewer(context)
        hidden = [p for p in current["package_ids"] if not viewer.may_see(p)]
        given = data_dict["package_ids"]
        data_dict["package_ids"] = [*given, *(p for p in hidden if p not in given)]
    records.update_entry(current["id"], data_dict, _user_id(context), _now())
    model.repo.commit()
    return _show_entry(context, records.get_entry(current["id"]))


@validate(schema.by_id)
def satudata_daftardata_entry_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove an entry from the live list (versions already agreed keep their copy).

    :param id: the entry's id
    """
    tk.check_access("satudata_daftardata_entry_delete", context, data_dict)
    records.delete_entry(data_dict["id"])
    model.repo.commit()
    return {"id": data_dict["id"], "deleted": True}


@tk.side_effect_free
@validate(schema.by_id)
def satudata_daftardata_entry_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An entry (public). Its linked datasets are named only to viewers who may see them; ``datasets_count``
    and ``datasets_hidden`` count all of them.

    :param id: the entry's id
    :returns: ``{id, owner_org, organization, name, urusan, urusan_label, program, frekuensi, target_year,
        priority, dasar_hukum, status, status_label, available, datasets, package_ids, datasets_count,
        datasets_hidden, created, modified}``
    """
    tk.check_access("satudata_daftardata_entry_show", context, data_dict)
    row = records.get_entry(data_dict["id"])
    if row is None:
        raise _entry_not_found()
    return _show_entry(context, row)


@tk.side_effect_free
@validate(schema.entry_list)
def satudata_daftardata_entry_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The entries (public), priority first then by name.

    :param owner_org: only this OPD (optional)
    :param urusan: only this sektor (optional)
    :param priority: true/false: only priority or non-priority entries (optional)
    :param status: only this status (optional)
    :param q: words that must occur in the name or programme (optional)
    :param limit: at most this many (default ``ckanext.satudatapasuruan.daftardata.page_size``)
    :param offset: skip this many
    :returns: ``{"count": n, "results": [entry, …]}``
    """
    tk.check_access("satudata_daftardata_entry_list", context, data_dict)
    count, rows = records.query_entries(
        owner_org=data_dict.get("owner_org"), urusan=data_dict.get("urusan"), priority=data_dict.get("priority"),
        status=data_dict.get("status"), q=data_dict["q"], limit=data_dict["limit"], offset=data_dict["offset"])
    packages, orgs, viewer = summary.packages_of(rows), summary.org_names(r["owner_org"] for r in rows), \
        summary.Viewer(context)
    return {"count": count, "results": [summary.entry_out(r, packages, orgs, viewer) for r in rows]}


def _upload_path(data_dict: DataDict, folder: str) -> str:
    upload = data_dict.get("upload")
    stream = getattr(upload, "stream", None) or getattr(upload, "file", None)
    if stream is None:
        raise tk.ValidationError({"upload": [tk._("Pilih berkas XLSX atau CSV untuk diunggah")]})
    limit = config.import_max_bytes()
    path = os.path.join(folder, "daftar-data")
    size = 0
    with open(path, "wb") as out:
        while block := stream.read(1024 * 1024):
            size += len(block)
            if size > limit:
                raise tk.ValidationError({"upload": [tk._("Berkas lebih besar dari batas {max} MB").format(
                    max=limit // (1024 * 1024))]})
            out.write(block)
    return path


def satudata_daftardata_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Load many entries from an XLSX or CSV file, all or nothing.

    Columns (header row, any order, by header or field name): ``OPD`` (name, id or official title),
    ``Nama data``, ``Sektor`` (urusan code or name), ``Program/Indikator RPJMD`` (optional), ``Frekuensi``,
    ``Tahun target``, ``Prioritas`` (ya/tidak, optional), ``Dasar hukum`` (optional), ``Status`` (optional,
    default dibutuhkan), ``Dataset`` (optional, names or ids separated by commas). Every row is checked as the
    form checks it and against the uploader's OPDs; **nothing** is saved unless every row is good.

    :param upload: the file (multipart form field)
    :param dry_run: true to check only
    :returns: ``{"created": n, "checked": n, "ids": [...]}``; or a ValidationError whose ``upload`` lists the
        problems, one per message ``Baris N: …``
    """
    tk.check_access("satudata_daftardata_import", context, data_dict)
    user = context.get("auth_user_obj")
    user = user if isinstance(user, model.User) else None
    allowed: dict[str, bool] = {}

    def may_manage(org_id: str) -> bool:
        if org_id not in allowed:
            allowed[org_id] = satudata_permission_daftardata_manage(user, org_id)["success"]
        return allowed[org_id]

    viewer = summary.Viewer(context)
    with tempfile.TemporaryDirectory() as folder:
        path = _upload_path(data_dict, folder)
        try:
            rows, problems = importer.parse(path, context, may_manage, viewer.may_see,
                                            max_bytes=config.import_max_bytes(), max_rows=config.import_max_rows())
        except importer.ImportProblem as err:
            raise tk.ValidationError({"upload": [err.message]}) from err
    if problems:
        model.Session.rollback()
        shown = problems[:200]
        if len(problems) > 200:
            shown.append(tk._("… dan {n} kesalahan lain").format(n=len(problems) - 200))
        raise tk.ValidationError({"upload": shown})
    if tk.asbool(data_dict.get("dry_run", False)):
        return {"created": 0, "checked": len(rows), "ids": []}
    now, user_id = _now(), _user_id(context)
    ids = [records.insert_entry(row, user_id, now) for row in rows]
    model.repo.commit()
    return {"created": len(ids), "checked": len(rows), "ids": ids}


# --- versions of the priority list -----------------------------------------------------------------------

def _version_out(context: Context, row: dict[str, Any], with_entries: bool) -> dict[str, Any]:
    out = {"id": row["id"], "agreed_by": row["agreed_by"], "agreed_date": row["agreed_date"].isoformat(),
           "note": row["note"], "created": row["created"].isoformat(), "entry_count": len(row["entries"])}
    if with_entries:
        out["entries"] = _present(context, row["entries"])
    return out


def _present(context: Context, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    packages = summary.packages_of(entries)
    orgs = summary.org_names(e["owner_org"] for e in entries)
    viewer = summary.Viewer(context)
    return [summary.entry_out(e, packages, orgs, viewer) for e in entries]


def _version(id_: int) -> dict[str, Any]:
    row = records.get_version(id_)
    if row is None:
        raise tk.ObjectNotFound(tk._("Versi daftar data prioritas {id} tidak ditemukan").format(id=id_))
    return row


@validate(schema.version_create)
def satudata_daftardata_version_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Record a version of the priority list agreed by the Forum Satu Data (walidata): a copy of every priority
    entry as it is now.

    :param agreed_by: who agreed (e.g. ``Forum Satu Data Kabupaten Pasuruan``)
    :param agreed_date: the date agreed, ``YYYY-MM-DD``
    :param note: a note (optional)
    :returns: the version with its entries
    """
    tk.check_access("satudata_daftardata_version_create", context, data_dict)
    entries = summary.snapshot(records.priority_entries())
    id_ = records.insert_version(data_dict["agreed_by"], data_dict["agreed_date"], data_dict["note"], entries,
                                 _user_id(context), _now())
    model.repo.commit()
    return _version_out(context, _version(id_), with_entries=True)


@validate(schema.version_id)
def satudata_daftardata_version_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove a version recorded by mistake (walidata).

    :param id: the version number
    """
    tk.check_access("satudata_daftardata_version_delete", context, data_dict)
    _version(data_dict["id"])
    records.delete_version(data_dict["id"])
    model.repo.commit()
    return {"id": data_dict["id"], "deleted": True}


@tk.side_effect_free
@validate(schema.version_id)
def satudata_daftardata_version_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A version with the priority entries it agreed (public; datasets named as in entry_show).

    :param id: the version number
    """
    tk.check_access("satudata_daftardata_version_show", context, data_dict)
    return _version_out(context, _version(data_dict["id"]), with_entries=True)


@tk.side_effect_free
def satudata_daftardata_version_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every version, newest agreement first (public), without their entries.

    :returns: ``[{id, agreed_by, agreed_date, note, created, entry_count}, …]``
    """
    tk.check_access("satudata_daftardata_version_list", context, data_dict)
    return [_version_out(context, r, with_entries=False) for r in records.list_versions()]


@tk.side_effect_free
@validate(schema.version_diff)
def satudata_daftardata_version_diff(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What changed in the priority list from version ``old`` to version ``new`` (or to the live list).

    :param old: a version number
    :param new: a version number (optional; default: the live priority list)
    :returns: ``{"old": n, "new": n|null, "added": [entry…], "removed": [entry…],
        "changed": [{"old": entry, "new": entry, "fields": [name…]}…]}``
    """
    tk.check_access("satudata_daftardata_version_diff", context, data_dict)
    old = _version(data_dict["old"])["entries"]
    new_id = data_dict.get("new")
    new = _version(new_id)["entries"] if new_id else summary.snapshot(records.priority_entries())
    found = summary.diff(old, new)
    present = {e["id"]: e for e in _present(context, [*found["added"], *found["removed"],
                                                       *(c["old"] for c in found["changed"])])}
    present_new = {e["id"]: e for e in _present(context, [c["new"] for c in found["changed"]])}

    def by_name(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted((present[e["id"]] for e in items), key=lambda e: (e["name"].lower(), e["id"]))

    return {"old": data_dict["old"], "new": new_id or None, "added": by_name(found["added"]),
            "removed": by_name(found["removed"]),
            "changed": [{"old": present[c["old"]["id"]], "new": present_new[c["new"]["id"]], "fields": c["fields"]}
                        for c in found["changed"]]}


# --- matrix, gaps, KPI -----------------------------------------------------------------------------------

def _filtered(data_dict: DataDict) -> list[dict[str, Any]]:
    rows = records.all_entries()
    for key in ("owner_org", "urusan", "status"):
        if data_dict.get(key):
            rows = [r for r in rows if r[key] == data_dict[key]]
    if data_dict.get("priority") is not None:
        rows = [r for r in rows if r["priority"] is data_dict["priority"]]
    return rows


@tk.side_effect_free
@validate(schema.filters)
def satudata_daftardata_matrix(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The availability matrix OPD x sektor (public): per cell the data needed (every entry), available
    (status tersedia with an active linked dataset) and priority.

    :param owner_org: only this OPD (optional); likewise ``urusan``, ``priority``, ``status``
    :returns: ``{"sektor": [{code, label}], "rows": [{organization, cells: {code: {needed, available,
        priority}}, total}], "columns": {code: {…}}, "total": {needed, available, priority}}``
    """
    tk.check_access("satudata_daftardata_matrix", context, data_dict)
    return summary.matrix(_filtered(data_dict))


@tk.side_effect_free
@validate(schema.filters)
def satudata_daftardata_gap_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The gap list (public): entries needed but not available, priority first, then by OPD, sektor, name.

    :param owner_org: only this OPD (optional); likewise ``urusan``, ``priority``, ``status``
    :returns: ``[entry, …]`` as ``satudata_daftardata_entry_show``
    """
    tk.check_access("satudata_daftardata_gap_list", context, data_dict)
    return summary.gaps(_filtered(data_dict), summary.Viewer(context))


@tk.side_effect_free
def satudata_daftardata_kpi(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The daftar data figures of the Monev dashboard (public aggregate). Priority entries are those of the
    live list.

    :returns: ``{"list_updates_per_year": {"2025": n, …}, "priority_entries": n, "priority_available": n,
        "priority_package_ids": [id…], "apps_total": n, "apps_integrated_api": n,
        "per_opd": {"<org name>": {"priority_entries": n, "priority_available": n, "apps_total": n,
        "apps_integrated_api": n}}}``
    """
    tk.check_access("satudata_daftardata_kpi", context, data_dict)
    return summary.kpi(records.all_entries(), records.query_apps(),
                       [v["agreed_date"] for v in records.list_versions()])


# --- register of OPD applications ------------------------------------------------------------------------

def _app_not_found() -> tk.ObjectNotFound:
    return tk.ObjectNotFound(tk._("Aplikasi OPD tidak ditemukan"))


def _check_harvest(integration: str, source_id: str | None) -> str | None:
    """The harvest source to store: ``dipanen`` needs one that exists (ckanext-harvest enabled); any source
    given is checked when the harvest plugin is there, and stored by its id."""
    dipanen = integration == Integration.DIPANEN.value
    if dipanen and not source_id:
        raise tk.ValidationError({"harvest_source_id": [tk._(
            "Status dipanen memerlukan sumber panen (harvest source) yang terdaftar")]})
    if not source_id:
        return None
    if not p.plugin_loaded("harvest"):
        if dipanen:
            raise tk.ValidationError({"harvest_source_id": [tk._(
                "Status dipanen tidak dapat dipilih: fitur panen (ckanext-harvest) tidak aktif di portal ini")]})
        return source_id
    try:
        source = tk.get_action("harvest_source_show")({"ignore_auth": True}, {"id": source_id})
    except tk.ObjectNotFound as err:
        raise tk.ValidationError({"harvest_source_id": [tk._(
            "Sumber panen '{value}' tidak ditemukan").format(value=source_id[:60])]}) from err
    return source["id"]


def _show_app(row: dict[str, Any]) -> dict[str, Any]:
    return summary.app_out(row, summary.org_names([row["owner_org"]]))


@validate(schema.app_create)
def satudata_daftardata_app_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Register an application of an OPD (its operators and verifiers, the walidata).

    :param owner_org: the OPD (organization name or id)
    :param name: the application's name
    :param function: what it does (optional)
    :param priority: true for a priority application (optional)
    :param integration: ``belum`` (default), ``api_terdokumentasi`` or ``dipanen``
    :param harvest_source_id: its ckanext-harvest source (required, and must exist, for ``dipanen``)
    :returns: the application
    """
    tk.check_access("satudata_daftardata_app_create", context, data_dict)
    data_dict["harvest_source_id"] = _check_harvest(data_dict["integration"], data_dict.get("harvest_source_id"))
    id_ = records.insert_app(data_dict, _user_id(context), _now())
    model.repo.commit()
    return _show_app(records.get_app(id_))


@validate(schema.app_update)
def satudata_daftardata_app_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change an application (parameters as ``satudata_daftardata_app_create``, all optional but ``id``).

    :param id: the application's id
    """
    tk.check_access("satudata_daftardata_app_update", context, data_dict)
    current = records.get_app(data_dict["id"])
    if current is None:
        raise _app_not_found()
    if data_dict.get("harvest_source_id") == "":
        data_dict["harvest_source_id"] = None
    merged = {**current, **data_dict}
    data_dict["harvest_source_id"] = _check_harvest(merged["integration"], merged["harvest_source_id"])
    records.update_app(current["id"], data_dict, _user_id(context), _now())
    model.repo.commit()
    return _show_app(records.get_app(current["id"]))


@validate(schema.by_id)
def satudata_daftardata_app_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove an application from the register.

    :param id: the application's id
    """
    tk.check_access("satudata_daftardata_app_delete", context, data_dict)
    records.delete_app(data_dict["id"])
    model.repo.commit()
    return {"id": data_dict["id"], "deleted": True}


@tk.side_effect_free
@validate(schema.by_id)
def satudata_daftardata_app_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An application of the register (public).

    :param id: the application's id
    """
    tk.check_access("satudata_daftardata_app_show", context, data_dict)
    row = records.get_app(data_dict["id"])
    if row is None:
        raise _app_not_found()
    return _show_app(row)


@tk.side_effect_free
def satudata_daftardata_app_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The register of OPD applications (public), by name.

    :param owner_org: only this OPD (optional, name or id)
    """
    tk.check_access("satudata_daftardata_app_list", context, data_dict)
    org = None
    if data_dict.get("owner_org"):
        group = model.Group.get(str(data_dict["owner_org"]))
        if group is None:
            return []
        org = group.id
    rows = records.query_apps(org)
    orgs = summary.org_names(r["owner_org"] for r in rows)
    return [summary.app_out(r, orgs) for r in rows]
