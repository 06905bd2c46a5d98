"""Lifecycle reactions: an infographic that is published is remembered as once public, so its QR link
explains a later withdrawal (or deletion) instead of answering 404."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy.exc import SQLAlchemyError

from . import records
from .links import INFOGRAFIS

__all__ = ["get_subscriptions", "published"]

log = logging.getLogger(__name__)


def published(sender: str, **kwargs: Any) -> None:
    data_dict = kwargs.get("data_dict") or {}
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None or package.type != INFOGRAFIS:
        return
    try:
        records.ensure_link(package.id)
        records.mark_published(package.id)
        model.repo.commit()
    except SQLAlchemyError as err:  # the publication itself is committed; only the remark is lost
        model.Session.rollback()
        log.error("infographic %s: publication not recorded: %s", package.id, err)


def get_subscriptions() -> dict[Any, list[Any]]:
    return {tk.signals.action_succeeded: [{"sender": "satudata_workflow_publish", "receiver": published}]}
