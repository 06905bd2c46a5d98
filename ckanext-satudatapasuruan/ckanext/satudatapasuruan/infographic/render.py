"""Drawing an infographic in an official template (pure: Pillow and segno, no CKAN, no I/O).

The page, top to bottom: the header band (portal name), an accent rule, the title, the artwork scaled to
fit, and the footer with the source line, the template's footer text, the short address and its QR code.
Sizes follow a unit of 1/100 of the page's shorter side, so one template gives the web image (scale 1) and
the print page (scale print_dpi / web_dpi) with the same proportions.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from typing import Any

import segno
from PIL import Image, ImageDraw, ImageFont

__all__ = ["Layout", "Content", "Fonts", "HEX_COLOUR", "QR_MIN_CM", "compose", "qr_image", "qr_side_px",
           "to_png", "to_pdf", "thumbnail", "contrast_ratio", "wrap"]

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# A QR code printed smaller than this is hard to scan from a poster at arm's length.
QR_MIN_CM = 2.5
_INK = (26, 26, 26)
_MUTED = (68, 68, 68)
_FOOTER_BG = (243, 244, 246)
_WHITE = (255, 255, 255)


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    dpi: int
    header_text: str
    footer_text: str
    header_background: str
    header_color: str
    accent_color: str

    @classmethod
    def of(cls, template: dict[str, Any], scale: float = 1.0) -> Layout:
        """The template's page at ``scale`` (1 = web size at the template's web dpi)."""
        return cls(width=round(template["width"] * scale), height=round(template["height"] * scale),
                   dpi=round(template["web_dpi"] * scale), header_text=template["header_text"],
                   footer_text=template.get("footer_text") or "", header_background=template["header_background"],
                   header_color=template["header_color"], accent_color=template["accent_color"])


@dataclass(frozen=True)
class Content:
    title: str
    source_line: str
    short_url: str
    artwork: Image.Image | None = None
    # Shown in the artwork's place when there is no drawable artwork (e.g. a PDF without Ghostscript).
    notice: str = ""
    scan_hint: str = ""


@dataclass(frozen=True)
class Fonts:
    regular: str = ""
    bold: str = ""

    def get(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        size = max(8, int(size))
        for path in ((self.bold, self.regular) if bold else (self.regular,)):
            if path:
                try:
                    return ImageFont.truetype(path, size)
                except OSError:
                    continue
        return ImageFont.load_default(size)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    def luminance(colour: str) -> float:
        channels = []
        for c in _rgb(colour):
            s = c / 255
            channels.append(s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def wrap(draw: ImageDraw.ImageDraw, text: str, font, max_width: int, max_lines: int) -> list[str]:
    """Words in lines no wider than ``max_width``; the last line ends in an ellipsis when text is left over."""
    lines: list[str] = []
    current = ""
    words = text.split()
    for index, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= max_width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            current = ""
            rest = " ".join(words[index:])
            lines[-1] = _ellipsis(draw, f"{lines[-1]} {rest}", font, max_width)
            break
    if current:
        lines.append(current)
    return [_ellipsis(draw, line, font, max_width) for line in lines[:max_lines]]


def _ellipsis(draw, text: str, font, max_width: int) -> str:
    if draw.textlength(text, font=font) <= max_width:
        return text
    while text and draw.textlength(text + "…", font=font) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def qr_side_px(unit: float, dpi: int) -> int:
    """The QR code's side: a fifth of the page's short side, never under ``QR_MIN_CM`` at the page's dpi."""
    return max(round(18 * unit), math.ceil(QR_MIN_CM / 2.54 * dpi))


