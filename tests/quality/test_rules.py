"""Each quality rule on a good and a bad dataset dict (pure: no database, no request)."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.satudatapasuruan.quality import rules
from ckanext.satudatapasuruan.quality.scan import evaluate

from ..metadata.conftest import complete_dataset

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
    assert sorted(rules.RULES) == [f"MQ-{i:03d}" for i in range(1, 11)]
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
