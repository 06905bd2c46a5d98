"""Fixtures of the rekomendasi suite: the actors (two OPDs' operators and verifikator, a plain OPD member, the
walidata, the BPS pembina, the geospatial pembina, a citizen, a sysadmin) and their MS-Keg records, made once per
test folder; clean rekomendasi tables and a fresh storage folder per test; PDFs, uploads and a QR reader.

CKAN's plugins, its web application and the actors are set up once for the folder (the pages suite's pattern):
the tests write only this plugin's tables, which ``clean_db`` empties before each test, so the folder stays fast.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import ckan.plugins as p
import pytest
from ckan import model
from ckan.common import config
from ckan.config.middleware import make_app
from ckan.tests import factories
from ckan.tests import helpers as ckan_helpers
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pyzbar import pyzbar
from reportlab.pdfgen import canvas
from werkzeug.datastructures import FileStorage

from ckanext.satudatapasuruan.rekomendasi import records

from ..workflow.conftest import Portal

PLUGINS = ("satudata_pgsearch satudata_metadata satudata_workflow scheming_datasets scheming_organizations activity "
           "satudata_rekomendasi")

MS_KEG = dict(type="kegiatan-statistik", tahun="2026", cara_pengumpulan="survei", urusan="2.12",
              jenis_kegiatan="sektoral", penyelenggara_instansi="Dispendukcapil", pj_unit_eselon="Bidang Data",
              pj_teknis_nama="Budi", latar_belakang="Kebutuhan data kependudukan.",
              tujuan="Menyediakan data penduduk per desa.", jenis_rancangan_sampel="Dua tahap",
              metode_pemilihan_sampel="PPS", ukuran_sampel="1200")


@pytest.fixture(scope="package")
def plugins_loaded():
    """The suite's plugins, loaded once per test folder (CKAN's with_plugins reloads them for every test)."""
    config["ckan.plugins"] = PLUGINS.split()
    p.load_all()
    config["testing"] = True
    flask_app = make_app(config)
    yield config.copy(), flask_app
    p.unload_all()


@pytest.fixture(autouse=True)
def module_config(plugins_loaded):
    """CKAN's test setup puts back the session's configuration before each test: add the plugins' again
    (``ckan_config`` marks still apply on top)."""
    config.update(plugins_loaded[0])


@pytest.fixture(scope="package")
def portal(plugins_loaded, migrate_db_for) -> Portal:
    """A clean CKAN database with the actors and MS-Keg records, once per test folder."""
    factories.fake.unique.clear()
    ckan_helpers.reset_db()
    migrate_db_for("activity")
    migrate_db_for("satudata_rekomendasi")
    users = {name: factories.UserWithToken(name=name, fullname=name.replace("_", " ").title(),
                                           email=f"{name}@pasuruankab.test")
             for name in ("operator", "verifikator", "anggota", "operator_lain", "walidata", "pembina", "pembina_geo",
                          "warga")}
    users["sysadmin"] = factories.SysadminWithToken(name="sysadmin")
    opd = factories.Organization(name="dispendukcapil", title="Dinas Kependudukan dan Pencatatan Sipil",
                                 users=[{"name": "operator", "capacity": "editor"},
                                        {"name": "verifikator", "capacity": "admin"},
                                        {"name": "anggota", "capacity": "member"}])
    other = factories.Organization(name="dinas-kesehatan", title="Dinas Kesehatan",
                                   users=[{"name": "operator_lain", "capacity": "editor"}])
    factories.Organization(name="walidata", title="Walidata (Diskominfo)",
                           users=[{"name": "walidata", "capacity": "editor"}])
    factories.Organization(name="bps-kabupaten-pasuruan", title="BPS Kabupaten Pasuruan",
                           users=[{"name": "pembina", "capacity": "member"}])
    factories.Organization(name="pembina-geospasial", title="Pembina Data Geospasial",
                           users=[{"name": "pembina_geo", "capacity": "member"}])
    portal = Portal(opd=opd, other_opd=other, users=users)
    portal.kegiatan = {
        "keg": portal.call("package_create", "operator", name="survei-penduduk-2026", owner_org=opd["id"],
                           title="Survei Penduduk Desa 2026", **MS_KEG),
        "keg2": portal.call("package_create", "operator", name="survei-migrasi-2026", owner_org=opd["id"],
                            title="Survei Migrasi 2026", **MS_KEG),
        "lain": portal.call("package_create", "operator_lain", name="survei-gizi-2026", owner_org=other["id"],
                            title="Survei Status Gizi 2026", **dict(MS_KEG, penyelenggara_instansi="Dinkes")),
    }
    portal.dataset_biasa = portal.dataset(name="bukan-ms-keg")
    return portal


@pytest.fixture
def app(plugins_loaded, ckan_config):
    """A fresh test client (no cookies, so no flash message of an earlier test) on the folder's app."""
    return ckan_helpers.CKANTestApp(plugins_loaded[1])


