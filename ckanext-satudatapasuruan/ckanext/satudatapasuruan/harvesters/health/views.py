"""Pages of sync health: every source (``/harvest/kesehatan``) and one source (``/harvest/<id>/kesehatan``).

``/harvest/kesehatan`` is a fixed route, so it wins over ckanext-harvest's ``/harvest/<id>``: a source named
``kesehatan`` is reached by its id.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

__all__ = ["health"]

health = Blueprint("satudata_harvest", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _page(action: str, data: dict[str, Any], template: str, came_from: str):
    """Render the action's result; refusals and unknown sources are 403 and 404 pages, never a 500."""
    try:
        result = tk.get_action(action)(_context(), data)
    except tk.ObjectNotFound as err:
        return tk.abort(404, str(err) or tk._("Sumber panen tidak ditemukan"))
    except tk.NotAuthorized as err:
        if not tk.current_user.is_authenticated:
            return tk.redirect_to("user.login", came_from=came_from)
        return tk.abort(403, str(err))
    except tk.ValidationError as err:
        return tk.abort(400, " ".join(str(m) for msgs in err.error_dict.values() for m in msgs))
    return tk.render(template, {"health": result})


@health.route("/harvest/kesehatan")
def overview():
    """Every source the user may watch: status, last run, counts, consecutive failures, next run."""
    return _page("satudata_harvest_health_list", {}, "satudata/harvest/health_list.html",
                 tk.url_for("satudata_harvest.overview"))


@health.route("/harvest/<id>/kesehatan")
def source(id: str):
    """One source: its last run with errors per record, the recent runs, the next run."""
    return _page("satudata_harvest_health_show", {"id": id}, "satudata/harvest/health_source.html",
                 tk.url_for("satudata_harvest.source", id=id))
