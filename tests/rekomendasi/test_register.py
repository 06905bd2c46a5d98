"""The verifiable documents register: a stamped PDF carries a QR code (drawn with Ghostscript, read with zbar) that
opens its verification page and the text line beside it; the hash recorded is the stamped file's; the authentic
file verifies as asli, a tampered one as tidak cocok, a revoked one as dicabut; bad input is refused in
Indonesian with nothing written."""
from __future__ import annotations

import hashlib
import io

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers
from pypdf import PdfReader, PdfWriter

from ckanext.satudatapasuruan.rekomendasi import config, records, register

from .conftest import PDF, page_text, pdf_bytes, qr_codes, stored, submitted, tampered, upload

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"), pytest.mark.usefixtures("clean_db", "storage")]


def _errors(excinfo) -> dict:
    return excinfo.value.error_dict


def _issue(portal, who: str = "pembina", **data):
    values = {"data": PDF, "title": "Surat Keterangan Uji", "kind": "surat_uji", "issuer": "BPS Kabupaten Pasuruan",
              "issuer_organization": "bps-kabupaten-pasuruan"}
    values.update(data)
    return portal.call("satudata_document_issue", who, **values)


def _file(storage, code: str) -> bytes:
    return (storage / "satudata_rekomendasi" / "dokumen" / f"{code}.pdf").read_bytes()


def _verify(code: str, data: bytes) -> dict:
    return helpers.call_action("satudata_document_verify", context={"user": "", "ignore_auth": False}, code=code,
                               data=data)


class TestStamp:
    def test_qr_opens_the_verification_page(self, portal, storage):
        """The stamped last page carries a readable QR code of /verifikasi/<code> and the text line; the recorded
        hash is the stamped file's, and that file verifies as authentic."""
        document = _issue(portal, data=pdf_bytes("Isi surat", pages=2), stamp=True,
                          external_url="https://bps.example/cek")
        code = document["code"]
        assert len(code) == register.CODE_LENGTH and set(code) <= set(register.CODE_ALPHABET)
        data = _file(storage, code)
        assert qr_codes(data) == [f"http://test.ckan.net/verifikasi/{code}"]
        assert qr_codes(data, page=0) == []
        text = " ".join(page_text(data).split())
        assert f"Dokumen ini dapat diverifikasi keasliannya di http://test.ckan.net/verifikasi/{code}" in text
        assert f"Kode verifikasi: {code}" in text and "Isi surat - halaman 2" in text
        assert document["sha256"] == hashlib.sha256(data).hexdigest() != hashlib.sha256(PDF).hexdigest()
        assert document["stamped"] and document["external_url"] == "https://bps.example/cek"
        result = _verify(code, data)
        assert result["result"] == "asli" and result["matches"]
        assert result["message"] == (f"Berkas ini ASLI: sidik SHA-256-nya sama dengan dokumen yang terdaftar dengan "
                                     f"kode {code}.")

    def test_long_issuer_is_cut_short(self, portal, storage):
        """A text line too long for the page ends with an ellipsis instead of running under the QR code."""
        code = _issue(portal, issuer="Badan " * 33, stamp=True)["code"]
        data = _file(storage, code)
        assert qr_codes(data) == [f"http://test.ckan.net/verifikasi/{code}"]
        assert "\u2026" in page_text(data)

    def test_first_page(self, portal, storage):
        code = _issue(portal, data=pdf_bytes(pages=2), stamp=True, stamp_page="first")["code"]
        assert qr_codes(_file(storage, code), page=0) == [f"http://test.ckan.net/verifikasi/{code}"]

    def test_rotated_page(self, portal, storage):
        """A page shown rotated is stamped upright: its QR code still reads."""
        reader = PdfReader(io.BytesIO(pdf_bytes()))
        writer = PdfWriter(clone_from=reader)
        writer.pages[0].rotate(90)
        buf = io.BytesIO()
        writer.write(buf)
        code = _issue(portal, data=buf.getvalue(), stamp=True)["code"]
        assert qr_codes(_file(storage, code)) == [f"http://test.ckan.net/verifikasi/{code}"]

    @pytest.mark.ckan_config(config.STAMP_PAGE, "first")
    def test_page_from_configuration(self, portal, storage):
        code = _issue(portal, data=pdf_bytes(pages=2), stamp=True)["code"]
        assert "Kode verifikasi" in page_text(_file(storage, code), page=0)

    def test_unstamped(self, portal, storage):
        """Without a stamp the document is registered as it is."""
        document = _issue(portal)
        assert not document["stamped"] and document["sha256"] == hashlib.sha256(PDF).hexdigest()
        assert _file(storage, document["code"]) == PDF

    def test_tampered_is_not_authentic(self, portal, storage):
        code = _issue(portal, stamp=True)["code"]
        result = _verify(code, tampered(_file(storage, code)))
        assert result["result"] == "tidak_cocok" and not result["matches"]
        assert result["message"].startswith(f"Berkas ini TIDAK COCOK dengan dokumen yang terdaftar dengan kode {code}")

    def test_revoked(self, portal, storage):
        """A revoked document says dicabut with the reason, even for its authentic file; the revocation is audited."""
        code = _issue(portal, stamp=True)["code"]
        revoked = portal.call("satudata_document_revoke", "pembina", code=code, reason="Nomor surat salah ketik.")
        assert revoked["status"] == "dicabut" and revoked["status_label"] == "Dicabut"
        assert revoked["revoke_reason"] == "Nomor surat salah ketik." and revoked["revoked_by"] == "pembina"
        assert [(e["step"], e["actor"], e["note"]) for e in revoked["events"]] == [
            ("diterbitkan", "pembina", None), ("dicabut", "pembina", "Nomor surat salah ketik.")]
        public = helpers.call_action("satudata_document_show", context={"user": ""}, code=code)
        assert public["status"] == "dicabut" and public["revoke_reason"] == "Nomor surat salah ketik."
        result = _verify(code, _file(storage, code))
        assert result["result"] == "dicabut" and result["matches"]
        assert result["message"] == (f"Dokumen dengan kode {code} telah DICABUT oleh penerbitnya dan tidak berlaku "
                                     "lagi. Berkas ini sama dengan dokumen yang dicabut.")
        assert _verify(code, PDF)["message"].endswith("Berkas ini juga tidak sama dengan dokumen yang terdaftar.")

    def test_issued_recommendation_letter(self, portal, storage):
        """The recommendation letter is registered through the same register: its QR code reads and the letter
        verifies; revoked, it says dicabut on the application too."""
        app = submitted(portal)
        done = portal.call("satudata_rekomendasi_issue", "pembina", id=app["id"])
        data = _file(storage, done["document_code"])
        assert qr_codes(data) == [done["verification_url"]]
        assert _verify(done["document_code"], data)["result"] == "asli"
        portal.call("satudata_document_revoke", "walidata", code=done["document_code"], reason="Dibatalkan BPS.")
        seen = portal.call("satudata_rekomendasi_show", "operator", id=app["id"])
        assert seen["document"]["status"] == "dicabut" and seen["document"]["revoke_reason"] == "Dibatalkan BPS."


