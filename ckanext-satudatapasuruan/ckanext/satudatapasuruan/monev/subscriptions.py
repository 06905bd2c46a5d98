"""Cache invalidation: any successful write action (a dataset, a resource, a workflow step, a ticket, a
calendar entry, a rating…) orphans the cached figures at once (``store.bump``); reads leave them."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import store

__all__ = ["get_subscriptions", "changed", "PREFIXES"]

# Actions whose success may change a figure; side-effect-free ones (reads) are skipped.
PREFIXES = ("package_", "resource_", "dataset_", "organization_", "datastore_", "satudata_", "harvest_")


def changed(sender: str, **kwargs: Any) -> None:
    if not isinstance(sender, str) or not sender.startswith(PREFIXES) or sender.startswith("satudata_monev_"):
        return
    try:
        action = tk.get_action(sender)
    except KeyError:
        return
    if getattr(action, "side_effect_free", False):
        return
    store.bump()


def get_subscriptions() -> dict[Any, list[Any]]:
    return {tk.signals.action_succeeded: [changed]}
