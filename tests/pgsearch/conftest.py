from __future__ import annotations

import pytest
from ckan.tests import factories

# name: (title, notes, tags, organisation, formats, private)
CATALOGUE = {
    "contoh-penduduk": ("Jumlah Penduduk Menurut Kecamatan 2024", "Penduduk menurut jenis kelamin.",
                        ["kependudukan", "penduduk"], "dukcapil", ["CSV"], False),
    "contoh-kemiskinan": ("Angka Kemiskinan Kabupaten Pasuruan", "Persentase penduduk miskin per tahun.",
                          ["kemiskinan", "sosial"], "dinsos", ["XLSX", "CSV"], False),
    "contoh-perumahan": ("Data Perumahan Rakyat", "Jumlah unit tidak layak huni per desa.",
                         ["perumahan"], "perkim", ["JSON"], False),
    "contoh-padi": ("Produksi Padi dan Jagung", "Produksi tanaman pangan menurut kecamatan.",
                    ["pertanian"], "pertanian", ["CSV"], False),
    "contoh-faskes": ("Fasilitas Kesehatan", "Daftar puskesmas dan rumah sakit.",
                      ["kesehatan"], "dinkes", ["GeoJSON"], False),
    "contoh-rahasia": ("Data Rahasia Pasien", "Rekam medis pasien rahasiasekali.",
                       ["kesehatan", "rahasiasekali"], "dinkes", ["CSV"], True),
    "contoh-kafe": ("Daftar Kafé dan Restoran", "Usaha kuliner di Prigen.",
                    ["pariwisata"], "pariwisata", [], False),
    "contoh-school": ("School Statistics", "Number of schools by district.",
                      ["pendidikan"], "dispendik", ["PDF"], False),
}
PUBLIC = {n for n, v in CATALOGUE.items() if not v[5]}


@pytest.fixture(scope="module")
def catalogue(reset_db, reset_index):
    """A small realistic catalogue, created once per module through the real actions."""
    reset_db()
    reset_index()
    orgs = {}
    datasets = {}
    owner = factories.User(name="operator-dinkes")
    for name, (title, notes, tags, org, formats, private) in CATALOGUE.items():
        if org not in orgs:
            users = [{"name": owner["name"], "capacity": "editor"}] if org == "dinkes" else []
            orgs[org] = factories.Organization(name=org, title=org.title(), users=users)
        datasets[name] = factories.Dataset(
            name=name, title=title, notes=notes, owner_org=orgs[org]["id"], private=private,
            tags=[{"name": t} for t in tags],
            resources=[{"url": f"http://contoh.id/{name}.{f.lower()}", "format": f} for f in formats],
        )
    yield {"orgs": orgs, "datasets": datasets, "owner": owner}
    reset_index()
