"""The pages: the OPD's list, form and application page with its timeline, the pembina's queue and review forms,
and the public verification pages (code entry, a document's page with its upload check, the unknown code's 404,
revocation), all in Indonesian, with labelled fields and clear refusals."""
from __future__ import annotations

import io
import re

import pytest

from ckanext.satudatapasuruan.rekomendasi import config, records

from .conftest import PDF, REQUIRED, headers, new_application, pdf_bytes, stored, submitted, tampered

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"), pytest.mark.usefixtures("clean_db", "storage")]


def _file(data: bytes = PDF, name: str = "dokumen.pdf"):
    return (io.BytesIO(data), name)


def _labelled(body: str, field_id: str) -> bool:
    return f'for="{field_id}"' in body and f'id="{field_id}"' in body


class TestList:
    def test_opd_sees_its_applications(self, app, portal):
        created = new_application(portal)
        body = app.get("/rekomendasi", headers=headers(portal, "operator")).body
        assert "Permohonan rekomendasi kegiatan statistik" in body and "Survei Penduduk Desa 2026" in body
        assert f'href="/rekomendasi/{created["id"]}"' in body and "Permohonan baru" in body
        assert "Antrean telaah pembina" not in body and _labelled(body, "filter-status")

    def test_other_opd_does_not(self, app, portal):
        new_application(portal)
        body = app.get("/rekomendasi", headers=headers(portal, "operator_lain")).body
        assert "Survei Penduduk Desa 2026" not in body and "Belum ada permohonan." in body

    def test_unknown_filter_is_ignored_with_a_message(self, app, portal):
        body = app.get("/rekomendasi?status=rahasia", headers=headers(portal, "walidata")).body
        assert "Nilai penyaring tidak dikenal dan diabaikan: rahasia" in body

    def test_anonymous_logs_in(self, app):
        response = app.get("/rekomendasi", follow_redirects=False)
        assert response.status_code == 302 and "/user/login" in response.headers["Location"]

    def test_outsider_refused(self, app, portal):
        response = app.get("/rekomendasi", headers=headers(portal, "warga"), status=403)
        assert "Akses ditolak" in response.body


class TestForm:
    def test_form_is_labelled(self, app, portal):
        body = app.get("/rekomendasi/baru", headers=headers(portal, "operator")).body
        for field in ("field-package_id", "field-catatan", "field-upload_surat_permohonan", "field-upload_kak"):
            assert _labelled(body, field), field
        assert "Survei Penduduk Desa 2026 (Dinas Kependudukan dan Pencatatan Sipil)" in body
        assert "Survei Status Gizi 2026" not in body and 'enctype="multipart/form-data"' in body

    def test_creates_with_documents(self, app, portal, storage):
        response = app.post("/rekomendasi/baru", headers=headers(portal, "operator"), data={
            "package_id": portal.kegiatan["keg"]["id"], "catatan": "Mohon ditelaah",
            "upload_surat_permohonan": _file(name="surat.pdf"), "upload_kak": _file(name="kak.pdf")})
        assert "Permohonan disimpan sebagai draf" in response.body
        created = records.query_applications(organization_ids=None)[0]
        assert created["catatan"] == "Mohon ditelaah" and len(stored(storage)) == 2
        assert "Rancangan kuesioner" in response.body  # still missing, listed on the page

    def test_bad_document_refuses_everything(self, app, portal, storage):
        """A refused file shows the form again with its message; nothing is created or stored."""
        response = app.post("/rekomendasi/baru", headers=headers(portal, "operator"), status=400, data={
            "package_id": portal.kegiatan["keg"]["id"], "upload_surat_permohonan": _file(name="surat.pdf"),
            "upload_kuesioner": _file(b"PK\x03\x04", "kuesioner.docx")})
        assert "Hanya berkas PDF yang diterima; berkas \u201ckuesioner.docx\u201d bukan PDF" in response.body
        assert 'aria-invalid="true"' in response.body
        assert records.query_applications(organization_ids=None) == [] and stored(storage) == []

    def test_no_ms_keg_chosen(self, app, portal):
        response = app.post("/rekomendasi/baru", headers=headers(portal, "operator"), data={"package_id": ""},
                            status=400)
        assert "Pilih kegiatan statistik (MS-Keg)" in response.body

    def test_outsider_refused(self, app, portal):
        app.get("/rekomendasi/baru", headers=headers(portal, "warga"), status=403)
        app.get("/rekomendasi/baru", headers=headers(portal, "pembina"), status=403)


