"""``ckan satudata-quality``: the nightly scan of the metadata quality rules."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import click

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
        changes = [f"{label} {','.join(item[key])}" for key, label in
                   (("opened", "dibuka"), ("reopened", "dibuka lagi"), ("closed", "selesai")) if item[key]]
        click.echo(f"{item['name']}: {'; '.join(changes) or 'tidak berubah'}")
    click.echo(f"{len(results)} dataset dipindai")
    if failed:
        raise SystemExit(1)


quality.add_command(check_links)
