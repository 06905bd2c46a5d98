"""``ckan satudata-harvest``: the harvest scheduler and a health summary for server administrators."""
from __future__ import annotations

import logging
import time

import ckan.plugins.toolkit as tk
import click
from ckan import model
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from .. import recovery
from . import config

__all__ = ["satudata_harvest"]

log = logging.getLogger(__name__)


@click.group(name="satudata-harvest", short_help="Jadwal dan kesehatan panen (Satu Data)")
def satudata_harvest():
    pass


def tick() -> bool:
    """One scheduler tick as the site user; False when the database or Redis failed (tried again next tick)."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    try:
        tk.get_action("harvest_jobs_run")({"user": site["name"]}, {})
        # What ckanext-harvest does not resubmit itself after a Redis or database restart.
        recovery.requeue_stranded()
    except (SQLAlchemyError, RedisError, OSError) as err:
        # A database or Redis restart must not stop the scheduler: the next tick retries.
        log.error("harvest scheduler tick failed: %s", err)
        model.Session.rollback()
        model.Session.remove()
        return False
    return True


@satudata_harvest.command()
@click.option("--once", is_flag=True, help="Run a single tick and exit (for cron or a systemd timer).")
@click.option("--interval", type=click.IntRange(min=1), default=None,
              help="Seconds between ticks (default: ckanext.satudatapasuruan.harvest.schedule_interval).")
def schedule(once: bool, interval: int | None):
    """Make the harvest jobs that are due, mark finished ones, send failure e-mails: once, or every
    INTERVAL seconds (on the clock's multiples of it, so a 60 s tick comes right after 00:00)."""
    interval = interval or config.schedule_interval()
    while True:
        ok = tick()
        if once:
            if not ok:
                raise click.exceptions.Exit(1)
            return
        time.sleep(interval - time.time() % interval)


@satudata_harvest.command()
def health():
    """Print each source's status, last run, consecutive failures and next run."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    result = tk.get_action("satudata_harvest_health_list")({"user": site["name"]}, {})
    for item in result["sources"]:
        last = item["last_run"] or {}
        counts = last.get("counts") or {}
        click.echo(f"{item['source']['name']}: {item['status']} gagal_beruntun={item['consecutive_failures']} "
                   f"terakhir={last.get('finished') or '-'} tambah={counts.get('added', 0)} "
                   f"ubah={counts.get('updated', 0)} tarik={counts.get('withdrawn', 0)} "
                   f"galat={counts.get('errors', 0)} berikutnya={item['next_run'] or '-'}")
    totals = result["totals"]
    click.echo(f"{totals['sources']} sumber, {totals['failing']} gagal, {totals['alerting']} melewati ambang surel")
