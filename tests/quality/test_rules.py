"""Each quality rule on a good and a bad dataset dict (pure: no database, no request)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from ckanext.satudatapasuruan.quality import rules
from ckanext.satudatapasuruan.quality.scan import evaluate

from ..metadata.conftest import complete_dataset
from .conftest import PLUGINS, ticket_of

NOW = dt.datetime(2026, 3, 1, 12, 0)


def good(**overrides):
    data = complete_dataset("org-id", periode_awal="2024-01-01", periode_akhir="2024-12-31",
                            metadata_modified="2026-02-01T08:00:00.123456")
    data.update(overrides)
    return data


def check(code: str, pkg) -> list[str]:
    return [rules.finding_text(f.as_dict(), lambda s: s) for f in rules.RULES[code].check(pkg, NOW)]


def test_registry_codes_severities_and_messages():
    """Every rule has a unique MQ code, a severity of the enum and an Indonesian title and remedy."""
    # MQ-011 (links) lives in its own module and registers when that is imported.
    assert {f"MQ-{i:03d}" for i in (*range(1, 11), 12, 13)} <= set(rules.RULES)
    assert {r.severity for r in rules.RULES.values()} == set(rules.Severity)
    assert rules.RULES["MQ-001"].severity is rules.Severity.KRITIS
    assert all(r.title and r.remedy for r in rules.RULES.values())


def test_complete_dataset_passes_every_rule():
    """The suites' complete SDI dataset breaks no rule."""
    results, failed = evaluate(good(), NOW)
    assert failed == [] and {c: f for c, f in results.items() if f} == {}


def test_duplicate_code_refused():
    with pytest.raises(ValueError):
        rules.rule("MQ-001", rules.Severity.SEDANG, "x", "y")(lambda pkg, now: [])


class TestMandatory:
    def test_good(self):
        assert check("MQ-001", good()) == []

    def test_missing_wajib_and_required_fields(self):
        """An empty konsep (completeness wajib), title (required) and a variable without definisi are named."""
        variables = [{"alias": "a", "nama": "A", "tipe_data": "teks"}]
        found = check("MQ-001", good(konsep=" ", title="", variabel=variables))
        assert len(found) == 3 and "\u201cJudul data\u201d" in found[0] and "\u201cKonsep\u201d" in found[1]
        assert "Variabel" in found[2]

    def test_english_label(self):
        finding = rules.RULES["MQ-001"].check(good(konsep=""), NOW)[0].as_dict()
        assert "Concept" in rules.finding_text(finding, lambda s: s, "en")


class TestVocabularies:
    def test_good(self):
        assert check("MQ-002", good()) == check("MQ-003", good()) == check("MQ-004", good()) == []

    def test_unknown_urusan(self):
        assert "9.99" in check("MQ-002", good(urusan="9.99"))[0]

    def test_unknown_frekuensi(self):
        assert "\u201cperiodik\u201d" in check("MQ-003", good(frekuensi="periodik"))[0]

    def test_unknown_satuan_of_dataset_variable_and_indicator(self):
        pkg = good(satuan="biji")
        pkg["variabel"][1]["satuan"] = "ekor2"
        pkg["indikator"][0]["satuan"] = "butir"
        found = check("MQ-004", pkg)
        assert len(found) == 3 and "ekor2" in found[1] and "jumlah_penduduk" in found[1] and "butir" in found[2]


class TestKodeWilayah:
    def test_good(self):
        assert check("MQ-005", good()) == check("MQ-005", good(kode_wilayah='["35.14"]')) == []

    def test_other_regency_and_garbage(self):
        """Kota Pasuruan (35.75) and a made-up kecamatan are not Kabupaten Pasuruan's codes."""
        found = check("MQ-005", good(kode_wilayah=["35.75.01", "35.14.99", "35.14.14"]))
        assert len(found) == 1 and "35.75.01, 35.14.99" in found[0]


class TestUnit:
    def test_good(self):
        assert check("MQ-006", good()) == []

    def test_numeric_variable_without_satuan(self):
        """A decimal variable without a unit is a measure without a unit; a text variable needs none."""
        variables = [{"alias": "luas", "nama": "Luas lahan", "tipe_data": "desimal"},
                     {"alias": "nama", "nama": "Nama", "tipe_data": "teks"}]
        found = check("MQ-006", good(variabel=variables))
        assert len(found) == 1 and "Luas lahan" in found[0]


