from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import index


@tk.blanket.config_declarations
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.cli
class MetadataPlugin(p.SingletonPlugin):
    """Satu Data Indonesia metadata: scheming schemas, reference codes, completeness, SDI facets."""

    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.ITranslation)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")

    # ITranslation

    def i18n_directory(self):
        import os

        return os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")

    def i18n_locales(self):
        return ["id", "en"]

    def i18n_domain(self):
        return "ckanext-satudatapasuruan"

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        for name in index.NOT_INDEXED:
            pkg_dict.pop(name, None)
        pkg_dict.update(index.index_fields(pkg_dict))
        return pkg_dict

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]):
        lang = tk.h.lang() if tk.request else "id"
        for name, facet in (search_results.get("search_facets") or {}).items():
            if name in index.SDI_FACETS:
                for item in facet.get("items", []):
                    item["display_name"] = index.facet_label(name, item["name"], lang or "id")
        return search_results

    # IFacets

    def dataset_facets(self, facets_dict, package_type):
        return self._sdi_facets(facets_dict)

    def organization_facets(self, facets_dict, organization_type, package_type):
        return self._sdi_facets(facets_dict)

    def _sdi_facets(self, facets_dict):
        for name, title in index.SDI_FACETS.items():
            facets_dict[name] = tk._(title)
        return facets_dict
