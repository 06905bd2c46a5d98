"""The verification workflow as data: states, transitions and who may make them (pure, no I/O)."""
from __future__ import annotations

import enum
from dataclasses import dataclass

from ckanext.satudatapasuruan.messages import N_

__all__ = ["State", "Transition", "Role", "Rule", "RULES", "LABELS", "REVIEW_STATES", "PEMBINA_VISIBLE",
           "LOCKED_STATES", "target", "path"]


class State(str, enum.Enum):
    DRAFT = "draft"
    DIAJUKAN = "diajukan"
    DIVERIFIKASI_OPD = "diverifikasi_opd"
    TERBIT = "terbit"
    DIKEMBALIKAN = "dikembalikan"
    DITARIK = "ditarik"


class Transition(str, enum.Enum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"


class Role(str, enum.Enum):
    """Workflow roles, mapped onto CKAN memberships (see ``roles``)."""

    OPERATOR = "operator"  # operator/surveyor: editor of the OPD organisation
    VERIFIKATOR = "verifikator"  # the OPD's verifier: admin of the OPD organisation
    WALIDATA = "walidata"  # member of the walidata organisation
    PEMBINA = "pembina"  # member of a pembina organisation


@dataclass(frozen=True)
class Rule:
    sources: frozenset[State]
    to: State
    # Who may make the transition, per source state: OPD roles act on their own OPD only.
    actors: dict[State, frozenset[Role]]
    note_required: bool = False


def _rule(sources, to, actors, note_required=False) -> Rule:
    sources = frozenset(sources)
    return Rule(sources, to, {s: frozenset(actors.get(s, actors.get("*", ()))) for s in sources}, note_required)


_OPD = {Role.OPERATOR, Role.VERIFIKATOR}
RULES: dict[Transition, Rule] = {
    Transition.SUBMIT: _rule({State.DRAFT, State.DIKEMBALIKAN, State.DITARIK}, State.DIAJUKAN, {"*": _OPD}),
    Transition.APPROVE: _rule({State.DIAJUKAN}, State.DIVERIFIKASI_OPD, {"*": {Role.VERIFIKATOR}}),
    # Each review step returns to the producer: the OPD verifier its own step, the walidata either.
    Transition.RETURN: _rule({State.DIAJUKAN, State.DIVERIFIKASI_OPD}, State.DIKEMBALIKAN,
                             {State.DIAJUKAN: {Role.VERIFIKATOR, Role.WALIDATA},
                              State.DIVERIFIKASI_OPD: {Role.WALIDATA}}, note_required=True),
    Transition.PUBLISH: _rule({State.DIVERIFIKASI_OPD}, State.TERBIT, {"*": {Role.WALIDATA}}),
    Transition.WITHDRAW: _rule({State.TERBIT}, State.DITARIK, {"*": {Role.WALIDATA}}, note_required=True),
}

LABELS = {
    State.DRAFT: N_("Draf"),
    State.DIAJUKAN: N_("Diajukan"),
    State.DIVERIFIKASI_OPD: N_("Diverifikasi OPD"),
    State.TERBIT: N_("Terbit"),
    State.DIKEMBALIKAN: N_("Dikembalikan"),
    State.DITARIK: N_("Ditarik"),
}
# Waiting for a reviewer.
REVIEW_STATES = frozenset({State.DIAJUKAN, State.DIVERIFIKASI_OPD})
# What the pembina data read: every submission (not drafts that were never submitted).
PEMBINA_VISIBLE = frozenset(set(State) - {State.DRAFT})
# Under review or published: the producer cannot edit it in place.
LOCKED_STATES = frozenset({State.DIAJUKAN, State.DIVERIFIKASI_OPD, State.TERBIT})


def target(transition: Transition, current: State) -> State | None:
    """The state a transition leads to from ``current``, or None when it is not allowed from there."""
    rule = RULES[transition]
    return rule.to if current in rule.sources else None


def path(current: State, goal: State) -> list[Transition] | None:
    """The shortest sequence of transitions from ``current`` to ``goal`` (None when unreachable)."""
    frontier: list[tuple[State, list[Transition]]] = [(current, [])]
    seen = {current}
    while frontier:
        state, steps = frontier.pop(0)
        if state is goal:
            return steps
        for transition in Transition:
            nxt = target(transition, state)
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, [*steps, transition]))
    return None