class TestPeriod:
    def test_good(self):
        assert check("MQ-007", good()) == check("MQ-007", good(periode_awal="", periode_akhir="")) == []

    def test_start_after_end(self):
        found = check("MQ-007", good(periode_awal="2024-06-01", periode_akhir="2024-01-31"))
        assert len(found) == 1 and "2024-06-01" in found[0]

    def test_year_outside_period(self):
        found = check("MQ-007", good(tahun="2023"))
        assert len(found) == 1 and "2023" in found[0]


class TestFreshness:
    def test_good(self):
        assert check("MQ-008", good()) == []
        assert check("MQ-008", good(frekuensi="sewaktu_waktu", metadata_modified="2010-01-01T00:00:00")) == []

    def test_annual_older_than_13_months(self):
        assert check("MQ-008", good(metadata_modified="2025-02-01T00:00:00")) == []  # 13 months to the day
        found = check("MQ-008", good(metadata_modified="2025-01-20T00:00:00"))
        assert len(found) == 1 and "405 hari" in found[0]

    def test_monthly_older_than_45_days(self):
        assert check("MQ-008", good(frekuensi="bulanan", metadata_modified="2026-01-16T12:00:00")) == []
        assert check("MQ-008", good(frekuensi="bulanan", metadata_modified="2026-01-14T12:00:00"))


class TestIndicatorSources:
    def test_good(self):
        assert check("MQ-009", good()) == []

    def test_unknown_alias(self):
        pkg = good(indikator=[{"nama": "Rasio", "dibangun_dari": "jumlah_penduduk, luas_wilayah"}])
        found = check("MQ-009", pkg)
        assert len(found) == 1 and "luas_wilayah" in found[0] and "jumlah_penduduk" not in found[0]


def polygon(*corners):
    """A closed GeoJSON polygon (JSON text, as the form and the harvesters store it) through ``corners``."""
    ring = [list(c) for c in corners] + [list(corners[0])]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


# Extent of the geo harvester fixtures' irrigation layer (tests/harvesters/geo/servers.py).
IRIGASI = polygon((112.78, -7.76), (113.02, -7.76), (113.02, -7.62), (112.78, -7.62))


