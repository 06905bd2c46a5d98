"""Actions of the public Monev dashboard "Capaian Kinerja": the dashboard and its export (public), and the
walidata's edits (targets, manual IKU values, tantangan dan tindak lanjut), each audited."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Context, DataDict

from .. import iku, present, records, store
from ..records import AuditKind
from . import schema

__all__ = ["satudata_monev_show", "satudata_monev_export", "satudata_monev_target_update",
           "satudata_monev_target_series",
           "satudata_monev_manual_update", "satudata_monev_manual_delete", "satudata_monev_challenge_create",
           "satudata_monev_challenge_update", "satudata_monev_challenge_delete", "satudata_monev_audit_list"]


def _lang() -> str:
    try:
        return tk.h.lang() or "id"
    except (RuntimeError, TypeError, AttributeError):
        return "id"


def _user_id(context: Context) -> str | None:
    user = context.get("auth_user_obj")
    return user.id if isinstance(user, model.User) else None


def _year(data_dict: DataDict) -> int:
    return data_dict.get("year") or dt.date.today().year


def _translated(board: dict[str, Any]) -> dict[str, Any]:
    """Status labels and target sources in the reader's language (the JSON keeps the codes beside them).

    Each text is put in a variable before ``tk._``: babel extracts the string literals inside a ``_()`` call,
    so ``_(x["status"])`` would give the msgid "status" (the labels' msgids are in ``present``)."""
    for ind in board["indicators"]:
        label = present.STATUS_LABELS[ind["status"]]
        source = ind["target"]["source"]
        ind["status_label"] = tk._(label)
        ind["target"]["source"] = tk._(source)
    for ind in board["manual"]:
        source = ind["target"]["source"]
        ind["label"] = tk._(present.MANUAL_LABEL)
        ind["target"]["source"] = tk._(source)
    return board


@tk.side_effect_free
@validate(schema.show)
def satudata_monev_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The Monev dashboard of a year (public): every computed IKU with its target, attainment and trend; the
    IKU entered by the walidata apart (``manual``, *diinput walidata*); the challenges; every OPD ranked on
    the same figures; datasets per kecamatan. Rahasia datasets count in the aggregates, never by name.

    A figure whose source plugin is not enabled has ``status`` ``belum_tersedia`` (and the missing actions in
    ``missing``), never a number; ``tanpa_data`` when there is nothing to measure; ``tidak_diukur`` for a
    snapshot of the catalogue asked for a past year.

    :param year: ``YYYY`` (default: the running year)
    :returns: ``{year, years, computed_at, indicators: [...], manual: [...], challenges: [...], opd: [...],
        map: {kecamatan: [{code, name, count}], boundary}, missing}``
    """
    tk.check_access("satudata_monev_show", context, data_dict)
    return _translated(present.build(_year(data_dict), _lang()))


@tk.side_effect_free
@validate(schema.export)
def satudata_monev_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The dashboard of a year as a file (public): CSV (computed rows, then *diinput walidata* rows) or JSON
    (as ``satudata_monev_show``).

    :param year: ``YYYY`` (default: the running year)
    :param format: ``csv`` or ``json`` (default ``json``)
    :returns: ``{filename, mimetype, content}`` (``content`` the file's text)
    """
    tk.check_access("satudata_monev_export", context, data_dict)
    year = _year(data_dict)
    board = _translated(present.build(year, _lang()))
    if data_dict["format"] == "csv":
        return {"filename": f"capaian-kinerja-{year}.csv", "mimetype": "text/csv",
                "content": present.csv_text(board, tk._)}
    return {"filename": f"capaian-kinerja-{year}.json", "mimetype": "application/json",
            "content": json.dumps(board, ensure_ascii=False, indent=1, default=str)}


def _commit() -> None:
    model.repo.commit()
    store.bump()


@validate(schema.target_update)
def satudata_monev_target_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Set the target of an IKU for a year (walidata), or with an empty ``value`` go back to the shipped
    target of ``iku.yaml``. Audited (before, after, who, when).

    :param code: an IKU code of ``iku.yaml``
    :param year: ``YYYY``
    :param value: the target (a number ≥ 0; empty: the shipped one)
    :param note: why (optional)
    :returns: ``{code, year, value, shipped, overridden}``
    """
    tk.check_access("satudata_monev_target_update", context, data_dict)
    code, year, value = data_dict["code"], data_dict["year"], data_dict.get("value")
    _set_target(code, year, value, data_dict.get("note") or None, _user_id(context), dt.datetime.utcnow())
    _commit()
    indicator = iku.get(code)
    shipped = indicator.targets.get(year) if indicator else None
    return {"code": code, "year": year, "value": shipped if value is None else value, "shipped": shipped,
            "overridden": value is not None}


def _set_target(code: str, year: int, value: float | None, note: str | None, actor: str | None,
                now: dt.datetime) -> None:
    """Write (or with ``None`` remove) an override, audited when it changes anything."""
    found = records.targets().get((code, year))
    before = {"value": found["value"], "note": found.get("note")} if found else None
    if value is None:
        records.delete_target(code, year)
        after = None
    else:
        records.set_target(code, year, value, note, actor, now)
        after = {"value": value, "note": note}
    if before != after:
        records.add_audit(AuditKind.TARGET, code, year, before, after, actor, now)


@validate(schema.target_series)
def satudata_monev_target_series(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Judge an IKU against another target series of its source (walidata), e.g. the programme table's Monev
    visits instead of the action plan's: every year's target becomes that series' value (as overrides, each
    audited); choosing the shipped default series removes the overrides.

    :param code: an IKU code with several series in ``iku.yaml`` (``kunjungan_monev``)
    :param series: the series' key (``rencana_aksi`` or ``program``)
    :returns: ``{code, series, targets: {year: value}}``
    """
    tk.check_access("satudata_monev_target_series", context, data_dict)
    indicator = iku.get(data_dict["code"])
    if indicator is None or data_dict["series"] not in indicator.series:
        raise tk.ValidationError({"series": [tk._("Seri target tidak dikenal untuk IKU ini")]})
    chosen = indicator.series[data_dict["series"]]
    default = data_dict["series"] == indicator.default_series
    note = None if default else iku.text(chosen.source, "id")
    now = dt.datetime.utcnow()
    for year in iku.catalogue().years:
        value = None if default else chosen.targets.get(year)
        _set_target(indicator.code, year, value, note if value is not None else None, _user_id(context), now)
    _commit()
    return {"code": indicator.code, "series": chosen.key, "targets": {str(y): v for y, v in chosen.targets.items()}}


def _manual_out(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"code": row["code"], "year": row["year"], "value": row["value"], "source": row["source"],
            "measured_on": row["measured_on"].isoformat(), "note": row.get("note") or "",
            "label": tk._(present.MANUAL_LABEL)}


def _manual_audit(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {k: row[k] for k in ("value", "source", "measured_on", "note")}


@validate(schema.manual_update)
def satudata_monev_manual_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Enter the value of an IKU the portal cannot measure (walidata), with its source and date; shown as
    *diinput walidata*, never mixed with the computed figures. Audited.

    :param code: a ``manual`` IKU code of ``iku.yaml`` (e.g. ``asn_terlatih``)
    :param year: ``YYYY``
    :param value: the value (a number ≥ 0)
    :param source: where it comes from (a report, a decree, a survey)
    :param measured_on: the date of the figure, ``YYYY-MM-DD``
    :param note: a note (optional)
    :returns: the value as stored
    """
    tk.check_access("satudata_monev_manual_update", context, data_dict)
    code, year = data_dict["code"], data_dict["year"]
    before = records.get_manual(code, year)
    now = dt.datetime.utcnow()
    actor = _user_id(context)
    records.set_manual(code, year, data_dict["value"], data_dict["source"], data_dict["measured_on"],
                       data_dict.get("note") or None, actor, now)
    after = records.get_manual(code, year)
    records.add_audit(AuditKind.MANUAL, code, year, _manual_audit(before), _manual_audit(after), actor, now)
    _commit()
    return _manual_out(after)


@validate(schema.manual_delete)
def satudata_monev_manual_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove a manual IKU value (walidata). Audited.

    :param code: a ``manual`` IKU code
    :param year: ``YYYY``
    """
    tk.check_access("satudata_monev_manual_delete", context, data_dict)
    code, year = data_dict["code"], data_dict["year"]
    before = records.get_manual(code, year)
    if before is None:
        raise tk.ObjectNotFound(tk._("Nilai IKU {code} tahun {year} belum diinput").format(code=code, year=year))
    now = dt.datetime.utcnow()
    records.delete_manual(code, year)
    records.add_audit(AuditKind.MANUAL, code, year, _manual_audit(before), None, _user_id(context), now)
    _commit()
    return {"code": code, "year": year, "deleted": True}


def _challenge_out(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "year": row["year"], "tantangan": row["tantangan"],
            "tindak_lanjut": row["tindak_lanjut"], "updated_at": row["updated_at"].isoformat()}


def _challenge_audit(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {k: row[k] for k in ("year", "tantangan", "tindak_lanjut")}


def _challenge(challenge_id: str) -> dict[str, Any]:
    row = records.get_challenge(challenge_id)
    if row is None:
        raise tk.ObjectNotFound(tk._("Tantangan tidak ditemukan"))
    return row


@validate(schema.challenge_create)
def satudata_monev_challenge_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add a *tantangan dan tindak lanjut* item to a year (walidata): what is behind, what is being done.
    Audited.

    :param year: ``YYYY``
    :param tantangan: the challenge
    :param tindak_lanjut: the follow-up
    """
    tk.check_access("satudata_monev_challenge_create", context, data_dict)
    now = dt.datetime.utcnow()
    actor = _user_id(context)
    new_id = records.create_challenge(data_dict["year"], data_dict["tantangan"], data_dict["tindak_lanjut"], actor,
                                      now)
    row = _challenge(new_id)
    records.add_audit(AuditKind.TANTANGAN, new_id, row["year"], None, _challenge_audit(row), actor, now)
    _commit()
    return _challenge_out(row)


@validate(schema.challenge_update)
def satudata_monev_challenge_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a *tantangan dan tindak lanjut* item (walidata). Audited.

    :param id: the item's id
    :param year: ``YYYY``
    :param tantangan: the challenge
    :param tindak_lanjut: the follow-up
    """
    tk.check_access("satudata_monev_challenge_update", context, data_dict)
    before = _challenge(data_dict["id"])
    now = dt.datetime.utcnow()
    actor = _user_id(context)
    records.update_challenge(before["id"], {k: data_dict[k] for k in ("year", "tantangan", "tindak_lanjut")},
                             actor, now)
    row = _challenge(before["id"])
    records.add_audit(AuditKind.TANTANGAN, row["id"], row["year"], _challenge_audit(before), _challenge_audit(row),
                      actor, now)
    _commit()
    return _challenge_out(row)


@validate(schema.challenge_delete)
def satudata_monev_challenge_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove a *tantangan dan tindak lanjut* item (walidata). Audited.

    :param id: the item's id
    """
    tk.check_access("satudata_monev_challenge_delete", context, data_dict)
    before = _challenge(data_dict["id"])
    records.delete_challenge(before["id"])
    records.add_audit(AuditKind.TANTANGAN, before["id"], before["year"], _challenge_audit(before), None,
                      _user_id(context), dt.datetime.utcnow())
    _commit()
    return {"id": before["id"], "deleted": True}


@tk.side_effect_free
@validate(schema.audit_list)
def satudata_monev_audit_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The walidata's edits of the dashboard, newest first (walidata).

    :param kind: ``target``, ``manual`` or ``tantangan`` (optional)
    :param ref: an IKU code or a challenge id (optional)
    :param limit: at most this many (default 100, up to 1000)
    :returns: a list of ``{kind, ref, year, before, after, user, created}``
    """
    tk.check_access("satudata_monev_audit_list", context, data_dict)
    return [{"kind": r["kind"], "ref": r["ref"], "year": r["year"], "before": r["before"], "after": r["after"],
             "user": r["user_name"], "created": r["created"].isoformat()}
            for r in records.audit_rows(data_dict.get("kind"), data_dict.get("ref"), data_dict["limit"])]
