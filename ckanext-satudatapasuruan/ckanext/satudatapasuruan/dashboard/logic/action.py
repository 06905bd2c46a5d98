"""Actions of Dashboard Statistik: the walidata's indicators (DataStore columns shown as charts)."""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.satudatapasuruan.messages import N_

from .. import charts
from ..model import Indicator
from . import schema
from .auth import satudata_permission_dashboard_manage

__all__ = ["satudata_dashboard_indicator_create", "satudata_dashboard_indicator_update",
           "satudata_dashboard_indicator_delete", "satudata_dashboard_indicator_reorder",
           "satudata_dashboard_indicator_list", "satudata_dashboard_indicator_show",
           "satudata_dashboard_source_show"]

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_RESOURCE_URL = re.compile(rf"/resource/({_UUID})(?:[/?#]|$)", re.IGNORECASE)

_NOT_FOUND = N_("Sumber data tidak ditemukan; periksa ID atau alamat (URL) sumber data")
_NO_DATASTORE = N_("Sumber data ini tidak memiliki tabel DataStore; hanya tabel DataStore yang dapat dijadikan grafik")
_NOT_PUBLIC = N_("Dataset sumber belum terbuka untuk publik (draf, belum terbit, privat atau rahasia); indikator "
                 "hanya dapat diambil dari dataset terbuka yang sudah terbit")
_RESTRICTED = N_("Dataset sumber berklasifikasi {klass}; Dashboard Statistik hanya menampilkan data terbuka")
_NO_COLUMN = N_("Kolom {field} tidak ada di tabel ini; kolom yang tersedia: {fields}")
_NOT_NUMERIC = N_("Kolom {field} bukan kolom angka (tipe {type}); pilih kolom bernilai angka")
_SAME_COLUMN = N_("Kolom label dan kolom nilai harus berbeda")
_DUPLICATE = N_("Indikator dengan sumber data, kolom label dan kolom nilai yang sama sudah ada")
_INDICATOR_NOT_FOUND = N_("Indikator tidak ditemukan")
_UNKNOWN_IN_ORDER = N_("Indikator tidak ditemukan: {ids}")
_TWICE_IN_ORDER = N_("Setiap indikator hanya boleh disebut sekali dalam urutan")
_UNAVAILABLE = N_("Data sumber indikator ini tidak dapat dibaca lagi (tabel DataStore atau kolomnya hilang)")

_FIELDS = ("resource_id", "title", "label_field", "value_field", "chart_type", "aggregation", "sort_order")


def _errors(errors: dict[str, Any]) -> dict[str, list[str]]:
    return {key: [tk._(schema.MESSAGES[key])] if key in schema.MESSAGES else [str(m) for m in msgs]
            for key, msgs in errors.items()}


def _validate(data_dict: DataDict, fields: dict, context: Context) -> dict[str, Any]:
    data, errors = tk.navl_validate(data_dict, fields, context)
    if errors:
        raise tk.ValidationError(_errors(errors))
    return data


def resource_id_from(text: str) -> str:
    """A resource's id from what the walidata pasted: the id itself or the address of its page."""
    found = _RESOURCE_URL.search(text)
    return found.group(1).lower() if found else text.strip()


def _may_manage(context: Context) -> bool:
    user = context.get("auth_user_obj")
    return satudata_permission_dashboard_manage(user if isinstance(user, model.User) else None)["success"]


def public_problem(package_id: str) -> str | None:
    """Why the dataset may not feed a public chart (translated), or None when the public sees it as terbuka
    published data. Asked through ``package_show`` as an anonymous visitor, so CKAN's labels decide."""
    try:
        pkg = tk.get_action("package_show")(charts.anonymous_context(), {"id": package_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk._(_NOT_PUBLIC)
    if pkg.get("private") or pkg.get("state") != "active" or pkg.get("workflow_state") not in (None, "terbit"):
        return tk._(_NOT_PUBLIC)
    klass = pkg.get("klasifikasi_akses") or "terbuka"
    if klass != "terbuka":
        return tk._(_RESTRICTED).format(klass=klass)
    return None


def _source(resource_id: str, context: Context) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], int]:
    """The resource, its dataset, its table's columns and row count, when the resource may feed a public chart:
    it exists, has a DataStore table and belongs to public terbuka data whose rows the public may read.

    :raises tk.ValidationError: keyed ``resource_id``, in Indonesian
    """
    ctx = dict(context, ignore_auth=False)
    try:
        resource = tk.get_action("resource_show")(dict(ctx), {"id": resource_id})
        pkg = tk.get_action("package_show")(dict(ctx), {"id": resource["package_id"]})
    except (tk.ObjectNotFound, tk.NotAuthorized) as err:
        raise tk.ValidationError({"resource_id": [tk._(_NOT_FOUND)]}) from err
    if not resource.get("datastore_active"):
        raise tk.ValidationError({"resource_id": [tk._(_NO_DATASTORE)]})
    problem = public_problem(resource["package_id"])
    if problem:
        raise tk.ValidationError({"resource_id": [problem]})
    # The columns as the public sees them: a table the public may not read is refused here too.
    found = charts.table_fields(resource["id"], charts.anonymous_context())
    if found is None:
        raise tk.ValidationError({"resource_id": [tk._(_NOT_PUBLIC)]})
    return resource, pkg, found[0], found[1]


