"""``ckan satudata-quality``: the nightly scan of the metadata quality rules."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import click
import sqlalchemy as sa
from ckan import model

from .links import check_links

__all__ = ["quality"]


@click.group(name="satudata-quality", short_help="Kontrol mutu metadata (Satu Data)")
def quality():
    pass


@quality.command("scan")
@click.option("--all", "scan_all", is_flag=True, help="Scan every active dataset (the nightly run).")
@click.argument("names", nargs=-1)
def scan(scan_all: bool, names: tuple[str, ...]):
    """Scan datasets (names or ids, or --all) and open, close or reopen their repair tickets."""
    if not scan_all and not names:
        raise click.UsageError("give dataset names or --all")
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    action = tk.get_action("satudata_quality_scan")
    results = []
    failed = 0
    if scan_all:
        results = action({"user": site["name"]}, {"all": True})["datasets"]
    for name in names:
        try:
            results += action({"user": site["name"]}, {"id": name})["datasets"]
        except (tk.ObjectNotFound, tk.ValidationError) as err:
            failed += 1
            click.echo(f"{name}: {getattr(err, 'message', '') or err}", err=True)
    for item in results:
        _echo_scanned(item)
    click.echo(f"{len(results)} dataset dipindai")
    if failed:
        raise SystemExit(1)


def _echo_scanned(item: dict) -> None:
    changes = [f"{label} {','.join(item[key])}" for key, label in
               (("opened", "dibuka"), ("reopened", "dibuka lagi"), ("closed", "selesai")) if item[key]]
    click.echo(f"{item['name']}: {'; '.join(changes) or 'tidak berubah'}")


@quality.command("nightly")
def nightly():
    """The nightly run in one process: every external link checked (as check-links --all) and every dataset
    scanned (as scan --all), each dataset once, as soon as the hosts of its links are done, so that the scan
    works while the checker waits on slow servers."""
    from . import links
    from .logic.action import scan_ids

    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    scan = tk.get_action("satudata_quality_scan")
    order = scan_ids()
    waiting: dict[str, set[str]] = {}
    scanned: list[dict] = []

    def run(ready: set[str]) -> None:
        # Still active now (a dataset deleted meanwhile is left to the next night), in name order.
        alive = set(model.Session.execute(sa.select(model.Package.id).where(
            model.Package.id.in_(list(ready)), model.Package.state == "active")).scalars()) if ready else set()
        batch = [pid for pid in order if pid in alive]
        if batch:
            for item in scan({"user": site["name"]}, {"ids": batch})["datasets"]:
                scanned.append(item)
                _echo_scanned(item)

    def on_start(by_host) -> None:
        for host, targets in by_host.items():
            for target in targets:
                waiting.setdefault(target.package_id, set()).add(host)
        run(set(order) - set(waiting))  # nothing to wait for: no link to request

    def on_host(host: str, _items) -> None:
        ready = set()
        for package_id, hosts in list(waiting.items()):
            hosts.discard(host)
            if not hosts:
                ready.add(package_id)
                del waiting[package_id]
        run(ready)

    checked = links.check_packages(None, on_start=on_start, on_host=on_host)
    run(set(waiting))  # a host that yielded nothing (none should be left)
    broken = sum(1 for item in checked if item["status"] != links.LinkStatus.OK.value)
    click.echo(f"{len(checked)} tautan diperiksa ({broken} rusak); {len(scanned)} dataset dipindai")


quality.add_command(check_links)
