"""An entry's status, computed from its dates and its publication (pure, no I/O).

- ``terjadwal``: not published, the date has not passed;
- ``ditunda``: postponed by the OPD (a reason and a later date), not published, the new date not passed;
- ``terbit_tepat_waktu``: published on or before the (current) date, in the calendar's time zone;
- ``terlambat``: the date passed without publication, or published after the date.
"""
from __future__ import annotations

import datetime as dt
import enum

from ckanext.satudatapasuruan.messages import N_

__all__ = ["Status", "LABELS", "compute", "on_original_schedule"]


class Status(str, enum.Enum):
    TERJADWAL = "terjadwal"
    TEPAT_WAKTU = "terbit_tepat_waktu"
    TERLAMBAT = "terlambat"
    DITUNDA = "ditunda"


LABELS = {
    Status.TERJADWAL: N_("Terjadwal"),
    Status.TEPAT_WAKTU: N_("Terbit tepat waktu"),
    Status.TERLAMBAT: N_("Terlambat"),
    Status.DITUNDA: N_("Ditunda"),
}


def compute(scheduled: dt.date, published: dt.date | None, postponed: bool, today: dt.date) -> Status:
    """``published`` is the local date of the publication that fulfilled the entry (None: not yet)."""
    if published is not None:
        return Status.TEPAT_WAKTU if published <= scheduled else Status.TERLAMBAT
    if today > scheduled:
        return Status.TERLAMBAT
    return Status.DITUNDA if postponed else Status.TERJADWAL


def on_original_schedule(original: dt.date, published: dt.date | None) -> bool:
    """The KPI's rule: released on or before the first date announced (a postponement does not excuse)."""
    return published is not None and published <= original
