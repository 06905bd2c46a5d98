"""Pages of the public portal: the home page (in place of CKAN's) and Data Terbaru, which CKAN has no view for."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
from flask import Blueprint

from .helpers import satudata_newest

__all__ = ["theme"]

theme = Blueprint("satudata_theme", __name__)
PER_PAGE = 20


@theme.route("/", strict_slashes=False)
def home():
    """The portal's home page: CKAN's own view less its facet search of the whole catalogue.

    CKAN's ``home.index`` asks package_search for five facets over every dataset (0.4 s at 10,000 datasets)
    for stock blocks this theme replaces; the figures shown here come from ``satudata_home_stats``' one
    query. Kept from it: the notice to users without an e-mail address, and ckanext-dcat's content
    negotiation of ``/`` (an RDF ``Accept`` header gets the catalogue), which its own route would do."""
    if p.plugin_loaded("dcat") and tk.asbool(tk.config.get("ckanext.dcat.enable_content_negotiation")):
        from ckanext.dcat import utils as dcat_utils

        if dcat_utils.check_access_header():
            return dcat_utils.read_catalog_page(None)
    # (not for API-token requests: they carry no session for a flash message)
    if tk.current_user.is_authenticated and not tk.current_user.email and not tk.g.get("login_via_auth_header"):
        message = tk._('Mohon <a href="%(url)s">perbarui profil Anda</a> dan tambahkan alamat email: %(site)s '
                       'memakainya bila Anda perlu mengatur ulang kata sandi.') % {
            "url": tk.url_for("user.edit"), "site": tk.config.get("ckan.site_title")}
        tk.h.flash_notice(message, allow_html=True)
    return tk.render("home/index.html", {})


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
