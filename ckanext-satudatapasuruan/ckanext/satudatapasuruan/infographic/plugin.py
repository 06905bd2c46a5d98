from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import index, records, subscriptions
from .links import INFOGRAFIS


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.cli
class InfographicPlugin(p.SingletonPlugin):
    """QR-linked infographics: official templates, short links /i/<code>, rendered PNG/PDF, the gallery."""

    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.ISignal)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")

    # IPackageController

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        # In package_create's transaction: the dataset and its permanent short code are written together.
        if pkg_dict.get("type") == INFOGRAFIS:
            records.ensure_link(pkg_dict["id"])

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        if pkg_dict.get("type") == INFOGRAFIS:
            pkg_dict[index.SEKTOR] = index.sektor(pkg_dict)
        return pkg_dict

    # ISignal

    def get_signal_subscriptions(self):
        return subscriptions.get_subscriptions()
