"""Demo of the rekomendasi statistik (run by deploy/setup.sh with the portal's ini; once: a portal that has
applications keeps its own).

Dinas Kependudukan dan Pencatatan Sipil's operator applies for a recommendation for a planned survey (an MS-Keg
record) with the three required PDFs; BPS's pembina issues it, so its letter carries a verification QR. A second
application for the same survey is issued later and the first letter revoked by the walidata, replaced: the
verification page shows one letter *sah* and one *dicabut* with its reason.

    .venv/bin/python deploy/demo/rekomendasi.py config/local.ini
"""
from __future__ import annotations

import io
import sys

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from werkzeug.datastructures import FileStorage

OPD = "dinas-kependudukan-dan-pencatatan-sipil"
MS_KEG = {
    "type": "kegiatan-statistik", "name": "contoh-survei-mobilitas-penduduk-2026", "owner_org": OPD,
    "title": "[Contoh] Survei Mobilitas Penduduk Kabupaten Pasuruan 2026", "tahun": "2026",
    "cara_pengumpulan": "survei", "urusan": "2.12", "jenis_kegiatan": "sektoral",
    "penyelenggara_instansi": "Dinas Kependudukan dan Pencatatan Sipil", "pj_unit_eselon": "Bidang Data",
    "pj_teknis_nama": "[Contoh] Siti Aminah", "latar_belakang": "[Contoh] Perencanaan layanan adminduk keliling.",
    "tujuan": "[Contoh] Mengukur mobilitas penduduk antarkecamatan.", "jenis_rancangan_sampel": "Dua tahap",
    "metode_pemilihan_sampel": "PPS", "ukuran_sampel": "1200"}
DOCUMENTS = {"surat_permohonan": "Surat permohonan rekomendasi", "kuesioner": "Rancangan kuesioner",
             "kak": "Kerangka acuan kegiatan"}


def _pdf(title: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 770, f"[Contoh] {title}")
    page.setFont("Helvetica", 11)
    page.drawString(72, 745, MS_KEG["title"])
    page.drawString(72, 725, "Dokumen demo Portal Satu Data Kabupaten Pasuruan, dibuat oleh deploy/setup.sh.")
    page.showPage()
    page.save()
    return out.getvalue()


def main(ini: str) -> None:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as tk

        def call(action: str, who: str, **data):
            return tk.get_action(action)({"user": who, "ignore_auth": False}, data)

        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        if call("satudata_rekomendasi_list", site)["count"]:
            return
        try:
            keg = call("package_show", site, id=MS_KEG["name"])
        except tk.ObjectNotFound:
            keg = call("package_create", "contoh-operator", **MS_KEG)
        letters = []
        for note in ("[Contoh] Rekomendasi awal.", "[Contoh] Rekomendasi pengganti: ukuran sampel diperbarui."):
            application = call("satudata_rekomendasi_create", "contoh-operator", package_id=keg["id"],
                               catatan="[Contoh] Mohon rekomendasi untuk survei mobilitas penduduk.")
            for kind, title in DOCUMENTS.items():
                call("satudata_rekomendasi_document_add", "contoh-operator", id=application["id"], kind=kind,
                     upload=FileStorage(stream=io.BytesIO(_pdf(title)), filename=f"{kind}.pdf",
                                        content_type="application/pdf"))
            call("satudata_rekomendasi_submit", "contoh-operator", id=application["id"])
            letters.append(call("satudata_rekomendasi_issue", "contoh-pembina", id=application["id"], note=note))
        call("satudata_document_revoke", "contoh-walidata", code=letters[0]["document_code"],
             reason="[Contoh] Diganti surat rekomendasi yang baru (ukuran sampel diperbarui).")
        for letter in letters:
            print(f"{letter['letter_number']}: {letter['verification_url']}")


if __name__ == "__main__":
    main(sys.argv[1])