class TestApplicationPage:
    def test_opd_submits_through_the_page(self, app, portal):
        """The page lists what is missing; submitting without it says so in Indonesian; with it, the application
        is submitted and the timeline shows each step."""
        created = new_application(portal, documents=("surat_permohonan",))
        url = f"/rekomendasi/{created['id']}"
        operator = headers(portal, "operator")
        body = app.get(url, headers=operator).body
        assert "Dokumen wajib yang belum diunggah:" in body and "Kerangka acuan kegiatan (KAK)" in body
        for field in ("field-dokumen-kind", "field-dokumen-upload", "field-ajukan-jalur", "field-ubah-catatan"):
            assert _labelled(body, field), field
        refused = app.post(url, headers=operator, data={"aksi": "ajukan", "jalur": "portal"}, status=400)
        assert "Dokumen wajib yang belum diunggah: Rancangan kuesioner; Kerangka acuan kegiatan (KAK)" in refused.body
        for kind in ("kuesioner", "kak"):
            app.post(url, headers=operator, data={"aksi": "dokumen", "kind": kind, "upload": _file(name=f"{kind}.pdf")})
        done = app.post(url, headers=operator, data={"aksi": "ajukan", "jalur": "portal", "note": "Siap ditelaah"})
        assert "Permohonan diajukan." in done.body
        assert records.get_application(created["id"])["status"] == "diajukan"
        for step in ("Permohonan dibuat", "Dokumen ditambahkan", "Diajukan ke pembina data", "Siap ditelaah"):
            assert step in done.body, step

    def test_bad_document_through_the_page(self, app, portal, storage):
        created = new_application(portal)
        response = app.post(f"/rekomendasi/{created['id']}", headers=headers(portal, "operator"), status=400,
                            data={"aksi": "dokumen", "kind": "kak", "upload": _file(b"<html>", "kak.pdf")})
        assert "Isi berkas \u201ckak.pdf\u201d bukan PDF yang sah" in response.body and stored(storage) == []

    def test_pembina_reviews(self, app, portal):
        """The pembina finds the application in the queue, asks for revision (a note is required), and after
        resubmission issues the recommendation; the page shows the letter's code and links."""
        created = submitted(portal)
        pembina = headers(portal, "pembina")
        queue = app.get("/rekomendasi/antrean", headers=pembina).body
        assert "Survei Penduduk Desa 2026" in queue and "Menunggu telaah di portal" in queue
        url = f"/rekomendasi/{created['id']}"
        body = app.get(url, headers=pembina).body
        for field in ("field-revisi-note", "field-tolak-reason", "field-terbitkan-note", "field-eksternal-outcome"):
            assert _labelled(body, field), field
        refused = app.post(url, headers=pembina, data={"aksi": "revisi", "note": ""}, status=400)
        assert "Catatan revisi wajib diisi: tuliskan apa yang harus diperbaiki OPD" in refused.body
        app.post(url, headers=pembina, data={"aksi": "revisi", "note": "Tambahkan jadwal."})
        seen = app.get(url, headers=headers(portal, "operator")).body
        assert "Diminta revisi" in seen and "Tambahkan jadwal." in seen
        app.post(url, headers=headers(portal, "operator"), data={"aksi": "ajukan", "jalur": "portal"})
        issued = app.post(url, headers=pembina, data={"aksi": "terbitkan", "note": ""})
        assert "Rekomendasi diterbitkan dengan kode QR verifikasi." in issued.body
        code = records.get_application(created["id"])["document_code"]
        assert f"/verifikasi/{code}" in issued.body and f"/verifikasi/{code}/berkas" in issued.body
        assert "B-001/3514/REKOM/" in issued.body

    def test_refuse_needs_a_reason(self, app, portal):
        created = submitted(portal)
        response = app.post(f"/rekomendasi/{created['id']}", headers=headers(portal, "pembina"),
                            data={"aksi": "tolak", "reason": " "}, status=400)
        assert "Alasan penolakan wajib diisi" in response.body

    def test_external_outcome_through_the_page(self, app, portal):
        created = submitted(portal)
        url = f"/rekomendasi/{created['id']}"
        response = app.post(url, headers=headers(portal, "pembina"), data={
            "aksi": "eksternal", "outcome": "terbit", "reference": "B-9/2026",
            "verification_url": "https://romantik.example/v/9"})
        assert "Hasil dari sistem BPS dicatat." in response.body and "https://romantik.example/v/9" in response.body
        assert "belum memiliki kode QR verifikasi portal" in response.body

    def test_unknown_step(self, app, portal):
        created = new_application(portal)
        response = app.post(f"/rekomendasi/{created['id']}", headers=headers(portal, "operator"),
                            data={"aksi": "hapus"}, status=400)
        assert "Langkah tidak dikenal" in response.body

    def test_refusals(self, app, portal):
        """Another OPD's operator gets 403 on page, step and document; an unknown application is a 404 page."""
        created = new_application(portal, documents=("surat_permohonan",))
        other = headers(portal, "operator_lain")
        url = f"/rekomendasi/{created['id']}"
        assert "Akses ditolak" in app.get(url, headers=other, status=403).body
        app.post(url, headers=other, data={"aksi": "ubah", "catatan": "x"}, status=403)
        document_url = created["documents"][0]["url"].replace("http://test.ckan.net", "")
        app.get(document_url, headers=other, status=403)
        assert "Tidak ditemukan" in app.get("/rekomendasi/tidak-ada", headers=other, status=404).body
        app.post("/rekomendasi/tidak-ada", headers=other, data={"aksi": "ubah"}, status=404)
        app.get("/rekomendasi/antrean", headers=headers(portal, "operator"), status=403)

    def test_browser_post_needs_the_csrf_token(self, app, portal):
        """A logged-in browser (session cookie, no API token) must send the form's CSRF token."""
        created = new_application(portal)
        token = re.compile(r'name="_csrf_token" value="([^"]+)"')
        login = token.search(app.get("/user/login").body).group(1)
        app.post("/user/login", data={"login": "operator", "password": "correct123", "_csrf_token": login})
        page = app.get(f"/rekomendasi/{created['id']}")
        assert page.status_code == 200  # logged in by the session cookie
        data = {"aksi": "ubah", "catatan": "Lewat peramban"}
        assert app.post(f"/rekomendasi/{created['id']}", data=data, status=None).status_code == 400
        assert records.get_application(created["id"])["catatan"] == ""
        app.post(f"/rekomendasi/{created['id']}", data={**data, "_csrf_token": token.search(page.body).group(1)})
        assert records.get_application(created["id"])["catatan"] == "Lewat peramban"

    def test_document_download(self, app, portal):
        created = new_application(portal, documents=("surat_permohonan",))
        document_url = created["documents"][0]["url"].replace("http://test.ckan.net", "")
        response = app.get(document_url, headers=headers(portal, "anggota"))
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data.startswith(b"%PDF-")
        app.get(f"/rekomendasi/{created['id']}/dokumen/tidak-ada", headers=headers(portal, "operator"), status=404)


