"""Usage events of ``ckanext.satudatapasuruan.usage`` counted in Redis (never a database write here)."""
from __future__ import annotations

import logging
from typing import Any

from ckanext.satudatapasuruan import usage

from . import counter

__all__ = ["get_subscriptions", "used"]

log = logging.getLogger(__name__)


def used(sender: Any, **kwargs: Any) -> None:
    package_id = kwargs.get("package_id")
    try:
        kind = usage.Kind(sender)
    except ValueError:
        log.warning("unknown usage kind %r ignored", sender)
        return
    if package_id:
        counter.count(kind, str(package_id))


def get_subscriptions() -> dict[Any, list[Any]]:
    return {usage.used: [used]}
