"""Stamping a verification QR code and a text line onto a PDF (pure: segno, reportlab, pypdf; no CKAN, no I/O).

reportlab draws an overlay page of the target page's size with the QR code (segno's modules as vector squares,
so it stays sharp at any print resolution, with its quiet zone on white) in the bottom-right corner and the text
line beside it; pypdf merges the overlay onto the first or last page. The rest of the document is copied as it
is.
"""
from __future__ import annotations

import io

import segno
from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

__all__ = ["QR_SIDE_MM", "MARGIN_MM", "qr_code", "overlay", "stamp"]

# A QR code printed smaller than about 2 cm is hard for a phone to read from a sheet of paper.
QR_SIDE_MM = 22
MARGIN_MM = 8
_BORDER = 4  # modules of quiet zone (the QR standard's)


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def _fit(text: str, font: str, width: float, size: float = 7.5, smallest: float = 5.0) -> tuple[str, float]:
    """The line at the largest size (down to ``smallest``) that fits ``width``, cut short with an ellipsis when
    even the smallest does not, so that it never runs under the QR code."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.25
    while len(text) > 1 and stringWidth(text, font, size) > width:
        text = text[:-2].rstrip() + "…"
    return text, size


def overlay(width: float, height: float, url: str, lines: list[str], font: str = "Helvetica") -> bytes:
    """One page of ``width`` x ``height`` points, transparent but for the QR code of ``url`` (bottom right) and
    ``lines`` of text to its left, bottom-aligned."""
    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=(width, height))
    qr = qr_code(url)
    matrix = [list(row) for row in qr.matrix]
    count = len(matrix) + 2 * _BORDER
    side = min(QR_SIDE_MM * mm, width / 3, height / 3)
    module = side / count
    margin = min(MARGIN_MM * mm, width / 20, height / 20)
    left, bottom = width - margin - side, margin
    page.setFillColorRGB(1, 1, 1)
    page.rect(left, bottom, side, side, stroke=0, fill=1)
    page.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules in a row
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                page.rect(left + (_BORDER + start) * module, bottom + side - (_BORDER + r + 1) * module,
                          (c - start) * module, module, stroke=0, fill=1)
            else:
                c += 1
    text_width = left - 2 * margin
    y = bottom + 2
    for line in reversed(lines):
        line, size = _fit(line, font, text_width)
        page.setFont(font, size)
        box = stringWidth(line, font, size)
        page.setFillColorRGB(1, 1, 1)  # a white band keeps the line readable over the page's own content
        page.rect(margin - 1, y - 1.5, box + 2, size + 2, stroke=0, fill=1)
        page.setFillColorRGB(0, 0, 0)
        page.drawString(margin, y, line)
        y += size + 3
    page.showPage()
    page.save()
    return buf.getvalue()


def stamp(pdf: bytes, url: str, lines: list[str], page: str = "last", font: str = "Helvetica",
          metadata: dict[str, str] | None = None) -> bytes:
    """``pdf`` with the QR code of ``url`` and ``lines`` drawn on its ``first`` or ``last`` page.

    :raises pypdf.errors.PdfReadError: (and pypdf's other errors) the PDF cannot be read
    """
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    target = writer.pages[0 if page == "first" else -1]
    target.transfer_rotation_to_content()  # draw upright on a rotated page
    box = target.mediabox
    drawn = PdfReader(io.BytesIO(overlay(float(box.width), float(box.height), url, lines, font))).pages[0]
    target.merge_transformed_page(drawn, Transformation().translate(float(box.left), float(box.bottom)))
    if metadata:
        writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
