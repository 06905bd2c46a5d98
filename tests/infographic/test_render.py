"""The drawing and the artwork checks, without CKAN: generated images in, pixels and decoded QR codes out."""
from __future__ import annotations

import io
import os
import re
import shutil

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from ckanext.satudatapasuruan.infographic import artwork, render
from ckanext.satudatapasuruan.infographic.records import DEFAULT_TEMPLATES

PORTRAIT, LANDSCAPE = DEFAULT_TEMPLATES
URL = "http://portal.test/i/ABC2345"
FONTS = render.Fonts("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
RED = (200, 40, 40)


def _content(art: Image.Image | None = None, notice: str = "") -> render.Content:
    return render.Content(title="Jumlah Penduduk Menurut Kecamatan 2024",
                          source_line="Sumber: Dinas Kependudukan dan Pencatatan Sipil — Jumlah Penduduk, periode 2024",
                          short_url=URL, artwork=art, notice=notice, scan_hint="Pindai kode QR:")


def _png(kind="PNG", size=(800, 600), colour=RED, mode="RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, colour).save(buf, kind)
    return buf.getvalue()


def _pdf() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (600, 400), RED).save(buf, "PDF", resolution=72.0)
    return buf.getvalue()


class TestCompose:
    @pytest.mark.parametrize("template", DEFAULT_TEMPLATES, ids=lambda t: t["name"])
    @pytest.mark.parametrize("scale", [1, 2])
    def test_page_size_and_qr_decodes(self, template, scale):
        """Each template gives a page of its size (scaled for print) whose QR code reads back the short URL."""
        page = render.compose(render.Layout.of(template, scale), _content(Image.new("RGB", (800, 600), RED)), FONTS)
        assert page.size == (template["width"] * scale, template["height"] * scale)
        assert [d.data.decode() for d in decode(page)] == [URL]

    def test_qr_is_big_enough_to_scan_in_print(self):
        """At the print resolution the QR code is at least 2.5 cm wide."""
        layout = render.Layout.of(LANDSCAPE, LANDSCAPE["print_dpi"] / LANDSCAPE["web_dpi"])
        page = render.compose(layout, _content(), FONTS)
        symbol = decode(page)[0].rect
        assert symbol.width / layout.dpi * 2.54 >= render.QR_MIN_CM * 0.8  # the code without its quiet zone
        assert render.qr_side_px(10, 300) >= 2.5 / 2.54 * 300

    def test_header_band_and_artwork_fit(self):
        """The header has the template's colour; a wide artwork is scaled into the body, not cropped."""
        page = render.compose(render.Layout.of(PORTRAIT), _content(Image.new("RGB", (3000, 1000), RED)), FONTS)
        assert page.getpixel((5, 5)) == (0x0B, 0x4F, 0x6C)
        w, h = page.size
        assert page.getpixel((w // 2, h // 2)) == RED
        row = [page.getpixel((x, h // 2)) for x in range(w)]
        red = [x for x, px in enumerate(row) if px == RED]
        assert red[0] > 0 and red[-1] < w - 1  # margins on both sides: the whole width fits

    def test_transparent_artwork_on_white(self):
        art = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
        page = render.compose(render.Layout.of(PORTRAIT), _content(art), FONTS)
        assert page.getpixel((page.width // 2, page.height // 2)) == (255, 255, 255)

    def test_notice_instead_of_missing_artwork(self):
        """Without a drawable artwork the body holds the notice, and the page is still complete."""
        page = render.compose(render.Layout.of(PORTRAIT), _content(None, "Pratinjau PDF tidak tersedia"), FONTS)
        assert page.getpixel((page.width // 2, page.height // 2)) != RED
        assert [d.data.decode() for d in decode(page)] == [URL]

    def test_builtin_font_when_files_missing(self):
        page = render.compose(render.Layout.of(LANDSCAPE), _content(), render.Fonts("/tidak/ada.ttf", ""))
        assert page.size == (LANDSCAPE["width"], LANDSCAPE["height"])


class TestEncoding:
    def test_pdf_page_is_a4_at_print_dpi(self):
        """The landscape template's print PDF is one A4 page (842 x 595 pt)."""
        layout = render.Layout.of(LANDSCAPE, 2)
        data = render.to_pdf(render.compose(layout, _content(), FONTS), LANDSCAPE["print_dpi"], title="Uji")
        assert data.startswith(b"%PDF")
        box = [float(v) for v in re.search(rb"/MediaBox \[ ?([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", data).groups()]
        assert round(box[2]) == 842 and round(box[3]) == 595

    def test_png_and_thumbnail(self):
        page = render.compose(render.Layout.of(PORTRAIT), _content(), FONTS)
        assert Image.open(io.BytesIO(render.to_png(page, 150))).size == (1080, 1350)
        assert Image.open(io.BytesIO(render.thumbnail(page, 240))).size == (240, 300)

    def test_contrast_ratio(self):
        assert round(render.contrast_ratio("#000000", "#ffffff")) == 21
        assert render.contrast_ratio("#777777", "#777777") == 1
        assert render.contrast_ratio("#ffffff", "#0b4f6c") >= 4.5

    def test_wrap_ends_with_ellipsis(self):
        from PIL import ImageDraw

        draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
        font = FONTS.get(20)
        lines = render.wrap(draw, "kata " * 60, font, 200, 2)
        assert len(lines) == 2 and lines[-1].endswith("…")
        assert all(draw.textlength(line, font=font) <= 200 for line in lines)
        assert render.wrap(draw, "pendek", font, 200, 2) == ["pendek"]


class TestArtwork:
    @pytest.mark.parametrize("kind", ["PNG", "JPEG"])
    def test_images_accepted(self, kind):
        found = artwork.inspect(_png(kind), 10_000_000)
        assert (found.kind, found.width, found.height) == (kind, 800, 600)

    def test_pdf_accepted(self):
        assert artwork.inspect(_pdf(), 10_000_000).kind == "PDF"

    @pytest.mark.parametrize("data", [b"bukan gambar, hanya teks", _png("GIF", mode="P", colour=1),
                                      _png("BMP"), _png()[:200], b"%PDF-1.4 terpotong"],
                             ids=["text", "gif", "bmp", "truncated-png", "truncated-pdf"])
    def test_not_artwork_refused(self, data):
        """The content decides, not the name: text, GIF, BMP and truncated files are refused."""
        with pytest.raises(artwork.ArtworkError) as err:
            artwork.inspect(data, 10_000_000)
        assert err.value.msgid == artwork.NOT_ARTWORK

    def test_empty_refused(self):
        with pytest.raises(artwork.ArtworkError) as err:
            artwork.inspect(b"", 10_000_000)
        assert err.value.msgid == artwork.EMPTY

    def test_too_many_pixels(self):
        with pytest.raises(artwork.ArtworkError) as err:
            artwork.inspect(_png(size=(2000, 2000)), 1_000_000)
        assert err.value.msgid == artwork.TOO_MANY_PIXELS and err.value.values == {"limit": 1}

    def test_size_cap(self):
        """Reading stops past the cap; the stream is rewound for CKAN's uploader."""
        stream = io.BytesIO(os.urandom(2 * 1024 * 1024))
        with pytest.raises(artwork.ArtworkError) as err:
            artwork.read_limited(stream, 1024 * 1024)
        assert err.value.msgid == artwork.TOO_BIG and err.value.values == {"limit": 1}
        assert stream.tell() == 0
        assert len(artwork.read_limited(io.BytesIO(b"abc"), 10)) == 3

    @pytest.mark.skipif(not shutil.which("gs"), reason="Ghostscript is not installed")
    def test_pdf_first_page_through_ghostscript(self):
        image = artwork.load(_pdf(), "gs", 72)
        assert image.size == (600, 400) and image.convert("RGB").getpixel((300, 200)) == RED

    def test_pdf_without_ghostscript(self):
        assert artwork.load(_pdf(), "", 72) is None
        assert artwork.load(_pdf(), "/tidak/ada/gs", 72) is None
