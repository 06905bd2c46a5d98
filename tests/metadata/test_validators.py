"""Each value validator of the SDI schemas, good and bad input side by side."""
from __future__ import annotations

import json

import pytest
from ckan.lib.navl.dictization_functions import missing
from ckan.plugins import toolkit as tk

from ckanext.satudatapasuruan.metadata.logic import validators as v

INSIDE = {"type": "Point", "coordinates": [112.9, -7.65]}


@pytest.mark.parametrize("validator,good,expected", [
    (v.satudata_split_codes, "35.14.14, 35.14.11", ["35.14.14", "35.14.11"]),
    (v.satudata_split_codes, '["35.14.14"]', ["35.14.14"]),
    (v.satudata_split_codes, ["35.14.14", " "], ["35.14.14"]),
    (v.satudata_yes_no, "YA", "ya"),
    (v.satudata_yes_no, "0", "tidak"),
    (v.satudata_email, "data@dinkes.pasuruankab.go.id", "data@dinkes.pasuruankab.go.id"),
    (v.satudata_year, " 2024 ", "2024"),
    (v.satudata_number, "12,5", "12.5"),
    (v.satudata_number, "-3", "-3"),
    (v.satudata_kode_standar_data, "sp00055.00.00", "SP00055.00.00"),
    (v.satudata_geojson, json.dumps(INSIDE), json.dumps(INSIDE, separators=(",", ":"))),
    (v.satudata_epsg, "4326", "EPSG:4326"),
    (v.satudata_epsg, "epsg: 32749", "EPSG:32749"),
    (v.satudata_infographic_format, "png", "png"),
])
def test_good_values_pass_normalised(validator, good, expected):
    """A valid value passes, normalised to its stored form."""
    assert validator(good) == expected


@pytest.mark.parametrize("validator,bad,message", [
    (v.satudata_split_codes, "[not json", "Daftar kode"),
    (v.satudata_split_codes, 35, "daftar kode"),
    (v.satudata_yes_no, "mungkin", "ya atau tidak"),
    (v.satudata_email, "data@", "surel"),
    (v.satudata_email, "a b@c.id", "surel"),
    (v.satudata_year, "dua ribu", "Tahun harus"),
    (v.satudata_year, "1800", "rentang"),
    (v.satudata_number, "1.2.3", "angka"),
    (v.satudata_number, "nan", "angka"),
    (v.satudata_kode_standar_data, "SP00055", "XX99999.99.99"),
    (v.satudata_geojson, "{", "GeoJSON"),
    (v.satudata_geojson, json.dumps({"type": "Feature"}), "geometri"),
    (v.satudata_geojson, json.dumps({"type": "Point", "coordinates": [106.8, -6.2]}), "di luar"),
    (v.satudata_geojson, json.dumps({"type": "Point", "coordinates": [112.9]}), "bujur dan lintang"),
    (v.satudata_epsg, "WGS84", "EPSG"),
    (v.satudata_infographic_format, "XLSX", "gambar"),
])
def test_bad_values_are_refused_in_indonesian(validator, bad, message):
    """An invalid value is refused with an Indonesian message saying what is wrong."""
    with pytest.raises(tk.Invalid) as err:
        validator(bad)
    assert message in str(err.value.error)


@pytest.mark.parametrize("validator", [v.satudata_email, v.satudata_year, v.satudata_number,
                                       v.satudata_kode_standar_data, v.satudata_geojson, v.satudata_epsg])
def test_empty_values_are_left_to_required(validator):
    """Emptiness is the `required` rule's business, not each validator's."""
    assert validator("") == ""
    assert validator(missing) is missing


class TestFlattenedValidators:
    def test_period_end(self):
        """The end of a period may not come before its start."""
        errors = {("periode_akhir",): []}
        v.satudata_period_end(("periode_akhir",), {("periode_awal",): "2024-06-01",
                                                   ("periode_akhir",): "2024-01-31"}, errors, {})
        assert errors[("periode_akhir",)]
        errors = {("periode_akhir",): []}
        v.satudata_period_end(("periode_akhir",), {("periode_awal",): "2024-01-01",
                                                   ("periode_akhir",): "2024-12-31"}, errors, {})
        assert errors[("periode_akhir",)] == []

    def test_required_if(self):
        """A field becomes required when another holds the given value."""
        check = v.satudata_required_if("data_prioritas", "ya")
        errors = {("dasar_hukum_prioritas",): []}
        check(("dasar_hukum_prioritas",), {("data_prioritas",): "ya", ("dasar_hukum_prioritas",): ""}, errors, {})
        assert errors[("dasar_hukum_prioritas",)] == ["Wajib diisi"]
        errors = {("dasar_hukum_prioritas",): []}
        check(("dasar_hukum_prioritas",), {("data_prioritas",): "tidak", ("dasar_hukum_prioritas",): ""}, errors, {})
        assert errors[("dasar_hukum_prioritas",)] == []

    def test_default_licence_follows_the_access_class(self):
        """Open data defaults to CC-BY, restricted and confidential data to a closed licence."""
        for access, licence in (("terbuka", "cc-by"), ("terbatas", "other-closed"), ("rahasia", "other-closed")):
            data = {("klasifikasi_akses",): access, ("license_id",): ""}
            v.satudata_default_licence(("license_id",), data, {("license_id",): []}, {})
            assert data[("license_id",)] == licence
        data = {("klasifikasi_akses",): "rahasia", ("license_id",): "cc-by"}
        v.satudata_default_licence(("license_id",), data, {("license_id",): []}, {})
        assert data[("license_id",)] == "cc-by"  # a chosen licence is kept

    def test_alias_must_be_unique_and_well_formed(self):
        """A variable alias is a lowercase identifier used once per dataset."""
        data = {("variabel", 0, "alias"): "jumlah", ("variabel", 1, "alias"): "jumlah",
                ("variabel", 2, "alias"): "Jumlah Penduduk"}
        errors = {k: [] for k in data}
        for key in data:
            v.satudata_alias(key, data, errors, {})
        assert errors[("variabel", 0, "alias")] == []
        assert "sudah dipakai" in errors[("variabel", 1, "alias")][0]
        assert "huruf kecil" in errors[("variabel", 2, "alias")][0]

    def test_indicator_sources(self):
        """An indicator is built from the dataset's variables or its other indicators."""
        data = {("variabel", 0, "alias"): "jumlah", ("indikator", 0, "nama"): "Rasio",
                ("indikator", 1, "nama"): "Indeks", ("indikator", 1, "dibangun_dari"): "jumlah,Rasio",
                ("indikator", 0, "dibangun_dari"): "Rasio"}
        errors = {k: [] for k in data}
        v.satudata_indicator_sources(("indikator", 1, "dibangun_dari"), data, errors, {})
        assert errors[("indikator", 1, "dibangun_dari")] == []
        assert data[("indikator", 1, "dibangun_dari")] == "jumlah, Rasio"
        v.satudata_indicator_sources(("indikator", 0, "dibangun_dari"), data, errors, {})
        assert "Rasio" in errors[("indikator", 0, "dibangun_dari")][0]  # not from itself
