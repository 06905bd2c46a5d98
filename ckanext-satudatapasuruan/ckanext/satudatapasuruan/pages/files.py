"""Attachment files of the content pages: checks before anything is stored, storage through CKAN's
uploader, and the headers of a safe download.

The checks run on the uploaded stream before the uploader writes a byte: the extension must be in the
configured list, the size within the configured limit, and a file of a known type must really be one (its
first bytes), so that an HTML page renamed ``.pdf`` is refused. Downloads send a fixed Content-Type per
extension, ``nosniff`` and a sandboxing CSP; only PDF and raster images may be shown inline.
"""
from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from typing import Any

from ckan.lib import uploader as ckan_uploader
from werkzeug.datastructures import FileStorage

from ckanext.satudatapasuruan.messages import N_

from . import config

__all__ = ["UploadError", "Checked", "CONTENT_TYPES", "INLINE", "inspect", "store", "path_of", "remove", "extension_of",
           "content_type", "is_inline", "is_upload"]

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Leading bytes of each known type (Office Open XML and OpenDocument files are ZIP archives; .xls is OLE2).
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "xlsx": (ZIP,), "docx": (ZIP,), "pptx": (ZIP,), "odt": (ZIP,), "ods": (ZIP,), "odp": (ZIP,), "zip": (ZIP,),
    "xls": (OLE,), "doc": (OLE,), "ppt": (OLE,),
}
TEXT = ("csv", "txt", "tsv")

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ppt": "application/vnd.ms-powerpoint",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "zip": "application/zip",
}
# Shown in the browser when opened; everything else (HTML, SVG, XML, scripts, any unknown type) is a download.
INLINE = ("pdf", "png", "jpg", "jpeg")


class UploadError(Exception):
    """A refused upload; ``msgid`` is translated (with ``values``) where the message is shown."""

    def __init__(self, msgid: str, **values: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.values = values


@dataclass(frozen=True)
class Checked:
    filename: str
    extension: str
    size: int
    mimetype: str


def is_upload(value: Any) -> bool:
    return isinstance(value, FileStorage) and bool(value.filename)


def extension_of(filename: str) -> str:
    _stem, dot, ext = filename.rpartition(".")
    return ext.lower() if dot else ""


def content_type(extension: str) -> str:
    if extension in CONTENT_TYPES:
        return CONTENT_TYPES[extension]
    return "application/octet-stream"


def is_inline(extension: str) -> bool:
    return extension in INLINE


def _display_name(filename: str) -> str:
    # Browsers send a bare name; some old ones a whole client path. Keep the name the visitor will download.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in name if ch.isprintable())[:200]


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # not merely a character cut at the end of the sample
            try:
                text = head.decode("cp1252")
            except UnicodeDecodeError:
                return False
        else:
            text = head[:err.start].decode("utf-8")
    # A markup document renamed .csv would be shown as a page by a browser that sniffs: not a table.
    return not text.lstrip("\ufeff \t\r\n").startswith("<")


def inspect(upload: FileStorage) -> Checked:
    """Check an uploaded file before it is stored (extension, size, real content); raise UploadError."""
    filename = _display_name(upload.filename or "")
    extension = extension_of(filename)
    allowed = config.allowed_extensions()
    if not extension:
        raise UploadError(N_("Berkas tanpa ekstensi tidak diizinkan. Jenis yang diizinkan: {allowed}"),
                          allowed=", ".join(allowed))
    if extension not in allowed:
        raise UploadError(N_("Jenis berkas .{ext} tidak diizinkan. Jenis yang diizinkan: {allowed}"),
                          ext=extension, allowed=", ".join(allowed))
    stream = upload.stream
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise UploadError(N_("Berkas kosong"))
    if size > config.max_upload_bytes():
        raise UploadError(N_("Berkas terlalu besar ({size} MB); batasnya {limit} MB"),
                          size=f"{size / 1024 / 1024:.1f}".replace(".", ","), limit=config.max_upload_mb())
    head = stream.read(4096)
    stream.seek(0)
    if extension in SIGNATURES and not head.startswith(SIGNATURES[extension]):
        raise UploadError(N_("Isi berkas bukan berkas {ext} yang sah"), ext=extension.upper())
    if extension in TEXT and not _looks_like_text(head):
        raise UploadError(N_("Isi berkas bukan berkas {ext} yang sah"), ext=extension.upper())
    return Checked(filename=filename, extension=extension, size=size, mimetype=content_type(extension))


def _storage_dir() -> str | None:
    root = ckan_uploader.get_storage_path()
    return os.path.join(root, "storage", "uploads", config.UPLOAD_TO) if root else None


def store(upload: FileStorage, checked: Checked) -> str:
    """Write the checked file through CKAN's uploader; returns its name in storage."""
    if _storage_dir() is None:
        raise UploadError(N_("Penyimpanan berkas belum diatur (ckan.storage_path)"))
    uploader = ckan_uploader.get_uploader(config.UPLOAD_TO)
    if not isinstance(uploader, ckan_uploader.Upload):
        # Another storage (an IUploader plugin, a file-keeper storage): this plugin serves files from disk.
        raise UploadError(N_("Penyimpanan berkas halaman hanya mendukung penyimpanan lokal CKAN"))
    # The uploader judges the declared type by the name and the part's Content-Type: give it ours.
    known = mimetypes.guess_type(f"x.{checked.extension}")[0]
    name = f"lampiran.{checked.extension}" if known else "lampiran.bin"
    upload.stream.seek(0)
    data: dict[str, Any] = {"url": "", "upload": FileStorage(stream=upload.stream, filename=name,
                                                             content_type=known or "application/octet-stream")}
    uploader.update_data_dict(data, "url", "upload", "clear_upload")
    uploader.upload(max_size=config.max_upload_mb() + 1)
    stored = data["url"]
    if not stored or not os.path.isfile(os.path.join(_storage_dir() or "", stored)):
        raise UploadError(N_("Berkas gagal disimpan"))
    return stored


def path_of(stored_name: str) -> str | None:
    """The file's path in storage (None if the name is not a plain file name or storage is unset)."""
    folder = _storage_dir()
    if not folder or not stored_name or os.path.basename(stored_name) != stored_name or stored_name.startswith("."):
        return None
    return os.path.join(folder, stored_name)


def remove(stored_name: str | None) -> None:
    path = path_of(stored_name or "")
    if path:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass

