"""The SDI dataset types through the action API: fields, reference codes, errors keyed by field."""
from __future__ import annotations

import json

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from .conftest import PLUGINS, complete_dataset

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def create(**data):
    return helpers.call_action("package_create", **data)


def errors_of(**data) -> dict:
    with pytest.raises(tk.ValidationError) as err:
        create(**data)
    return err.value.error_dict


class TestDatasetType:
    def test_complete_dataset_round_trips(self, opd):
        """Every SDI field is stored and shown back, codes as codes."""
        pkg = create(**complete_dataset(opd["id"]))
        shown = helpers.call_action("package_show", id=pkg["name"])
        assert shown["urusan"] == "2.12"
        assert shown["kode_wilayah"] == ["35.14.11", "35.14.14"] or shown["kode_wilayah"] == ["35.14.14", "35.14.11"]
        assert shown["variabel"][1]["alias"] == "jumlah_penduduk"
        assert shown["indikator"][0]["dibangun_dari"] == "jumlah_penduduk"
        # 36 of 37 weighted points: only the recommended MS-Keg link (weight 1) is missing.
        assert shown["kelengkapan_metadata"] == "97"
        assert shown["license_id"] == "cc-by"

    def test_required_fields_are_keyed_errors(self, opd):
        """Missing required SDI fields come back as errors keyed by field name."""
        errors = errors_of(name="kosong", title="Kosong", owner_org=opd["id"])
        for field in ("notes", "urusan", "frekuensi", "tahun"):
            assert field in errors, field

    @pytest.mark.parametrize("field,value", [
        ("urusan", "9.99"),
        ("satuan", "furlong"),
        ("frekuensi", "kadang-kadang"),
        ("klasifikasi_akses", "publik"),
    ])
    def test_codes_outside_reference_lists_are_rejected(self, opd, field, value):
        """A code that is not in its reference list is refused."""
        assert field in errors_of(**complete_dataset(opd["id"], **{field: value}))

    def test_area_codes_must_match_the_coverage_level(self, opd):
        """Kecamatan coverage takes kecamatan codes of Kabupaten Pasuruan only."""
        errors = errors_of(**complete_dataset(opd["id"], kode_wilayah=["35.14.14.1001"]))
        assert "kode_wilayah" in errors
        assert "kode_wilayah" in errors_of(**complete_dataset(opd["id"], kode_wilayah=["35.75.01"]))
        assert "kode_wilayah" in errors_of(**complete_dataset(opd["id"], kode_wilayah=[]))

    def test_regency_coverage_stores_the_regency_code(self, opd):
        """Kabupaten coverage needs no area and is stored as 35.14."""
        pkg = create(**complete_dataset(opd["id"], tingkat_wilayah="kabupaten", kode_wilayah=""))
        assert pkg["kode_wilayah"] == ["35.14"]

    def test_area_codes_accept_a_comma_separated_string(self, opd):
        """The API accepts codes as 'a,b' as well as a list."""
        pkg = create(**complete_dataset(opd["id"], kode_wilayah="35.14.14, 35.14.11"))
        assert sorted(pkg["kode_wilayah"]) == ["35.14.11", "35.14.14"]

    def test_priority_needs_its_legal_basis(self, opd):
        """Data prioritas without dasar hukum is refused; without the flag it is not needed."""
        assert "dasar_hukum_prioritas" in errors_of(**complete_dataset(opd["id"], dasar_hukum_prioritas=""))
        pkg = create(**complete_dataset(opd["id"], data_prioritas="tidak", dasar_hukum_prioritas=""))
        assert pkg["data_prioritas"] == "tidak"

    def test_period_end_before_start_is_refused(self, opd):
        """A period that ends before it starts is an error on periode_akhir."""
        errors = errors_of(**complete_dataset(opd["id"], periode_awal="2024-06-01", periode_akhir="2024-01-01"))
        assert "periode_akhir" in errors

    def test_restricted_data_defaults_to_a_closed_licence(self, opd):
        """Without a chosen licence, terbuka gets CC-BY and rahasia a closed licence."""
        pkg = create(**complete_dataset(opd["id"], klasifikasi_akses="rahasia", license_id=""))
        assert pkg["license_id"] == "other-closed"

    def test_duplicate_variable_alias_is_refused(self, opd):
        """Two variables with one alias would make two columns with one name."""
        data = complete_dataset(opd["id"])
        data["variabel"][1]["alias"] = "kode_kecamatan"
        errors = errors_of(**data)
        assert "variabel" in errors
        assert "alias" in json.dumps(errors)

    def test_bad_alias_is_refused(self, opd):
        """A variable alias must be a lowercase identifier."""
        data = complete_dataset(opd["id"])
        data["variabel"][0]["alias"] = "Kode Kecamatan"
        assert "variabel" in errors_of(**data)

    def test_indicator_must_be_built_from_known_names(self, opd):
        """An indicator naming an unknown variable is refused."""
        data = complete_dataset(opd["id"])
        data["indikator"][0]["dibangun_dari"] = "jumlah_penduduk, luas_wilayah"
        assert "indikator" in errors_of(**data)

    def test_linked_activity_must_exist(self, opd):
        """kegiatan_statistik names an existing MS-Keg record."""
        assert "kegiatan_statistik" in errors_of(**complete_dataset(opd["id"], kegiatan_statistik="tidak-ada"))
        keg = create(type="kegiatan-statistik", name="registrasi-penduduk-2024", title="Registrasi Penduduk 2024",
                     owner_org=opd["id"], tahun="2024", cara_pengumpulan="kompilasi_administrasi", urusan="2.12",
                     jenis_kegiatan="sektoral", penyelenggara_instansi="Dispendukcapil", pj_unit_eselon="Bidang Data",
                     pj_teknis_nama="Budi", latar_belakang="Kebutuhan data.", tujuan="Menyediakan data penduduk.")
        pkg = create(**complete_dataset(opd["id"], kegiatan_statistik=keg["name"]))
        assert pkg["kegiatan_statistik"] == "registrasi-penduduk-2024"

    @pytest.mark.parametrize("code,ok", [
        ("SP00055.00.00", True), ("sp00055.00.00", True), ("SE12345.01.02", True),
        ("XX00055.00.00", False), ("SP0055.00.00", False), ("SP00055.0.00", False), ("SP00055.00", False),
    ])
    def test_standard_data_code(self, opd, code, ok):
        """Kode standar data follows XX99999.99.99 with a known group."""
        data = complete_dataset(opd["id"], kode_standar_data=code)
        if ok:
            assert create(**data)["kode_standar_data"] == code.upper()
        else:
            assert "kode_standar_data" in errors_of(**data)

    def test_errors_are_in_indonesian(self, opd):
        """Validation messages reach API users in Indonesian (the default locale)."""
        errors = errors_of(**complete_dataset(opd["id"], kode_standar_data="salah"))
        assert "Kode standar data harus" in errors["kode_standar_data"][0]


