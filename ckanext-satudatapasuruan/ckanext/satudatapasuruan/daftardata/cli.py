"""``ckan satudata-daftardata``: load the daftar data from an XLSX/CSV file, write the import template."""
from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk
import click
from werkzeug.datastructures import FileStorage

from . import importer

__all__ = ["daftardata"]


@click.group(name="satudata-daftardata", short_help="Daftar data dan aplikasi OPD (Satu Data)")
def daftardata():
    pass


@daftardata.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Periksa saja, jangan simpan.")
def import_file(path: Path, dry_run: bool):
    """Load entries from an XLSX or CSV file (the columns of the template), all or nothing, as the site
    user (as satudata_daftardata_import)."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    with path.open("rb") as handle:
        try:
            done = tk.get_action("satudata_daftardata_import")(
                {"user": site["name"]}, {"upload": FileStorage(stream=handle, filename=path.name),
                                         "dry_run": dry_run})
        except tk.ValidationError as err:
            for message in err.error_dict.get("upload", []) or [str(err.error_dict)]:
                click.echo(message, err=True)
            raise SystemExit(1) from err
    click.echo(f"{done['checked']} baris diperiksa, {done['created']} entri dibuat")


@daftardata.command("template")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def template(path: Path):
    """Write the XLSX import template to PATH."""
    path.write_bytes(importer.template_xlsx())
    click.echo(str(path))
