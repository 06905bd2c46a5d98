"""The application actions: an application's path from draft to an issued (or refused) recommendation, through
revision and BPS's own system, every step in the timeline, and every bad input refused in Indonesian with
nothing written."""
from __future__ import annotations

import hashlib
import io

import ckan.plugins.toolkit as tk
import pytest
from freezegun import freeze_time
from pypdf import PdfReader, PdfWriter

from ckanext.satudatapasuruan.rekomendasi import config, records

from .conftest import REQUIRED, new_application, page_text, pdf_bytes, stored, submitted, upload

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"), pytest.mark.usefixtures("clean_db", "storage")]


def _errors(excinfo) -> dict:
    return excinfo.value.error_dict


def _steps(app: dict) -> list[str]:
    return [e["step"] for e in app["events"]]


class TestCreate:
    def test_creates_a_draft_from_the_ms_keg(self, portal):
        """A draft takes the MS-Keg's title and year, lists the required documents as missing and offers the OPD
        its next steps."""
        app = new_application(portal, catatan="Mohon ditelaah sebelum Mei.")
        assert app["status"] == "draf" and app["status_label"] == "Draf" and app["jalur"] == "portal"
        assert app["title"] == "Survei Penduduk Desa 2026" and app["tahun"] == 2026
        assert app["organization"] == "dispendukcapil" and app["catatan"] == "Mohon ditelaah sebelum Mei."
        assert [m["kind"] for m in app["missing_documents"]] == list(REQUIRED)
        assert app["actions"] == ["update", "document_add", "submit"]
        assert app["kegiatan"]["url"] == "http://test.ckan.net/kegiatan-statistik/survei-penduduk-2026"
        assert _steps(app) == ["dibuat"] and app["events"][0]["actor"] == "operator"
        assert app["document"] is None and app["created_by"] == "operator"

    def test_verifikator_may_apply(self, portal):
        assert new_application(portal, "verifikator")["created_by"] == "verifikator"

    def test_package_required(self, portal):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_create", "operator", package_id="  ")
        assert _errors(err)["package_id"] == ["Pilih kegiatan statistik (MS-Keg)"]

    def test_unknown_package(self, portal):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_create", "operator", package_id="tidak-ada")
        assert _errors(err)["package_id"] == ["Kegiatan statistik (MS-Keg) tidak ditemukan"]

    def test_not_an_ms_keg(self, portal):
        """A dataset of another type is not a statistical activity."""
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_create", "operator", package_id=portal.dataset_biasa["id"])
        assert "bukan metadata kegiatan statistik (MS-Keg)" in _errors(err)["package_id"][0]
        assert records.query_applications(organization_ids=None) == []

    def test_note_too_long(self, portal):
        with pytest.raises(tk.ValidationError) as err:
            new_application(portal, catatan="x" * 4001)
        assert _errors(err)["catatan"] == ["Paling panjang 4000 karakter"]

    def test_one_application_under_way_per_ms_keg(self, portal):
        """A second application for the same MS-Keg waits until the first is decided."""
        first = new_application(portal)
        with pytest.raises(tk.ValidationError) as err:
            new_application(portal, "verifikator")
        assert _errors(err)["package_id"] == [
            "Kegiatan statistik ini sudah memiliki permohonan rekomendasi yang sedang berjalan"]
        portal.call("satudata_rekomendasi_submit", "operator", id=first["id"], jalur="sistem_bps")
        portal.call("satudata_rekomendasi_record_external", "pembina", id=first["id"], outcome="ditolak",
                    note="Belum sesuai standar.")
        assert new_application(portal)["status"] == "draf"


