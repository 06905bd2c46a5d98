"""``ckan satudata-calendar``: the periodic tick (scheduled releases, reminders)."""
from __future__ import annotations

import click

from . import tick as tick_job

__all__ = ["calendar"]


@click.group(name="satudata-calendar", short_help="Kalender rilis dan rilis terjadwal (Satu Data)")
def calendar():
    pass


@calendar.command()
def tick():
    """Publish the scheduled releases that are due, record publications and send the due reminders, once.

    Run it every few minutes (cron or a systemd timer); a second run does nothing more."""
    result = tick_job.run()
    for item in result["released"]:
        click.echo(f"rilis terjadwal {item['package_id']}: {item['state']}")
    click.echo(f"{len(result['released'])} rilis terjadwal diproses, {result['synced']} publikasi dicatat, "
               f"{len(result['reminders'])} pengingat dikirim")