class TestSpatialExtent:
    def test_good(self):
        """No spatial field, a polygon in the regency (as text or dict), a point on Bromo's slope and one just
        past the eastern border (within the tolerance) pass."""
        assert check("MQ-012", good()) == check("MQ-012", good(spatial="")) == []
        assert check("MQ-012", good(spatial=IRIGASI)) == check("MQ-012", good(spatial=json.loads(IRIGASI))) == []
        assert check("MQ-012", good(spatial={"type": "Point", "coordinates": [112.95, -7.93]})) == []
        assert check("MQ-012", good(spatial={"type": "Point", "coordinates": [113.105, -7.70, 12.0]})) == []
        assert rules.RULES["MQ-012"].severity is rules.Severity.TINGGI

    def test_outside(self):
        """A polygon reaching Surabaya, or a point in Malang, is outside the regency: the finding counts the
        outside positions and names the first and the regency's extent."""
        found = check("MQ-012", good(spatial=polygon((112.70, -7.65), (112.85, -7.65), (112.85, -7.25),
                                                     (112.70, -7.25))))
        assert found == ["Cakupan spasial memuat 2 titik di luar wilayah Kabupaten Pasuruan (bujur 112.5653\u2013"
                         "113.0936, lintang -7.9556\u2013-7.5428), mis. bujur 112.85, lintang -7.25: perbaiki "
                         "geometrinya dan pastikan koordinatnya EPSG:4326 (derajat desimal)."]
        found = check("MQ-012", good(spatial={"type": "MultiPoint", "coordinates": [[112.78, -7.6], [112.63, -7.98]]}))
        assert len(found) == 1 and "1 titik" in found[0] and "lintang -7.98" in found[0]

    def test_projected_coordinates_outside(self):
        """UTM metres are no degrees: outside, with the reminder to use EPSG:4326."""
        found = check("MQ-012", good(spatial={"type": "Point", "coordinates": [700000, 9150000]}))
        assert len(found) == 1 and "EPSG:4326" in found[0]

    def test_swapped(self):
        """[lintang, bujur] instead of [bujur, lintang] is named as swapped."""
        found = check("MQ-012", good(spatial={"type": "Point", "coordinates": [-7.6, 112.78]}))
        assert found == ["Koordinat cakupan spasial berada di luar Kabupaten Pasuruan; tampaknya lintang dan bujur "
                         "tertukar (mis. [-7.6, 112.78]): GeoJSON menulis [bujur, lintang], mis. [112.78, -7.60], "
                         "tukar urutannya."]
        swapped = polygon((-7.76, 112.78), (-7.76, 113.02), (-7.62, 113.02), (-7.62, 112.78))
        assert "tertukar" in check("MQ-012", good(spatial=swapped))[0]

    @pytest.mark.parametrize("value, expected", [
        ("{type: Point}", "bukan GeoJSON yang valid (teksnya bukan JSON)"),
        (json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [112.78, -7.6]}}),
         "berjenis \u201cFeature\u201d, bukan geometri GeoJSON"),
        ("[112.78, -7.6]", "berjenis \u201clist\u201d"),
        (json.dumps({"type": "Point", "coordinates": ["112.78", "-7.6"]}), "(GeoJSON Point) tidak valid"),
        (json.dumps({"type": "Polygon", "coordinates": [[112.78, -7.6], [112.8, -7.6]]}),
         "(GeoJSON Polygon) tidak valid"),
        (json.dumps({"type": "LineString", "coordinates": []}), "(GeoJSON LineString) tidak valid"),
        (json.dumps({"type": "Polygon", "coordinates": [[[112.7, -7.6], [112.8, -7.6], [112.8, -7.7], [112.7, -7.7]]]}),
         "cincin poligon sedikitnya 4 titik"),
    ], ids=["not-json", "feature", "bare-array", "text-numbers", "shallow", "empty", "open-ring"])
    def test_invalid_geojson(self, value, expected):
        """A value ckanext-spatial cannot index is a finding saying what a valid geometry looks like."""
        found = check("MQ-012", good(spatial=value))
        assert len(found) == 1 and expected in found[0]

    def test_spatial_extra(self):
        """A dataset carrying ``spatial`` as a plain extra (no scheming field) is checked too."""
        pkg = good(extras=[{"key": "spatial", "value": json.dumps({"type": "Point", "coordinates": [110.4, -7.0]})}])
        assert "di luar wilayah" in check("MQ-012", pkg)[0]


YEAR_VARIABLE = {"alias": "tahun", "nama": "Tahun", "tipe_data": "tahun", "definisi": "Tahun data", "wajib": "ya",
                 "kunci": "ya"}


def with_year(**overrides):
    data = complete_dataset("org-id", **overrides)
    data["variabel"] = [data["variabel"][0], YEAR_VARIABLE, data["variabel"][1]]
    return data


class TestPeriodMatchesDataWithoutTables:
    def test_no_year_variable_or_no_table(self):
        """Without a year variable, or without a DataStore table, nothing is read and the rule passes."""
        table = [{"id": "res-1", "name": "Data", "datastore_active": True}]
        assert check("MQ-013", good(resources=table)) == []
        assert check("MQ-013", with_year(resources=[{"id": "res-1", "name": "Data", "url": "http://x/a.csv"}])) == []
        assert rules.RULES["MQ-013"].severity is rules.Severity.TINGGI

    def test_year_column(self):
        """MS-Var type ``tahun`` marks the year column; alias ``tahun`` does too, whatever its type."""
        assert rules.year_column(with_year()) == "tahun"
        typed = [{"alias": "th", "nama": "Tahun", "tipe_data": "tahun"}, {"alias": "tahun", "tipe_data": "teks"}]
        assert rules.year_column({"variabel": typed}) == "th"
        assert rules.year_column({"variabel": [{"alias": "tahun", "tipe_data": "teks"}]}) == "tahun"
        assert rules.year_column(good()) is None

    @pytest.mark.ckan_config("ckan.plugins", PLUGINS.replace(" datastore", ""))
    @pytest.mark.usefixtures("with_plugins")
    def test_passes_without_the_datastore_plugin(self):
        """Without the DataStore plugin there is no table to compare with: no finding."""
        pkg = with_year(resources=[{"id": "res-1", "name": "Data", "datastore_active": True}])
        assert check("MQ-013", pkg) == []


