from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories

PLUGINS = "satudata_pgsearch satudata_metadata scheming_datasets scheming_organizations"


def complete_dataset(org_id: str, **overrides: Any) -> dict[str, Any]:
    """A dataset with every SDI field filled validly (completeness 100 %)."""
    data = {
        "name": "jumlah-penduduk-kecamatan-2024",
        "title": "Jumlah Penduduk Menurut Kecamatan 2024",
        "notes": "Jumlah penduduk menurut kecamatan dan jenis kelamin.",
        "owner_org": org_id,
        "urusan": "2.12",
        "tag_string": "penduduk,kependudukan",
        "konsep": "Penduduk",
        "definisi": "Orang yang berdomisili di wilayah Indonesia selama satu tahun atau lebih.",
        "klasifikasi": "Menurut kecamatan dan jenis kelamin",
        "ukuran": "Jumlah",
        "satuan": "jiwa",
        "kode_standar_data": "SP00055.00.00",
        "frekuensi": "tahunan",
        "tahun": "2024",
        "tingkat_wilayah": "kecamatan",
        "kode_wilayah": ["35.14.14", "35.14.11"],
        "klasifikasi_akses": "terbuka",
        "data_prioritas": "ya",
        "dasar_hukum_prioritas": "Keputusan Bupati Pasuruan tentang Daftar Data Prioritas 2024",
        "sumber_data": "Dinas Kependudukan dan Pencatatan Sipil",
        "cara_pengumpulan": "kompilasi_administrasi",
        "kontak_nama": "Siti Aminah",
        "kontak_email": "data@dispendukcapil.pasuruankab.go.id",
        "variabel": [
            {"alias": "kode_kecamatan", "nama": "Kecamatan", "tipe_data": "kode_wilayah", "definisi": "Kode kecamatan",
             "wajib": "ya", "kunci": "ya"},
            {"alias": "jumlah_penduduk", "nama": "Jumlah penduduk", "tipe_data": "bilangan_bulat", "satuan": "jiwa",
             "definisi": "Jumlah penduduk", "nilai_min": "0", "wajib": "ya", "kunci": "tidak"},
        ],
        "indikator": [
            {"nama": "Kepadatan penduduk", "dibangun_dari": "jumlah_penduduk", "satuan": "jiwa", "komposit": "ya"},
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def opd():
    return factories.Organization(name="dispendukcapil", title="Dinas Kependudukan dan Pencatatan Sipil")
