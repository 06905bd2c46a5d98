from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import links, subscriptions  # noqa: F401 - links registers rule MQ-011


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.blueprints
@tk.blanket.cli
class QualityPlugin(p.SingletonPlugin):
    """Metadata quality control: rules over every dataset, repair tickets for the OPDs, the board, the KPI."""

    p.implements(p.IConfigurer)
    p.implements(p.ISignal)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")

    # ISignal

    def get_signal_subscriptions(self):
        return subscriptions.get_subscriptions()
