"""Index fields the metadata plugin derives from a dataset dict."""
from __future__ import annotations

from ckanext.satudatapasuruan.metadata.index import index_fields


def test_kecamatan_of_each_area_code_once():
    """A kecamatan's own code and its desa count for that kecamatan, once; the regency's code for none."""
    out = index_fields({"kode_wilayah": ["35.14", "35.14.14", "35.14.14.1001", "35.14.11.2003", "35.14.11"]})
    assert out["kode_kecamatan"] == ["35.14.11", "35.14.14"]
    assert "kode_kecamatan" not in index_fields({"kode_wilayah": ["35.14"]})
    assert index_fields({"kode_wilayah": "35.14.05.2001"})["kode_kecamatan"] == ["35.14.05"]


def test_web_entry_from_the_datastore_dump_url():
    """A dataset with a resource whose data the portal's DataStore serves (the entry plugin's upload or row form)
    is marked entered through the web; a link elsewhere, or a path that only looks alike, is not."""
    dump = "http://portal.test/datastore/dump/8c7e…"
    assert index_fields({"res_url": ["https://opd.test/data.csv", dump]})["entri_web"] == "ya"
    assert index_fields({"res_url": dump})["entri_web"] == "ya"
    assert "entri_web" not in index_fields({"res_url": ["https://opd.test/datastore/export.csv"]})
    assert "entri_web" not in index_fields({})


def test_year_facets_for_the_monev_trend():
    """The creation year (UTC, as indexed) with the OPD, type and capacity; with the completeness when scored."""
    pkg = {"metadata_created": "2025-12-31T23:59:59.5Z", "organization": "dinkes", "dataset_type": "dataset",
           "capacity": "public", "kelengkapan_metadata": 85}
    out = index_fields(pkg)
    assert out["katalog_tahun"] == "2025|dinkes|dataset|public"
    assert out["kelengkapan_tahun"] == "2025|dinkes|85"
    unscored = index_fields({**pkg, "kelengkapan_metadata": None, "organization": None})
    assert unscored["katalog_tahun"] == "2025||dataset|public" and "kelengkapan_tahun" not in unscored
    assert "katalog_tahun" not in index_fields({})
