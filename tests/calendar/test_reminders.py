"""Reminder e-mails of the tick, received by a real SMTP server on loopback (aiosmtpd, as the workflow's mail
tests): before the date and when overdue, to the OPD's admins, editors and contact address, once."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from ckan.tests import factories

from ckanext.satudatapasuruan.calendar import config, records
from ckanext.satudatapasuruan.calendar.cli import calendar

from .conftest import PLUGINS, make_entry

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _wait(predicate, seconds=5.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not predicate():
        time.sleep(0.05)
    return predicate()


def _day(offset: int) -> str:
    return (config.today() + dt.timedelta(days=offset)).isoformat()


def test_before_and_overdue_once(portal, inbox, cli):
    """Due in 3 days (N = 7) and overdue by 2: one mail each to the OPD's operator, verifier and contact
    address; never to other OPDs; a second tick sends nothing; published and far entries get none."""
    factories.Organization(name="dinas-pertanian", email="data@pertanian.pasuruankab.test",
                           users=[{"name": "penerima", "capacity": "editor"}])
    soon = make_entry(portal, title="Penduduk Semester I", scheduled_date=_day(3))
    late = make_entry(portal, title="Penduduk Semester II", scheduled_date=_day(-2))
    make_entry(portal, title="Masih Lama", scheduled_date=_day(30))
    make_entry(portal, "walidata", owner_org="dinas-pertanian", title="Produksi Padi", scheduled_date=_day(1))
    ds = portal.dataset()
    done = make_entry(portal, title="Sudah Terbit", package_id=ds["id"], scheduled_date=_day(2))
    portal.publish(ds["id"])
    assert records.get_entry(done["id"])["published_at"] is not None

    result = cli.invoke(calendar, ["tick"])
    assert result.exit_code == 0, result.output
    assert "3 pengingat dikirim" in result.output
    assert _wait(lambda: len(inbox.messages) >= 6)
    for who in ("operator@", "verifikator@"):
        subjects = inbox.subjects_for(who)
        assert sorted(subjects) == sorted([f"[Satu Data] Jadwal rilis {_day(3)}: Penduduk Semester I",
                                           f"[Satu Data] Rilis terlambat sejak {_day(-2)}: Penduduk Semester II"])
    assert inbox.subjects_for("penerima@") == [f"[Satu Data] Jadwal rilis {_day(1)}: Produksi Padi"]
    assert inbox.subjects_for("data@pertanian.pasuruankab.test") == inbox.subjects_for("penerima@")
    assert not inbox.subjects_for("operator_lain@") and not inbox.subjects_for("warga@")
    before = [m for m, s in zip(inbox.messages, [str(m["Subject"]) for m in inbox.messages], strict=True)
              if "operator@" in m["X-Rcpt"] and "Jadwal" in s]
    text = before[0].get_payload(decode=True).decode("utf-8")
    assert "3 hari lagi" in text and "/kalender-rilis/daftar" in text
    count = len(inbox.messages)

    again = cli.invoke(calendar, ["tick"])
    assert "0 pengingat dikirim" in again.output
    time.sleep(0.3)
    assert len(inbox.messages) == count
    assert records.reminder_sent(soon["id"], "sebelum", dt.date.fromisoformat(_day(3)))
    assert records.reminder_sent(late["id"], "terlambat", dt.date.fromisoformat(_day(-2)))


@pytest.mark.ckan_config("ckanext.satudatapasuruan.calendar.reminder_days", 2)
@pytest.mark.ckan_config("ckanext.satudatapasuruan.calendar.remind_overdue", False)
def test_options_and_postponement(portal, inbox, cli):
    """N comes from the config, overdue reminders can be turned off, and a postponement to a new date allows
    a new reminder for it."""
    soon = make_entry(portal, title="Besok", scheduled_date=_day(1))
    make_entry(portal, title="Tiga Hari", scheduled_date=_day(3))
    make_entry(portal, title="Terlambat", scheduled_date=_day(-1))
    cli.invoke(calendar, ["tick"])
    assert _wait(lambda: inbox.subjects_for("operator@"))
    assert inbox.subjects_for("operator@") == [f"[Satu Data] Jadwal rilis {_day(1)}: Besok"]
    portal.call("satudata_calendar_entry_postpone", "operator", id=soon["id"], new_date=_day(2),
                reason="Menunggu tanda tangan kepala dinas")
    cli.invoke(calendar, ["tick"])
    assert _wait(lambda: len(inbox.subjects_for("operator@")) == 2)
    assert inbox.subjects_for("operator@")[1] == f"[Satu Data] Jadwal rilis {_day(2)}: Besok"


def test_unreachable_smtp_keeps_the_reminder_due(portal, cli, monkeypatch):
    """Mail that cannot be sent is not recorded as sent: the next tick tries again."""
    import socket

    import ckan.plugins.toolkit as tk
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
    made = make_entry(portal, scheduled_date=_day(1))
    result = cli.invoke(calendar, ["tick"])
    assert result.exit_code == 0 and "0 pengingat dikirim" in result.output
    assert not records.reminder_sent(made["id"], "sebelum", dt.date.fromisoformat(_day(1)))