def _check_source(data: dict[str, Any], context: Context, errors: dict[str, list[str]]) -> None:
    """The source may feed a public chart (:py:func:`_source`) and the chosen columns exist, the value column
    numeric. Adds keyed errors; writes nothing."""
    try:
        resource, _pkg, columns, _total = _source(data["resource_id"], context)
    except tk.ValidationError as err:
        errors.update(err.error_dict)
        return
    data["resource_id"] = resource["id"]
    fields = {f["id"]: f for f in columns}
    names = ", ".join(fields) or "-"
    for key in ("label_field", "value_field"):
        if data[key] not in fields:
            errors[key] = [tk._(_NO_COLUMN).format(field=data[key], fields=names)]
    value = fields.get(data["value_field"])
    if value is not None and not charts.is_numeric(value):
        errors["value_field"] = [tk._(_NOT_NUMERIC).format(field=value["id"], type=value["type"])]
    if data["label_field"] == data["value_field"]:
        errors.setdefault("value_field", [tk._(_SAME_COLUMN)])


def _check_unique(data: dict[str, Any], own_id: str | None, errors: dict[str, list[str]]) -> None:
    other = Indicator.find(data["resource_id"], data["label_field"], data["value_field"])
    if other is not None and other.id != own_id:
        errors["value_field"] = [tk._(_DUPLICATE)]


def _save(indicator: Indicator, data: dict[str, Any]) -> None:
    for key in _FIELDS:
        setattr(indicator, key, data[key])
    model.Session.add(indicator)
    try:
        model.Session.flush()
    except sa.exc.IntegrityError:
        # A twin saved between our check and this write (the unique constraint holds).
        model.Session.rollback()
        raise tk.ValidationError({"value_field": [tk._(_DUPLICATE)]})
    model.repo.commit()


def satudata_dashboard_indicator_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add an indicator to Dashboard Statistik (walidata and sysadmins).

    The resource must have a DataStore table and belong to a published dataset the public may read
    (``terbit``, ``klasifikasi_akses`` terbuka); the columns must exist, the value column be numeric.

    :param resource_id: the resource's id, or the address of its page (``.../dataset/x/resource/<id>``)
    :param title: the card's title
    :param label_field: the column giving the labels (categories, periods)
    :param value_field: the numeric column charted
    :param chart_type: ``bar`` (default) or ``line``
    :param aggregation: ``none`` (default: one point per row) or ``sum`` (rows with the same label added up)
    :param sort_order: position on the dashboard, smallest first (default 0)
    :returns: the indicator
    """
    tk.check_access("satudata_dashboard_indicator_create", context, data_dict)
    data = dict(data_dict)
    if isinstance(data.get("resource_id"), str):
        data["resource_id"] = resource_id_from(data["resource_id"])
    data = _validate(data, schema.indicator_create(), context)
    errors: dict[str, list[str]] = {}
    _check_source(data, context, errors)
    if not errors:
        _check_unique(data, None, errors)
    if errors:
        raise tk.ValidationError(errors)
    user = context.get("auth_user_obj")
    indicator = Indicator(created_by=getattr(user, "id", None))
    _save(indicator, data)
    return indicator.as_dict()


def _get(data: dict[str, Any]) -> Indicator:
    indicator = Indicator.get(data["id"])
    if indicator is None:
        raise tk.ObjectNotFound(tk._(_INDICATOR_NOT_FOUND))
    return indicator


def satudata_dashboard_indicator_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change an indicator (walidata and sysadmins); the source is checked again as at creation.

    :param id: the indicator's id
    :param resource_id, title, label_field, value_field, chart_type, aggregation, sort_order: as in
        ``satudata_dashboard_indicator_create``; those not given keep their values
    :returns: the indicator
    """
    tk.check_access("satudata_dashboard_indicator_update", context, data_dict)
    data = dict(data_dict)
    if isinstance(data.get("resource_id"), str):
        data["resource_id"] = resource_id_from(data["resource_id"])
    data = _validate(data, schema.indicator_update(), context)
    indicator = _get(data)
    merged = {key: data.get(key, getattr(indicator, key)) for key in _FIELDS}
    errors: dict[str, list[str]] = {}
    _check_source(merged, context, errors)
    if not errors:
        _check_unique(merged, indicator.id, errors)
    if errors:
        raise tk.ValidationError(errors)
    _save(indicator, merged)
    return indicator.as_dict()


