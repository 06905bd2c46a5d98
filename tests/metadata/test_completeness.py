"""Metadata completeness score: hand-computed fixtures, configuration weights, index and aggregation."""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.satudatapasuruan.metadata import completeness
from ckanext.satudatapasuruan.metadata import config as mconfig

from .conftest import PLUGINS, complete_dataset

FIELDS = [
    {"field_name": "notes", "completeness": "wajib"},
    {"field_name": "satuan", "completeness": "wajib"},
    {"field_name": "kode_standar_data", "completeness": "anjuran"},
    {"field_name": "variabel", "completeness": "wajib", "completeness_subfields": ["nama", "definisi"]},
    {"field_name": "title"},
]


class TestScore:
    def test_hand_computed(self):
        """notes (3) + variabel (3) of 3+3+1+3 = 10 points is 60 %."""
        data = {"notes": "Ada", "satuan": " ", "variabel": [{"nama": "a", "definisi": "b"}]}
        result = completeness.score(FIELDS, data, by_class={"wajib": 3, "anjuran": 1}, by_field={})
        assert result.percent == 60
        assert [f["field_name"] for f in result.missing] == ["satuan", "kode_standar_data"]

    def test_repeating_field_needs_its_subfields_in_every_entry(self):
        """One variable without a definition leaves the whole variabel field incomplete."""
        data = {"variabel": [{"nama": "a", "definisi": "b"}, {"nama": "c", "definisi": ""}]}
        result = completeness.score(FIELDS, data, by_class={"wajib": 1, "anjuran": 1}, by_field={})
        assert "variabel" in [f["field_name"] for f in result.missing]

    def test_invalid_fields_count_as_missing(self):
        """A filled field with a validation error does not earn its weight."""
        data = {"notes": "x", "satuan": "jiwa", "kode_standar_data": "salah",
                "variabel": [{"nama": "a", "definisi": "b"}]}
        result = completeness.score(FIELDS, data, by_class={"wajib": 3, "anjuran": 1}, by_field={},
                                    invalid={"kode_standar_data"})
        assert result.percent == 90

    def test_field_weights_override_and_zero_removes(self):
        """Per-field weights override the class weights; 0 leaves a field out."""
        data = {"notes": "x"}
        result = completeness.score(FIELDS, data, by_class={"wajib": 1, "anjuran": 1},
                                    by_field={"satuan": 0, "kode_standar_data": 0, "variabel": 0})
        assert result.percent == 100

    @pytest.mark.parametrize("percent,band", [(0, "0-49"), (49, "0-49"), (50, "50-79"), (99, "80-99"), (100, "100")])
    def test_bands(self, percent, band):
        """Scores fall in the facet bands."""
        assert completeness.band(percent) == band



@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestStoredAndIndexed:
    def test_score_follows_the_data_on_update(self, opd):
        """The score is recomputed on every save."""
        pkg = helpers.call_action("package_create", **complete_dataset(opd["id"], konsep="", kode_standar_data=""))
        assert pkg["kelengkapan_metadata"] == str(100 * (36 - 3 - 1) // 37)
        pkg = helpers.call_action("package_patch", id=pkg["id"], konsep="Penduduk")
        assert pkg["kelengkapan_metadata"] == str(100 * (36 - 1) // 37)

    @pytest.mark.ckan_config(mconfig.FIELD_WEIGHTS, "kegiatan_statistik:0")
    def test_weights_come_from_configuration(self, opd):
        """With the MS-Keg link weighted 0, a dataset without it is complete."""
        pkg = helpers.call_action("package_create", **complete_dataset(opd["id"]))
        assert pkg["kelengkapan_metadata"] == "100"

    @pytest.mark.ckan_config(mconfig.FIELD_WEIGHTS, "kegiatan_statistik:0")
    def test_sortable_filterable_facetable_and_aggregated(self, opd):
        """The score sorts and filters searches, facets in bands and sums per OPD."""
        other = factories.Organization(name="dinkes")
        helpers.call_action("package_create", **complete_dataset(opd["id"]))
        helpers.call_action("package_create", **complete_dataset(opd["id"], name="kurang", konsep="", definisi=""))
        helpers.call_action("package_create", **complete_dataset(other["id"], name="dinkes-data", notes="Data.",
                                                                  kontak_nama="", kontak_email="", satuan=""))
        result = helpers.call_action("package_search", sort="kelengkapan_metadata asc",
                                     **{"facet.field": '["kelengkapan_band"]'})
        assert [d["name"] for d in result["results"]] == ["dinkes-data", "kurang", "jumlah-penduduk-kecamatan-2024"]
        bands = {i["name"]: i["count"] for i in result["search_facets"]["kelengkapan_band"]["items"]}
        assert bands == {"100": 1, "80-99": 1, "50-79": 1}
        full = helpers.call_action("package_search", fq="kelengkapan_metadata:[080 TO 100]")
        assert {d["name"] for d in full["results"]} == {"jumlah-penduduk-kecamatan-2024", "kurang"}
        rows = helpers.call_action("satudata_completeness_by_opd")
        by_org = {r["organization"]: r for r in rows}
        assert by_org["dispendukcapil"]["datasets"] == 2
        assert by_org["dispendukcapil"]["complete"] == 1
        assert by_org["dispendukcapil"]["mean_percent"] == (100 + 100 * 30 // 36) / 2
        assert by_org["dinkes"]["complete"] == 0


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins")
def test_unknown_vocabulary_is_a_keyed_error():
    """Asking for a vocabulary that does not exist names the ones that do."""
    from ckan.plugins import toolkit as tk

    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("satudata_refdata_list", vocabulary="agama")
    assert "wilayah" in err.value.error_dict["vocabulary"][0]
    kec = helpers.call_action("satudata_refdata_list", vocabulary="wilayah", level="kecamatan")
    assert len(kec) == 24