class TestUpdate:
    def test_changes_note_and_ms_keg(self, portal):
        """The note and the MS-Keg change; the title follows the MS-Keg; the change is in the timeline."""
        app = new_application(portal)
        changed = portal.call("satudata_rekomendasi_update", "operator", id=app["id"], catatan="Baru",
                              package_id="survei-migrasi-2026")
        assert changed["catatan"] == "Baru" and changed["title"] == "Survei Migrasi 2026"
        assert _steps(changed) == ["dibuat", "diubah"]

    def test_nothing_to_change(self, portal):
        app = new_application(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_update", "operator", id=app["id"])
        assert _errors(err)["catatan"] == ["Sebutkan yang diubah: kegiatan statistik atau catatan"]

    def test_ms_keg_of_another_opd(self, portal):
        app = new_application(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_update", "operator", id=app["id"], package_id="survei-gizi-2026")
        assert _errors(err)["package_id"] == ["Kegiatan statistik harus milik OPD pemohon"]

    def test_ms_keg_already_applied_for(self, portal):
        new_application(portal, keg="keg2")
        app = new_application(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_update", "operator", id=app["id"], package_id="survei-migrasi-2026")
        assert "sudah memiliki permohonan" in _errors(err)["package_id"][0]

    def test_unknown_application(self, portal):
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_rekomendasi_update", "operator", id="tidak-ada", catatan="x")

    def test_not_once_submitted(self, portal):
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_update", "operator", id=app["id"], catatan="Terlambat")
        assert _errors(err)["status"] == ["Permohonan berstatus \u201cDiajukan\u201d tidak dapat diubah lagi"]


class TestDocuments:
    def test_adds_a_pdf(self, portal, storage):
        """The PDF is stored with its hash; the timeline names its kind and file; it is no longer missing."""
        app = new_application(portal)
        doc = portal.call("satudata_rekomendasi_document_add", "operator", id=app["id"], kind="surat_permohonan",
                          upload=upload(filename="C:\\Dokumen\\surat permohonan.pdf"))
        assert doc["kind_label"] == "Surat permohonan rekomendasi" and doc["filename"] == "surat permohonan.pdf"
        assert len(doc["sha256"]) == 64 and doc["created_by"] == "operator"
        assert doc["url"] == f"http://test.ckan.net/rekomendasi/{app['id']}/dokumen/{doc['id']}"
        assert len(stored(storage)) == 1
        shown = portal.call("satudata_rekomendasi_show", "operator", id=app["id"])
        assert [m["kind"] for m in shown["missing_documents"]] == ["kuesioner", "kak"]
        event = shown["events"][-1]
        assert event["step"] == "dokumen" and event["detail"]["kind_label"] == "Surat permohonan rekomendasi"
        assert event["detail"]["filename"] == "surat permohonan.pdf"

    @pytest.mark.parametrize("data, filename, message", [
        (b"PK\x03\x04isi", "kuesioner.docx",
         "Hanya berkas PDF yang diterima; berkas \u201ckuesioner.docx\u201d bukan PDF"),
        (b"%PDF-1.4", "tanpa-ekstensi",
         "Hanya berkas PDF yang diterima; berkas \u201ctanpa-ekstensi\u201d bukan PDF"),
        (b"", "kosong.pdf", "Berkas kosong"),
        (b"<html><script>alert(1)</script></html>", "palsu.pdf", "Isi berkas \u201cpalsu.pdf\u201d bukan PDF yang sah"),
        (b"%PDF-1.4\nrusak sekali", "rusak.pdf", "Berkas PDF \u201crusak.pdf\u201d rusak atau tidak dapat dibaca"),
    ])
    def test_bad_file(self, portal, storage, data, filename, message):
        """Only a readable PDF is kept; anything else is refused with a message and nothing is stored."""
        app = new_application(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_document_add", "operator", id=app["id"], kind="kak",
                        upload=upload(data, filename))
        assert _errors(err)["upload"] == [message]
        assert stored(storage) == [] and records.documents([app["id"]])[app["id"]] == []

    def test_no_file(self, portal, storage):
        app = new_application(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_document_add", "operator", id=app["id"], kind="kak")
        assert _errors(err)["upload"] == ["Unggah berkas PDF"]

    def test_encrypted_pdf(self, portal, storage):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
        writer.encrypt("rahasia")
        buf = io.BytesIO()
        writer.write(buf)
        app = new_application(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_document_add", "operator", id=app["id"], kind="kak",
                        upload=upload(buf.getvalue(), "terkunci.pdf"))
        assert _errors(err)["upload"] == ["PDF yang dikunci dengan kata sandi tidak dapat diterima"]
        assert stored(storage) == []

    @pytest.mark.ckan_config(config.MAX_UPLOAD_MB, 1)
    def test_too_big(self, portal, storage):
        app = new_application(portal)
        big = pdf_bytes() + b"%" + b"0" * (1024 * 1024 + 10)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_document_add", "operator", id=app["id"], kind="kak",
                        upload=upload(big, "besar.pdf"))
        assert _errors(err)["upload"] == ["Berkas terlalu besar (1,0 MB); batasnya 1 MB"]
        assert stored(storage) == []

    def test_unknown_kind(self, portal, storage):
        app = new_application(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_document_add", "operator", id=app["id"], kind="foto", upload=upload())
        assert _errors(err)["kind"] == [
            "Jenis dokumen tidak dikenal; pilih salah satu dari: surat_permohonan, kuesioner, kak, lainnya"]
        assert stored(storage) == []

    def test_kind_required(self, portal):
        app = new_application(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_document_add", "operator", id=app["id"], upload=upload())
        assert _errors(err)["kind"] == ["Pilih jenis dokumen"]

    def test_not_while_under_review(self, portal, storage):
        app = submitted(portal)
        before = len(stored(storage))
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_document_add", "operator", id=app["id"], kind="lainnya",
                        upload=upload())
        assert "tidak dapat diubah lagi" in _errors(err)["status"][0]
        assert len(stored(storage)) == before

    def test_without_storage(self, portal, ckan_config, monkeypatch):
        app = new_application(portal)
        monkeypatch.setitem(ckan_config, "ckan.storage_path", "")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_document_add", "operator", id=app["id"], kind="kak", upload=upload())
        assert _errors(err)["upload"] == ["Penyimpanan berkas belum diatur (ckan.storage_path)"]


class TestSubmit:
    def test_missing_documents_are_listed(self, portal):
        """Without every required document the application stays a draft and the message names what is missing."""
        app = new_application(portal, documents=("surat_permohonan",))
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_submit", "operator", id=app["id"])
        assert _errors(err)["documents"] == [
            "Permohonan belum dapat diajukan. Dokumen wajib yang belum diunggah: Rancangan kuesioner; Kerangka acuan "
            "kegiatan (KAK). Unggah dokumen tersebut (PDF), lalu ajukan lagi."]
        assert records.get_application(app["id"])["status"] == "draf"

    def test_submits_with_documents(self, portal):
        app = submitted(portal)
        assert app["status"] == "diajukan" and app["submitted_at"] and app["actions"] == []
        assert _steps(app) == ["dibuat", "dokumen", "dokumen", "dokumen", "diajukan"]
        assert app["events"][-1]["from_status"] == "draf" and app["events"][-1]["to_label"] == "Diajukan"

    @pytest.mark.ckan_config(config.REQUIRED_DOCUMENTS, "surat_permohonan tidak_dikenal")
    def test_required_kinds_are_configuration(self, portal):
        """The required kinds come from the configuration; an unknown kind there is ignored."""
        app = new_application(portal, documents=("surat_permohonan",))
        assert portal.call("satudata_rekomendasi_submit", "operator", id=app["id"])["status"] == "diajukan"

    def test_filed_in_bps_system(self, portal):
        """Filed in BPS's own system: no document needed here, the reference is kept, BPS's system decides."""
        app = new_application(portal)
        done = portal.call("satudata_rekomendasi_submit", "verifikator", id=app["id"], jalur="sistem_bps",
                           external_reference="ROM-2026-0042", note="Diajukan lewat sistem BPS")
        assert done["status"] == "diproses_bps" and done["jalur"] == "sistem_bps"
        assert done["external_reference"] == "ROM-2026-0042"
        event = done["events"][-1]
        assert event["detail"] == {"reference": "ROM-2026-0042"} and event["note"] == "Diajukan lewat sistem BPS"

    def test_unknown_jalur(self, portal):
        app = new_application(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_submit", "operator", id=app["id"], jalur="pos")
        assert _errors(err)["jalur"] == ["Jalur pengajuan tidak dikenal; pilih salah satu dari: portal, sistem_bps"]

    def test_not_twice(self, portal):
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_submit", "operator", id=app["id"])
        assert _errors(err)["status"] == [
            "Langkah ini tidak dapat dilakukan pada permohonan berstatus \u201cDiajukan\u201d"]


class TestReview:
    def test_revision_round_trip(self, portal):
        """The pembina asks for a revision with a note the OPD reads in the timeline; the OPD adds a document and
        submits again."""
        app = submitted(portal)
        back = portal.call("satudata_rekomendasi_request_revision", "pembina", id=app["id"],
                           note="Lengkapi blok V desain sampel.")
        assert back["status"] == "perlu_revisi"
        seen = portal.call("satudata_rekomendasi_show", "operator", id=app["id"])
        assert seen["events"][-1]["note"] == "Lengkapi blok V desain sampel."
        assert seen["events"][-1]["actor"] == "pembina" and seen["actions"] == ["update", "document_add", "submit"]
        portal.call("satudata_rekomendasi_document_add", "operator", id=app["id"], kind="lainnya",
                    upload=upload(filename="desain-sampel.pdf"))
        again = portal.call("satudata_rekomendasi_submit", "operator", id=app["id"])
        assert again["status"] == "diajukan"
        assert _steps(again)[-3:] == ["perlu_revisi", "dokumen", "diajukan"]

    def test_revision_note_required(self, portal):
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_request_revision", "pembina", id=app["id"], note=" ")
        assert _errors(err)["note"] == ["Catatan revisi wajib diisi: tuliskan apa yang harus diperbaiki OPD"]

    def test_refuse_with_reason(self, portal):
        app = submitted(portal)
        done = portal.call("satudata_rekomendasi_refuse", "pembina", id=app["id"],
                           reason="Kegiatan tumpang tindih dengan Susenas.")
        assert done["status"] == "ditolak" and done["decision_note"] == "Kegiatan tumpang tindih dengan Susenas."
        assert done["decided_by"] == "pembina" and done["events"][-1]["note"] == done["decision_note"]
        assert done["document"] is None and done["actions"] == []

    def test_refuse_reason_required(self, portal):
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_refuse", "pembina", id=app["id"])
        assert _errors(err)["reason"] == ["Alasan penolakan wajib diisi"]

    def test_issue_generates_the_letter(self, portal, storage):
        """Issuing numbers the letter, draws it (OPD, activity, decision, date, issuer), stamps it with the QR code
        of its verification page and registers the stamped file."""
        with freeze_time("2026-03-02"):
            app = submitted(portal)
        with freeze_time("2026-03-10 09:00:00"):
            done = portal.call("satudata_rekomendasi_issue", "pembina", id=app["id"], note="Gunakan KBLI 2020.")
        assert done["status"] == "terbit" and done["letter_number"] == "B-001/3514/REKOM/2026"
        code = done["document_code"]
        assert done["verification_url"] == f"http://test.ckan.net/verifikasi/{code}"
        letter = done["document"]
        assert letter["stamped"] and letter["kind"] == "rekomendasi_statistik" and letter["status"] == "sah"
        assert letter["issuer"] == "Badan Pusat Statistik Kabupaten Pasuruan"
        assert letter["issuer_organization"] == "bps-kabupaten-pasuruan"
        assert letter["title"] == "Rekomendasi kegiatan statistik: Survei Penduduk Desa 2026"
        data = (storage / "satudata_rekomendasi" / "dokumen" / f"{code}.pdf").read_bytes()
        assert hashlib.sha256(data).hexdigest() == letter["sha256"]
        text = " ".join(page_text(data).split())
        for expected in ("REKOMENDASI KEGIATAN STATISTIK", "Nomor: B-001/3514/REKOM/2026",
                         "Dinas Kependudukan dan Pencatatan Sipil", "Survei Penduduk Desa 2026", "DIREKOMENDASIKAN",
                         "Pasuruan, 10 Maret 2026", "Gunakan KBLI 2020.", "Diterbitkan melalui Portal Satu Data oleh "
                         "Pembina", f"Kode verifikasi: {code}"):
            assert expected in text, expected
        assert done["events"][-1]["detail"]["letter_number"] == "B-001/3514/REKOM/2026"
        other = submitted(portal, "keg2")
        with freeze_time("2026-04-01"):
            assert portal.call("satudata_rekomendasi_issue", "pembina", id=other["id"])["letter_number"] \
                == "B-002/3514/REKOM/2026"

    def test_issue_only_when_submitted(self, portal):
        app = new_application(portal, documents=REQUIRED)
        with pytest.raises(tk.NotAuthorized):  # a draft is not the pembina's yet
            portal.call("satudata_rekomendasi_issue", "pembina", id=app["id"])
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_issue", "sysadmin", id=app["id"])
        assert _errors(err)["status"] == [
            "Langkah ini tidak dapat dilakukan pada permohonan berstatus \u201cDraf\u201d"]

    def test_no_second_decision(self, portal):
        app = submitted(portal)
        portal.call("satudata_rekomendasi_issue", "pembina", id=app["id"])
        for action, extra in (("satudata_rekomendasi_refuse", {"reason": "Salah"}),
                              ("satudata_rekomendasi_issue", {}),
                              ("satudata_rekomendasi_request_revision", {"note": "Ubah"})):
            with pytest.raises(tk.ValidationError) as err:
                portal.call(action, "pembina", id=app["id"], **extra)
            assert "berstatus \u201cRekomendasi terbit\u201d" in _errors(err)["status"][0]

    def test_note_that_does_not_fit_the_letter(self, portal, storage):
        """A note too tall for the letter's page is refused with a message; nothing is written."""
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_issue", "pembina", id=app["id"], note="baris\n" * 166)
        assert _errors(err)["note"] == ["Surat rekomendasi tidak dapat dibuat; persingkat catatannya lalu coba lagi"]
        assert records.get_application(app["id"])["status"] == "diajukan" and stored(storage, "dokumen") == []
        assert portal.call("satudata_rekomendasi_issue", "pembina", id=app["id"])["letter_number"].startswith("B-001/")

    @pytest.mark.ckan_config(config.NUMBER_FORMAT, "B-{nomor}/{year}")
    def test_bad_number_format(self, portal, storage):
        """A numbering the configuration cannot fill refuses the issuing; nothing is written."""
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_issue", "pembina", id=app["id"])
        assert _errors(err)["letter_number"] == [
            "Format nomor surat rekomendasi di konfigurasi tidak dapat diisi: B-{nomor}/{year}"]
        assert records.get_application(app["id"])["status"] == "diajukan"
        assert stored(storage, "dokumen") == [] and records.query_documents(organization_ids=None) == []

    def test_issue_without_storage(self, portal, ckan_config, monkeypatch):
        app = submitted(portal)
        monkeypatch.setitem(ckan_config, "ckan.storage_path", "")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_issue", "pembina", id=app["id"])
        assert _errors(err)["id"] == ["Penyimpanan berkas belum diatur (ckan.storage_path)"]
        assert records.get_application(app["id"])["status"] == "diajukan"


class TestRecordExternal:
    def test_processed_then_issued_without_letter(self, portal):
        """The pembina moves an application to BPS's system, then records its outcome with that system's number
        and verification address; no letter was uploaded, so it has no portal QR code."""
        app = submitted(portal)
        moved = portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], outcome="diproses",
                            reference="ROM-77")
        assert moved["status"] == "diproses_bps" and moved["jalur"] == "sistem_bps"
        done = portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], outcome="terbit",
                           reference="B-55/35140/VS.300/2026", verification_url="https://romantik.example/v/55")
        assert done["status"] == "terbit" and done["external_reference"] == "B-55/35140/VS.300/2026"
        assert done["external_url"] == "https://romantik.example/v/55" and done["document"] is None
        assert done["events"][-1]["detail"] == {"reference": "B-55/35140/VS.300/2026",
                                                "url": "https://romantik.example/v/55"}

    def test_issued_with_uploaded_letter(self, portal, storage):
        """BPS's letter uploaded with the outcome is stamped with the portal's QR code and registered, with BPS's
        verification address as the issuer's own page."""
        app = new_application(portal)
        portal.call("satudata_rekomendasi_submit", "operator", id=app["id"], jalur="sistem_bps")
        done = portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], outcome="terbit",
                           reference="B-56/35140/VS.300/2026", verification_url="https://romantik.example/v/56",
                           upload=upload(pdf_bytes("Surat BPS"), "surat-bps.pdf"))
        letter = done["document"]
        assert letter["stamped"] and letter["external_url"] == "https://romantik.example/v/56"
        assert done["events"][-1]["detail"]["code"] == letter["code"]
        assert len(stored(storage, "dokumen")) == 1

    def test_reference_required_for_terbit(self, portal):
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], outcome="terbit")
        assert _errors(err)["reference"] == ["Nomor rekomendasi dari sistem BPS wajib diisi"]

    def test_reason_required_for_ditolak(self, portal):
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], outcome="ditolak")
        assert _errors(err)["note"] == ["Alasan penolakan wajib diisi"]

    @pytest.mark.parametrize("data, field, message", [
        ({}, "outcome", "Pilih hasil dari sistem BPS"),
        ({"outcome": "selesai"}, "outcome", "Hasil tidak dikenal; pilih salah satu dari: diproses, terbit, ditolak"),
        ({"outcome": "terbit", "reference": "B-1", "verification_url": "romantik.example/v/1"}, "verification_url",
         "Tautan harus alamat web lengkap yang diawali http:// atau https://"),
        ({"outcome": "terbit", "reference": "B" * 201}, "reference", "Paling panjang 200 karakter"),
    ])
    def test_bad_input(self, portal, data, field, message):
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], **data)
        assert _errors(err)[field] == [message]

    def test_letter_only_for_terbit(self, portal, storage):
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], outcome="diproses",
                        upload=upload())
        assert _errors(err)["upload"] == ["Surat hanya dapat diunggah untuk rekomendasi yang terbit"]
        assert stored(storage, "dokumen") == []

    def test_bad_letter(self, portal, storage):
        app = submitted(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], outcome="terbit",
                        reference="B-1", upload=upload(b"GIF89a", "surat.gif"))
        assert _errors(err)["upload"] == ["Hanya berkas PDF yang diterima; berkas \u201csurat.gif\u201d bukan PDF"]
        assert stored(storage, "dokumen") == [] and records.get_application(app["id"])["status"] == "diajukan"

    def test_not_twice(self, portal):
        app = submitted(portal)
        portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], outcome="ditolak", note="Tidak")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], outcome="terbit",
                        reference="B-1")
        assert "berstatus \u201cDitolak\u201d" in _errors(err)["outcome"][0]

    def test_processing_is_not_a_decision(self, portal):
        """Only a decided application leaves room for another on its MS-Keg."""
        app = submitted(portal)
        portal.call("satudata_rekomendasi_record_external", "pembina", id=app["id"], outcome="diproses")
        with pytest.raises(tk.ValidationError):
            new_application(portal)


