"""`ckan satudata-search`: index maintenance beyond CKAN's `search-index` commands."""
from __future__ import annotations

import multiprocessing
import os
import time

import ckan.plugins.toolkit as tk
import click
import sqlalchemy as sa
from ckan import logic, model

from .engine import TABLE

__all__ = ["satudata_search"]


@click.group(name="satudata-search", short_help="Indeks pencarian bawaan (PostgreSQL)")
def satudata_search():
    """Maintain the embedded search index."""


def _index_slice(ids: list[str], batch: int) -> tuple[int, list[str]]:
    # A forked worker must not reuse the parent's pooled connections.
    model.meta.engine.dispose(close=False)
    model.Session.remove()
    done, failed = 0, []
    context = {"ignore_auth": True}
    for n, package_id in enumerate(ids, 1):
        try:
            logic.index_update_package(context, package_id, defer_commit=True)
            done += 1
        except Exception as err:  # noqa: BLE001 - one broken dataset must not stop the rebuild
            model.Session.rollback()
            failed.append(f"{package_id}: {err}")
        if n % batch == 0:
            model.Session.commit()
    model.Session.commit()
    model.Session.remove()
    return done, failed


@satudata_search.command()
@click.option("--workers", type=int, default=os.cpu_count() or 1, show_default=True,
              help="Proses paralel (default: jumlah inti CPU).")
@click.option("--batch", type=int, default=500, show_default=True, help="Commit setiap N dataset.")
def rebuild(workers: int, batch: int):
    """Reindex every dataset in parallel worker processes, then drop orphan rows."""
    query = model.Session.query(model.Package.id)
    if tk.config.get("ckan.search.remove_deleted_packages"):
        query = query.filter(model.Package.state != "deleted")
    ids = [row[0] for row in query.order_by(model.Package.id)]
    model.Session.remove()
    model.meta.engine.dispose()
    workers = max(1, min(workers, len(ids) or 1))
    slices = [ids[i::workers] for i in range(workers)]
    started = time.monotonic()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        results = pool.starmap(_index_slice, [(s, batch) for s in slices])
        # Let the workers exit on their own: Pool.__exit__ terminates them, and a worker killed while
        # it holds the task queue's lock leaves another waiting on it forever (seen under load).
        pool.close()
        pool.join()
    elapsed = time.monotonic() - started
    done = sum(r[0] for r in results)
    failed = [f for r in results for f in r[1]]
    orphans = model.Session.execute(
        sa.text(f"DELETE FROM {TABLE} i WHERE i.site_id = :site "
                "AND NOT EXISTS (SELECT 1 FROM package p WHERE p.id = i.doc->>'id')"),
        {"site": tk.config.get("ckan.site_id")},
    ).rowcount
    model.Session.commit()
    rate = done / elapsed if elapsed else 0.0
    click.echo(f"{done} dataset diindeks dalam {elapsed:.1f} dtk ({rate:.0f}/dtk, {workers} proses); "
               f"{orphans} baris yatim dihapus.")
    for line in failed:
        click.secho(f"Gagal: {line}", fg="red", err=True)
    if failed:
        raise click.exceptions.Exit(1)
