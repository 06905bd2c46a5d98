"""A small published catalogue: every dataset type and access class the DCAT outputs must handle."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ..metadata.conftest import complete_dataset
from ..workflow.conftest import PLUGINS as WORKFLOW_PLUGINS
from ..workflow.conftest import Portal, clean_db, portal  # noqa: F401  (shared fixtures)

PLUGINS = WORKFLOW_PLUGINS + " dcat satudata_dcat dcat_json_interface"
# ../shared/dcat-ap beside the checkout (the official shapes are not part of the project).
SHAPES = Path(__file__).resolve().parents[3] / "shared" / "dcat-ap" / "3.0.1"
EXTENT = {"type": "Polygon",
          "coordinates": [[[112.7, -7.7], [112.9, -7.7], [112.9, -7.6], [112.7, -7.6], [112.7, -7.7]]]}


def geospasial(org_id: str, **overrides: Any) -> dict[str, Any]:
    data = dict(type="geospasial", name="jaringan-irigasi-2024", title="Jaringan Irigasi 2024", owner_org=org_id,
                notes="Jaringan irigasi kewenangan kabupaten.", urusan="1.03", tema_ig="Irigasi", tahun="2024",
                crs="EPSG:4326", skala="1:25.000", tipe_geometri="vektor_garis", klasifikasi_akses="terbuka",
                sumber_data="Dinas PU Sumber Daya Air", kontak_nama="Bidang Irigasi", kontak_email="irigasi@pu.test",
                tag_string="irigasi", spatial=json.dumps(EXTENT),
                resources=[{"name": "WMS jaringan irigasi", "url": "http://peta.test/wms?service=WMS", "format": "WMS"},
                           {"name": "Unduhan GeoJSON", "url": "http://peta.test/irigasi.geojson", "format": "GeoJSON"}])
    data.update(overrides)
    return data


@pytest.fixture
def catalogue(portal: Portal, create_with_upload) -> dict[str, dict[str, Any]]:  # noqa: F811
    """Published: a terbuka statistik dataset by kecamatan, a terbatas one for the whole regency (uploaded file),
    a geospasial layer. Not exported: a rahasia dataset (published) and a terbuka draft."""
    made: dict[str, dict[str, Any]] = {}

    def add(key: str, data: dict[str, Any], publish: bool = True, upload: bool = False) -> None:
        ds = portal.call("package_create", "operator", **data)
        if upload:
            create_with_upload("kode,jumlah\n35.14.01,10\n", "data.csv", package_id=ds["id"], url="data.csv",
                               name="Tabel unggahan", format="CSV", context=portal.ctx("operator"))
        if publish:
            portal.publish(ds["id"])
        made[key] = portal.call("package_show", "sysadmin", id=ds["id"])

    opd = portal.opd["id"]
    add("terbuka", complete_dataset(opd, resources=[
        {"name": "Tabel", "url": "http://data.test/penduduk.csv", "format": "CSV", "description": "Tabel utama"},
        {"name": "Lampiran", "url": "http://data.test/catatan.odt", "format": "ODT"}]))
    add("terbatas", complete_dataset(opd, name="kepesertaan-kb-2024", title="Kepesertaan KB 2024",
                                     klasifikasi_akses="terbatas", tingkat_wilayah="kabupaten", kode_wilayah=[],
                                     urusan="2.14", frekuensi="triwulanan", periode_awal="2024-01-01",
                                     periode_akhir="2024-03-31", license_id="other-closed"), upload=True)
    add("geospasial", geospasial(opd))
    add("rahasia", complete_dataset(opd, name="data-rahasia-2024", title="Data Rahasia 2024",
                                    klasifikasi_akses="rahasia"), upload=True)
    add("draft", complete_dataset(opd, name="data-draf-2024", title="Data Draf 2024"), publish=False)
    return made