def _issued(portal) -> str:
    return portal.call("satudata_document_issue", "pembina", data=pdf_bytes("Surat uji"), title="Surat Uji",
                       kind="surat_uji", issuer="BPS Kabupaten Pasuruan", issuer_organization="bps-kabupaten-pasuruan",
                       external_url="https://bps.example/cek/1", stamp=True)["code"]


def _stamped(storage, code: str) -> bytes:
    return (storage / "satudata_rekomendasi" / "dokumen" / f"{code}.pdf").read_bytes()


def _anonymous_upload(app, code: str, data: bytes, name: str = "surat.pdf", status: int = 200):
    """As a visitor who is not logged in (CKAN checks no CSRF token for anonymous requests)."""
    return app.post(f"/verifikasi/{code}", data={"upload": (io.BytesIO(data), name)}, status=status)


class TestVerification:
    def test_entry_form(self, app):
        body = app.get("/verifikasi").body
        assert "Verifikasi dokumen" in body and _labelled(body, "kode")

    def test_entry_redirects_to_the_code(self, app):
        response = app.get("/verifikasi?kode=abcd-efgh-jkmn", follow_redirects=False)
        assert response.status_code == 302 and response.headers["Location"].endswith("/verifikasi/ABCDEFGHJKMN")

    def test_entry_without_code(self, app):
        body = app.get("/verifikasi?kode=+", status=400).body
        assert "Masukkan kode verifikasi yang tercetak di bawah kode QR dokumen" in body

    def test_document_page(self, app, portal):
        """Anyone sees the issuer, the date, the hash, the status and the issuer's own page, and an upload form."""
        code = _issued(portal)
        row = records.get_document(code)
        body = app.get(f"/verifikasi/{code}").body
        for expected in ("BPS Kabupaten Pasuruan", "Surat Uji", row["sha256"], "SAH", "https://bps.example/cek/1",
                         code):
            assert expected in body, expected
        assert _labelled(body, "verify-upload") and 'name="_csrf_token"' in body
        assert "Cabut dokumen" not in body and "/berkas" not in body

    def test_authentic_tampered_revoked(self, app, portal, storage):
        """The uploaded authentic file is ASLI, a tampered one TIDAK COCOK, and after revocation DICABUT with the
        reason; nothing is stored by checking."""
        code = _issued(portal)
        data = _stamped(storage, code)
        assert "ASLI" in _anonymous_upload(app, code, data).body
        assert "TIDAK COCOK" in _anonymous_upload(app, code, tampered(data)).body
        portal.call("satudata_document_revoke", "pembina", code=code, reason="Diganti surat baru.")
        body = _anonymous_upload(app, code, data).body
        assert "DICABUT" in body and "Diganti surat baru." in body
        assert len(stored(storage, "dokumen")) == 1

    def test_bad_upload(self, app, portal):
        code = _issued(portal)
        body = _anonymous_upload(app, code, b"\x89PNG\r\n", "foto.png", status=400).body
        assert "Hanya berkas PDF yang diterima; berkas \u201cfoto.png\u201d bukan PDF" in body

    @pytest.mark.ckan_config(config.DOCUMENT_MAX_UPLOAD_MB, 1)
    def test_too_big_upload(self, app, portal):
        code = _issued(portal)
        body = _anonymous_upload(app, code, PDF + b"0" * (1024 * 1024 + 1), status=400).body
        assert "Berkas terlalu besar (1,0 MB); batasnya 1 MB" in body

    @pytest.mark.parametrize("code", ["ABCDEFGHJKMN", "tidak-ada", "%3Cscript%3E"])
    def test_unknown_code(self, app, code):
        """An unknown code is a clear page with status 404, not a stack trace."""
        body = app.get(f"/verifikasi/{code}", status=404).body
        assert "Dokumen tidak terdaftar" in body and "Traceback" not in body and "<script>" not in body

    def test_revoke_through_the_page(self, app, portal):
        code = _issued(portal)
        pembina = headers(portal, "pembina")
        assert _labelled(app.get(f"/verifikasi/{code}", headers=pembina).body, "revoke-reason")
        refused = app.post(f"/verifikasi/{code}/cabut", headers=pembina, data={"reason": ""}, status=400)
        assert "Alasan pencabutan wajib diisi" in refused.body
        app.post(f"/verifikasi/{code}/cabut", headers=headers(portal, "operator"), data={"reason": "x"}, status=403)
        done = app.post(f"/verifikasi/{code}/cabut", headers=pembina, data={"reason": "Salah alamat."})
        assert "Dokumen dicabut." in done.body and "Salah alamat." in done.body
        assert re.search(r"DICABUT</strong>", done.body)

    def test_download_of_the_registered_file(self, app, portal, storage):
        code = _issued(portal)
        response = app.get(f"/verifikasi/{code}/berkas", headers=headers(portal, "walidata"))
        assert response.data == _stamped(storage, code)
        assert "attachment" in response.headers["Content-Disposition"]
        app.get(f"/verifikasi/{code}/berkas", headers=headers(portal, "warga"), status=403)
        assert app.get(f"/verifikasi/{code}/berkas", follow_redirects=False).status_code == 302
        app.get("/verifikasi/ABCDEFGHJKMN/berkas", headers=headers(portal, "walidata"), status=404)

    def test_recipient_downloads_the_letter(self, app, portal):
        created = submitted(portal)
        code = portal.call("satudata_rekomendasi_issue", "pembina", id=created["id"])["document_code"]
        response = app.get(f"/verifikasi/{code}/berkas", headers=headers(portal, "anggota"))
        assert response.headers["Content-Type"] == "application/pdf"
        app.get(f"/verifikasi/{code}/berkas", headers=headers(portal, "operator_lain"), status=403)