class TestActivityType:
    BASE = dict(type="kegiatan-statistik", title="Survei Sosial Ekonomi Daerah", tahun="2024", urusan="1.06",
                jenis_kegiatan="sektoral", penyelenggara_instansi="Dinas Sosial", pj_unit_eselon="Bidang",
                pj_teknis_nama="Ani", latar_belakang="Latar.", tujuan="Tujuan.")

    def test_sample_design_required_for_surveys_only(self, opd):
        """Block V is required when the activity is a survey and not otherwise."""
        errors = errors_of(name="susesda", owner_org=opd["id"], cara_pengumpulan="survei", **self.BASE)
        assert {"jenis_rancangan_sampel", "metode_pemilihan_sampel", "ukuran_sampel"} <= set(errors)
        pkg = create(name="kompilasi", owner_org=opd["id"], cara_pengumpulan="kompilasi_administrasi", **self.BASE)
        assert pkg["type"] == "kegiatan-statistik"
        pkg = create(name="susesda", owner_org=opd["id"], cara_pengumpulan="survei", jenis_rancangan_sampel="Dua tahap",
                     metode_pemilihan_sampel="PPS", ukuran_sampel="1200", **self.BASE)
        assert pkg["ukuran_sampel"] == "1200"


class TestGeospatialType:
    def test_extent_must_be_inside_the_regency(self, opd):
        """A GeoJSON extent outside Kabupaten Pasuruan's box is refused; one inside is stored."""
        base = dict(type="geospasial", name="jaringan-irigasi", title="Jaringan Irigasi", owner_org=opd["id"],
                    notes="Jaringan irigasi.", urusan="1.03", tema_ig="Irigasi", tahun="2024", crs="4326",
                    klasifikasi_akses="terbuka")
        outside = {"type": "Point", "coordinates": [106.8, -6.2]}
        assert "spatial" in errors_of(spatial=json.dumps(outside), **base)
        assert "spatial" in errors_of(spatial="{not json", **base)
        inside = {"type": "Polygon", "coordinates": [[[112.7, -7.7], [112.9, -7.7], [112.9, -7.6], [112.7, -7.7]]]}
        pkg = create(spatial=json.dumps(inside), **base)
        assert pkg["crs"] == "EPSG:4326"


class TestOrganizationSchema:
    def test_opd_fields(self):
        """An OPD carries its abbreviation, type and walidata pendukung."""
        admin = factories.Sysadmin()
        org = helpers.call_action("organization_create", {"user": admin["name"]}, name="dinkes",
                                  title="Dinas Kesehatan", singkatan="Dinkes",
                                  jenis_opd="dinas", walidata_pendukung="Rina",
                                  walidata_pendukung_email="rina@dinkes.pasuruankab.go.id")
        assert org["singkatan"] == "Dinkes"
        with pytest.raises(tk.ValidationError) as err:
            helpers.call_action("organization_create", {"user": admin["name"]}, name="x", title="X",
                                jenis_opd="kementerian")
        assert "jenis_opd" in err.value.error_dict


class TestRahasiaStaysPrivate:
    def test_rahasia_dataset_is_private_whatever_the_request_says(self, opd):
        """A rahasia dataset is stored private, on create and on update, and anonymous users never see it."""
        pkg = create(**complete_dataset(opd["id"], klasifikasi_akses="rahasia", private=False))
        assert pkg["private"] is True
        pkg = helpers.call_action("package_patch", id=pkg["id"], private=False, notes="Diperbarui.")
        assert pkg["private"] is True
        anonymous = {"user": "", "ignore_auth": False}
        assert helpers.call_action("package_search", anonymous, q="*:*")["count"] == 0
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("package_show", anonymous, id=pkg["name"])

    def test_open_dataset_keeps_its_visibility(self, opd):
        """Terbuka data follows the requested visibility."""
        pkg = create(**complete_dataset(opd["id"], klasifikasi_akses="terbuka", private=False))
        assert pkg["private"] is False

    def test_geospatial_rahasia_is_private(self, opd):
        """The geospatial type keeps the same guarantee."""
        inside = {"type": "Point", "coordinates": [112.9, -7.65]}
        pkg = create(type="geospasial", name="titik-rahasia", title="Titik Rahasia", owner_org=opd["id"],
                     notes="Lokasi.", urusan="1.05", tema_ig="Keamanan", tahun="2024",
                     klasifikasi_akses="rahasia", private=False, spatial=json.dumps(inside))
        assert pkg["private"] is True
