"""E-mail to the people whose turn it is after a transition (CKAN's mailer and ``smtp.*`` settings).

A mail that cannot be sent is logged and never undoes the transition: the task list ("Tugas saya")
shows the same work.
"""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer

from ckanext.satudatapasuruan.messages import N_

from . import config, roles
from .machine import LABELS, Role, State, Transition

__all__ = ["recipients", "transition_made", "access_requested", "access_decided"]

log = logging.getLogger(__name__)

_SUBJECT = {
    Transition.SUBMIT: N_("[Satu Data] Pengajuan baru menunggu verifikasi OPD: {title}"),
    Transition.APPROVE: N_("[Satu Data] Diverifikasi OPD, menunggu walidata: {title}"),
    Transition.RETURN: N_("[Satu Data] Dataset dikembalikan untuk diperbaiki: {title}"),
    Transition.PUBLISH: N_("[Satu Data] Dataset terbit: {title}"),
    Transition.WITHDRAW: N_("[Satu Data] Dataset ditarik dari publikasi: {title}"),
}
_BODY = N_("Dataset \u201c{title}\u201d berpindah dari {from_state} ke {to_state} oleh {actor}.\n\n"
           "{note_line}Buka dataset: {url}\nTugas Anda: {tasks}\n")
_NOTE = N_("Catatan: {note}\n\n")


def _(message: str) -> str:
    # Transitions also run outside requests (CLI, harvesters): there, the default (Indonesian) text.
    try:
        return tk._(message)
    except (RuntimeError, TypeError):
        return message


def recipients(package: model.Package, transition: Transition) -> list[model.User]:
    """Whose turn it is: the verifier after a submission, the walidata after the OPD's approval,
    the OPD's producers after a return, publication or withdrawal."""
    if transition is Transition.SUBMIT:
        users = roles.members_with(Role.VERIFIKATOR, package.owner_org)
    elif transition is Transition.APPROVE:
        users = roles.members_with(Role.WALIDATA)
    else:
        users = (roles.members_with(Role.OPERATOR, package.owner_org)
                 + roles.members_with(Role.VERIFIKATOR, package.owner_org))
    seen: dict[str, model.User] = {}
    for user in users:
        if user.email:
            seen.setdefault(user.id, user)
    return list(seen.values())


def transition_made(package: model.Package, transition: Transition, from_state: State, to_state: State,
                    actor: model.User | None, note: str | None) -> None:
    if not config.notify_email():
        return
    site = _site()
    subject = _(_SUBJECT[transition]).format(title=package.title or package.name)
    body = _(_BODY).format(
        title=package.title or package.name, from_state=_(LABELS[from_state]), to_state=_(LABELS[to_state]),
        actor=getattr(actor, "display_name", None) or "sistem",
        note_line=_(_NOTE).format(note=note) if note else "",
        url=f"{site}/dataset/{package.name}", tasks=f"{site}/tugas")
    _send([u for u in recipients(package, transition) if actor is None or u.id != actor.id], subject, body)


def _send(users: list[model.User], subject: str, body: str) -> None:
    if not tk.config.get("smtp.mail_from"):
        log.warning("workflow mail not sent: smtp.mail_from is not set")
        return
    for user in users:
        if not user.email:
            continue
        try:
            mailer.mail_recipient(user.display_name, user.email, subject, body)
        except (mailer.MailerException, OSError) as err:
            log.warning("workflow mail to %s not sent: %s", user.name, err)


def _site() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def access_requested(package: model.Package, requester: model.User, purpose: str) -> None:
    """The owning OPD's verifiers hear of a new request for its terbatas data."""
    if not config.notify_email():
        return
    subject = _(N_("[Satu Data] Permintaan akses data terbatas: {title}")).format(title=package.title or package.name)
    body = _(N_("{user} meminta akses ke data \u201c{title}\u201d.\n\nTujuan: {purpose}\n\n"
                "Putuskan di: {tasks}\n")).format(user=requester.display_name, title=package.title or package.name,
                                                   purpose=purpose, tasks=f"{_site()}/tugas")
    _send(roles.members_with(Role.VERIFIKATOR, package.owner_org), subject, body)


def access_decided(package: model.Package, request: dict) -> None:
    """The requester hears the decision (approved with its expiry, denied, revoked) and its reason."""
    if not config.notify_email():
        return
    requester = model.User.get(request["user_id"])
    if requester is None:
        return
    subject = _(N_("[Satu Data] Permintaan akses Anda {state}: {title}")).format(
        state=request["state"], title=package.title or package.name)
    body = _(N_("Permintaan akses Anda ke data \u201c{title}\u201d {state}.\n{expiry}{note}\nDataset: {url}\n")).format(
        title=package.title or package.name, state=request["state"],
        expiry=_(N_("Akses berlaku sampai {date}.\n")).format(date=request["expires"]) if request["expires"] else "",
        note=_(_NOTE).format(note=request["decision_note"]) if request["decision_note"] else "",
        url=f"{_site()}/dataset/{package.name}")
    _send([requester], subject, body)