def satudata_dashboard_indicator_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove an indicator from Dashboard Statistik (walidata and sysadmins). The data is not touched.

    :param id: the indicator's id
    :returns: ``{"id": ...}``
    """
    tk.check_access("satudata_dashboard_indicator_delete", context, data_dict)
    indicator = _get(_validate(data_dict, schema.indicator_id(), context))
    model.Session.delete(indicator)
    model.repo.commit()
    return {"id": data_dict["id"]}


def _describe(indicator: Indicator, context: Context, include_data: bool) -> dict[str, Any] | None:
    """The indicator with its resource and dataset as the caller sees them; None when the caller may not see
    them now (a withdrawn, reclassified or deleted dataset) or, with data, may not read the table."""
    ctx = dict(context, ignore_auth=False)
    try:
        resource = tk.get_action("resource_show")(dict(ctx), {"id": indicator.resource_id})
        pkg = tk.get_action("package_show")(dict(ctx), {"id": resource["package_id"]})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    item = indicator.as_dict()
    org = pkg.get("organization") or {}
    item["resource"] = {"id": resource["id"], "name": resource.get("name") or resource["id"]}
    item["package"] = {"id": pkg["id"], "name": pkg["name"], "title": pkg.get("title") or pkg["name"],
                       "organization": org.get("title") or org.get("name") or "",
                       "tahun": pkg.get("tahun") or "", "periode_awal": pkg.get("periode_awal") or "",
                       "periode_akhir": pkg.get("periode_akhir") or "",
                       "frekuensi": charts.vocab_label("frekuensi", pkg.get("frekuensi") or "")}
    item["unit"] = charts.unit_of(pkg, indicator.value_field)
    if include_data:
        # None when the table or a column is gone, or the caller may see the dataset but not its rows
        # (terbatas): the list leaves such cards out except for the walidata, who get the problem.
        data = charts.series(indicator.resource_id, indicator.label_field, indicator.value_field, dict(ctx),
                             indicator.aggregation)
        item["data"] = data
        item["summary"] = charts.summary(data) if data is not None else ""
    return item


def _missing(indicator: Indicator, include_data: bool) -> dict[str, Any]:
    """For the walidata: an indicator whose source they can no longer see (a deleted resource or dataset)."""
    item = dict(indicator.as_dict(), resource=None, package=None, unit="", public=False, problem=tk._(_NOT_FOUND))
    if include_data:
        item.update(data=None, summary="")
    return item


def _for_caller(indicator: Indicator, context: Context, include_data: bool, manager: bool) -> dict[str, Any] | None:
    """The indicator as the caller may have it, or None. Outsiders never get a card whose dataset or rows they
    may not see; the walidata get every card, with ``public`` and the ``problem`` keeping it off the public
    dashboard."""
    item = _describe(indicator, context, include_data)
    if item is None:
        return _missing(indicator, include_data) if manager else None
    unreadable = include_data and item["data"] is None
    if unreadable and not manager:
        return None
    if manager:
        item["problem"] = tk._(_UNAVAILABLE) if unreadable else public_problem(item["package"]["id"])
        item["public"] = item["problem"] is None
    return item


@tk.side_effect_free
def satudata_dashboard_source_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What a DataStore resource offers a new indicator (walidata and sysadmins): the first step of the
    management page's form, before the columns are chosen. Refused like
    ``satudata_dashboard_indicator_create`` refuses the resource (unknown, no DataStore table, not public).

    :param resource_id: the resource's id, or the address of its page
    :returns: ``resource`` (``id``, ``name``), ``package`` (``id``, ``name``, ``title``), ``fields`` (``id``,
        ``type``, ``label``, ``numeric``), ``total`` (rows), and the suggested ``label_field``,
        ``value_field`` (empty when the table has nothing to chart) and ``title``
    """
    tk.check_access("satudata_dashboard_source_show", context, data_dict)
    data = dict(data_dict)
    if isinstance(data.get("resource_id"), str):
        data["resource_id"] = resource_id_from(data["resource_id"])
    data = _validate(data, schema.source_show(), context)
    resource, pkg, fields, total = _source(data["resource_id"], context)
    spec = charts.chart_spec(resource["id"], fields, total) or {}
    value_field = spec.get("value_field", "")
    value_title = spec["fields"][value_field]["label"] if value_field else ""
    return {"resource": {"id": resource["id"], "name": resource.get("name") or resource["id"]},
            "package": {"id": pkg["id"], "name": pkg["name"], "title": pkg.get("title") or pkg["name"]},
            "fields": [dict(f, numeric=charts.is_numeric(f)) for f in fields], "total": total,
            "label_field": spec.get("label_field", ""), "value_field": value_field,
            "title": value_title or (pkg.get("title") or pkg["name"])}


