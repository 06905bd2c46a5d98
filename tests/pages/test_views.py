"""The public pages (/tentang, /kontak, /panduan, /halaman/<slug>), attachment downloads and their headers,
safe Markdown, and the walidata's management pages (/halaman/kelola)."""
from __future__ import annotations

import io
import re

import pytest

from ckanext.satudatapasuruan.pages import config, records, seed

from .conftest import CSV, PDF, headers, make_page, stored_files, upload, xlsx_bytes

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("clean_db", "storage")]


def _attach(portal, page, data=PDF, name="metodologi.pdf", **extra):
    return portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"],
                       title=extra.pop("title", "Metodologi"), upload=upload(data, name), **extra)


class TestSections:
    @pytest.mark.parametrize("path, heading", [("/tentang", "Tentang"), ("/kontak", "Kontak"),
                                               ("/panduan", "Panduan")])
    def test_empty_section_says_so(self, app, path, heading):
        """A main section without content is a page saying so (200), not a 404."""
        response = app.get(path)
        assert response.status_code == 200
        assert f"<h1>{heading}</h1>" in response.body and "Bagian ini belum ada isinya" in response.body
        assert "Tulis halaman ini" not in response.body

    def test_unpublished_main_page_is_empty_for_the_public(self, app, portal):
        make_page(portal, slug="tentang", title="Tentang draf", section="tentang", published=False)
        body = app.get("/tentang").body
        assert "Bagian ini belum ada isinya" in body and "Tentang draf" not in body
        assert "Tentang draf" in app.get("/tentang", headers=headers(portal, "walidata")).body

    def test_empty_section_offers_writing_to_walidata(self, app, portal):
        response = app.get("/kontak", headers=headers(portal, "walidata"))
        assert "/halaman/kelola/baru?section=kontak&amp;slug=kontak" in response.body

    def test_seeded_sections(self, app):
        """After seeding: Tentang explains SDI and the roles, Kontak has the marked placeholder, Panduan lists
        its guides."""
        seed.seed()
        body = app.get("/tentang").body
        assert "Perpres 39/2019" in body and "Diskominfo" in body and "BPS Kabupaten Pasuruan" in body
        assert "<main" in body or 'role="main"' in body
        assert '<ol class="breadcrumb">' in body and 'aria-current="page"' in body
        body = app.get("/kontak").body
        assert "CONTOH — WAJIB DIUBAH WALIDATA" in body and "diskominfo@pasuruankab.go.id" in body
        body = app.get("/panduan").body
        for title in ("Panduan pencarian data", "Panduan penggunaan API", "Panduan operator OPD"):
            assert title in body
        api = app.get("/halaman/panduan-penggunaan-api").body
        assert 'href="/api/3/action/package_search?q=penduduk&amp;rows=10"' in api

    def test_panduan_lists_guides_with_attachments(self, app, portal):
        make_page(portal, slug="panduan", title="Panduan", section="panduan")
        guide = make_page(portal, slug="panduan-templat", title="Templat resmi", order=1)
        _attach(portal, guide, xlsx_bytes(), "templat.xlsx", title="Templat Excel resmi")
        portal.call("satudata_page_attachment_create", "walidata", page_id=guide["id"], title="Video tutorial",
                    url="https://video.test/tutorial")
        make_page(portal, slug="panduan-draf", title="Panduan draf", published=False)
        body = app.get("/panduan").body
        assert "Daftar panduan" in body and "Templat resmi" in body and "Templat Excel resmi" in body
        assert "XLSX" in body and 'href="https://video.test/tutorial"' in body and 'rel="noopener noreferrer"' in body
        assert "Panduan draf" not in body


