from __future__ import annotations

from collections import OrderedDict

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import csrf
from .menu import FACET_ORDER


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.blueprints
class ThemePlugin(p.SingletonPlugin):
    """The public face of Portal Satu Data Kabupaten Pasuruan: header and main menu, home page, dataset page
    additions (metadata grouped as BPS does, citation, API snippet, QR), Data Terbaru, SDI facet order.

    Listed before ckanext-scheming in ``ckan.plugins`` (its scheming snippet must win) and after the plugins
    whose facets it orders."""

    p.implements(p.IConfigurer)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")
        tk.add_resource("assets", "satudata_theme")

    # IMiddleware

    def make_middleware(self, app, config):
        # CKAN leaves a form CSRF-exempt for good after one API-token request to it (see csrf.py).
        csrf.install()
        return app

    # IFacets

    def dataset_facets(self, facets_dict, package_type):
        return _ordered(facets_dict)

    def organization_facets(self, facets_dict, organization_type, package_type):
        return _ordered(facets_dict)


def _ordered(facets_dict):
    """The SDI facets first, in the order of the Petunjuk Teknis, with the portal's own titles; the rest after."""
    ordered = OrderedDict()
    for name, title in FACET_ORDER:
        if name in facets_dict:
            ordered[name] = tk._(title)
    for name, title in facets_dict.items():
        ordered.setdefault(name, title)
    return ordered
