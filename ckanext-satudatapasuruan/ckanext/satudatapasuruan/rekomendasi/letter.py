"""The recommendation letter as a PDF (reportlab; pure: no CKAN, no I/O).

A4: the letterhead (issuer and address over a rule), the title and number, the addressee OPD, the activity,
the decision, the place and date, and the issuer. The bottom margin leaves room for the verification stamp the
register draws on the last page. An official letter of BPS is written in Indonesian whatever the language of
the portal's reader, so its text is not translated.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .fonts import Fonts

__all__ = ["Letter", "MONTHS", "tanggal", "render"]

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
CARA_PENGUMPULAN = {"pencacahan_lengkap": "Pencacahan lengkap", "survei": "Survei",
                    "kompilasi_administrasi": "Kompilasi produk administrasi", "cara_lain": "Cara lain"}


def tanggal(day: dt.date) -> str:
    """``10 Maret 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Letter:
    issuer: str
    address: str
    number: str
    date: dt.date
    opd: str
    activity: str
    tahun: str
    cara_pengumpulan: str
    application_id: str
    issued_by: str
    note: str = ""
    place: str = "Pasuruan"


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def render(letter: Letter, fonts: Fonts) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=18 * mm,
                            bottomMargin=42 * mm, title=f"Rekomendasi Kegiatan Statistik {letter.number}",
                            author=letter.issuer, subject=letter.activity)
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=10.5, leading=15, alignment=TA_JUSTIFY)
    centre = ParagraphStyle("centre", parent=body, alignment=TA_CENTER)
    head = ParagraphStyle("head", parent=centre, fontName=fonts.bold, fontSize=14, leading=18)
    small = ParagraphStyle("small", parent=centre, fontSize=9, leading=12)
    title = ParagraphStyle("title", parent=centre, fontName=fonts.bold, fontSize=12, leading=16)
    cell = ParagraphStyle("cell", parent=body, alignment=0)
    story = [_p(letter.issuer.upper(), head)]
    if letter.address:
        story.append(_p(letter.address, small))
    story += [Spacer(1, 2 * mm), HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceAfter=1),
              HRFlowable(width="100%", thickness=0.5, color=colors.black, spaceAfter=8 * mm),
              _p("REKOMENDASI KEGIATAN STATISTIK", title), _p(f"Nomor: {letter.number}", centre),
              Spacer(1, 8 * mm),
              _p(f"Kepada Yth. Kepala {letter.opd}", body), _p(f"di {letter.place}", body), Spacer(1, 5 * mm),
              _p("Berdasarkan Undang-Undang Nomor 16 Tahun 1997 tentang Statistik dan Peraturan Presiden Nomor 39 "
                 "Tahun 2019 tentang Satu Data Indonesia, setelah menelaah permohonan dan rancangan kegiatan yang "
                 f"diajukan, {letter.issuer} memberikan rekomendasi atas rencana penyelenggaraan kegiatan "
                 "statistik sektoral berikut:", body),
              Spacer(1, 4 * mm)]
    rows = [("Judul kegiatan", letter.activity), ("Tahun kegiatan", letter.tahun or "-"),
            ("Penyelenggara", letter.opd),
            ("Cara pengumpulan data", CARA_PENGUMPULAN.get(letter.cara_pengumpulan, letter.cara_pengumpulan or "-")),
            ("Nomor permohonan", letter.application_id), ("Keputusan", "DIREKOMENDASIKAN")]
    if letter.note:
        rows.append(("Catatan", letter.note))
    table = Table([[_p(k, cell), _p(":", cell), _p(v, cell)] for k, v in rows],
                  colWidths=(45 * mm, 4 * mm, None))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    story += [table, Spacer(1, 5 * mm),
              _p("Penyelenggara kegiatan agar menyampaikan metadata kegiatan, metadata variabel dan indikator, serta "
                 f"hasil kegiatan statistik kepada {letter.issuer} sesuai ketentuan peraturan perundang-undangan, "
                 "dan mencantumkan nomor rekomendasi ini pada publikasinya.", body),
              Spacer(1, 10 * mm)]
    signature = ParagraphStyle("signature", parent=body, alignment=0, leftIndent=85 * mm)
    story += [_p(f"{letter.place}, {tanggal(letter.date)}", signature), _p(letter.issuer, signature),
              Spacer(1, 6 * mm), _p(f"Diterbitkan melalui Portal Satu Data oleh {letter.issued_by}", signature)]
    doc.build(story)
    return buf.getvalue()
