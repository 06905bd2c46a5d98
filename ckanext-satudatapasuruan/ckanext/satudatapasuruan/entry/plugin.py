from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import validation


def _gettext(message: str) -> str:
    # Cell messages are made in requests (the user's language) and in jobs (the default one);
    # outside any Flask context they stay Indonesian.
    try:
        return tk._(message)
    except RuntimeError:
        return message


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
class EntryPlugin(p.SingletonPlugin):
    """Web collection platform: XLSX templates and validated uploads into each dataset's DataStore table."""

    p.implements(p.IConfigurer)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")
        validation.set_translator(_gettext)