class TestList:
    def test_filters_and_order(self, portal):
        first = submitted(portal)
        second = new_application(portal, keg="keg2")
        found = portal.call("satudata_rekomendasi_list", "operator")
        assert [a["id"] for a in found["results"]] == [second["id"], first["id"]] and found["count"] == 2
        assert "events" not in found["results"][0]
        assert [a["id"] for a in portal.call("satudata_rekomendasi_list", "operator", status="draf")["results"]] \
            == [second["id"]]
        oldest = portal.call("satudata_rekomendasi_list", "walidata", sort="terlama")["results"]
        assert [a["id"] for a in oldest] == [first["id"], second["id"]]
        assert portal.call("satudata_rekomendasi_list", "walidata", organization="dinas-kesehatan")["count"] == 0
        assert portal.call("satudata_rekomendasi_list", "walidata", package_id="survei-migrasi-2026",
                           limit=1)["results"][0]["id"] == second["id"]

    @pytest.mark.parametrize("data, field, message", [
        ({"status": "selesai"}, "status", "Status tidak dikenal; pilih salah satu dari: draf, diajukan, perlu_revisi, "
                                          "diproses_bps, terbit, ditolak"),
        ({"organization": "tidak-ada"}, "organization", "Organisasi tidak ditemukan"),
        ({"package_id": "tidak-ada"}, "package_id", "Kegiatan statistik (MS-Keg) tidak ditemukan"),
        ({"sort": "acak"}, "sort", "Urutan tidak dikenal; pilih salah satu dari: terbaru, terlama"),
        ({"limit": "banyak"}, "limit", "Harus berupa bilangan bulat"),
        ({"offset": -1}, "offset", "Harus antara 0 dan 1000000000"),
    ])
    def test_bad_filter(self, portal, data, field, message):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_rekomendasi_list", "walidata", **data)
        assert _errors(err)[field] == [message]


