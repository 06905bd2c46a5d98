from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.blueprints
@tk.blanket.cli
class RekomendasiPlugin(p.SingletonPlugin):
    """Rekomendasi kegiatan statistik (OPD → pembina BPS) and the register of verifiable documents (QR-stamped
    PDFs checked at /verifikasi/<code>)."""

    p.implements(p.IConfigurer)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")
