"""Actions of the kamus data terpadu: entries, their versions, the import, and picking an entry into a dataset
(CKAN's package_create/package_update, chained)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Action, Context, DataDict
from sqlalchemy.exc import IntegrityError

from ckanext.satudatapasuruan import refdata

from .. import config, pick, records
from ..records import CONTENT, Change, State
from . import schema
from .validators import satudata_kamus_kode

__all__ = ["satudata_kamus_entry_create", "satudata_kamus_entry_update", "satudata_kamus_entry_delete",
           "satudata_kamus_entry_show", "satudata_kamus_entry_list", "satudata_kamus_entry_history",
           "satudata_kamus_import", "package_create", "package_update"]


def _user_id(context: Context) -> str | None:
    user = context.get("auth_user_obj")
    return user.id if isinstance(user, model.User) else None


def _lang() -> str:
    try:
        return tk.h.lang() or "id"
    except (RuntimeError, TypeError, AttributeError):
        return "id"


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _names(user_ids: set[str | None]) -> dict[str, str]:
    ids = [u for u in user_ids if u]
    if not ids:
        return {}
    return dict(model.Session.query(model.User.id, model.User.name).filter(model.User.id.in_(ids)).all())


def entry_out(row: dict[str, Any], names: dict[str, str] | None = None) -> dict[str, Any]:
    """An entry as the API and the pages show it."""
    names = names if names is not None else _names({row.get("created_by"), row.get("modified_by")})
    return {"kode": row["kode"], **{k: row[k] for k in CONTENT},
            "satuan_label": refdata.label("satuan", row["satuan"], _lang()), "state": row["state"],
            "version": row["version"], "created": _iso(row["created"]), "created_by": names.get(row["created_by"]),
            "modified": _iso(row["modified"]), "modified_by": names.get(row["modified_by"])}


def _not_found(kode: str) -> tk.ObjectNotFound:
    return tk.ObjectNotFound(tk._("Entri Kamus Data {kode} tidak ditemukan").format(kode=kode))


def _duplicate(kode: str) -> tk.ValidationError:
    return tk.ValidationError({"kode": [tk._("Kode standar data {kode} sudah ada di Kamus Data").format(kode=kode)]})


def _content(data: DataDict, current: dict[str, Any] | None = None) -> dict[str, Any]:
    return {k: data[k] if k in data else (current or {}).get(k, "") for k in CONTENT}


@validate(schema.entry_create)
def satudata_kamus_entry_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add a standar data entry to the kamus (walidata, pembina data). It starts at version 1.

    :param kode: Kode Standar Data, as the dataset field ``kode_standar_data`` (e.g. ``SP00055.00.00``); unique
    :param konsep: the concept (required)
    :param definisi: the definition (required)
    :param klasifikasi: the classification (required)
    :param ukuran: the measure, e.g. ``Jumlah`` (required)
    :param satuan: a code of the reference vocabulary ``satuan``, e.g. ``jiwa`` (required)
    :param dasar_hukum: the regulation the standard comes from (optional)
    :param note: a note for the history (optional)
    :returns: the entry (as ``satudata_kamus_entry_show``)
    """
    tk.check_access("satudata_kamus_entry_create", context, data_dict)
    kode = data_dict["kode"]
    if records.get_entry(kode) is not None:
        raise _duplicate(kode)
    records.insert_entry(kode, _content(data_dict), _user_id(context), data_dict["note"], dt.datetime.utcnow())
    try:
        model.repo.commit()
    except IntegrityError as err:  # the same kode created at the same moment
        model.Session.rollback()
        raise _duplicate(kode) from err
    return entry_out(records.get_entry(kode))


@validate(schema.entry_update)
def satudata_kamus_entry_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change an entry (walidata, pembina data): the fields given replace the current ones and the entry gets
    its next version; the previous versions stay in its history with who made them and when.

    :param kode: the entry's kode
    :param konsep: (optional) and likewise ``definisi``, ``klasifikasi``, ``ukuran``, ``satuan``, ``dasar_hukum``
    :param note: why it changed (optional, shown in the history)
    :param version: the version the change was made on (optional): refused if the entry moved on meanwhile
    :param aktifkan: true to bring a retired entry back (optional)
    :returns: the entry at its new version
    """
    tk.check_access("satudata_kamus_entry_update", context, data_dict)
    kode = data_dict["kode"]
    current = records.get_entry(kode, lock=True)
    if current is None:
        raise _not_found(kode)
    if data_dict.get("version") and data_dict["version"] != current["version"]:
        raise tk.ValidationError({"version": [tk._(
            "Entri ini sudah berubah menjadi versi {version} sejak Anda membukanya: muat ulang lalu ulangi "
            "perubahan").format(version=current["version"])]})
    retired = current["state"] == State.PENSIUN.value
    if retired and not data_dict["aktifkan"]:
        raise tk.ValidationError({"kode": [tk._(
            "Entri {kode} sudah dipensiunkan: aktifkan kembali untuk mengubahnya").format(kode=kode)]})
    content = _content(data_dict, current)
    if not retired and content == {k: current[k] for k in CONTENT}:
        raise tk.ValidationError({"kode": [tk._(
            "Tidak ada perubahan: isinya sama dengan versi {version}").format(version=current["version"])]})
    records.change_entry(current, content, State.AKTIF, Change.DIUBAH, _user_id(context), data_dict["note"],
                         dt.datetime.utcnow())
    model.repo.commit()
    return entry_out(records.get_entry(kode))


@validate(schema.entry_delete)
def satudata_kamus_entry_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Retire an entry (walidata, pembina data): nothing is deleted; the entry stays readable with its history,
    marked ``pensiun``, and can no longer be picked into a dataset.

    :param kode: the entry's kode
    :param note: why it is retired (required)
    :returns: the retired entry
    """
    tk.check_access("satudata_kamus_entry_delete", context, data_dict)
    kode = data_dict["kode"]
    current = records.get_entry(kode, lock=True)
    if current is None:
        raise _not_found(kode)
    if current["state"] == State.PENSIUN.value:
        raise tk.ValidationError({"kode": [tk._("Entri {kode} sudah dipensiunkan").format(kode=kode)]})
    records.change_entry(current, _content({}, current), State.PENSIUN, Change.DIPENSIUNKAN, _user_id(context),
                         data_dict["note"], dt.datetime.utcnow())
    model.repo.commit()
    return entry_out(records.get_entry(kode))


