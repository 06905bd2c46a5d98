"""The rule engine: run every rule over a dataset dict and bring its tickets in line with the result.

- a rule that finds faults opens the (dataset, rule) ticket, or reopens it if it was ``selesai``;
- a rule that passes closes an open ticket (``selesai``, ``closed_at``);
- a rule that raises is logged and leaves its ticket as it was (a broken rule never closes tickets, and
  never fails the save or the nightly run).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import records, rules
from .records import OPEN_STATUSES, Status, Via

__all__ = ["Outcome", "evaluate", "scan_package"]

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    opened: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    still_open: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"opened": self.opened, "reopened": self.reopened, "closed": self.closed,
                "still_open": self.still_open, "errors": self.errors}


def evaluate(pkg: Mapping[str, Any], now: dt.datetime) -> tuple[dict[str, list[rules.Finding]], list[str]]:
    """({rule code: findings} of every rule that ran, codes of the rules that raised). Pure but for logging."""
    results: dict[str, list[rules.Finding]] = {}
    failed: list[str] = []
    for code, rule in rules.RULES.items():
        if not rule.applies_to(pkg.get("type")):
            results[code] = []  # a rule not made for this type passes (a ticket left from another type closes)
            continue
        try:
            results[code] = list(rule.check(pkg, now))
        except Exception:  # noqa: BLE001 - a rule is a plug-in: its bug must not stop the others or the save
            log.exception("quality rule %s failed on dataset %s", code, pkg.get("id"))
            failed.append(code)
    return results, failed


def _unchanged(current: Mapping[str, Any], org_id: str | None, severity: str,
               stored: list[dict[str, Any]] | None) -> bool:
    """Whether refreshing ``current`` would change nothing but ``last_scan_at`` (findings compared as JSON)."""
    return (current["organization_id"] == org_id and current["severity"] == severity
            and (stored is None or json.loads(json.dumps(stored)) == current["findings"]))


def scan_package(pkg: Mapping[str, Any], actor_id: str | None, now: dt.datetime | None = None,
                 existing: Mapping[str, dict[str, Any]] | None = None,
                 touched: list[str] | None = None) -> Outcome:
    """Evaluate ``pkg`` (a package_show dict) and update its tickets; the caller commits. ``existing``: its
    tickets by rule code, read and locked by the caller (``records.tickets_of_packages``), else read here.
    ``touched``: where to put the ids of tickets seen unchanged, for the caller to ``records.touch_tickets``
    at once (else each is refreshed here)."""
    now = now or dt.datetime.utcnow()
    results, failed = evaluate(pkg, now)
    outcome = Outcome(errors=failed)
    if existing is None:
        existing = records.tickets_of_package(pkg["id"])
    org_id = pkg.get("owner_org")

    def refresh(current: Mapping[str, Any], severity: str, stored: list[dict[str, Any]] | None) -> None:
        if touched is not None and _unchanged(current, org_id, severity, stored):
            touched.append(current["id"])
        else:
            records.refresh_ticket(current["id"], org_id, severity, stored, now)

    for code, findings in results.items():
        rule = rules.RULES[code]
        current = existing.get(code)
        stored = [f.as_dict() for f in findings]
        if findings and current is None:
            records.open_ticket(pkg["id"], code, org_id, rule.severity.value, stored, actor_id, now)
            outcome.opened.append(code)
        elif findings:
            refresh(current, rule.severity.value, stored)
            if current["status"] == Status.SELESAI.value:
                records.set_status(current["id"], current["status"], Status.TERBUKA, Via.SCAN, actor_id, now)
                outcome.reopened.append(code)
            else:
                outcome.still_open.append(code)
        elif current is not None:
            # Findings kept: a closed ticket still says what was repaired.
            refresh(current, rule.severity.value, None)
            if current["status"] in OPEN_STATUSES:
                records.set_status(current["id"], current["status"], Status.SELESAI, Via.SCAN, actor_id, now)
                outcome.closed.append(code)
    return outcome
