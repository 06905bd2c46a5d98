"""PDF files of the plugin: the checks an uploaded PDF passes before anything is written, and their storage.

Every check runs on the bytes in memory before a byte reaches the disk: the name ends in ``.pdf`` (when a name
is given), the size is within the cap, the content starts like a PDF and pypdf can read its pages, so that an
HTML page renamed ``.pdf`` or a truncated file is refused with a message. Files are written under
``<ckan.storage_path>/satudata_rekomendasi/`` atomically, and taken back out when the transaction that records
them fails.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import uuid
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from werkzeug.datastructures import FileStorage

from ckanext.satudatapasuruan.messages import N_

from . import config

__all__ = ["UploadError", "Pdf", "is_upload", "read_pdf", "sha256", "write", "path_of", "remove", "LAMPIRAN",
           "DOKUMEN"]

LAMPIRAN = "lampiran"  # the applications' documents
DOKUMEN = "dokumen"  # the register's issued (stamped) documents
PDF_SIGNATURE = b"%PDF-"


class UploadError(Exception):
    """A refused file; ``msgid`` is translated (with ``values``) where the message is shown."""

    def __init__(self, msgid: str, **values: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.values = values


@dataclass(frozen=True)
class Pdf:
    data: bytes
    filename: str
    pages: int

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return sha256(self.data)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_upload(value: Any) -> bool:
    return (isinstance(value, FileStorage) and bool(value.filename)) or isinstance(value, (bytes, bytearray))


def _display_name(filename: str) -> str:
    # Browsers send a bare name; some old ones a whole client path. Keep the name people will download.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in name if ch.isprintable())[:200]


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def read_pdf(value: Any, max_bytes: int, default_name: str = "dokumen.pdf", parse: bool = True) -> Pdf:
    """The uploaded PDF (a werkzeug ``FileStorage`` or bytes), checked; raises UploadError.

    ``parse`` False skips reading the pages (a file uploaded only to be hashed)."""
    if isinstance(value, (bytes, bytearray)):
        filename, data = default_name, bytes(value[:max_bytes + 1])
        if len(value) > max_bytes:
            raise UploadError(N_("Berkas terlalu besar ({size} MB); batasnya {limit} MB"),
                              size=_megabytes(len(value)), limit=max_bytes // (1024 * 1024))
    elif isinstance(value, FileStorage) and value.filename:
        filename = _display_name(value.filename)
        _stem, dot, ext = filename.rpartition(".")
        if not dot or ext.lower() != "pdf":
            raise UploadError(N_("Hanya berkas PDF yang diterima; berkas \u201c{name}\u201d bukan PDF"), name=filename)
        stream = value.stream
        stream.seek(0, os.SEEK_END)
        size = stream.tell()
        stream.seek(0)
        if size > max_bytes:
            raise UploadError(N_("Berkas terlalu besar ({size} MB); batasnya {limit} MB"),
                              size=_megabytes(size), limit=max_bytes // (1024 * 1024))
        data = stream.read(max_bytes + 1)
        stream.seek(0)
    else:
        raise UploadError(N_("Unggah berkas PDF"))
    if not data:
        raise UploadError(N_("Berkas kosong"))
    if not data.startswith(PDF_SIGNATURE):
        raise UploadError(N_("Isi berkas \u201c{name}\u201d bukan PDF yang sah"), name=filename)
    pages = 0
    if parse:
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise UploadError(N_("PDF yang dikunci dengan kata sandi tidak dapat diterima"))
            pages = len(reader.pages)
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as err:
            # pypdf reports a damaged file with several exception types; none may leave the action.
            raise UploadError(N_("Berkas PDF \u201c{name}\u201d rusak atau tidak dapat dibaca"), name=filename) from err
        if pages == 0:
            raise UploadError(N_("Berkas PDF \u201c{name}\u201d tidak berisi halaman"), name=filename)
    return Pdf(data=data, filename=filename, pages=pages)


def _folder(kind: str) -> str:
    folder = config.storage_dir(kind)
    if folder is None:
        raise UploadError(N_("Penyimpanan berkas belum diatur (ckan.storage_path)"))
    return folder


def write(kind: str, data: bytes, name: str | None = None) -> str:
    """Write ``data`` under the storage folder of ``kind``; returns its stored name (``<name or uuid>.pdf``)."""
    folder = _folder(kind)
    stored = f"{name or uuid.uuid4()}.pdf"
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, os.path.join(folder, stored))
    except OSError as err:
        raise UploadError(N_("Berkas gagal disimpan")) from err
    return stored


def path_of(kind: str, stored_name: str | None) -> str | None:
    """The stored file's path (None for a name that is not a plain file name, or without storage)."""
    folder = config.storage_dir(kind)
    if (not folder or not stored_name or os.path.basename(stored_name) != stored_name
            or stored_name.startswith(".")):
        return None
    return os.path.join(folder, stored_name)


def remove(kind: str, stored_name: str | None) -> None:
    path = path_of(kind, stored_name)
    if path:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