def satudata_dashboard_indicator_reorder(context: Context, data_dict: DataDict) -> list[str]:
    """Put the indicators of Dashboard Statistik in a new order (walidata and sysadmins).

    :param order: indicator ids, first shown first (a list, or a string of ids separated by commas or spaces);
        indicators not named follow them in their present order. Their ``sort_order`` becomes 0, 1, 2, …
    :returns: every indicator's id in the new order
    """
    tk.check_access("satudata_dashboard_indicator_reorder", context, data_dict)
    data = _validate(data_dict, schema.indicator_reorder(), context)
    indicators = Indicator.all()
    known = {i.id: i for i in indicators}
    unknown = [i for i in data["order"] if i not in known]
    if unknown:
        raise tk.ValidationError({"order": [tk._(_UNKNOWN_IN_ORDER).format(ids=", ".join(unknown))]})
    if len(set(data["order"])) != len(data["order"]):
        raise tk.ValidationError({"order": [tk._(_TWICE_IN_ORDER)]})
    named = set(data["order"])
    ordered = [known[i] for i in data["order"]] + [i for i in indicators if i.id not in named]
    for position, indicator in enumerate(ordered):
        indicator.sort_order = position
    model.repo.commit()
    return [i.id for i in ordered]


@tk.side_effect_free
def satudata_dashboard_indicator_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The indicators of Dashboard Statistik in their order, each only while the caller may see its dataset.

    The walidata also get those no longer public or whose source is gone, with ``public`` false and the
    ``problem`` (and, with data, ``data`` null when the table cannot be read).

    :param limit: at most this many (optional)
    :param include_data: add each chart's ``data`` (``labels``, ``values``, ``total``, ``truncated``) and
        ``summary``, read from the DataStore as the caller (default false)
    :returns: indicators with ``resource``, ``package`` (title, organization, tahun, frekuensi) and ``unit``
    """
    tk.check_access("satudata_dashboard_indicator_list", context, data_dict)
    data = _validate(data_dict, schema.indicator_list(), context)
    manager = _may_manage(context)
    limit = data.get("limit")
    items = []
    for indicator in Indicator.all():
        if limit is not None and len(items) >= limit:
            break
        item = _for_caller(indicator, context, data["include_data"], manager)
        if item is not None:
            items.append(item)
    return items


@tk.side_effect_free
def satudata_dashboard_indicator_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One indicator with its chart data, while the caller may see its dataset and read its table (the
    walidata always, with ``public`` and ``problem`` as in ``satudata_dashboard_indicator_list``).

    :param id: the indicator's id
    :param include_data: add ``data`` and ``summary`` (default true)
    :returns: as an item of ``satudata_dashboard_indicator_list``
    """
    tk.check_access("satudata_dashboard_indicator_show", context, data_dict)
    data = _validate(data_dict, schema.indicator_id(), context)
    item = _for_caller(_get(data), context, data["include_data"], _may_manage(context))
    if item is None:
        raise tk.ObjectNotFound(tk._(_INDICATOR_NOT_FOUND))
    return item