class TestRead:
    def test_page_and_siblings(self, app, portal):
        make_page(portal, slug="lain", title="Halaman lain di panduan")
        make_page(portal, body="## Langkah\n\n1. Masuk\n2. Unggah")
        response = app.get("/halaman/panduan-unggah")
        assert response.status_code == 200
        body = response.body
        assert '<h1 id="page-title">Panduan unggah</h1>' in body and "<h2>Langkah</h2>" in body
        assert "Halaman lain di panduan" in body and "Diperbarui" in body
        assert "oleh walidata" not in body and "Ubah halaman" not in body  # the public sees no editor names
        body = app.get("/halaman/panduan-unggah", headers=headers(portal, "walidata")).body
        assert "oleh walidata" in body and "Ubah halaman" in body

    def test_unknown_is_404(self, app):
        response = app.get("/halaman/tidak-ada", status=404)
        assert "Halaman tidak ditemukan" in response.body

    def test_unpublished_only_for_managers(self, app, portal):
        make_page(portal, slug="draf", title="Draf rahasia", published=False)
        for who in (None, "warga", "operator"):
            response = app.get("/halaman/draf", headers=headers(portal, who) if who else {}, status=404)
            assert "Draf rahasia" not in response.body
        body = app.get("/halaman/draf", headers=headers(portal, "walidata")).body
        assert "Draf rahasia" in body and "Belum diterbitkan" in body

    def test_markdown_is_rendered_without_html(self, app, portal):
        """Raw HTML, scripts, event handlers and javascript: links in the body never reach the page."""
        make_page(portal, body="**tebal** <script>alert('x')</script> <img src=x onerror=alert(1)>\n\n"
                               "[klik](javascript:alert(2)) <iframe src=https://evil.test></iframe>\n\n"
                               "<a href=\"#\" onclick=\"alert(3)\">a</a>")
        body = app.get("/halaman/panduan-unggah").body
        assert "<strong>tebal</strong>" in body
        for bad in ("<script>alert", "onerror", "javascript:alert", "<iframe", "onclick"):
            assert bad not in body

    def test_empty_body(self, app, portal):
        make_page(portal, body="")
        assert "Halaman ini belum ada isinya" in app.get("/halaman/panduan-unggah").body


class TestDownload:
    def test_xlsx_is_an_attachment(self, app, portal):
        page = make_page(portal)
        made = _attach(portal, page, xlsx_bytes(), "Templat Resmi 2025.xlsx")
        response = app.get(f"/halaman/panduan-unggah/lampiran/{made['id']}")
        assert response.status_code == 200 and response.get_data() == xlsx_bytes()
        assert response.headers["Content-Type"] == \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response.headers["Content-Disposition"] == 'attachment; filename="Templat Resmi 2025.xlsx"'
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]

    def test_pdf_inline_csv_download(self, app, portal):
        page = make_page(portal)
        pdf = _attach(portal, page)
        csv = _attach(portal, page, CSV, "contoh data.csv")
        response = app.get(f"/halaman/panduan-unggah/lampiran/{pdf['id']}")
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("inline")
        response = app.get(f"/halaman/panduan-unggah/lampiran/{csv['id']}")
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"] == 'attachment; filename="contoh data.csv"'

    @pytest.mark.ckan_config(config.ALLOWED_EXTENSIONS, "pdf html svg")
    def test_html_and_svg_never_inline(self, app, portal):
        """Even when the walidata allows HTML or SVG, they are downloaded, never shown by the browser."""
        page = make_page(portal)
        for data, name in ((b"<html><script>alert(1)</script></html>", "x.html"),
                           (b"<svg onload=alert(1)></svg>", "x.svg")):
            made = _attach(portal, page, data, name)
            response = app.get(f"/halaman/panduan-unggah/lampiran/{made['id']}")
            assert response.headers["Content-Type"] == "application/octet-stream"
            assert response.headers["Content-Disposition"].startswith("attachment")

    def test_unpublished_page_files_for_managers_only(self, app, portal):
        page = make_page(portal, published=False)
        made = _attach(portal, page)
        url = f"/halaman/panduan-unggah/lampiran/{made['id']}"
        app.get(url, status=404)
        app.get(url, headers=headers(portal, "operator"), status=404)
        assert app.get(url, headers=headers(portal, "walidata")).get_data() == PDF

    def test_wrong_page_missing_file_and_link(self, app, portal, storage):
        page = make_page(portal)
        other = make_page(portal, slug="lain")
        made = _attach(portal, page)
        app.get(f"/halaman/lain/lampiran/{made['id']}", status=404)
        app.get("/halaman/panduan-unggah/lampiran/tidak-ada", status=404)
        link = portal.call("satudata_page_attachment_create", "walidata", page_id=other["id"], title="Video",
                           url="https://video.test/a")
        response = app.get(f"/halaman/lain/lampiran/{link['id']}", follow_redirects=False)
        assert response.status_code == 302 and response.headers["Location"] == "https://video.test/a"
        for path in stored_files(storage):
            path.unlink()
        app.get(f"/halaman/panduan-unggah/lampiran/{made['id']}", status=404)


