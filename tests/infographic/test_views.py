"""The rendered outputs (PNG, PDF, thumbnail) and their cache, the gallery, the infographic page's panel,
the template chooser and the walidata's template page."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from ckanext.satudatapasuruan.infographic import config, records

from .conftest import PLUGINS, headers, image_bytes, make_infographic

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "storage")]

RED = (200, 40, 40)


@pytest.fixture
def live(app, portal, templates, published):
    pkg = make_infographic(portal, [published["name"]], image_bytes(colour=RED))
    portal.publish(pkg["id"])
    return pkg


def _image(response) -> Image.Image:
    return Image.open(io.BytesIO(response.get_data()))


def _cached(storage) -> list:
    return sorted(p for p in (storage / "satudata_infographic" / "cache").rglob("*") if p.is_file())


class TestOutputs:
    def test_png_in_portrait_template(self, app, live, published):
        """The web PNG has the portrait template's size, the artwork, and the QR of the short link."""
        response = app.get(f"/infografis/{live['name']}/unduh.png")
        image = _image(response).convert("RGB")
        assert image.size == (1080, 1350) and image.getpixel((540, 675)) == RED
        code = records.link_of(live["id"])["code"]
        assert [d.data.decode() for d in decode(image)] == [f"http://test.ckan.net/i/{code}"]
        assert 'filename="infografis-penduduk-2024.png"' in response.headers["Content-Disposition"]

    def test_pdf_is_a4_landscape_at_300_dpi(self, app, live):
        response = app.get(f"/infografis/{live['name']}/unduh.pdf")
        assert response.headers["Content-Type"] == "application/pdf" and response.get_data().startswith(b"%PDF")
        assert b"/MediaBox [ 0 0 841.92 595.2 ]" in response.get_data()
        assert "attachment" in response.headers["Content-Disposition"]

    @pytest.mark.skipif(not shutil.which("gs"), reason="Ghostscript is not installed")
    def test_pdf_qr_scans_after_printing(self, app, live):
        """Drawn back from the PDF at 150 dpi (a printout scanned), the QR code still reads the short link."""
        pdf = app.get(f"/infografis/{live['name']}/unduh.pdf").get_data()
        png = subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", "-r150",
                              "-sOutputFile=-", "-"], input=pdf, capture_output=True, check=True).stdout
        code = records.link_of(live["id"])["code"]
        assert [d.data.decode() for d in decode(Image.open(io.BytesIO(png)))] == [f"http://test.ckan.net/i/{code}"]

    def test_other_template_on_request_and_chosen(self, app, portal, live):
        """?templat= picks another approved template; the infographic's chosen template frames both outputs."""
        assert _image(app.get(f"/infografis/{live['name']}/unduh.png?templat=cetak")).size == (1754, 1240)
        portal.call("satudata_infographic_update", "operator", id=live["id"], template="cetak")
        assert _image(app.get(f"/infografis/{live['name']}/unduh.png")).size == (1754, 1240)

    def test_unapproved_template_refused(self, app, portal, live):
        """A template the walidata has not approved (or whose approval an edit withdrew) frames nothing."""
        portal.call("satudata_infographic_template_update", "walidata", id="cetak", footer_text="Versi baru")
        response = app.get(f"/infografis/{live['name']}/unduh.pdf", status=None)
        assert response.status_code == 409 and "Templat \u201cCetak\u201d belum disetujui walidata" in response.body
        response = app.get(f"/infografis/{live['name']}/unduh.png?templat=tidak-ada", status=None)
        assert response.status_code == 409 and "Templat infografis tidak ditemukan" in response.body

    def test_thumbnail(self, app, live):
        assert _image(app.get(f"/infografis/{live['name']}/gambar-kecil.png")).width == 480

    def test_cache_refreshes_on_edit(self, app, portal, live, storage):
        """The output is stored once and reused; an edit of the infographic renders it afresh."""
        first = app.get(f"/infografis/{live['name']}/unduh.png").get_data()
        assert len(_cached(storage)) == 1
        assert app.get(f"/infografis/{live['name']}/unduh.png").get_data() == first
        assert len(_cached(storage)) == 1
        portal.call("satudata_workflow_withdraw", "walidata", id=live["id"], note="Judul diperbaiki")
        portal.call("package_patch", "operator", id=live["id"], title="Judul yang diperbaiki")
        portal.publish(live["id"])
        second = app.get(f"/infografis/{live['name']}/unduh.png").get_data()
        assert second != first and len(_cached(storage)) == 2

    def test_pdf_artwork(self, app, portal, templates, published):
        """A PDF artwork's first page is drawn in the frame (Ghostscript); without it, a notice takes its place."""
        buf = io.BytesIO()
        Image.new("RGB", (600, 400), RED).save(buf, "PDF")
        pkg = make_infographic(portal, [published["name"]], buf.getvalue(), filename="karya.pdf")
        assert pkg["resources"][0]["format"] == "PDF"
        image = _image(app.get(f"/infografis/{pkg['name']}/unduh.png", headers=headers(portal, "operator")))
        if shutil.which("gs"):
            assert image.convert("RGB").getpixel((540, 675)) == RED

    @pytest.mark.ckan_config(config.GHOSTSCRIPT, "")
    def test_pdf_artwork_without_ghostscript(self, app, portal, templates, published):
        buf = io.BytesIO()
        Image.new("RGB", (600, 400), RED).save(buf, "PDF")
        pkg = make_infographic(portal, [published["name"]], buf.getvalue(), filename="karya.pdf")
        image = _image(app.get(f"/infografis/{pkg['name']}/unduh.png", headers=headers(portal, "operator")))
        assert image.convert("RGB").getpixel((540, 675)) != RED and image.size == (1080, 1350)

    def test_unknown_infographic_is_404(self, app, published):
        assert app.get("/infografis/tidak-ada/unduh.png", status=None).status_code == 404
        # an ordinary dataset is not an infographic
        assert app.get(f"/infografis/{published['name']}/unduh.png", status=None).status_code == 404


