"""DCAT-AP 3.0.1 SHACL validation of the portal's RDF, offline (``ckan satudata-dcat validate``, tests).

The official shapes are not part of the project: pass the folder that holds them (``shapes.ttl``,
``range.ttl``, ``mdr-vocabularies.shape.ttl``, ``shapes_recommended.ttl``). EU vocabularies cannot be fetched
from our machines, so *strict* mode adds ``data/eu-vocabularies.ttl``: the EU concepts the profile emits, typed
as the vocabulary shapes expect. *Raw* mode validates without it (every vocabulary check fails there by
construction; the count is reported, not asserted).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

__all__ = ["MANDATORY_SHAPES", "RECOMMENDED_SHAPES", "Report", "validate", "vocabulary_graph"]

MANDATORY_SHAPES = ("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")
RECOMMENDED_SHAPES = ("shapes_recommended.ttl",)


@dataclass
class Report:
    violations: int = 0
    warnings: int = 0
    infos: int = 0
    # (severity, property path, constraint component) -> count
    details: Counter = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)


def vocabulary_graph() -> Graph:
    graph = Graph()
    text = (resources.files(__package__) / "data" / "eu-vocabularies.ttl").read_text(encoding="utf-8")
    return graph.parse(data=text, format="turtle")


def _shapes(folder: Path, names: tuple[str, ...]) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(folder / name, format="turtle")
    return graph


def validate(data: Graph, shapes_dir: Path | str, strict: bool = True, recommended: bool = True) -> Report:
    """Validate ``data`` against the DCAT-AP shapes in ``shapes_dir``; recommended properties as warnings."""
    from pyshacl import validate as shacl_validate  # heavy import, only where validation runs

    folder = Path(shapes_dir)
    names = MANDATORY_SHAPES + (RECOMMENDED_SHAPES if recommended else ())
    graph = Graph()
    for triple in data:
        graph.add(triple)
    if strict:
        graph += vocabulary_graph()
    _, results, _ = shacl_validate(graph, shacl_graph=_shapes(folder, names), inference="none",
                                   abort_on_first=False, allow_warnings=True, meta_shacl=False, advanced=True)
    report = Report()
    # Top-level results only: pyshacl attaches the failures inside sh:node/sh:or shapes as sh:detail, with
    # the inner shape's (default) severity; the result's own severity is that of the property shape.
    for result in results.objects(None, SH.result):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        message = str(results.value(result, SH.resultMessage) or "")
        focus = results.value(result, SH.focusNode)
        if severity == SH.Violation:
            report.violations += 1
            report.messages.append(f"{focus} {path}: {message}")
        elif severity == SH.Warning:
            report.warnings += 1
        else:
            report.infos += 1
        component = str(results.value(result, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1]
        key = (str(severity).rsplit("#", 1)[-1], str(path), component.removesuffix("ConstraintComponent"))
        report.details[key] += 1
    return report
