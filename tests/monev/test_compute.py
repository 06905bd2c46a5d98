"""The per-year catalogue figures drawn from the per-year facets of one catalogue search (pure)."""
from __future__ import annotations

from ckanext.satudatapasuruan.monev import compute, figures


def answer(**facets):
    return {"count": 9, "search_facets": {name: {"items": [{"name": k, "count": v} for k, v in items.items()]}
                                          for name, items in facets.items()}}


FOUND = answer(
    katalog_tahun={"2024|dinkes|dataset|public": 2, "2025|dinkes|geospasial|public": 1,
                   "2025|bappeda|dataset|private": 3, "2026|dinkes|dataset|public": 3},
    kelengkapan_tahun={"2025|dinkes|90": 1, "2025|bappeda|40": 2, "2025|bappeda|100": 1, "2026|dinkes|85": 3},
)


def test_catalogue_as_of_a_past_year():
    """31 December 2025: the datasets created by then (2024 and 2025), counted by capacity, type and OPD."""
    catalogue, _created = compute._of_year(FOUND, 2025)
    assert catalogue["count"] == 6
    assert figures.facet(catalogue, "capacity") == {"public": 3, "private": 3}
    assert figures.facet(catalogue, "dataset_type") == {"dataset": 5, "geospasial": 1}
    assert figures.facet(catalogue, "organization") == {"dinkes": 3, "bappeda": 3}
    assert figures.datasets_available(catalogue).value == 6
    assert figures.geospatial(catalogue).value == round(100 / 6, 2)


def test_datasets_created_in_the_year():
    """2025's new datasets: 4 of them, with the completeness facet of that year only (80 complete: 2 of 4)."""
    _catalogue, created = compute._of_year(FOUND, 2025)
    assert created["count"] == 4
    assert figures.facet(created, "kelengkapan_opd") == {"dinkes|90": 1, "bappeda|40": 2, "bappeda|100": 1}
    assert figures.new_metadata_complete(created, 80).value == 50.0
    assert compute._of_year(FOUND, 2023)[0]["count"] == 0 and compute._of_year(None, 2025) == (None, None)
