from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from .logic import action


@tk.blanket.config_declarations
@tk.blanket.blueprints
@tk.blanket.cli
class DcatPlugin(p.SingletonPlugin):
    """Federation through DCAT: the ``satudata`` RDF profile (entry point ``ckan.rdf.profiles``), the catalogue
    limited to published, non-rahasia datasets, and the ``/kode`` concept schemes. Needs ``dcat``."""

    p.implements(p.IConfigurable)
    p.implements(p.IActions)

    # IConfigurable

    def configure(self, config_):
        if not p.plugin_loaded("dcat"):
            raise RuntimeError("satudata_dcat needs the dcat plugin in ckan.plugins")

    # IActions

    def get_actions(self):
        actions = {name: getattr(action, name) for name in action.__all__}
        if not p.plugin_loaded("dcat_json_interface"):  # /dcat.json and its action are optional
            actions.pop("dcat_datasets_list")
        return actions
