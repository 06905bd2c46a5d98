"""Pages of the public portal that CKAN has no view for: Data Terbaru."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
from flask import Blueprint

from .helpers import satudata_newest

__all__ = ["theme"]

theme = Blueprint("satudata_theme", __name__)
PER_PAGE = 20


@theme.route("/data-terbaru")
def newest():
    """The statistical datasets the visitor may see, the most recently published or changed first."""
    try:
        page = max(int(tk.request.args.get("page", 1)), 1)
    except ValueError:
        page = 1
    found = satudata_newest(PER_PAGE, page)
    pager = Page(collection=found["results"], page=page, item_count=found["count"], items_per_page=PER_PAGE,
                 presliced_list=True, url=lambda q="", page=1: tk.url_for("satudata_theme.newest", page=page))
    return tk.render("satudata/theme/newest.html", {"found": found, "page": pager})
