"""E-mail to the walidata and the owning OPD's verifiers when a source keeps failing (CKAN's mailer, ``smtp.*``).

One mail per streak: it goes when the run that makes the ``failure_mail_after``-th consecutive failure finishes,
so the runs after it stay quiet, and a source that recovers and fails again is reported again. A mail that
cannot be sent is logged; the health page shows the same.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer

from ckanext.satudatapasuruan.messages import N_
from ckanext.satudatapasuruan.workflow import roles
from ckanext.satudatapasuruan.workflow.machine import Role

from . import config

__all__ = ["recipients", "failure_streak"]

log = logging.getLogger(__name__)

_SUBJECT = N_("[Satu Data] Sumber panen gagal {failures} kali berturut-turut: {title}")
_BODY = N_("Sumber panen \u201c{title}\u201d ({url}) milik {organization} gagal {failures} kali berturut-turut.\n"
           "Proses terakhir selesai {finished}.\n\n"
           "Galat terakhir:\n{errors}\n\n"
           "Lihat kesehatan panen sumber ini: {health_url}\n"
           "Kesehatan semua sumber: {overview_url}\n")
_MORE = N_("... dan {count} galat lainnya")
_RECORD = N_("- rekaman {guid} (tahap {stage}): {message}")
_SOURCE = N_("- sumber: {message}")


def _(message: str) -> str:
    # Jobs finish in the scheduler (CLI): there, the default (Indonesian) text.
    try:
        return tk._(message)
    except (RuntimeError, TypeError):
        return message


def recipients(package: model.Package) -> list[model.User]:
    """The walidata and the verifiers (organisation admins) of the OPD owning the source, with an address."""
    users = roles.members_with(Role.WALIDATA) + (roles.members_with(Role.VERIFIKATOR, package.owner_org)
                                                 if package.owner_org else [])
    seen: dict[str, model.User] = {}
    for user in users:
        if user.email:
            seen.setdefault(user.id, user)
    return list(seen.values())


def _local(iso: str | None) -> str:
    if not iso:
        return "-"
    return dt.datetime.fromisoformat(iso).astimezone(config.timezone()).strftime("%d-%m-%Y %H:%M %Z")


def _error_lines(errors: dict[str, Any] | None, limit: int = 10) -> str:
    if not errors:
        return "-"
    lines = [_(_SOURCE).format(message=e["message"]) for e in errors["gather"]]
    lines += [_(_RECORD).format(guid=e["guid"], stage=e["stage"] or "-", message=e["message"])
              for e in errors["records"]]
    more = errors["gather_total"] + errors["records_total"] - len(lines[:limit])
    return "\n".join(lines[:limit] + ([_(_MORE).format(count=more)] if more > 0 else [])) or "-"


def failure_streak(package: model.Package, health: dict[str, Any]) -> int:
    """Mail the streak reported by ``health`` (``stats.health`` with errors); returns how many were sent."""
    if not tk.config.get("smtp.mail_from"):
        log.warning("harvest failure mail not sent: smtp.mail_from is not set")
        return 0
    site = tk.config.get("ckan.site_url").rstrip("/")
    source = health["source"]
    subject = _(_SUBJECT).format(failures=health["consecutive_failures"], title=source["title"])
    body = _(_BODY).format(
        title=source["title"], url=source["url"],
        organization=(source["organization"] or {}).get("title") or "-",
        failures=health["consecutive_failures"], finished=_local((health["last_run"] or {}).get("finished")),
        errors=_error_lines(health.get("errors")),
        health_url=f"{site}/harvest/{source['name']}/kesehatan", overview_url=f"{site}/harvest/kesehatan")
    sent = 0
    for user in recipients(package):
        try:
            mailer.mail_recipient(user.display_name, user.email, subject, body)
            sent += 1
        except (mailer.MailerException, OSError) as err:
            log.warning("harvest failure mail to %s not sent: %s", user.name, err)
    return sent
