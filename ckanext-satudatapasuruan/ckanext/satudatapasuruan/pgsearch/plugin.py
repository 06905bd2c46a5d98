from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import config, seam
from .engine import PgSearchConnection


@tk.blanket.config_declarations
@tk.blanket.cli
class PgSearchPlugin(p.SingletonPlugin):
    """Embedded PostgreSQL search engine behind CKAN's Solr connection seam."""

    p.implements(p.IConfigurer)

    # IConfigurer

    def update_config(self, config_):
        seam.install()
        if config.uses_postgres() and not config_.get("solr_url"):
            # CKAN requires solr_url; with the embedded engine it only names it.
            config_["solr_url"] = PgSearchConnection.url