@pytest.fixture
def clean_db(portal):
    """Empty rekomendasi tables (they live in their own schema); the folder's actors stay."""
    model.Session.rollback()
    for table in records.TABLES:
        model.Session.execute(table.delete())
    model.Session.commit()


@pytest.fixture
def storage(tmp_path, ckan_config, monkeypatch) -> Path:
    """A fresh ckan.storage_path per test."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    return tmp_path


def stored(storage: Path, kind: str = "lampiran") -> list[Path]:
    folder = storage / "satudata_rekomendasi" / kind
    return sorted(f for f in folder.glob("*") if f.is_file()) if folder.exists() else []


def pdf_bytes(text: str = "Surat permohonan rekomendasi", pages: int = 1) -> bytes:
    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=(595, 842))
    for number in range(pages):
        page.drawString(72, 760, f"{text} - halaman {number + 1}")
        page.showPage()
    page.save()
    return buf.getvalue()


PDF = pdf_bytes()


def upload(data: bytes = PDF, filename: str = "dokumen.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type="application/pdf")


def headers(portal: Portal, who: str) -> dict[str, str]:
    return {"Authorization": portal.users[who]["token"]}


def new_application(portal: Portal, who: str = "operator", keg: str = "keg", documents: tuple[str, ...] = (),
                    **data: Any) -> dict[str, Any]:
    created = portal.call("satudata_rekomendasi_create", who, package_id=portal.kegiatan[keg]["id"], **data)
    for kind in documents:
        portal.call("satudata_rekomendasi_document_add", who, id=created["id"], kind=kind,
                    upload=upload(pdf_bytes(f"Dokumen {kind}"), f"{kind}.pdf"))
    return portal.call("satudata_rekomendasi_show", who, id=created["id"])


REQUIRED = ("surat_permohonan", "kuesioner", "kak")


def submitted(portal: Portal, keg: str = "keg") -> dict[str, Any]:
    """An application of the OPD with its required documents, submitted for review in the portal."""
    created = new_application(portal, keg=keg, documents=REQUIRED)
    return portal.call("satudata_rekomendasi_submit", "operator", id=created["id"])


def tampered(data: bytes) -> bytes:
    """The same PDF saved again with one field of its information dictionary changed."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": "Diubah"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def qr_codes(data: bytes, page: int = -1, dpi: int = 200) -> list[str]:
    """The QR codes on a page of a PDF, drawn with Ghostscript and read with zbar, as a phone would."""
    gs = shutil.which("gs")
    if gs is None:
        pytest.skip("Ghostscript (gs) is not installed")
    number = len(PdfReader(io.BytesIO(data)).pages) if page == -1 else page + 1
    png = subprocess.run([gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", f"-r{dpi}",
                          f"-dFirstPage={number}", f"-dLastPage={number}", "-sOutputFile=-", "-"],
                         input=data, capture_output=True, check=True, timeout=60).stdout
    return [d.data.decode() for d in pyzbar.decode(Image.open(io.BytesIO(png)))]


def page_text(data: bytes, page: int = -1) -> str:
    return PdfReader(io.BytesIO(data)).pages[page].extract_text()


__all__ = ["PLUGINS", "PDF", "REQUIRED", "pdf_bytes", "upload", "headers", "new_application", "submitted",
           "tampered", "qr_codes", "page_text", "stored"]
