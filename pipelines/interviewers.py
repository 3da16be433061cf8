"""Who may interview for a stage, and in what order the picker offers them.

Anyone on the staff may be asked to interview: every account that is active, has not left
the company, and holds at least one role. Two stages keep their own rule: the executive
interview goes to whoever holds the level the data names, the hiring-manager interview to
the requisition's hiring manager alone. The people suggested for a stage come first:

* those holding the interviewer role;
* for a peer interview, those at the requisition's level (the candidate's future peers);
* for a panel, the hiring manager (the panel usually includes them).

Then everyone else eligible, each group by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pipelines.plan import StageKind

#: The role that marks someone as a regular interviewer (users' role names).
INTERVIEWER_ROLE = "interviewer"


@dataclass(frozen=True, slots=True)
class Person:
    """What the picker needs to know of an account."""

    id: int
    name: str
    roles: frozenset[str]
    level_id: str | None = None
    active: bool = True
    #: The last day at the company, when recorded.
    left_on: date | None = None

    def is_here(self, today: date) -> bool:
        """Active, holding a role, and not gone (the last day itself still counts)."""
        return self.active and bool(self.roles) and (self.left_on is None or self.left_on >= today)


@dataclass(frozen=True, slots=True)
class StageNeeds:
    """The facts of a stage and its requisition that decide who may conduct it."""

    kind: StageKind
    #: The level whose holders conduct the stage (the executive interview), if named.
    conducting_level: str | None
    hiring_manager_id: int
    #: The level the requisition hires for.
    requisition_level: str
    #: The title of the conducting level, for messages.
    conducting_title: str | None = None


@dataclass(frozen=True, slots=True)
class Offer:
    """One person offered by the picker; ``suggested`` people come first."""

    person: Person
    suggested: bool


def is_eligible(person: Person, needs: StageNeeds, today: date) -> bool:
    """Whether ``person`` may conduct the stage."""
    if not person.is_here(today):
        return False
    if needs.kind is StageKind.EXECUTIVE and needs.conducting_level:
        return person.level_id == needs.conducting_level
    if needs.kind is StageKind.HIRING_MANAGER:
        return person.id == needs.hiring_manager_id
    return True


def is_suggested(person: Person, needs: StageNeeds) -> bool:
    """Whether the picker puts ``person`` among the first, suggested people."""
    if INTERVIEWER_ROLE in person.roles:
        return True
    if needs.kind is StageKind.PEER:
        return person.level_id == needs.requisition_level
    if needs.kind is StageKind.PANEL:
        return person.id == needs.hiring_manager_id
    return False


def interviewer_offers(people: Iterable[Person], needs: StageNeeds, today: date) -> list[Offer]:
    """The people the picker offers for the stage: suggested first, then the others, each
    group by name (then id, so that two people of one name keep a steady order)."""
    offers = [
        Offer(person, is_suggested(person, needs))
        for person in people
        if is_eligible(person, needs, today)
    ]
    return sorted(offers, key=lambda o: (not o.suggested, o.person.name.casefold(), o.person.id))


def refusal(person: Person, needs: StageNeeds, stage_name: str, today: date) -> str | None:
    """Why ``person`` may not conduct the stage (None: they may), naming them and it."""
    if is_eligible(person, needs, today):
        return None
    who = person.name
    if not person.active:
        return f"{who}'s account is deactivated, so {who} cannot interview for the {stage_name}."
    if person.left_on is not None and person.left_on < today:
        return (
            f"{who} left on {person.left_on:%-d %b %Y}, so {who} cannot interview for the "
            f"{stage_name}."
        )
    if not person.roles:
        return f"{who} holds no role, so {who} cannot interview for the {stage_name}."
    if needs.kind is StageKind.EXECUTIVE and needs.conducting_level:
        title = needs.conducting_title or needs.conducting_level
        return f"The {stage_name} is conducted by the {title}; {who} does not hold that level."
    if needs.kind is StageKind.HIRING_MANAGER:
        return (
            f"The {stage_name} is conducted by the requisition's hiring manager; "
            f"{who} is not the hiring manager."
        )
    return f"{who} cannot interview for the {stage_name}."


__all__ = [
    "INTERVIEWER_ROLE",
    "Offer",
    "Person",
    "StageNeeds",
    "interviewer_offers",
    "is_eligible",
    "is_suggested",
    "refusal",
]
