"""Mail to the requester: the acknowledgement with the tracking number, and each status change.

A mail that cannot be sent is logged and never undoes the request: the public status page shows the same."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ckanext.satudatapasuruan.messages import N_

from . import config
from .records import Status

__all__ = ["STATUS_LABELS", "acknowledge", "status_changed"]

log = logging.getLogger(__name__)

STATUS_LABELS = {
    Status.DITERIMA: N_("Diterima"),
    Status.DITERUSKAN: N_("Diteruskan ke OPD"),
    Status.DIPROSES: N_("Diproses"),
    Status.TERSEDIA: N_("Tersedia"),
    Status.DITOLAK: N_("Ditolak"),
}


def _(message: str) -> str:
    try:
        return tk._(message)
    except (RuntimeError, TypeError):  # outside a request: the Indonesian msgid
        return message


def _url(req: dict[str, Any]) -> str:
    return f"{config.site_url()}/permintaan-data/{req['nomor']}"


def _send(req: dict[str, Any], subject: str, body: str) -> None:
    if not config.notify_email():
        return
    if not tk.config.get("smtp.mail_from"):
        log.warning("data request mail not sent: smtp.mail_from is not set")
        return
    try:
        mailer.mail_recipient(req["nama"], req["email"], subject, body)
    except (mailer.MailerException, OSError) as err:
        log.warning("data request mail for %s not sent: %s", req["nomor"], err)


def acknowledge(req: dict[str, Any]) -> None:
    subject = _(N_("[Satu Data] Permintaan data diterima: {nomor}")).format(nomor=req["nomor"])
    body = _(N_("Yth. {nama},\n\nPermintaan data Anda telah kami terima dengan nomor {nomor}.\n\n"
                "Data yang diminta: {data}\n\nPantau statusnya di: {url}\n")).format(
        nama=req["nama"], nomor=req["nomor"], data=req["data"], url=_url(req))
    _send(req, subject, body)


def status_changed(req: dict[str, Any], note: str, dataset_url: str | None) -> None:
    label = _(STATUS_LABELS[Status(req["status"])])
    subject = _(N_("[Satu Data] Permintaan data {nomor}: {status}")).format(nomor=req["nomor"], status=label)
    lines = [_(N_("Status permintaan data Anda ({nomor}) kini: {status}.")).format(nomor=req["nomor"], status=label)]
    if req.get("alasan"):
        lines.append(_(N_("Alasan: {alasan}")).format(alasan=req["alasan"]))
    if note:
        lines.append(_(N_("Catatan: {note}")).format(note=note))
    if dataset_url:
        lines.append(_(N_("Dataset: {url}")).format(url=dataset_url))
    lines.append(_(N_("Pantau statusnya di: {url}")).format(url=_url(req)))
    _send(req, subject, "\n\n".join(lines) + "\n")
