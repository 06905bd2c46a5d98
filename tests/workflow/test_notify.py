"""E-mail after transitions and access decisions, received by a real SMTP server on loopback."""
from __future__ import annotations

import email
import socket
import time
from email.header import decode_header, make_header

import ckan.plugins.toolkit as tk
import pytest
from aiosmtpd.controller import Controller

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


class _Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content)
        message["X-Rcpt"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def subjects_for(self, address: str) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for m in self.messages if address in m["X-Rcpt"]]


@pytest.fixture
def inbox(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
    yield handler
    controller.stop()


def _wait(predicate, seconds=5.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not predicate():
        time.sleep(0.05)
    return predicate()


def test_each_step_mails_whose_turn_it_is(portal, inbox):
    """Submit → the verifier; approve → the walidata; publish → the OPD's producers; never the actor."""
    ds = portal.dataset()
    portal.call("satudata_workflow_submit", "operator", id=ds["id"], note="Mohon diperiksa")
    assert _wait(lambda: inbox.subjects_for("verifikator@"))
    assert "menunggu verifikasi OPD" in inbox.subjects_for("verifikator@")[0]
    body = inbox.messages[0].get_payload(decode=True).decode("utf-8")
    assert "Mohon diperiksa" in body and f"/dataset/{ds['name']}" in body and "/tugas" in body
    portal.call("satudata_workflow_approve", "verifikator", id=ds["id"])
    assert _wait(lambda: inbox.subjects_for("walidata@"))
    portal.call("satudata_workflow_publish", "walidata", id=ds["id"])
    assert _wait(lambda: any("terbit" in s for s in inbox.subjects_for("operator@")))
    assert not inbox.subjects_for("operator_lain@") and not inbox.subjects_for("warga@")
    assert not any("terbit" in s for s in inbox.subjects_for("walidata@"))  # the actor is not told


def test_access_decision_reaches_the_requester(portal, inbox):
    ds = portal.dataset("terbatas")
    portal.publish(ds["id"])
    request = portal.call("satudata_access_request_create", "warga", id=ds["id"],
                          purpose="Analisis kebijakan kependudukan kecamatan")
    assert _wait(lambda: any("Permintaan akses" in s for s in inbox.subjects_for("verifikator@")))
    portal.call("satudata_access_request_decide", "verifikator", id=request["id"], decision="tolak",
                note="Data memuat identitas")
    assert _wait(lambda: inbox.subjects_for("warga@"))
    mail = [m for m in inbox.messages if "warga@" in m["X-Rcpt"]][0]
    assert "Data memuat identitas" in mail.get_payload(decode=True).decode("utf-8")


def test_mail_server_down_keeps_the_transition(portal, monkeypatch):
    """An unreachable SMTP server is logged; the transition stands."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
    ds = portal.dataset()
    assert portal.call("satudata_workflow_submit", "operator", id=ds["id"])["state"] == "diajukan"
