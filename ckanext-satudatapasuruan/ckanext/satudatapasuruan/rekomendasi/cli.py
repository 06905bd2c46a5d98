"""``ckan satudata-rekomendasi``: the KPI and checking a file against the register from the command line."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import click

__all__ = ["rekomendasi"]


@click.group(name="satudata-rekomendasi", short_help="Rekomendasi statistik dan dokumen terverifikasi (Satu Data)")
def rekomendasi():
    pass


@rekomendasi.command("kpi")
@click.option("--year", type=int, help="Only this year.")
def kpi(year: int | None):
    """Print the KPI (recommendations issued with a verification QR code) as JSON."""
    data = {"year": year} if year else {}
    click.echo(json.dumps(tk.get_action("satudata_rekomendasi_kpi")({"ignore_auth": True}, data), indent=2))


@rekomendasi.command("verify")
@click.argument("code")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def verify(code: str, path: str):
    """Check the PDF at PATH against the registered document CODE (exit 1 unless it is authentic and valid)."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        result = tk.get_action("satudata_document_verify")({"ignore_auth": True}, {"code": code, "data": data})
    except tk.ObjectNotFound as err:
        raise click.ClickException(str(err.message or err)) from err
    except tk.ValidationError as err:
        raise click.ClickException(" ".join(str(m) for v in err.error_dict.values() for m in v)) from err
    click.echo(f"{result['result']}: {result['message']}")
    if result["result"] != "asli":
        raise SystemExit(1)