class TestKpi:
    def _scene(self, portal):
        """2025: one issued in the portal (QR). 2026: one from BPS's system without a letter, one with an uploaded
        letter, one refused, one under review, one draft."""
        with freeze_time("2025-11-03"):
            a = submitted(portal)
            portal.call("satudata_rekomendasi_issue", "pembina", id=a["id"])
        with freeze_time("2026-02-02"):
            b = submitted(portal)
            portal.call("satudata_rekomendasi_record_external", "pembina", id=b["id"], outcome="terbit",
                        reference="B-9")
            c = new_application(portal, keg="keg2")
            portal.call("satudata_rekomendasi_submit", "operator", id=c["id"], jalur="sistem_bps")
            portal.call("satudata_rekomendasi_record_external", "pembina", id=c["id"], outcome="terbit",
                        reference="B-10", upload=upload())
            d = new_application(portal, "operator_lain", keg="lain", documents=REQUIRED)
            portal.call("satudata_rekomendasi_submit", "operator_lain", id=d["id"])
            portal.call("satudata_rekomendasi_refuse", "pembina", id=d["id"], reason="Duplikasi")
            e = new_application(portal, "operator_lain", keg="lain", documents=REQUIRED)
            portal.call("satudata_rekomendasi_submit", "operator_lain", id=e["id"])
            new_application(portal)  # a draft: not an application yet

    def test_counts_per_year_and_opd(self, portal):
        """Anyone reads the KPI; an outcome recorded without a letter counts as issued without a QR code."""
        self._scene(portal)
        kpi = helpers_call("satudata_rekomendasi_kpi")
        assert (kpi["applications"], kpi["issued"], kpi["issued_with_qr"], kpi["refused"]) == (5, 3, 2, 1)
        assert kpi["share"] == 0.6667 and kpi["target"] == 1.0
        assert kpi["per_year"]["2025"] == {"applications": 1, "issued": 1, "issued_with_qr": 1, "refused": 0,
                                           "share": 1.0}
        assert kpi["per_year"]["2026"] == {"applications": 4, "issued": 2, "issued_with_qr": 1, "refused": 1,
                                           "share": 0.5}
        opd, other = portal.opd["id"], portal.other_opd["id"]
        assert kpi["per_opd"][opd]["issued"] == 3 and kpi["per_opd"][opd]["issued_with_qr"] == 2
        assert kpi["per_opd"][other] == {"organization": "dinas-kesehatan", "title": "Dinas Kesehatan",
                                         "applications": 2, "issued": 0, "issued_with_qr": 0, "refused": 1,
                                         "share": None}
        only = helpers_call("satudata_rekomendasi_kpi", year=2025)
        assert (only["applications"], only["issued"], list(only["per_year"])) == (1, 1, ["2025"])
        mine = helpers_call("satudata_rekomendasi_kpi", organization="dinas-kesehatan")
        assert (mine["applications"], mine["issued"], list(mine["per_opd"])) == (2, 0, [other])

    def test_empty(self, portal):
        kpi = helpers_call("satudata_rekomendasi_kpi")
        assert kpi == {"applications": 0, "issued": 0, "issued_with_qr": 0, "refused": 0, "share": None,
                       "target": 1.0, "per_year": {}, "per_opd": {}}

    @pytest.mark.parametrize("data, field, message", [
        ({"year": "dua ribu"}, "year", "Harus berupa bilangan bulat"),
        ({"year": 1990}, "year", "Harus antara 2000 dan 2100"),
        ({"organization": "tidak-ada"}, "organization", "Organisasi tidak ditemukan"),
    ])
    def test_bad_filter(self, portal, data, field, message):
        with pytest.raises(tk.ValidationError) as err:
            helpers_call("satudata_rekomendasi_kpi", **data)
        assert _errors(err)[field] == [message]


def helpers_call(action: str, **data):
    """As an anonymous visitor."""
    from ckan.tests import helpers
    return helpers.call_action(action, context={"user": "", "ignore_auth": False}, **data)
