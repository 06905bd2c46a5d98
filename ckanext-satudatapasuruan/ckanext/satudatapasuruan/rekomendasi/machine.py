"""An application for a *rekomendasi kegiatan statistik* as data: its states, the steps between them and who
takes each, the kinds of documents it carries (pure, no I/O).

draf → diajukan → perlu_revisi → diajukan … → terbit / ditolak, reviewed in the portal by the pembina (BPS);
or → diproses_bps when it is handled in BPS's own system, whose outcome the pembina records.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from ckanext.satudatapasuruan.messages import N_

__all__ = ["Status", "Step", "Actor", "Jalur", "Outcome", "Move", "MOVES", "STATUS_LABELS", "STEP_LABELS",
           "JALUR_LABELS", "OPEN", "EDITABLE", "FINAL", "DOCUMENT_KINDS", "LETTER_KIND", "KIND_LABELS"]


class Status(str, enum.Enum):
    DRAF = "draf"
    DIAJUKAN = "diajukan"
    PERLU_REVISI = "perlu_revisi"
    DIPROSES_BPS = "diproses_bps"
    TERBIT = "terbit"
    DITOLAK = "ditolak"


class Step(str, enum.Enum):
    """What an event of the timeline records."""

    DIBUAT = "dibuat"
    DIUBAH = "diubah"
    DOKUMEN = "dokumen"
    DIAJUKAN = "diajukan"
    REVISI = "perlu_revisi"
    DIPROSES_BPS = "diproses_bps"
    TERBIT = "terbit"
    DITOLAK = "ditolak"


class Actor(str, enum.Enum):
    OPD = "opd"  # operator (editor) or verifikator (admin) of the owning OPD
    PEMBINA = "pembina"  # pembina data statistik (BPS)


class Jalur(str, enum.Enum):
    """Where the application is reviewed."""

    PORTAL = "portal"
    SISTEM_BPS = "sistem_bps"


class Outcome(str, enum.Enum):
    """What the pembina records of an application handled in BPS's own system."""

    DIPROSES = "diproses"
    TERBIT = "terbit"
    DITOLAK = "ditolak"


@dataclass(frozen=True)
class Move:
    sources: frozenset[Status]
    to: Status
    actor: Actor
    step: Step


_REVIEWABLE = frozenset({Status.DIAJUKAN})
# The moves by action name; ``record_external`` moves by its outcome.
MOVES: dict[str, Move] = {
    "submit": Move(frozenset({Status.DRAF, Status.PERLU_REVISI}), Status.DIAJUKAN, Actor.OPD, Step.DIAJUKAN),
    "submit_bps": Move(frozenset({Status.DRAF, Status.PERLU_REVISI}), Status.DIPROSES_BPS, Actor.OPD,
                       Step.DIPROSES_BPS),
    "request_revision": Move(_REVIEWABLE, Status.PERLU_REVISI, Actor.PEMBINA, Step.REVISI),
    "issue": Move(_REVIEWABLE, Status.TERBIT, Actor.PEMBINA, Step.TERBIT),
    "refuse": Move(_REVIEWABLE, Status.DITOLAK, Actor.PEMBINA, Step.DITOLAK),
    "external_diproses": Move(frozenset({Status.DIAJUKAN, Status.PERLU_REVISI}), Status.DIPROSES_BPS,
                              Actor.PEMBINA, Step.DIPROSES_BPS),
    "external_terbit": Move(frozenset({Status.DIAJUKAN, Status.PERLU_REVISI, Status.DIPROSES_BPS}), Status.TERBIT,
                            Actor.PEMBINA, Step.TERBIT),
    "external_ditolak": Move(frozenset({Status.DIAJUKAN, Status.PERLU_REVISI, Status.DIPROSES_BPS}),
                             Status.DITOLAK, Actor.PEMBINA, Step.DITOLAK),
}

OPEN = frozenset(s for s in Status if s not in (Status.TERBIT, Status.DITOLAK))
EDITABLE = frozenset({Status.DRAF, Status.PERLU_REVISI})
FINAL = frozenset({Status.TERBIT, Status.DITOLAK})

STATUS_LABELS = {
    Status.DRAF: N_("Draf"),
    Status.DIAJUKAN: N_("Diajukan"),
    Status.PERLU_REVISI: N_("Perlu revisi"),
    Status.DIPROSES_BPS: N_("Diproses di sistem BPS"),
    Status.TERBIT: N_("Rekomendasi terbit"),
    Status.DITOLAK: N_("Ditolak"),
}
STEP_LABELS = {
    Step.DIBUAT: N_("Permohonan dibuat"),
    Step.DIUBAH: N_("Permohonan diubah"),
    Step.DOKUMEN: N_("Dokumen ditambahkan"),
    Step.DIAJUKAN: N_("Diajukan ke pembina data"),
    Step.REVISI: N_("Diminta revisi"),
    Step.DIPROSES_BPS: N_("Diproses di sistem BPS"),
    Step.TERBIT: N_("Rekomendasi terbit"),
    Step.DITOLAK: N_("Permohonan ditolak"),
}
JALUR_LABELS = {Jalur.PORTAL: N_("Ditelaah di portal"), Jalur.SISTEM_BPS: N_("Diajukan melalui sistem BPS")}

# The documents an application may carry; which of them are required is configuration
# (``ckanext.satudatapasuruan.rekomendasi.required_documents``).
DOCUMENT_KINDS = ("surat_permohonan", "kuesioner", "kak", "lainnya")
KIND_LABELS = {
    "surat_permohonan": N_("Surat permohonan rekomendasi"),
    "kuesioner": N_("Rancangan kuesioner"),
    "kak": N_("Kerangka acuan kegiatan (KAK)"),
    "lainnya": N_("Dokumen pendukung lainnya"),
    # Kinds of the register (verifiable documents) this plugin issues.
    "rekomendasi_statistik": N_("Surat rekomendasi kegiatan statistik"),
}
LETTER_KIND = "rekomendasi_statistik"
