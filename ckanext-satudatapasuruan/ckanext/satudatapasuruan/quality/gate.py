"""The publish gate (standar konten): what stands between a verified dataset and its publication.

Two checks, both on what the portal already knows about the dataset:

- its metadata completeness (the metadata plugin's own score, ``satudata_completeness``) below
  ``publish_gate.min_completeness``;
- an open repair ticket (terbuka or dikerjakan) of severity kritis.

Every reason is listed, in the reader's language. The walidata may publish anyway with a reason; the chained
``satudata_workflow_publish`` (``logic/action.py``) records it in the workflow audit trail.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from . import config, records, rules
from .records import OPEN_STATUSES

__all__ = ["Reason", "Verdict", "COMPLETENESS", "verdict"]

COMPLETENESS = "kelengkapan"


@dataclass(frozen=True)
class Reason:
    code: str  # "kelengkapan" or the code of the rule whose kritis ticket is open
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Verdict:
    applies: bool  # the gate is on and the dataset's type is one the rules check
    completeness: int | None
    reasons: tuple[Reason, ...]

    @property
    def passes(self) -> bool:
        return not self.reasons

    def as_dict(self) -> dict[str, Any]:
        return {"enabled": config.gate_enabled(), "applies": self.applies,
                "min_completeness": config.gate_min_completeness(), "completeness": self.completeness,
                "passes": self.passes, "reasons": [r.as_dict() for r in self.reasons]}


def _lang() -> str:
    try:
        return tk.h.lang() or "id"
    except (RuntimeError, TypeError, AttributeError):
        return "id"


def _label(label: Any, lang: str) -> str:
    if isinstance(label, Mapping):
        return str(label.get("en" if lang.startswith("en") else "id") or label.get("id") or "")
    return str(label or "")


def _completeness(pkg: Mapping[str, Any]) -> tuple[int | None, list[str]]:
    """(score, labels of the missing fields) by the metadata plugin's helper, or its stored score."""
    helper = tk.h.get("satudata_completeness")
    if helper is not None:
        result = helper(dict(pkg))
        lang = _lang()
        return result["percent"], [_label(f.get("label") or f["field_name"], lang) for f in result["missing"]]
    try:
        return int(str(pkg.get("kelengkapan_metadata"))), []
    except ValueError:
        return None, []


def _ticket_reasons(package_id: str) -> list[Reason]:
    found = []
    lang = _lang()
    for ticket in records.query_tickets(organization_ids=None, package_id=package_id,
                                        severity=rules.Severity.KRITIS.value):
        if ticket["status"] not in OPEN_STATUSES:
            continue
        rule = rules.get(ticket["rule_code"])
        title = tk._(rule.title) if rule else ticket["rule_code"]
        details = " ".join(rules.finding_text(f, tk._, lang) for f in ticket["findings"] or [])
        found.append(Reason(ticket["rule_code"], tk._(
            "Tiket mutu kritis masih terbuka: {code} {title}. {details}").format(
            code=ticket["rule_code"], title=title, details=details).strip()))
    return found


def verdict(package: model.Package) -> Verdict:
    """The gate's verdict on ``package`` now (the caller checked that it exists)."""
    if not config.gate_enabled() or package.type not in config.gate_dataset_types():
        return Verdict(False, None, ())
    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": package.id})
    score, missing = _completeness(pkg)
    reasons = []
    threshold = config.gate_min_completeness()
    if score is not None and score < threshold:
        message = tk._("Kelengkapan metadata {score} persen, di bawah batas terbit {threshold} persen.").format(
            score=score, threshold=threshold)
        if missing:
            message += " " + tk._("Belum lengkap: {fields}.").format(fields=", ".join(missing))
        reasons.append(Reason(COMPLETENESS, message))
    reasons += _ticket_reasons(package.id)
    return Verdict(True, score, tuple(reasons))
