"""``ckan satudata-feedback``: move the usage counts from Redis to ``satudata_feedback.usage_daily``."""
from __future__ import annotations

import click
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from . import counter

__all__ = ["feedback"]


@click.group(name="satudata-feedback", short_help="Permintaan data, umpan balik dan statistik pemakaian")
def feedback():
    pass


@feedback.command("flush-usage")
@click.option("--keep-today", is_flag=True, help="Leave today's counts in Redis (flush only finished days).")
def flush_usage(keep_today: bool):
    """Add the page views, downloads and QR scans counted in Redis to the daily table.

    Safe to run at any time and to run again after an interruption: nothing is lost or counted twice."""
    try:
        done = counter.flush(today_too=not keep_today)
    except (RedisError, SQLAlchemyError) as err:
        raise click.ClickException(f"flush-usage gagal (akan dilanjutkan pada run berikutnya): {err}") from err
    click.echo(f"{done['batches']} batch, {done['hits']} hit dipindahkan")