FIELDS = [{"id": "kode_kecamatan", "type": "text"}, {"id": "tahun", "type": "int4"},
          {"id": "jumlah_penduduk", "type": "int8"}]


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False)
@pytest.mark.usefixtures("with_plugins", "clean_datastore", "with_request_context")
class TestPeriodMatchesData:
    """MQ-013 against real DataStore tables, read with datastore_search as the site user."""

    def table(self, portal, dataset, years, fields=FIELDS, name="Data penduduk"):
        records = [{"kode_kecamatan": "35.14.14", "tahun": y, "jumlah_penduduk": 1000 + i}
                   for i, y in enumerate(years)]
        if "tahun" not in [f["id"] for f in fields]:
            records = [{k: v for k, v in r.items() if k != "tahun"} for r in records]
        portal.call("datastore_create", "sysadmin", resource={"package_id": dataset["id"], "name": name},
                    fields=fields, records=records, force=True)
        return portal.call("package_show", "sysadmin", id=dataset["id"])

    def findings(self, pkg):
        """A fresh scan (a new ``now``) of the dataset's current dict."""
        return [rules.finding_text(f.as_dict(), lambda s: s)
                for f in rules.RULES["MQ-013"].check(pkg, dt.datetime.utcnow())]

    def test_years_inside(self, portal):
        """A table holding only the metadata year passes; so does one within a multi-year period."""
        pkg = self.table(portal, portal.dataset(variabel=with_year()["variabel"]), [2024, 2024])
        assert self.findings(pkg) == []
        multi = portal.dataset(name="penduduk-2020-2024", variabel=with_year()["variabel"],
                               periode_awal="2020-01-01", periode_akhir="2024-12-31")
        assert self.findings(self.table(portal, multi, [2020, 2022, 2024])) == []

    def test_years_outside_open_a_ticket_and_fixing_the_period_closes_it(self, portal):
        """Years before the metadata year are named per table; the walidata's scan opens a tinggi ticket and
        widening the period closes it."""
        ds = portal.dataset(variabel=with_year()["variabel"])
        pkg = self.table(portal, ds, [2022, 2023, 2024, None])
        assert self.findings(pkg) == ["Data pada tabel Data penduduk memuat tahun 2022, 2023 di luar periode metadata "
                                      "2024; perbaiki periode atau datanya."]
        portal.call("satudata_quality_scan", "walidata", id=ds["id"])
        ticket = ticket_of(portal, ds["id"], "MQ-013")
        assert ticket["status"] == "terbuka" and ticket["severity"] == "tinggi"
        portal.call("package_patch", "operator", id=ds["id"], periode_awal="2022-01-01")
        assert ticket_of(portal, ds["id"], "MQ-013")["status"] == "selesai"

    def test_year_after_the_period_and_text_years(self, portal):
        """A text column aliased ``tahun`` holding dates counts by their year; a year after the period is named."""
        variables = [dict(YEAR_VARIABLE, tipe_data="teks"), with_year()["variabel"][2]]
        ds = portal.dataset(variabel=variables, periode_awal="2024-01-01", periode_akhir="2024-06-30")
        pkg = self.table(portal, ds, ["2024-03-31", "2025-01-31"],
                         fields=[{"id": "kode_kecamatan", "type": "text"}, {"id": "tahun", "type": "text"},
                                 {"id": "jumlah_penduduk", "type": "int8"}])
        assert self.findings(pkg) == ["Data pada tabel Data penduduk memuat tahun 2025 di luar periode metadata 2024; "
                                      "perbaiki periode atau datanya."]

    def test_no_table_or_no_year_column(self, portal):
        """A resource without a DataStore table, or a table without the declared year column, passes."""
        ds = portal.dataset(variabel=with_year()["variabel"])
        portal.call("resource_create", "sysadmin", package_id=ds["id"], name="Unduhan", url="http://opd.test/a.csv")
        assert self.findings(portal.call("package_show", "sysadmin", id=ds["id"])) == []
        pkg = self.table(portal, ds, [2019], fields=[f for f in FIELDS if f["id"] != "tahun"])
        assert [r.get("datastore_active") for r in pkg["resources"]] == [False, True]
        assert self.findings(pkg) == []

    def test_one_read_per_table_per_scan(self, portal):
        """Within one scan (one ``now``) a table is read once; the next scan reads it afresh."""
        pkg = self.table(portal, portal.dataset(variabel=with_year()["variabel"]), [2024])
        res_id = pkg["resources"][0]["id"]
        now = dt.datetime.utcnow()
        assert rules.datastore_years(res_id, "tahun", now) == (2024,)
        portal.call("datastore_upsert", "sysadmin", resource_id=res_id, method="insert", force=True,
                    records=[{"kode_kecamatan": "35.14.11", "tahun": 2021, "jumlah_penduduk": 5}])
        assert rules.datastore_years(res_id, "tahun", now) == (2024,)
        assert rules.datastore_years(res_id, "tahun", now + dt.timedelta(seconds=1)) == (2021, 2024)


