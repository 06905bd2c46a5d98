from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import subscriptions


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.blueprints
@tk.blanket.cli
class MonevPlugin(p.SingletonPlugin):
    """The public Monev dashboard "Capaian Kinerja": each IKU the portal can measure computed live from the
    other plugins' actions against its yearly target, the walidata's manual IKU and challenges, the OPD
    ranking, the map of data availability per kecamatan, CSV/JSON exports, visits and uptime."""

    p.implements(p.IConfigurer)
    p.implements(p.ISignal)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")
        tk.add_resource("assets", "satudata_monev")

    # ISignal

    def get_signal_subscriptions(self):
        return subscriptions.get_subscriptions()