class TestIssueInput:
    @pytest.mark.parametrize("data, field, message", [
        ({"data": None}, "upload", "Unggah berkas PDF"),
        ({"data": b"<html></html>"}, "upload", "Isi berkas \u201cdokumen.pdf\u201d bukan PDF yang sah"),
        ({"data": b"%PDF-1.7 rusak"}, "upload", "Berkas PDF \u201cdokumen.pdf\u201d rusak atau tidak dapat dibaca"),
        ({"data": None, "upload": upload(PDF, "surat.txt")}, "upload",
         "Hanya berkas PDF yang diterima; berkas \u201csurat.txt\u201d bukan PDF"),
        ({"upload": upload(PDF)}, "upload", "Berikan berkas (upload) atau isinya (data), tidak keduanya"),
        ({"title": ""}, "title", "Judul dokumen wajib diisi"),
        ({"title": "x" * 301}, "title", "Paling panjang 300 karakter"),
        ({"kind": None}, "kind", "Jenis dokumen wajib diisi"),
        ({"kind": "Surat Uji"}, "kind", "Jenis dokumen 1\u201350 karakter: huruf kecil, angka, garis bawah atau tanda "
                                        "hubung (mis. rekomendasi_statistik)"),
        ({"issuer": " "}, "issuer", "Penerbit dokumen wajib diisi"),
        ({"external_url": "javascript:alert(1)"}, "external_url",
         "Tautan harus alamat web lengkap yang diawali http:// atau https://"),
        ({"recipient_organization": "tidak-ada"}, "recipient_organization", "Organisasi tidak ditemukan"),
        ({"stamp": True, "stamp_page": "tengah"}, "stamp_page",
         "Halaman stempel tidak dikenal; pilih salah satu dari: first, last"),
    ])
    def test_refused(self, portal, storage, data, field, message):
        """Each bad input is refused with its message; nothing is registered or stored."""
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_document_issue", "pembina",
                        **{"data": PDF, "title": "Surat", "kind": "surat_uji", "issuer": "BPS", **data})
        assert _errors(err)[field] == [message]
        assert stored(storage, "dokumen") == [] and records.query_documents(organization_ids=None) == []

    @pytest.mark.ckan_config(config.DOCUMENT_MAX_UPLOAD_MB, 1)
    def test_too_big(self, portal, storage):
        with pytest.raises(tk.ValidationError) as err:
            _issue(portal, data=PDF + b"%" + b"0" * (2 * 1024 * 1024))
        assert _errors(err)["upload"] == ["Berkas terlalu besar (2,0 MB); batasnya 1 MB"]
        assert stored(storage, "dokumen") == []