class TestKpiInQueue:
    def test_queue_shows_the_kpi(self, app, portal):
        created = new_application(portal, documents=REQUIRED)
        portal.call("satudata_rekomendasi_submit", "operator", id=created["id"], jalur="sistem_bps")
        portal.call("satudata_rekomendasi_record_external", "pembina", id=created["id"], outcome="terbit",
                    reference="B-1")
        body = app.get("/rekomendasi/antrean", headers=headers(portal, "pembina")).body
        assert "Rekomendasi terbit dengan kode QR: 0 dari 1" in body


class TestApi:
    def test_issue_and_verify_through_the_api(self, app, portal, storage):
        """A PDF posted to the action API (multipart) is stamped and registered; an anonymous client then checks
        a file against it, and gets a clear 409 for a non-PDF."""
        response = app.post("/api/3/action/satudata_document_issue", headers=headers(portal, "pembina"), data={
            "title": "Surat API", "kind": "surat_uji", "issuer": "BPS Kabupaten Pasuruan", "stamp": "true",
            "upload": (io.BytesIO(PDF), "surat.pdf")})
        document = response.json["result"]
        assert document["stamped"] and document["verification_url"].endswith(document["code"])
        data = (storage / "satudata_rekomendasi" / "dokumen" / f"{document['code']}.pdf").read_bytes()
        checked = app.post("/api/3/action/satudata_document_verify", data={
            "code": document["code"], "upload": (io.BytesIO(data), "surat.pdf")}).json["result"]
        assert checked["result"] == "asli"
        refused = app.post("/api/3/action/satudata_document_verify", status=409, data={
            "code": document["code"], "upload": (io.BytesIO(b"GIF89a"), "gambar.gif")}).json["error"]
        assert refused["upload"] == ["Hanya berkas PDF yang diterima; berkas \u201cgambar.gif\u201d bukan PDF"]
        shown = app.get(f"/api/3/action/satudata_document_show?code={document['code']}").json["result"]
        assert shown["sha256"] == document["sha256"]
        assert app.get("/api/3/action/satudata_rekomendasi_kpi").json["result"]["applications"] == 0
