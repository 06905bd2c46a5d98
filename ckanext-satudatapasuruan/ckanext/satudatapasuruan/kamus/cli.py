"""``ckan satudata-kamus``: load the kamus from a CSV file."""
from __future__ import annotations

import csv
from pathlib import Path

import ckan.plugins.toolkit as tk
import click

__all__ = ["kamus"]

COLUMNS = ("kode", "konsep", "definisi", "klasifikasi", "ukuran", "satuan", "dasar_hukum")


@click.group(name="satudata-kamus", short_help="Kamus data terpadu (Satu Data)")
def kamus():
    pass


@kamus.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", default="", help="Catatan riwayat untuk setiap entri yang ditulis.")
def import_csv(path: Path, note: str):
    """Load entries from a UTF-8 CSV with the columns kode, konsep, definisi, klasifikasi, ukuran, satuan and
    (optional) dasar_hukum: all or nothing, as satudata_kamus_import."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS[:-1] if c not in (reader.fieldnames or [])]
        if missing:
            raise click.ClickException(f"kolom tidak ada: {', '.join(missing)}")
        rows = [{c: (row.get(c) or "").strip() for c in COLUMNS} for row in reader]
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    try:
        done = tk.get_action("satudata_kamus_import")({"user": site["name"]}, {"entries": rows, "note": note})
    except tk.ValidationError as err:
        for message in err.error_dict.get("entries", []) or [str(err.error_dict)]:
            click.echo(message, err=True)
        raise SystemExit(1) from err
    click.echo(f"{len(done['created'])} dibuat, {len(done['updated'])} diubah, {len(done['unchanged'])} tetap")
