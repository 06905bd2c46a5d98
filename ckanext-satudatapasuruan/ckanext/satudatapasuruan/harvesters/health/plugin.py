from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import config, subscriptions


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.cli
class HarvestPlugin(p.SingletonPlugin):
    """Schedules aligned to the portal's clock and the sync health of harvest sources; owner of
    ``migration/satudata_harvest`` (the harvesters' tables). Needs ``harvest`` and ``satudata_workflow``;
    list it before ``harvest`` in ``ckan.plugins``."""

    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ISignal)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config_):
        # Listed before ``harvest`` (the first plugin's templates win), our source/read_base.html adds the
        # "Kesehatan" tab to ckanext-harvest's source page.
        tk.add_template_directory(config_, "templates")

    # IConfigurable

    def configure(self, config_):
        for needed in ("harvest", "satudata_workflow"):
            if not p.plugin_loaded(needed):
                raise RuntimeError(f"satudata_harvest needs the {needed} plugin in ckan.plugins")
        config.run_at()  # a bad time of day fails at start-up, not at midnight
        config.timezone()

    # IPackageController

    def before_dataset_index(self, pkg_dict):
        # ckanext-harvest reindexes a source after each job with an unvalidated dict as the "validated" one,
        # and package_show would then serve it from the index (no source_type, config or frequency): without
        # it, package_show validates the plain dict as usual.
        if pkg_dict.get("type") == "harvest":
            pkg_dict.pop("validated_data_dict", None)
        return pkg_dict

    # ISignal

    def get_signal_subscriptions(self):
        return subscriptions.get_subscriptions()
