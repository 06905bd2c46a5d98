from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

from . import access, records
from .machine import State


def _current_user() -> model.User | None:
    try:
        user = tk.current_user
        return user if isinstance(user, model.User) else None
    except (RuntimeError, AttributeError):
        return None  # outside a request: treated as anonymous


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.cli
class WorkflowPlugin(p.SingletonPlugin):
    """Tiered verification (operator -> OPD verifier -> walidata -> terbit) and access classes."""

    p.implements(p.IConfigurer)
    p.implements(p.IPermissionLabels)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config_):
        tk.add_template_directory(config_, "templates")

    # IPermissionLabels

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        return access.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        return access.user_labels(user_obj)

    # IPackageController

    def create(self, entity: model.Package) -> None:
        # Before CKAN indexes the new dataset, so its first index row already has the draft's labels.
        records.set_state(entity.id, State.DRAFT)
        records.add_event(entity.id, "create", None, State.DRAFT, entity.creator_user_id)

    def edit(self, entity: model.Package) -> None:
        # An edit may change the access class: past activities follow the current labels.
        access.refresh_activity_labels(entity)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        package = model.Package.get(pkg_dict.get("id") or "")
        if package is not None:
            pkg_dict["workflow_state"] = records.get_state(package).value
        # Indexing reads every dataset with ignore_auth and no user: the index keeps the real addresses.
        if not (context.get("ignore_auth") and not context.get("user")):
            user = context.get("auth_user_obj")
            access.mask_restricted(pkg_dict, user if isinstance(user, model.User) else None)
        return pkg_dict

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        # Searchable (`fq=+workflow_state:terbit`) for counts of what is published, private rahasia data
        # included, which `capacity` cannot tell; every transition reindexes the dataset (apply_state).
        package = model.Package.get(pkg_dict.get("id") or "")
        if package is not None:
            pkg_dict["workflow_state"] = records.get_state(package).value
        return pkg_dict

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]):
        user = _current_user()
        for pkg_dict in search_results.get("results", []):
            access.mask_restricted(pkg_dict, user)
        return search_results
