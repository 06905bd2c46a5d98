"""Template helpers of the dashboard plugin: the dataset page's chart and the home page's indicators."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import charts, config

__all__ = ["satudata_chart_spec", "satudata_resource_chart", "satudata_package_chart",
           "satudata_dashboard_indicators", "satudata_dashboard_may_manage", "satudata_chart_value"]


def satudata_chart_spec(resource_id: str) -> dict[str, Any] | None:
    """The default chart of a resource's DataStore table as the viewer may read it: ``label_field``,
    ``value_field``, the choices ``label_fields`` / ``value_fields``, ``fields`` and ``total``; None when the
    resource has no table, the viewer may not read it, or it has no numeric column to chart."""
    return charts.spec_for(resource_id, charts.viewer_context())


def _choice(asked: str | None, allowed: list[str], default: str) -> str:
    return asked if asked in allowed else default


def satudata_resource_chart(res: dict[str, Any], pkg: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Everything the dataset page's chart snippet draws for one DataStore resource, or None.

    The columns come from the request (``grafik_label``, ``grafik_nilai`` with ``grafik_sumber`` naming the
    resource: the snippet's form works without JavaScript) when they are valid, else from the default spec;
    the value column's ``unit`` comes from the dataset's MS-Var metadata when ``pkg`` is given."""
    if not res or not res.get("datastore_active"):
        return None
    spec = satudata_chart_spec(res["id"])
    if spec is None:
        return None
    label_field, value_field = spec["label_field"], spec["value_field"]
    try:
        args = tk.request.args if tk.request else {}
    except RuntimeError:
        args = {}
    if args.get("grafik_sumber") == res["id"]:
        label_field = _choice(args.get("grafik_label"), spec["label_fields"] + spec["value_fields"], label_field)
        value_field = _choice(args.get("grafik_nilai"), spec["value_fields"], value_field)
    data = charts.series(res["id"], label_field, value_field, charts.viewer_context())
    if data is None:
        return None
    fields = spec["fields"]
    return dict(spec, label_field=label_field, value_field=value_field, data=data, summary=charts.summary(data),
                label_title=fields[label_field]["label"], value_title=fields[value_field]["label"],
                unit=charts.unit_of(pkg, value_field), table_rows=config.table_rows(), row_limit=config.row_limit())


def satudata_package_chart(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset page's chart: ``{"res": resource, "chart": satudata_resource_chart(...)}`` of the dataset's
    first DataStore resource with something to chart (as the viewer may read it), or None."""
    for res in (pkg or {}).get("resources") or []:
        if res.get("datastore_active"):
            chart = satudata_resource_chart(res, pkg)
            if chart is not None:
                return {"res": res, "chart": chart}
    return None


def satudata_dashboard_indicators(limit: int | None = None) -> list[dict[str, Any]]:
    """The first indicators of Dashboard Statistik the viewer may see, with their chart data (home page)."""
    limit = config.home_limit() if limit is None else limit
    try:
        return tk.get_action("satudata_dashboard_indicator_list")(
            charts.viewer_context(), {"limit": limit, "include_data": True})
    except (tk.NotAuthorized, tk.ValidationError):
        return []


def satudata_dashboard_may_manage() -> bool:
    """Whether the viewer may manage Dashboard Statistik (the walidata and sysadmins): shows the link to
    the management page."""
    try:
        tk.check_access("satudata_dashboard_indicator_create", charts.viewer_context(), {})
    except tk.NotAuthorized:
        return False
    return True


def satudata_chart_value(value: float | int | None) -> str:
    """A chart value written for people (1.250,5 in Indonesian; a dash for an empty cell)."""
    return charts.format_value(value)