class TestManage:
    @pytest.mark.parametrize("path", ["/halaman/kelola", "/halaman/kelola/baru"])
    @pytest.mark.parametrize("who", [None, "warga", "operator", "verifikator", "pembina"])
    def test_forbidden_to_others(self, app, portal, path, who):
        app.get(path, headers=headers(portal, who) if who else {}, status=403)

    def test_forbidden_posts(self, app, portal):
        page = make_page(portal)
        for path in ("/halaman/kelola/baru", f"/halaman/kelola/{page['id']}/ubah",
                     f"/halaman/kelola/{page['id']}/hapus", f"/halaman/kelola/{page['id']}/lampiran"):
            app.post(path, data={"title": "X", "slug": "x", "section": "tentang"},
                     headers=headers(portal, "operator"), status=403)
        assert records.get_page(page["id"])["title"] == "Panduan unggah"

    def test_list_shows_drafts(self, app, portal):
        make_page(portal, slug="draf", title="Draf baru", published=False)
        body = app.get("/halaman/kelola", headers=headers(portal, "walidata")).body
        assert "Draf baru" in body and "Draf" in body and "/halaman/kelola/" in body

    def test_form_is_labelled_with_csrf(self, app, portal):
        body = app.get("/halaman/kelola/baru?section=panduan&slug=panduan", headers=headers(portal, "walidata")).body
        assert 'name="_csrf_token"' in body
        for field in ("title", "slug", "section", "order", "body"):
            assert f'for="field-{field}"' in body and f'id="field-{field}"' in body
        assert 'value="panduan" selected' in body

    def test_create_with_errors(self, app, portal):
        """Bad input shows the form again with Indonesian messages, and nothing is saved."""
        make_page(portal, slug="ada")
        response = app.post("/halaman/kelola/baru", headers=headers(portal, "walidata"),
                            data={"title": "", "slug": "Ada Spasi", "section": "berita", "order": "x"})
        assert response.status_code == 200
        body = response.body
        for message in ("Judul wajib diisi", "Slug 1–100 karakter", "Bagian harus salah satu dari",
                        "Urutan harus berupa bilangan bulat", "Halaman belum disimpan"):
            assert message in body
        assert 'aria-invalid="true"' in body
        response = app.post("/halaman/kelola/baru", headers=headers(portal, "walidata"),
                            data={"title": "Dua", "slug": "ada", "section": "tentang"})
        assert "Slug “ada” sudah dipakai halaman lain" in response.body
        assert [p["slug"] for p in records.pages(published_only=False)] == ["ada"]

    def test_create_edit_delete(self, app, portal):
        walidata = headers(portal, "walidata")
        response = app.post("/halaman/kelola/baru", headers=walidata, follow_redirects=False,
                            data={"title": "Kontak kami", "slug": "kontak", "section": "kontak", "order": "1",
                                  "body": "Telepon", "published": "true"})
        page = records.get_page("kontak")
        assert response.status_code == 302 and response.headers["Location"].endswith(
            f"/halaman/kelola/{page['id']}/ubah")
        assert page["published"] and page["order"] == 1
        assert "Telepon" in app.get("/kontak").body
        app.post(f"/halaman/kelola/{page['id']}/ubah", headers=walidata,
                 data={"title": "Kontak walidata", "slug": "kontak", "section": "kontak", "body": "Baru"})
        page = records.get_page("kontak")
        assert page["title"] == "Kontak walidata" and not page["published"]  # the box was left unticked
        response = app.post(f"/halaman/kelola/{page['id']}/ubah", headers=walidata,
                            data={"title": "", "slug": "kontak", "section": "kontak"})
        assert "Judul wajib diisi" in response.body and records.get_page("kontak")["title"] == "Kontak walidata"
        assert "Hapus halaman" in app.get(f"/halaman/kelola/{page['id']}/hapus", headers=walidata).body
        app.post(f"/halaman/kelola/{page['id']}/hapus", headers=walidata)
        assert records.get_page("kontak") is None
        app.get("/halaman/kelola/tidak-ada/ubah", headers=walidata, status=404)

    def test_attachments_through_the_form(self, app, portal, storage):
        """A good file is added; a forbidden type, an empty title or a too big file shows the message and
        leaves no row and no file; removing deletes the file."""
        page = make_page(portal)
        walidata = headers(portal, "walidata")
        url = f"/halaman/kelola/{page['id']}/lampiran"
        response = app.post(url, headers=walidata, data={"title": "Skrip", "upload": (io.BytesIO(b"MZ"), "alat.exe")})
        assert response.status_code == 200 and "Jenis berkas .exe tidak diizinkan" in response.body
        assert "Lampiran belum disimpan" in response.body and 'value="Skrip"' in response.body
        response = app.post(url, headers=walidata, data={"title": "", "upload": (io.BytesIO(PDF), "a.pdf")})
        assert "Judul lampiran wajib diisi" in response.body
        response = app.post(url, headers=walidata, data={"title": "Kosong"})
        assert "Unggah berkas atau isi tautan" in response.body
        assert stored_files(storage) == [] and records.attachments([page["id"]])[page["id"]] == []
        response = app.post(url, headers=walidata, follow_redirects=False,
                            data={"title": "Metodologi", "description": "Dokumen metodologi",
                                  "upload": (io.BytesIO(PDF), "metodologi.pdf")})
        assert response.status_code == 302
        [made] = portal.call("satudata_page_show", "walidata", id=page["id"])["attachments"]
        assert made["title"] == "Metodologi" and len(stored_files(storage)) == 1
        body = app.get(f"/halaman/kelola/{page['id']}/ubah", headers=walidata).body
        assert "Metodologi" in body and 'enctype="multipart/form-data"' in body and 'accept=".xlsx,' in body
        app.post(f"/halaman/kelola/{page['id']}/lampiran/{made['id']}/hapus", headers=walidata)
        assert stored_files(storage) == [] and records.get_attachment(made["id"]) is None
        app.post(f"/halaman/kelola/{page['id']}/lampiran/{made['id']}/hapus", headers=walidata, status=404)

    def test_unknown_pages_are_404(self, app, portal):
        walidata = headers(portal, "walidata")
        for path in ("/halaman/kelola/tidak-ada/ubah", "/halaman/kelola/tidak-ada/hapus"):
            app.get(path, headers=walidata, status=404)
        for path in ("/halaman/kelola/tidak-ada/hapus", "/halaman/kelola/tidak-ada/lampiran",
                     "/halaman/kelola/tidak-ada/lampiran/x/hapus"):
            app.post(path, headers=walidata, data={"title": "X"}, status=404)

    @pytest.mark.ckan_config(config.MAX_UPLOAD_MB, 1)
    def test_too_big_through_the_form(self, app, portal, storage):
        page = make_page(portal)
        big = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)
        response = app.post(f"/halaman/kelola/{page['id']}/lampiran", headers=headers(portal, "walidata"),
                            data={"title": "Besar", "upload": (io.BytesIO(big), "besar.pdf")})
        assert "Berkas terlalu besar (2,0 MB); batasnya 1 MB" in response.body
        assert stored_files(storage) == [] and records.attachments([page["id"]])[page["id"]] == []

    def test_post_without_csrf_token_refused(self, app, portal):
        """A logged-in browser (session cookie, no API token) must send the form's CSRF token."""
        token = re.compile(r'name="_csrf_token" value="([^"]+)"')
        login = token.search(app.get("/user/login").body).group(1)
        app.post("/user/login", data={"login": "walidata", "password": "correct123", "_csrf_token": login})
        form = app.get("/halaman/kelola/baru")
        assert form.status_code == 200  # logged in by the session cookie
        data = {"title": "T", "slug": "t", "section": "tentang"}
        assert app.post("/halaman/kelola/baru", data=data, status=None).status_code == 400
        assert records.get_page("t") is None
        app.post("/halaman/kelola/baru", data={**data, "_csrf_token": token.search(form.body).group(1)})
        assert records.get_page("t")["updated_by"] == portal.users["walidata"]["id"]
