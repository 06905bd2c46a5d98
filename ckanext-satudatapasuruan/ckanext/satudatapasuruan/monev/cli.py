"""``ckan satudata-monev``: the uptime heartbeat and the move of the dashboard's visit counts to the
database (both for cron)."""
from __future__ import annotations

import click

from . import heartbeat, visits

__all__ = ["monev"]


@click.group(name="satudata-monev", short_help="Dashboard Monev Capaian Kinerja (Satu Data)")
def monev():
    pass


@monev.command("heartbeat")
@click.option("--url", default=None, help="Alamat yang ditanya (bawaan: status_show portal ini).")
def beat(url: str | None):
    """Ask the portal once and record whether it answered (cron: every heartbeat_interval minutes)."""
    done = heartbeat.check(url=url)
    click.echo(f"{'up' if done['ok'] else 'DOWN'} {done['status_code'] or '-'} {done['latency_ms']} ms"
               + (f" {done['error']}" if done["error"] else ""))
    if not done["ok"]:
        raise SystemExit(1)


@monev.command("flush-visits")
def flush_visits():
    """Move the dashboard's visit counters from Redis to the database (exactly once)."""
    done = visits.flush()
    click.echo(f"{done['visits']} kunjungan dari {done['batches']} batch")
