"""Lifecycle reactions: a publication of a linked dataset fulfils its calendar entry; a dataset returned to
its OPD loses its scheduled release (it is no longer the version the walidata scheduled)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy.exc import SQLAlchemyError

from ckanext.satudatapasuruan.messages import N_

from . import publication, records

__all__ = ["get_subscriptions", "published", "returned", "RETURNED_NOTE"]

log = logging.getLogger(__name__)

RETURNED_NOTE = N_("Dibatalkan otomatis: dataset dikembalikan ke OPD")


def _package(kwargs: dict[str, Any]) -> model.Package | None:
    # The dataset named in the call (a revision action returns the revision, whose id is not the dataset's).
    data_dict = kwargs.get("data_dict") or {}
    return model.Package.get(str(data_dict.get("id") or ""))


def published(sender: str, **kwargs: Any) -> None:
    package = _package(kwargs)
    if package is None:
        return
    try:
        publication.fulfil(package.id, dt.datetime.utcnow())
        model.repo.commit()
    except SQLAlchemyError as err:  # the publication itself is committed; the tick's sync catches up
        model.Session.rollback()
        log.error("calendar: publication of %s not recorded: %s", package.id, err)


def returned(sender: str, **kwargs: Any) -> None:
    package = _package(kwargs)
    if package is None:
        return
    pending = records.pending_schedule(package.id)
    if pending is None:
        return
    user = kwargs.get("context", {}).get("auth_user_obj")
    try:
        records.finish_schedule(pending["id"], records.ScheduleState.DIBATALKAN, getattr(user, "id", None),
                                RETURNED_NOTE)
        model.repo.commit()
    except SQLAlchemyError as err:
        model.Session.rollback()
        log.error("calendar: schedule of %s not cancelled: %s", package.id, err)


def get_subscriptions() -> dict[Any, list[Any]]:
    return {tk.signals.action_succeeded: [
        {"sender": "satudata_workflow_publish", "receiver": published},
        {"sender": "satudata_revision_publish", "receiver": published},
        {"sender": "satudata_workflow_return", "receiver": returned},
    ]}
