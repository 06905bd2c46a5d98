"""The verifiable documents register: issuing (stamp, hash, store, record), verifying and revoking documents.

Generic: any plugin registers the documents it issues through ``issue`` (or the action ``satudata_document_issue``);
each gets a short unguessable code and the page ``<site_url>/verifikasi/<code>``. The SHA-256 recorded is the one
of the file people receive, the stamped one. Nothing here commits: the caller's transaction records the document
together with whatever it issues it for, and takes the stored file back out (``discard``) when it fails.
"""
from __future__ import annotations

import datetime as dt
import enum
import secrets
from dataclasses import dataclass
from typing import Any

from pypdf.errors import PdfReadError

from ckanext.satudatapasuruan.messages import N_

from . import config, files, records, stamp
from .fonts import fonts
from .records import DocumentStatus

__all__ = ["CODE_ALPHABET", "CODE_LENGTH", "Issued", "new_code", "normalize_code", "is_code", "verification_url",
           "issue", "discard", "Verdict", "VERDICT_MESSAGES", "verify", "read_stored"]

# Digits and capitals without 0/O, 1/I/L and U, so a code read from paper and typed is not mistaken;
# 30**12 (5 * 10**17) codes: not guessable, short enough to type.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12

STAMP_LINE = "Dokumen ini dapat diverifikasi keasliannya di {url}"
STAMP_CODE = "Kode verifikasi: {code} \u2014 diterbitkan oleh {issuer}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: Any) -> str:
    """As typed from paper: case, spaces and hyphens do not matter."""
    return "".join(str(code or "").split()).replace("-", "").upper()


def is_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def verification_url(code: str) -> str:
    return f"{config.site_url()}/verifikasi/{code}"


@dataclass(frozen=True)
class Issued:
    code: str
    sha256: str
    stored_name: str
    size: int
    stamped: bool


def issue(pdf: files.Pdf, *, title: str, kind: str, issuer: str, actor_id: str | None, now: dt.datetime,
          issuer_organization_id: str | None = None, recipient_organization_id: str | None = None,
          source: str | None = None, external_url: str | None = None, stamp_it: bool = False,
          stamp_page: str | None = None) -> Issued:
    """Register ``pdf`` (stamped first when ``stamp_it``), write the file people receive, record its hash.

    :raises files.UploadError: the PDF cannot be stamped, or storage fails
    """
    for _attempt in range(5):
        code = new_code()
        if records.get_document(code) is None:
            break
    else:  # pragma: no cover - 5 collisions in 5 * 10**17 codes
        raise files.UploadError(N_("Kode dokumen tidak dapat dibuat; coba lagi"))
    data = pdf.data
    if stamp_it:
        url = verification_url(code)
        font = fonts(config.font(), config.font_bold()).regular
        try:
            data = stamp.stamp(pdf.data, url, [STAMP_LINE.format(url=url),
                                               STAMP_CODE.format(code=code, issuer=issuer)],
                               page=stamp_page or config.stamp_page(), font=font,
                               metadata={"/Subject": url, "/Keywords": f"verifikasi {code}"})
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as err:
            raise files.UploadError(N_("PDF \u201c{name}\u201d tidak dapat distempel kode QR"),
                                    name=pdf.filename) from err
    digest = files.sha256(data)
    stored = files.write(files.DOKUMEN, data, name=code)
    inserted = records.insert_document({
        "code": code, "sha256": digest, "title": title, "kind": kind, "issuer": issuer,
        "issuer_organization_id": issuer_organization_id, "recipient_organization_id": recipient_organization_id,
        "source": source, "external_url": external_url or None, "stamped": stamp_it, "stored_name": stored,
        "filename": pdf.filename, "size": len(data)}, actor_id, now)
    if not inserted:  # pragma: no cover - another transaction took the code between the check and the insert
        files.remove(files.DOKUMEN, stored)
        raise files.UploadError(N_("Kode dokumen tidak dapat dibuat; coba lagi"))
    return Issued(code=code, sha256=digest, stored_name=stored, size=len(data), stamped=stamp_it)


def discard(issued: Issued | None) -> None:
    """Take the stored file of a document whose transaction failed back out."""
    if issued is not None:
        files.remove(files.DOKUMEN, issued.stored_name)


class Verdict(str, enum.Enum):
    ASLI = "asli"
    TIDAK_COCOK = "tidak_cocok"
    DICABUT = "dicabut"


VERDICT_MESSAGES = {
    Verdict.ASLI: N_("Berkas ini ASLI: sidik SHA-256-nya sama dengan dokumen yang terdaftar dengan kode {code}."),
    Verdict.TIDAK_COCOK: N_("Berkas ini TIDAK COCOK dengan dokumen yang terdaftar dengan kode {code}: isinya "
                            "berbeda (mungkin telah diubah) atau ini berkas lain. Mintalah dokumen asli kepada "
                            "penerbitnya."),
    Verdict.DICABUT: N_("Dokumen dengan kode {code} telah DICABUT oleh penerbitnya dan tidak berlaku lagi."),
}


def verify(document: dict[str, Any], data: bytes) -> tuple[Verdict, bool, str]:
    """(verdict, whether the file is the registered one, the file's SHA-256)."""
    digest = files.sha256(data)
    matches = secrets.compare_digest(digest, document["sha256"])
    if document["status"] == DocumentStatus.DICABUT.value:
        return Verdict.DICABUT, matches, digest
    return (Verdict.ASLI if matches else Verdict.TIDAK_COCOK), matches, digest


def read_stored(document: dict[str, Any]) -> bytes | None:
    path = files.path_of(files.DOKUMEN, document.get("stored_name"))
    if not path:
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None

