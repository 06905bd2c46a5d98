"""Reminder e-mails to the OPD: ``reminder_days`` before an entry's date, and once when it is overdue.

Each reminder is claimed in ``satudata_calendar.reminder`` (entry, kind, date) before it is sent, so running
the tick twice sends it once; a postponement gives a new date and so new reminders. When no mail could be sent
at all the claim is rolled back and the next tick tries again.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer

from ckanext.satudatapasuruan.messages import N_

from . import config, records

__all__ = ["BEFORE", "OVERDUE", "recipients", "run"]

log = logging.getLogger(__name__)

BEFORE, OVERDUE = "sebelum", "terlambat"

_SUBJECT = {
    BEFORE: N_("[Satu Data] Jadwal rilis {date}: {title}"),
    OVERDUE: N_("[Satu Data] Rilis terlambat sejak {date}: {title}"),
}
_BODY = {
    BEFORE: N_("Rilis \u201c{title}\u201d ({period}) dijadwalkan pada {date}, {days} hari lagi.\n\n"
               "Terbitkan datasetnya melalui alur verifikasi tepat waktu, atau tunda rilis dengan alasan dan "
               "tanggal baru.\n\nKalender rilis: {url}\n"),
    OVERDUE: N_("Rilis \u201c{title}\u201d ({period}) dijadwalkan pada {date} dan belum terbit.\n\n"
                "Terbitkan datasetnya, atau tunda rilis dengan alasan dan tanggal baru.\n\nKalender rilis: {url}\n"),
}


def _(message: str) -> str:
    try:
        return tk._(message)
    except (RuntimeError, TypeError):
        return message


def recipients(org_id: str) -> list[tuple[str, str]]:
    """(name, address) of the OPD's admins and editors, its contact e-mail and its walidata pendukung."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    try:
        org = tk.get_action("organization_show")({"user": site["name"], "ignore_auth": True},
                                                 {"id": org_id, "include_users": True, "include_datasets": False})
    except tk.ObjectNotFound:
        return []
    found: dict[str, tuple[str, str]] = {}
    for member in org.get("users") or []:
        if member.get("capacity") not in ("admin", "editor"):
            continue
        user = model.User.get(member["id"])
        if user is not None and user.state == "active" and user.email:
            found.setdefault(user.email.lower(), (user.display_name, user.email))
    for key in ("email", "walidata_pendukung_email"):
        address = (org.get(key) or "").strip()
        if address:
            found.setdefault(address.lower(), (org.get("title") or org["name"], address))
    return list(found.values())


def _due(row: dict[str, Any], today: dt.date) -> str | None:
    days = config.reminder_days()
    if row["scheduled_date"] < today:
        return OVERDUE if config.remind_overdue() else None
    if days and row["scheduled_date"] - dt.timedelta(days=days) <= today:
        return BEFORE
    return None


def _send(row: dict[str, Any], kind: str, people: list[tuple[str, str]], today: dt.date) -> int:
    date = row["scheduled_date"].isoformat()
    subject = _(_SUBJECT[kind]).format(date=date, title=row["title"])
    body = _(_BODY[kind]).format(title=row["title"], period=row["period"], date=date,
                                 days=(row["scheduled_date"] - today).days,
                                 url=f"{config.site_url()}/kalender-rilis/daftar?organization={row['owner_org']}")
    sent = 0
    for name, address in people:
        try:
            mailer.mail_recipient(name, address, subject, body)
            sent += 1
        except (mailer.MailerException, OSError) as err:
            log.warning("calendar reminder to %s not sent: %s", address, err)
    return sent


def run(today: dt.date | None = None) -> list[dict[str, Any]]:
    """Send the reminders due today; returns one record per reminder sent."""
    today = today or config.today()
    if not tk.config.get("smtp.mail_from"):
        log.warning("calendar reminders not sent: smtp.mail_from is not set")
        return []
    out = []
    for row in records.entries():
        if row["published_at"] is not None:
            continue
        kind = _due(row, today)
        if kind is None or records.reminder_sent(row["id"], kind, row["scheduled_date"]):
            continue
        people = recipients(row["owner_org"])
        if not people:
            continue
        if not records.record_reminder(row["id"], kind, row["scheduled_date"], [a for _n, a in people]):
            model.Session.rollback()
            continue
        if _send(row, kind, people, today):
            model.repo.commit()
            out.append({"entry_id": row["id"], "kind": kind, "recipients": [a for _n, a in people]})
        else:
            model.Session.rollback()
    return out
