"""``ckan satudata-dcat validate``: the live catalogue against the official DCAT-AP 3.0.1 SHACL shapes."""
from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk
import click
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from . import validation

__all__ = ["satudata_dcat"]


@click.group(name="satudata-dcat", short_help="Katalog DCAT (Satu Data)")
def satudata_dcat():
    pass


@satudata_dcat.command()
@click.option("--shapes", "shapes_dir", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder with shapes.ttl, range.ttl, mdr-vocabularies.shape.ttl, shapes_recommended.ttl")
@click.option("--raw", is_flag=True, help="Without the EU vocabulary concepts (every vocabulary check fails)")
@click.option("--pages", type=int, default=0, help="Validate only the first N pages (0: all)")
@click.pass_context
def validate(ctx: click.Context, shapes_dir: str, raw: bool, pages: int):
    """Validate every page of the public catalogue (as an anonymous user sees it); exit 1 on violations."""
    # The serializer builds page links with url_for, which needs a request context (as `ckan views` does).
    with ctx.meta["flask_app"].test_request_context():
        violations = _validate(Path(shapes_dir), raw, pages)
    raise SystemExit(1 if violations else 0)


def _validate(shapes_dir: Path, raw: bool, pages: int) -> int:
    total = validation.Report()
    page = 1
    while not pages or page <= pages:
        text = tk.get_action("dcat_catalog_show")({"user": ""}, {"page": page, "format": "turtle"})
        graph = Graph().parse(data=text, format="turtle")
        datasets = len(set(graph.subjects(RDF.type, DCAT.Dataset)))
        if page > 1 and not datasets:
            break
        report = validation.validate(graph, shapes_dir, strict=not raw)
        click.echo(f"halaman {page}: {datasets} dataset, {report.violations} pelanggaran, "
                   f"{report.warnings} peringatan")
        for message in report.messages:
            click.echo(f"  {message}")
        total.violations += report.violations
        total.warnings += report.warnings
        total.details.update(report.details)
        page += 1
    click.echo(f"jumlah: {total.violations} pelanggaran, {total.warnings} peringatan")
    for (severity, path, component), count in total.details.most_common():
        if severity == "Warning":
            click.echo(f"  {count:5d}  {path} ({component})")
    return total.violations