class TestGallery:
    @pytest.fixture
    def three(self, app, portal, templates, published):
        """Two published infographics (2023, 2024) and a draft."""
        other = portal.dataset(name="angka-kematian-bayi", title="Angka Kematian Bayi", urusan="1.02")
        portal.publish(other["id"])
        a = make_infographic(portal, [published["name"]], image_bytes(), name="infografis-2024",
                             title="Penduduk 2024")
        b = make_infographic(portal, [other["name"]], image_bytes(), name="infografis-2023", title="Bayi 2023",
                             tahun="2023", periode_awal="2023-01-01", periode_akhir="2023-12-31")
        make_infographic(portal, [published["name"]], image_bytes(), name="infografis-draf", title="Draf rahasia")
        portal.publish(a["id"])
        portal.publish(b["id"])
        return a, b

    def test_lists_published_with_thumbnails(self, app, three):
        body = app.get("/galeri-infografis").body
        assert "Penduduk 2024" in body and "Bayi 2023" in body and "Draf rahasia" not in body
        assert "/infografis/infografis-2024/gambar-kecil.png" in body and "2 infografis" in body
        assert '<label for="filter-organization">' in body

    @pytest.mark.parametrize("query, shown, hidden", [
        ("tahun=2023", "Bayi 2023", "Penduduk 2024"),
        ("sektor=1.02", "Bayi 2023", "Penduduk 2024"),
        ("sektor=2.12", "Penduduk 2024", "Bayi 2023"),
        ("organization=dispendukcapil", "Penduduk 2024", "Draf rahasia"),
    ])
    def test_filters(self, app, three, query, shown, hidden):
        """OPD, sektor (the linked datasets' urusan) and year filter the gallery."""
        body = app.get(f"/galeri-infografis?{query}").body
        assert shown in body and hidden not in body

    def test_filter_choices_come_from_visible_results(self, app, three):
        body = app.get("/galeri-infografis").body
        assert 'value="2023"' in body and 'value="1.02"' in body and "Kesehatan" in body

    def test_bad_filter_is_a_message(self, app, three):
        response = app.get('/galeri-infografis?tahun=20"24&organization=<b>&page=x', status=None)
        assert response.status_code == 200
        assert "Nilai penyaring tidak dikenal dan diabaikan" in response.body
        assert "Nomor halaman tidak sah" in response.body
        assert "Penduduk 2024" in response.body and "<b>" not in response.body.split("<main")[-1].split("</main>")[0]

    @pytest.mark.ckan_config(config.GALLERY_PAGE_SIZE, 1)
    def test_pages(self, app, three):
        first, second = app.get("/galeri-infografis").body, app.get("/galeri-infografis?page=2").body
        assert "Halaman 1 dari 2" in first and "Bayi 2023" in first and "Penduduk 2024" in second


class TestPages:
    def test_panel_and_template_chooser_for_editors(self, app, portal, live):
        """The infographic page shows the outputs and short link; its editors also choose the template."""
        code = records.link_of(live["id"])["code"]
        public = app.get(f"/infografis/{live['name']}").body
        assert f"http://test.ckan.net/i/{code}" in public and "Unduh PDF cetak" in public
        assert "Simpan templat" not in public
        page = app.get(f"/infografis/{live['name']}", headers=headers(portal, "operator")).body
        assert "Simpan templat" in page and '<label for="infografis-templat">' in page

    def test_choose_template_form(self, app, portal, live):
        response = app.post(f"/infografis/{live['name']}/templat", data={"template": "cetak"},
                            headers=headers(portal, "operator"), follow_redirects=True)
        assert "Templat infografis disimpan." in response.body
        assert records.link_of(live["id"])["template_id"] == records.get_template("cetak")["id"]
        portal.call("satudata_infographic_template_create", "walidata",
                    **dict(records.DEFAULT_TEMPLATES[0], name="baru", title="Baru"))
        response = app.post(f"/infografis/{live['name']}/templat", data={"template": "baru"},
                            headers=headers(portal, "operator"), follow_redirects=True)
        assert "belum disetujui walidata" in response.body
        response = app.post(f"/infografis/{live['name']}/templat", data={"template": "cetak"},
                            headers=headers(portal, "operator_lain"), follow_redirects=True)
        assert "Anda tidak berhak mengubah infografis ini" in response.body

    def test_walidata_approves_on_the_template_page(self, app, portal):
        made = portal.call("satudata_infographic_template_create", "walidata", **records.DEFAULT_TEMPLATES[1])
        page = app.get("/templat-infografis", headers=headers(portal, "walidata")).body
        assert "Menunggu persetujuan walidata" in page and "Setujui" in page
        assert "Cetak" not in app.get("/templat-infografis").body
        response = app.post("/templat-infografis", data={"id": made["id"]}, headers=headers(portal, "operator"),
                            follow_redirects=True)
        assert "Hanya walidata yang dapat mengelola templat infografis" in response.body
        assert records.get_template(made["id"])["approved"] is False
        response = app.post("/templat-infografis", data={"id": made["id"]}, headers=headers(portal, "walidata"),
                            follow_redirects=True)
        assert "disetujui." in response.body and records.get_template(made["id"])["approved"] is True