def qr_image(url: str, side_px: int) -> Image.Image:
    """The QR code of ``url`` with its quiet zone, in whole pixels per module, at least ``side_px`` wide."""
    qr = segno.make(url, error="m", micro=False)
    modules = qr.symbol_size(scale=1, border=4)[0]
    scale = max(2, math.ceil(side_px / modules))
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=scale, border=4)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def _fit(image: Image.Image, box_w: int, box_h: int) -> Image.Image:
    ratio = min(box_w / image.width, box_h / image.height)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.LANCZOS)


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, _WHITE)
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def compose(layout: Layout, content: Content, fonts: Fonts | None = None) -> Image.Image:
    """The framed infographic as an RGB image of the layout's size."""
    fonts = fonts or Fonts()
    W, H = layout.width, layout.height
    unit = min(W, H) / 100
    margin = round(4 * unit)
    page = Image.new("RGB", (W, H), _WHITE)
    draw = ImageDraw.Draw(page)

    # Header band and accent rule; the portal name shrinks to fit one line.
    header_h = round(12 * unit)
    draw.rectangle([0, 0, W, header_h], fill=_rgb(layout.header_background))
    size = 4.4 * unit
    header_font = fonts.get(round(size), bold=True)
    while size > 2 * unit and draw.textlength(layout.header_text, font=header_font) > W - 2 * margin:
        size *= 0.92
        header_font = fonts.get(round(size), bold=True)
    line = wrap(draw, layout.header_text, header_font, W - 2 * margin, 1)[0] if layout.header_text else ""
    draw.text((margin, header_h / 2), line, font=header_font, fill=_rgb(layout.header_color), anchor="lm")
    rule_h = max(2, round(0.8 * unit))
    draw.rectangle([0, header_h, W, header_h + rule_h], fill=_rgb(layout.accent_color))
    y = header_h + rule_h + round(2.5 * unit)

    # Title (two lines at most).
    title_font = fonts.get(round(4 * unit), bold=True)
    for text in wrap(draw, content.title, title_font, W - 2 * margin, 2):
        draw.text((margin, y), text, font=title_font, fill=_INK, anchor="la")
        y += round(5.2 * unit)
    y += round(1.5 * unit)

    # Footer: QR on the right, text on the left; as tall as the taller of the two.
    qr = qr_image(content.short_url, qr_side_px(unit, layout.dpi))
    pad = round(2 * unit)
    text_w = W - 3 * margin - qr.width
    source_font = fonts.get(round(2.8 * unit), bold=True)
    small_font = fonts.get(round(2.3 * unit))
    source_step, small_step = round(3.6 * unit), round(3 * unit)
    source_lines = wrap(draw, content.source_line, source_font, text_w, 4)
    small_lines = [t for extra in (content.scan_hint, content.short_url, layout.footer_text) if extra
                   for t in wrap(draw, extra, small_font, text_w, 2)]
    text_h = len(source_lines) * source_step + round(1 * unit) + len(small_lines) * small_step
    footer_h = max(round(22 * unit), qr.height + 2 * pad, text_h + 2 * pad + rule_h)
    footer_top = H - footer_h
    draw.rectangle([0, footer_top, W, H], fill=_FOOTER_BG)
    draw.rectangle([0, footer_top, W, footer_top + rule_h], fill=_rgb(layout.accent_color))
    page.paste(qr, (W - margin - qr.width, footer_top + rule_h + (footer_h - rule_h - qr.height) // 2))
    ty = footer_top + rule_h + (footer_h - rule_h - text_h) // 2
    for text in source_lines:
        draw.text((margin, ty), text, font=source_font, fill=_INK, anchor="la")
        ty += source_step
    ty += round(1 * unit)
    for text in small_lines:
        draw.text((margin, ty), text, font=small_font, fill=_MUTED, anchor="la")
        ty += small_step

    # The artwork fills what is left between the title and the footer.
    box_top, box_bottom = y, footer_top - round(2 * unit)
    box_w, box_h = W - 2 * margin, max(1, box_bottom - box_top)
    if content.artwork is not None:
        art = _fit(_flatten(content.artwork), box_w, box_h)
        page.paste(art, (margin + (box_w - art.width) // 2, box_top + (box_h - art.height) // 2))
    else:
        draw.rectangle([margin, box_top, margin + box_w, box_bottom], outline=_MUTED, width=max(1, round(0.3 * unit)))
        notice_font = fonts.get(round(3 * unit))
        lines = wrap(draw, content.notice, notice_font, box_w - 2 * margin, 4)
        cy = box_top + box_h / 2 - len(lines) * 2 * unit
        for text in lines:
            draw.text((W / 2, cy), text, font=notice_font, fill=_MUTED, anchor="ma")
            cy += round(4 * unit)
    return page


def to_png(image: Image.Image, dpi: int | None = None) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=True, **({"dpi": (dpi, dpi)} if dpi else {}))
    return buf.getvalue()


def to_pdf(image: Image.Image, dpi: int, title: str = "") -> bytes:
    """One page of the image's size at ``dpi`` (A4 for the A4 template at its print dpi)."""
    buf = io.BytesIO()
    image.save(buf, "PDF", resolution=float(dpi), quality=95, title=title or None,
               producer="Portal Satu Data Kabupaten Pasuruan")
    return buf.getvalue()


def thumbnail(image: Image.Image, width: int) -> bytes:
    small = image.copy()
    small.thumbnail((width, round(width * image.height / image.width)), Image.LANCZOS)
    buf = io.BytesIO()
    small.save(buf, "PNG", optimize=True)
    return buf.getvalue()
