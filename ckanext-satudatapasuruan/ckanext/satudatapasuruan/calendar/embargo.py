"""Scheduled releases (embargo): the tick publishes each due schedule through the workflow's own publish
transition, once.

The schedule is a row (``satudata_calendar.release_schedule``), not a timer: a restart loses nothing, and a
tick that runs late publishes everything due since. Each due row is locked (``FOR UPDATE``) and marked
``terbit`` in the same transaction as the workflow's publication, which commits both: a concurrent tick
waits for the lock and then finds nothing to do; a failed publication rolls back and is recorded as ``gagal``.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.satudatapasuruan.messages import N_

from . import config, records
from .records import ScheduleState
from .visibility import is_walidata

__all__ = ["EMBARGO_FLAG", "NOTE", "run_due", "local_text"]

log = logging.getLogger(__name__)

# In the publish context: this publication is the scheduled one (the chained publish lets it through).
EMBARGO_FLAG = "satudata_calendar_embargo"
NOTE = N_("Rilis terjadwal {when} (dijadwalkan oleh {user})")
NOT_READY = N_("Tidak diterbitkan: dataset berstatus {state}, bukan diverifikasi OPD")


def _(message: str) -> str:
    try:
        return tk._(message)
    except (RuntimeError, TypeError):
        return message


def local_text(utc_naive: dt.datetime) -> str:
    local = utc_naive.replace(tzinfo=dt.timezone.utc).astimezone(config.timezone())
    return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or "")


def _actor(schedule: dict[str, Any]) -> tuple[str, model.User | None]:
    """The walidata who scheduled it while they still hold the role, else the site user."""
    user = model.User.get(schedule["scheduled_by"] or "")
    if user is not None and user.is_active and is_walidata(user):
        return user.name, user
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return site["name"], model.User.get(site["name"])


def run_due(now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Publish every schedule whose time has come; returns what was done (``terbit`` or ``gagal``)."""
    now = now or dt.datetime.utcnow()
    done = []
    for schedule_id in records.due_schedules(now):
        schedule = records.claim_schedule(schedule_id, now)
        if schedule is None:  # another tick published or someone cancelled it meanwhile
            model.Session.rollback()
            continue
        package_id = schedule["package_id"]
        state = tk.get_action("satudata_workflow_show")({"ignore_auth": True}, {"id": package_id})["state"]
        if state != "diverifikasi_opd":
            records.finish_schedule(schedule_id, ScheduleState.GAGAL, None, _(NOT_READY).format(state=state))
            model.repo.commit()
            done.append({"package_id": package_id, "state": ScheduleState.GAGAL.value})
            continue
        name, user = _actor(schedule)
        scheduler = model.User.get(schedule["scheduled_by"] or "")
        note = _(NOTE).format(when=local_text(schedule["publish_at"]),
                              user=scheduler.name if scheduler is not None else "-")
        records.finish_schedule(schedule_id, ScheduleState.TERBIT, getattr(user, "id", None))
        try:
            # The workflow's transition commits the schedule row with the publication.
            tk.get_action("satudata_workflow_publish")({"user": name, EMBARGO_FLAG: True},
                                                       {"id": package_id, "note": note})
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as err:
            model.Session.rollback()
            message = err.error_summary if isinstance(err, tk.ValidationError) else str(err)
            records.finish_schedule(schedule_id, ScheduleState.GAGAL, None, str(message)[:500])
            model.repo.commit()
            log.error("scheduled release of %s failed: %s", package_id, message)
            done.append({"package_id": package_id, "state": ScheduleState.GAGAL.value})
            continue
        done.append({"package_id": package_id, "state": ScheduleState.TERBIT.value, "user": name})
    return done
