"""The artwork of an infographic: what an upload really is (read with Pillow, not its name) and the image
drawn into the official frame (the first page of a PDF through Ghostscript, when installed)."""
from __future__ import annotations

import io
import logging
import shutil
import subprocess
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from ckanext.satudatapasuruan.messages import N_

__all__ = ["ArtworkError", "Artwork", "KINDS", "inspect", "read_limited", "load", "pdf_first_page"]

log = logging.getLogger(__name__)

KINDS = ("PNG", "JPEG", "PDF")
_PDF_MAGIC = b"%PDF-"
_GS_TIMEOUT = 30  # seconds for one page


class ArtworkError(ValueError):
    """An upload that is not a usable artwork; ``msgid`` is the Indonesian message (translated by the caller),
    ``values`` its placeholders."""

    def __init__(self, msgid: str, **values: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.values = values


@dataclass(frozen=True)
class Artwork:
    kind: str  # one of KINDS
    width: int = 0
    height: int = 0


TOO_BIG = N_("Berkas infografis terlalu besar: maksimal {limit} MB")
NOT_ARTWORK = N_("Berkas infografis harus berupa gambar PNG atau JPEG, atau dokumen PDF; "
                 "isi berkas ini bukan salah satunya")
TOO_MANY_PIXELS = N_("Gambar infografis terlalu besar: maksimal {limit} megapiksel")
EMPTY = N_("Berkas infografis kosong")


def read_limited(stream, max_bytes: int) -> bytes:
    """The stream's bytes from its start, refusing more than ``max_bytes``; the stream is rewound."""
    stream.seek(0)
    data = stream.read(max_bytes + 1)
    stream.seek(0)
    if len(data) > max_bytes:
        raise ArtworkError(TOO_BIG, limit=max_bytes // (1024 * 1024))
    return data


def inspect(data: bytes, max_pixels: int) -> Artwork:
    """What the bytes are: a PNG or JPEG image Pillow can fully decode, or a PDF document."""
    if not data:
        raise ArtworkError(EMPTY)
    if data.startswith(_PDF_MAGIC):
        if b"%%EOF" not in data[-2048:]:
            raise ArtworkError(NOT_ARTWORK)
        return Artwork("PDF")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind, size = probe.format, probe.size
            if kind not in ("PNG", "JPEG"):
                raise ArtworkError(NOT_ARTWORK)
            if size[0] * size[1] > max_pixels:
                raise ArtworkError(TOO_MANY_PIXELS, limit=max_pixels // 1_000_000)
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # a truncated or corrupt file fails here, not at render time
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as err:
        raise ArtworkError(TOO_MANY_PIXELS, limit=max_pixels // 1_000_000) from err
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        if isinstance(err, ArtworkError):
            raise
        raise ArtworkError(NOT_ARTWORK) from err
    return Artwork(kind, *size)


def pdf_first_page(data: bytes, ghostscript: str, dpi: int) -> Image.Image | None:
    """The PDF's first page as an image, or None without Ghostscript or when it cannot draw the page."""
    executable = shutil.which(ghostscript) if ghostscript else None
    if not executable:
        return None
    command = [executable, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dFirstPage=1", "-dLastPage=1",
               "-sDEVICE=png16m", f"-r{int(dpi)}", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4",
               "-sOutputFile=-", "-"]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=_GS_TIMEOUT, check=True)
        image = Image.open(io.BytesIO(done.stdout))
        image.load()
        return image
    except (subprocess.SubprocessError, OSError, UnidentifiedImageError) as err:
        log.warning("Ghostscript could not draw an infographic PDF: %s", err)
        return None


def load(data: bytes, ghostscript: str = "", dpi: int = 150) -> Image.Image | None:
    """The artwork as an upright image (EXIF orientation applied), None for a PDF that cannot be drawn."""
    if data.startswith(_PDF_MAGIC):
        return pdf_first_page(data, ghostscript, dpi)
    image = Image.open(io.BytesIO(data))
    return ImageOps.exif_transpose(image)
