"""The sync-health pages in Bahasa Indonesia, inside CKAN's page layout; refusals and unknown sources."""
from __future__ import annotations

import pytest

from .conftest import PLUGINS, finished_run

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


@pytest.fixture
def sources(portal):
    failing = portal.source("simpeg", title="SIMPEG BKPSDM", frequency="DAILY")
    ok = portal.source("sik-dinkes", title="SIK Dinas Kesehatan", org=portal.other_opd)
    finished_run(failing["id"], added=4)
    for _ in range(3):
        finished_run(failing["id"], gather_errors=("Sumber tidak menjawab: koneksi ditolak",))
    finished_run(failing["id"], unchanged=2, record_errors=(("pegawai-17", "Import", "Kolom 'nip' tidak ada"),
                                                             ("pegawai-18", "Import", "Kolom 'nip' tidak ada")))
    finished_run(ok["id"], added=3, updated=1)
    portal.tick()
    return failing, ok


def test_overview(app, portal, sources):
    """The walidata's overview lists every source with its status badge, counts, failures and next run."""
    page = app.get("/harvest/kesehatan", headers=portal.headers("walidata")).body
    assert "<h1>Kesehatan panen</h1>" in page and 'class="masthead' in page  # CKAN's page layout around it
    assert "SIMPEG BKPSDM" in page and "SIK Dinas Kesehatan" in page
    assert "Gagal berturut-turut" in page and "Jadwal berikutnya" in page and "Harian, pukul 00:00" in page
    assert "Sebagian gagal" in page and "Berhasil" in page and "WIB" in page
    assert 'href="/harvest/simpeg/kesehatan"' in page


def test_overview_of_an_opd(app, portal, sources):
    page = app.get("/harvest/kesehatan", headers=portal.headers("operator_lain")).body
    assert "SIK Dinas Kesehatan" in page and "SIMPEG BKPSDM" not in page


def test_source_page(app, portal, sources):
    """A source's page shows its last run, the failing records by guid, and the recent runs."""
    page = app.get("/harvest/simpeg/kesehatan", headers=portal.headers("verifikator")).body
    assert "Kesehatan panen: SIMPEG BKPSDM" in page and "Galat per rekaman" in page
    assert "pegawai-17" in page and "pegawai-18" in page and "Kolom &#39;nip&#39; tidak ada" in page
    assert "Riwayat proses" in page and page.count('class="badge bg-danger"') == 3  # the three failed runs
    assert "tidak berubah 2, galat 2." in page


def test_tab_on_the_source_page(app, portal, sources):
    """ckanext-harvest's source page links to the health page for those who may see it."""
    assert 'href="/harvest/simpeg/kesehatan"' in app.get("/harvest/simpeg", headers=portal.headers("operator")).body
    assert "/harvest/simpeg/kesehatan" not in app.get("/harvest/simpeg", headers=portal.headers("warga")).body


def test_refusals_and_unknown(app, portal, sources):
    """Another OPD gets a 403 page, anonymous visitors the login page, an unknown source a 404 page in
    Indonesian, never a 500."""
    refused = app.get("/harvest/simpeg/kesehatan", headers=portal.headers("operator_lain"), status=403).body
    assert "Hanya walidata dan OPD pemilik sumber" in refused
    login = app.get("/harvest/simpeg/kesehatan", status=None, follow_redirects=False)
    assert login.status_code == 302 and "/user/login" in login.headers["Location"]
    assert app.get("/harvest/kesehatan", headers=portal.headers("warga"), status=403)
    missing = app.get("/harvest/tidak-ada/kesehatan", headers=portal.headers("walidata"), status=404).body
    assert "Sumber panen tidak ditemukan: tidak-ada" in missing