@tk.side_effect_free
@validate(schema.entry_show)
def satudata_kamus_entry_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One entry of the kamus (public), as it is now or as it was at one of its versions.

    :param kode: the entry's kode
    :param version: a past version's number (optional)
    :returns: ``{kode, konsep, definisi, klasifikasi, ukuran, satuan, satuan_label, dasar_hukum, state
        (aktif|pensiun), version, created, created_by, modified, modified_by}``; for a past version also
        ``current_version``, ``change``, ``note`` and ``user``
    """
    tk.check_access("satudata_kamus_entry_show", context, data_dict)
    kode = data_dict["kode"]
    current = records.get_entry(kode)
    if current is None:
        raise _not_found(kode)
    out = entry_out(current)
    if data_dict.get("version") and data_dict["version"] != current["version"]:
        old = records.get_version(kode, data_dict["version"])
        if old is None:
            raise tk.ObjectNotFound(tk._("Entri {kode} tidak memiliki versi {version}").format(
                kode=kode, version=data_dict["version"]))
        out.update({k: old[k] for k in CONTENT}, state=old["state"], version=old["version"],
                   satuan_label=refdata.label("satuan", old["satuan"], _lang()), change=old["change"],
                   note=old["note"], modified=_iso(old["created"]), user=_names({old["user_id"]}).get(old["user_id"]),
                   current_version=current["version"])
    return out


@tk.side_effect_free
@validate(schema.entry_list)
def satudata_kamus_entry_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Search the kamus (public): every word of ``q`` must occur in the kode, konsep or definisi. By kode.

    :param q: words to search for (optional)
    :param include_retired: true to list retired entries too (optional)
    :param limit: at most this many (default ``ckanext.satudatapasuruan.kamus.page_size``, up to 1000)
    :param offset: skip this many (default 0)
    :returns: ``{"count": n, "results": [entry, …]}``
    """
    tk.check_access("satudata_kamus_entry_list", context, data_dict)
    count, rows = records.query_entries(data_dict["q"], data_dict["include_retired"], data_dict["limit"],
                                        data_dict["offset"])
    names = _names({r["created_by"] for r in rows} | {r["modified_by"] for r in rows})
    return {"count": count, "results": [entry_out(r, names) for r in rows]}


