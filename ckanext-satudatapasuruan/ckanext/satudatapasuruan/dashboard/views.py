"""Pages of Dashboard Statistik: the public dashboard and the walidata's management pages.

Every page reads and writes through the plugin's actions as the viewer; bad input re-renders the form with
the actions' Indonesian messages (never a 500).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.satudatapasuruan.messages import N_

from . import charts
from .model import Aggregation, ChartType

__all__ = ["dashboard"]

dashboard = Blueprint("satudata_dashboard", __name__)

_FORM_FIELDS = ("resource_id", "title", "label_field", "value_field", "chart_type", "aggregation", "sort_order")
CHART_TYPES = [(ChartType.BAR.value, N_("Batang")), (ChartType.LINE.value, N_("Garis"))]
AGGREGATIONS = [(Aggregation.NONE.value, N_("Tanpa agregasi (satu titik per baris)")),
                (Aggregation.SUM.value, N_("Jumlahkan baris dengan label yang sama"))]
_MOVES = {"naik": -1, "turun": 1}


@dashboard.route("/dashboard-statistik")
def index():
    """Dashboard Statistik: every indicator the viewer may see, as a chart card."""
    indicators = tk.get_action("satudata_dashboard_indicator_list")(charts.viewer_context(), {"include_data": True})
    return tk.render("satudata_dashboard/index.html", {"indicators": indicators})


def _manager_context() -> dict[str, Any]:
    context = charts.viewer_context()
    try:
        tk.check_access("satudata_dashboard_indicator_create", dict(context), {})
    except tk.NotAuthorized as err:
        tk.abort(403, str(err) or tk._("Hanya walidata yang dapat mengelola indikator Dashboard Statistik"))
    return context


def _source(context: dict[str, Any], resource_id: str) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The first step of the form: the resource's columns, or the reason it cannot feed a chart."""
    try:
        return tk.get_action("satudata_dashboard_source_show")(dict(context), {"resource_id": resource_id}), {}
    except tk.ValidationError as err:
        return None, err.error_dict


def _posted() -> dict[str, str]:
    return {key: tk.request.form.get(key, "").strip() for key in _FORM_FIELDS}


def _render_form(template: str, context: dict[str, Any], **extra: Any) -> str:
    form = extra.setdefault("form", {})
    extra.setdefault("errors", {})
    source = extra.get("source")
    if source is None and form.get("resource_id") and "resource_id" not in extra["errors"]:
        source, _ = _source(context, form["resource_id"])
    extra["source"] = source
    return tk.render(template, dict(
        extra, columns=source["fields"] if source else None,
        chart_types=[(v, tk._(label)) for v, label in CHART_TYPES],
        aggregations=[(v, tk._(label)) for v, label in AGGREGATIONS]))


@dashboard.route("/dashboard-statistik/kelola", methods=["GET", "POST"])
def manage():
    """The walidata's list of indicators and the two-step form adding one: first the resource (GET
    ``resource_id``), then its columns and the chart's settings (POST)."""
    context = _manager_context()
    indicators = tk.get_action("satudata_dashboard_indicator_list")(dict(context), {})
    if tk.request.method == "POST":
        form = _posted()
        try:
            tk.get_action("satudata_dashboard_indicator_create")(
                dict(context), {k: v for k, v in form.items() if v != ""})
        except tk.ValidationError as err:
            return _render_form("satudata_dashboard/manage.html", context, indicators=indicators, form=form,
                                errors=err.error_dict)
        tk.h.flash_success(tk._("Indikator ditambahkan ke Dashboard Statistik."))
        return tk.redirect_to("satudata_dashboard.manage")
    asked = tk.request.args.get("resource_id", "").strip()
    form: dict[str, str] = {}
    source, errors = None, {}
    if asked:
        source, errors = _source(context, asked)
        form = {"resource_id": source["resource"]["id"] if source else asked}
        if source:
            form.update(title=source["title"], label_field=source["label_field"],
                        value_field=source["value_field"],
                        sort_order=str(max((i["sort_order"] for i in indicators), default=-1) + 1))
    return _render_form("satudata_dashboard/manage.html", context, indicators=indicators, form=form,
                        errors=errors, source=source, step=2 if source else 1)


def _indicator(context: dict[str, Any], id: str) -> dict[str, Any]:
    try:
        return tk.get_action("satudata_dashboard_indicator_show")(dict(context), {"id": id, "include_data": False})
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, tk._("Indikator tidak ditemukan"))


@dashboard.route("/dashboard-statistik/kelola/<id>/ubah", methods=["GET", "POST"])
def edit(id: str):
    """Change one indicator: its source, columns, chart type, aggregation, order or title."""
    context = _manager_context()
    indicator = _indicator(context, id)
    if tk.request.method == "POST":
        form = _posted()
        data = {k: v for k, v in form.items() if v != ""}
        try:
            tk.get_action("satudata_dashboard_indicator_update")(dict(context), dict(data, id=id))
        except tk.ValidationError as err:
            return _render_form("satudata_dashboard/edit.html", context, indicator=indicator, form=form,
                                errors=err.error_dict)
        tk.h.flash_success(tk._("Indikator diperbarui."))
        return tk.redirect_to("satudata_dashboard.manage")
    form = {key: str(indicator.get(key) if indicator.get(key) is not None else "") for key in _FORM_FIELDS}
    return _render_form("satudata_dashboard/edit.html", context, indicator=indicator, form=form)


@dashboard.route("/dashboard-statistik/kelola/<id>/urutan", methods=["POST"])
def move(id: str):
    """Move an indicator one place up (``arah=naik``) or down (``arah=turun``) on the dashboard."""
    context = _manager_context()
    step = _MOVES.get(tk.request.form.get("arah", ""))
    if step is None:
        return tk.abort(400, tk._("Arah pemindahan harus naik atau turun"))
    order = [i["id"] for i in tk.get_action("satudata_dashboard_indicator_list")(dict(context), {})]
    if id not in order:
        return tk.abort(404, tk._("Indikator tidak ditemukan"))
    here = order.index(id)
    there = here + step
    if 0 <= there < len(order):
        order[here], order[there] = order[there], order[here]
        tk.get_action("satudata_dashboard_indicator_reorder")(dict(context), {"order": order})
        tk.h.flash_success(tk._("Urutan indikator diperbarui."))
    return tk.redirect_to("satudata_dashboard.manage")


@dashboard.route("/dashboard-statistik/kelola/<id>/hapus", methods=["POST"])
def delete(id: str):
    """Remove an indicator (the form on the management page)."""
    context = _manager_context()
    try:
        tk.get_action("satudata_dashboard_indicator_delete")(dict(context), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Indikator tidak ditemukan"))
    tk.h.flash_success(tk._("Indikator dihapus dari Dashboard Statistik."))
    return tk.redirect_to("satudata_dashboard.manage")