class TestShow:
    def test_code_as_typed(self, portal):
        """Case, spaces and hyphens of a typed code do not matter."""
        code = _issue(portal)["code"]
        typed = f" {code[:4].lower()}-{code[4:8]} {code[8:]} "
        assert portal.call("satudata_document_show", "warga", code=typed)["code"] == code

    @pytest.mark.parametrize("code", ["ABCDEFGHJKMN", "bukan kode", "0" * 12, "'; DROP TABLE x; --"])
    def test_unknown(self, portal, code):
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_document_show", "warga", code=code)

    def test_code_required(self, portal):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_document_show", "warga", code="")
        assert _errors(err)["code"] == ["Kode dokumen wajib diisi"]


class TestVerifyInput:
    def test_not_a_pdf(self, portal):
        code = _issue(portal)["code"]
        with pytest.raises(tk.ValidationError) as err:
            helpers.call_action("satudata_document_verify", context={"user": ""}, code=code,
                                upload=upload(b"\x89PNG\r\n", "foto.png"))
        assert _errors(err)["upload"] == ["Hanya berkas PDF yang diterima; berkas \u201cfoto.png\u201d bukan PDF"]

    def test_no_file(self, portal):
        code = _issue(portal)["code"]
        with pytest.raises(tk.ValidationError) as err:
            helpers.call_action("satudata_document_verify", context={"user": ""}, code=code)
        assert _errors(err)["upload"] == ["Unggah berkas PDF"]

    @pytest.mark.ckan_config(config.DOCUMENT_MAX_UPLOAD_MB, 1)
    def test_too_big(self, portal):
        code = _issue(portal)["code"]
        with pytest.raises(tk.ValidationError) as err:
            _verify(code, PDF + b"0" * (1024 * 1024 + 1))
        assert _errors(err)["upload"][0].startswith("Berkas terlalu besar")

    def test_unknown_code(self, portal):
        with pytest.raises(tk.ObjectNotFound):
            _verify("ABCDEFGHJKMN", PDF)


class TestRevokeAndList:
    def test_reason_required(self, portal):
        code = _issue(portal)["code"]
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_document_revoke", "pembina", code=code, reason="  ")
        assert _errors(err)["reason"] == ["Alasan pencabutan wajib diisi"]

    def test_not_twice(self, portal):
        code = _issue(portal)["code"]
        portal.call("satudata_document_revoke", "pembina", code=code, reason="Salah")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_document_revoke", "walidata", code=code, reason="Lagi")
        assert _errors(err)["code"] == ["Dokumen ini sudah dicabut"]

    def test_unknown(self, portal):
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_document_revoke", "walidata", code="ABCDEFGHJKMN", reason="Salah")

    def test_filters(self, portal):
        first = _issue(portal)["code"]
        second = _issue(portal, kind="sertifikat")["code"]
        portal.call("satudata_document_revoke", "pembina", code=first, reason="Salah")

        def codes(**filters):
            return [d["code"] for d in portal.call("satudata_document_list", "walidata", **filters)["results"]]
        assert set(codes()) == {first, second}
        assert codes(status="dicabut") == [first] and codes(kind="sertifikat") == [second]
        assert codes(issuer_organization="dispendukcapil") == [] and len(codes(limit=1)) == 1

    @pytest.mark.parametrize("data, field, message", [
        ({"status": "aktif"}, "status", "Status dokumen tidak dikenal; pilih salah satu dari: sah, dicabut"),
        ({"issuer_organization": "tidak-ada"}, "issuer_organization", "Organisasi tidak ditemukan"),
        ({"limit": 0}, "limit", "Harus antara 1 dan 1000"),
    ])
    def test_bad_filter(self, portal, data, field, message):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_document_list", "walidata", **data)
        assert _errors(err)[field] == [message]