@tk.side_effect_free
@validate(schema.by_kode)
def satudata_kamus_entry_history(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every version of an entry, newest first (public): its content, who made it, when, why, and which
    fields changed from the version before.

    :param kode: the entry's kode
    :returns: ``[{version, change (dibuat|diubah|dipensiunkan), note, user, user_fullname, created, state,
        changed: [field names], konsep, definisi, klasifikasi, ukuran, satuan, dasar_hukum}, …]``
    """
    tk.check_access("satudata_kamus_entry_history", context, data_dict)
    kode = data_dict["kode"]
    if records.get_entry(kode) is None:
        raise _not_found(kode)
    rows = records.versions(kode)
    out = []
    for i, row in enumerate(rows):
        before = rows[i + 1] if i + 1 < len(rows) else None
        out.append({"version": row["version"], "change": row["change"], "note": row["note"],
                    "user": row["user_name"], "user_fullname": row["user_fullname"], "created": _iso(row["created"]),
                    "state": row["state"], **{k: row[k] for k in CONTENT},
                    "changed": [k for k in CONTENT if before is not None and before[k] != row[k]]})
    return out


def _messages(errors: dict[str, Any]) -> list[str]:
    return [str(m) for msgs in errors.values() for m in (msgs if isinstance(msgs, list) else [msgs])]


@validate(schema.entry_import)
def satudata_kamus_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Load many entries at once (walidata, pembina data), all or nothing: a new kode is created, a known one
    gets a new version when its content differs, an identical one is left alone. Any bad entry refuses the
    whole import with every problem named.

    :param entries: a list of ``{kode, konsep, definisi, klasifikasi, ukuran, satuan, dasar_hukum}``
    :param note: a note for the history of every entry written (optional)
    :returns: ``{"created": [kode…], "updated": [kode…], "unchanged": [kode…]}``
    """
    tk.check_access("satudata_kamus_import", context, data_dict)
    problems: list[str] = []
    valid: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, row in enumerate(data_dict["entries"], start=1):
        data, errors = tk.navl_validate(dict(row, note=data_dict["note"]), schema.entry_create(), context)
        if errors:
            problems += [tk._("Entri ke-{number}: {message}").format(number=number, message=m)
                         for m in _messages(errors)]
        elif data["kode"] in seen:
            problems.append(tk._("Entri ke-{number}: kode {kode} muncul lebih dari sekali").format(
                number=number, kode=data["kode"]))
        else:
            seen.add(data["kode"])
            current = records.get_entry(data["kode"], lock=True)
            if current is not None and current["state"] == State.PENSIUN.value:
                problems.append(tk._("Entri ke-{number}: {kode} sudah dipensiunkan; aktifkan kembali di halamannya")
                                .format(number=number, kode=data["kode"]))
            valid.append({"data": data, "current": current})
    if problems:
        model.Session.rollback()
        raise tk.ValidationError({"entries": problems})
    now = dt.datetime.utcnow()
    user_id = _user_id(context)
    done: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
    for item in valid:
        data, current = item["data"], item["current"]
        content = _content(data)
        if current is None:
            records.insert_entry(data["kode"], content, user_id, data["note"], now)
            done["created"].append(data["kode"])
        elif content != {k: current[k] for k in CONTENT}:
            records.change_entry(current, content, State.AKTIF, Change.DIUBAH, user_id, data["note"], now)
            done["updated"].append(data["kode"])
        else:
            done["unchanged"].append(data["kode"])
    try:
        model.repo.commit()
    except IntegrityError as err:
        model.Session.rollback()
        raise tk.ValidationError({"entries": [tk._("Impor bertabrakan dengan perubahan lain: ulangi impor")]}) from err
    return done


# --- CKAN's own actions, chained: picking an entry into a dataset --------------------------------------------

def _existing(data_dict: DataDict) -> model.Package | None:
    return model.Package.get(str(data_dict.get("id") or data_dict.get("name") or "")) if data_dict else None


def apply_pick(data_dict: DataDict, existing: model.Package | None) -> DataDict:
    """The dataset as it will be validated: with ``standar_data_asal: kamus`` its empty standar fields come
    from the kamus entry of its ``kode_standar_data``; the form's picker (``kamus_pilih``) replaces them all.

    Refused (nothing written): origin kamus without a kode, a kode the kamus does not have, a retired entry
    newly chosen. A kode of the wrong format is left to the schema's own validator."""
    data = dict(data_dict)
    picked = pick.normalise_kode(data.pop(pick.PICK_KEY, None))
    if not config.fill_on_save():
        return data
    if picked:
        data[pick.KODE_FIELD], data[pick.ORIGIN_FIELD] = picked, pick.Origin.KAMUS.value
    if str(data.get(pick.ORIGIN_FIELD) or "").strip() != pick.Origin.KAMUS.value:
        return data
    kode = pick.normalise_kode(data.get(pick.KODE_FIELD))
    if not kode:
        raise tk.ValidationError({pick.KODE_FIELD: [tk._(
            "Isi kode standar data entri Kamus Data yang dipakai (asal standar data: kamus)")]})
    try:
        satudata_kamus_kode(kode)
    except tk.Invalid:
        return data
    entry = records.get_entry(kode)
    if entry is None:
        raise tk.ValidationError({pick.KODE_FIELD: [tk._(
            "Kode standar data {kode} tidak ada di Kamus Data: pilih entri kamus atau ubah asal standar data"
        ).format(kode=kode)]})
    already = existing is not None and pick.normalise_kode(existing.extras.get(pick.KODE_FIELD)) == kode
    if entry["state"] == State.PENSIUN.value and not already:
        raise tk.ValidationError({pick.KODE_FIELD: [tk._(
            "Entri Kamus Data {kode} sudah dipensiunkan dan tidak dapat dipilih lagi").format(kode=kode)]})
    data[pick.KODE_FIELD] = kode
    return pick.fill(data, entry, overwrite=bool(picked))


@tk.chained_action
def package_create(next_action: Action, context: Context, data_dict: DataDict):
    """A dataset created with ``standar_data_asal: kamus`` takes its empty standar fields from the kamus."""
    return next_action(context, apply_pick(data_dict, None))


@tk.chained_action
def package_update(next_action: Action, context: Context, data_dict: DataDict):
    """Likewise on update (and package_patch, which ends here); filled fields are kept, never overwritten."""
    return next_action(context, apply_pick(data_dict, _existing(data_dict)))