def geospasial(**overrides):
    """A complete ``geospasial`` dataset dict: every required and wajib field of schemas/geospasial.yaml."""
    data = {"id": "geo-id", "type": "geospasial", "name": "jaringan-irigasi", "title": "Jaringan Irigasi",
            "owner_org": "org-id", "notes": "Jaringan irigasi kewenangan kabupaten.", "urusan": "1.03",
            "tema_ig": "Irigasi", "spatial": IRIGASI, "crs": "EPSG:4326", "skala": "1:25.000", "tahun": "2024",
            "klasifikasi_akses": "terbuka", "sumber_data": "Dinas PUPR", "kontak_nama": "Bidang SDA",
            "kontak_email": "sda@pupr.pasuruankab.go.id", "frekuensi": "bulanan",
            "metadata_modified": "2020-01-01T00:00:00", "resources": []}
    data.update(overrides)
    return data


class TestDatasetTypes:
    """A rule checks the dataset types whose schema it reads: the geospatial layers get the rules on the fields
    they share with the SDI schema (their own mandatory fields, urusan, links, coordinates), not the statistical
    ones (units, MS-Var, frequency, DataStore years)."""

    def test_rules_per_type(self):
        from ckanext.satudatapasuruan.quality import links  # noqa: F401 - registers MQ-011
        geo = {code for code, r in rules.RULES.items() if r.applies_to("geospasial")}
        assert geo == {"MQ-001", "MQ-002", "MQ-011", "MQ-012"}
        assert all(r.applies_to("dataset") for r in rules.RULES.values())
        assert not any(r.applies_to("infografis") for r in rules.RULES.values())

    def test_complete_layer_passes(self):
        """A complete layer passes, though its (stray) frequency is far past: MQ-008 reads the SDI schema only."""
        results, failed = evaluate(geospasial(), NOW)
        assert failed == [] and {c: f for c, f in results.items() if f} == {}
        assert rules.RULES["MQ-008"].check(geospasial(), NOW)  # the same dict would fail it as a `dataset`

    def test_layer_outside_the_regency_and_incomplete(self):
        """A layer reaching Surabaya is MQ-012; its missing scale and contact are MQ-001, with the geospatial
        schema's labels (a field the SDI schema does not have)."""
        outside = polygon((112.70, -7.65), (112.85, -7.65), (112.85, -7.25), (112.70, -7.25))
        results, _failed = evaluate(geospasial(spatial=outside, skala="", kontak_nama=" ", urusan="9.99"), NOW)
        found = {code: [rules.finding_text(f.as_dict(), lambda s: s) for f in fs] for code, fs in results.items() if fs}
        assert set(found) == {"MQ-001", "MQ-002", "MQ-012"}
        assert len(found["MQ-001"]) == 2 and "\u201cSkala atau resolusi\u201d" in found["MQ-001"][0]
        assert "\u201cNama kontak\u201d" in found["MQ-001"][1]
        assert "2 titik di luar wilayah" in found["MQ-012"][0]
