from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import subscriptions


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.cli
class CalendarPlugin(p.SingletonPlugin):
    """Kalender rilis: announced releases per OPD with their status, iCalendar feeds, reminders, bulk load,
    the on-schedule KPI, and scheduled releases (embargo) published by the tick."""

    p.implements(p.IConfigurer)
    p.implements(p.ISignal)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")

    # ISignal

    def get_signal_subscriptions(self):
        return subscriptions.get_subscriptions()
