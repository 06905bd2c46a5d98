from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.blueprints
@tk.blanket.cli
class DaftarDataPlugin(p.SingletonPlugin):
    """Daftar data: the data each OPD needs (and which are priority), the versions of the priority list agreed
    by the Forum Satu Data, the availability matrix and gap list, the register of OPD applications, and the
    KPI the Monev dashboard reads."""

    p.implements(p.IConfigurer)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")
