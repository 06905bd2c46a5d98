"""``ckan satudata-pages``: seed the portal's default Tentang, Kontak and Panduan pages."""
from __future__ import annotations

import click

from . import seed

__all__ = ["pages"]


@click.group(name="satudata-pages", short_help="Halaman Tentang, Kontak dan Panduan (Satu Data)")
def pages():
    pass


@pages.command("init")
@click.option("--draft", is_flag=True, help="Create the missing pages unpublished (for the walidata to review).")
def init(draft: bool):
    """Create the default pages that are missing (Bahasa Indonesia).

    Idempotent: a page that exists (by its slug) is never changed, so the walidata's edits stay."""
    for slug, created in seed.seed(published=not draft):
        click.echo(f"{slug}: {'dibuat' if created else 'sudah ada'}")
