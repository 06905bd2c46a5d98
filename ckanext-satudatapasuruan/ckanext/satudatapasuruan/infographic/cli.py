"""``ckan satudata-infographic``: seed the official templates, give older infographics their short links."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import click
import sqlalchemy as sa
from ckan import model

from . import records
from .links import INFOGRAFIS

__all__ = ["infographic"]


@click.group(name="satudata-infographic", short_help="Infografis ber-QR (Satu Data)")
def infographic():
    pass


@infographic.command("init-templates")
@click.option("--approve", is_flag=True, help="Approve the seeded templates as the site user (demo portals).")
def init_templates(approve: bool):
    """Create the two official templates (portrait "Media sosial", landscape A4 "Cetak") when missing.

    Idempotent: templates already there keep their design (the walidata may have changed them)."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": site["name"]}
    for design in records.DEFAULT_TEMPLATES:
        found = records.get_template(design["name"])
        if found is None:
            found = tk.get_action("satudata_infographic_template_create")(dict(context), dict(design))
            click.echo(f"{design['name']}: dibuat")
        else:
            click.echo(f"{design['name']}: sudah ada")
        if approve and not found["approved"]:
            tk.get_action("satudata_infographic_template_approve")(dict(context), {"id": found["id"]})
            click.echo(f"{design['name']}: disetujui")


@infographic.command("links")
def backfill_links():
    """Give every infographic made before the plugin was enabled its short link (existing codes stay)."""
    ids = model.Session.execute(sa.select(model.Package.id).where(
        model.Package.type == INFOGRAFIS, model.Package.state != "deleted")).scalars().all()
    made = 0
    for package_id in ids:
        if records.link_of(package_id) is None:
            records.ensure_link(package_id)
            made += 1
    model.repo.commit()
    click.echo(f"{made} tautan baru, {len(ids) - made} sudah ada")
