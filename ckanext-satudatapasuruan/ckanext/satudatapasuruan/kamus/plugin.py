from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.cli
class KamusPlugin(p.SingletonPlugin):
    """Kamus data terpadu: versioned standar data entries kept by the walidata and the pembina data, public
    pages, and the picker that fills a dataset's standar fields from an entry."""

    p.implements(p.IConfigurer)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")
