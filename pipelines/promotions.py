"""Promotion packets: the template a ladder diff gives, the workflow and who may do what.

A packet argues that a person at a current level is ready for a target level. Its template
is the diff of the two levels: every responsibility, requirement and performance indicator
that is new at the target becomes a section asking for evidence; the target family's
competencies follow (optional), then a justification. The packet keeps a copy of the text,
so it reads the same after the ladder changes.

The workflow: ``draft`` -> ``submitted`` -> ``approved`` or ``declined``; an open packet can
be ``withdrawn`` by its editors or an admin (a person whose manager left is never stuck with
it). The approver is the author's own manager or an admin, and never the author, the person
the packet is about or the person's current manager (who may edit it).

Everything here is a pure function of the ladder and plain values (ids, texts).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from ladder.model import KINDS, Kind, Ladder, Level
from ladder.resolve import (
    diff_levels,
    get_level,
    next_levels,
    other_track_levels,
    track_of,
)
from pipelines.errors import PipelineError


class PromotionError(PipelineError):
    """A promotion packet cannot be made or cannot make the requested move."""


class InvalidTargetError(PromotionError):
    """The target level is not a step up from the current level."""


class PacketStateError(PromotionError):
    """The packet's status does not allow the action."""


class IncompletePacketError(PromotionError):
    """A packet cannot be submitted: ``missing`` names every section still empty."""

    def __init__(self, missing: Iterable[SectionTemplate]) -> None:
        self.missing = tuple(missing)
        count = len(self.missing)
        noun = "section needs" if count == 1 else "sections need"
        super().__init__(f"{count} {noun} evidence before the packet can be submitted.")


class MoveKind(StrEnum):
    NEXT_IN_TRACK = "next_in_track"
    OTHER_TRACK = "other_track"
    SAME_FAMILY = "same_family"  # further up the track, or a ladder beside it
    OTHER_FAMILY = "other_family"

    @property
    def label(self) -> str:
        return MOVE_LABELS[self]


MOVE_LABELS = {
    MoveKind.NEXT_IN_TRACK: "Next level in the track",
    MoveKind.OTHER_TRACK: "Switch to the other track",
    MoveKind.OTHER_FAMILY: "Move to another family",
    MoveKind.SAME_FAMILY: "Another level of the family",
}


class PacketStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


#: Packets still in progress (a person has at most one) and those closed for good.
OPEN_STATUSES = (PacketStatus.DRAFT, PacketStatus.SUBMITTED)
CLOSED_STATUSES = tuple(status for status in PacketStatus if status not in OPEN_STATUSES)


class SectionKind(StrEnum):
    RESPONSIBILITY = "responsibility"
    REQUIREMENT = "requirement"
    PERFORMANCE_INDICATOR = "performance_indicator"
    COMPETENCY = "competency"
    JUSTIFICATION = "justification"

    @property
    def is_ladder_item(self) -> bool:
        """A responsibility, requirement or performance indicator new at the target."""
        return self in _LADDER_ITEMS


_LADDER_ITEMS = frozenset(
    {SectionKind.RESPONSIBILITY, SectionKind.REQUIREMENT, SectionKind.PERFORMANCE_INDICATOR}
)
KIND_SECTIONS: dict[Kind, SectionKind] = {
    "responsibilities": SectionKind.RESPONSIBILITY,
    "requirements": SectionKind.REQUIREMENT,
    "performance_indicators": SectionKind.PERFORMANCE_INDICATOR,
}
SECTION_GROUPS: dict[SectionKind, str] = {
    SectionKind.RESPONSIBILITY: "New responsibilities",
    SectionKind.REQUIREMENT: "New requirements",
    SectionKind.PERFORMANCE_INDICATOR: "New performance indicators",
    SectionKind.COMPETENCY: "Competencies",
    SectionKind.JUSTIFICATION: "Justification",
}
JUSTIFICATION_KEY = "justification"
#: The longest evidence (or justification, or comment) text accepted, in characters.
MAX_TEXT = 20_000


@dataclass(frozen=True, slots=True)
class SectionTemplate:
    """One part of a packet: what the target asks for, and whether evidence is required.

    ``key`` is stable for the same text, so a section can be named in a form or a URL.
    """

    key: str
    kind: SectionKind
    heading: str
    items: tuple[str, ...] = ()
    description: str | None = None
    origin: str | None = None  # the level, family or specialty the item comes from
    required: bool = True

    @property
    def group(self) -> str:
        return SECTION_GROUPS[self.kind]


@dataclass(frozen=True, slots=True)
class PacketTemplate:
    source_level_id: str
    source_specialty_id: str | None
    target_level_id: str
    target_specialty_id: str | None
    move: MoveKind
    sections: tuple[SectionTemplate, ...]
    kept: int  # items the person already meets at the current level

    def section(self, key: str) -> SectionTemplate:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class Target:
    """A level a person could be promoted to, and how it relates to their level."""

    level: Level
    move: MoveKind


def section_key(kind: SectionKind, text_key: str) -> str:
    """``<kind>-<10 hex digits>`` from the item's normalised text."""
    digest = hashlib.sha256(f"{kind.value}\x1f{text_key}".encode()).hexdigest()[:10]
    return f"{kind.value}-{digest}"


def classify_move(ladder: Ladder, source_id: str, target_id: str) -> MoveKind:
    """How the target relates to the current level; InvalidTargetError if it is no step up.

    The target must differ from the current level and must not have a lower grade.
    """
    source = get_level(ladder, source_id)
    target = get_level(ladder, target_id)
    if source.id == target.id:
        raise InvalidTargetError(f"{target.title} is the current level; choose a level above it.")
    if source.grade is not None and target.grade is not None and target.grade < source.grade:
        raise InvalidTargetError(
            f"{target.title} (grade {target.grade}) is below {source.title} "
            f"(grade {source.grade}); a promotion goes up."
        )
    if any(level.id == target.id for level in next_levels(ladder, source.id)):
        return MoveKind.NEXT_IN_TRACK
    if any(level.id == target.id for level in other_track_levels(ladder, source.id)):
        return MoveKind.OTHER_TRACK
    in_track = track_of(ladder, source.id)
    position = {level.id: index for index, level in enumerate(in_track)}
    if target.id in position and position[target.id] < position[source.id]:
        raise InvalidTargetError(
            f"{target.title} comes before {source.title} in its track; a promotion goes up."
        )
    if target.grade is None and target.id not in position:
        raise InvalidTargetError(
            f"{target.title} has no grade in the ladder and is not in {source.title}'s "
            "track, so it cannot be called a step up."
        )
    if target.family != source.family:
        return MoveKind.OTHER_FAMILY
    return MoveKind.SAME_FAMILY


def promotion_targets(ladder: Ladder, level_id: str) -> tuple[Target, ...]:
    """Every level a person at ``level_id`` may be promoted to, the likeliest first.

    The next levels of the track, the switch to the other track, then the other levels of
    the family and of the other families that are not below the current grade.
    """
    get_level(ladder, level_id)
    out: dict[str, Target] = {}
    for level in next_levels(ladder, level_id):
        out[level.id] = Target(level, MoveKind.NEXT_IN_TRACK)
    for level in other_track_levels(ladder, level_id):
        out.setdefault(level.id, Target(level, MoveKind.OTHER_TRACK))
    for family in ladder.families:
        for level in family.levels:
            if level.id in out or level.id == level_id or level.defined_elsewhere:
                continue
            try:
                move = classify_move(ladder, level_id, level.id)
            except InvalidTargetError:
                continue
            out[level.id] = Target(level, move)
    order = list(MoveKind)
    return tuple(sorted(out.values(), key=lambda target: order.index(target.move)))


def build_template(
    ladder: Ladder,
    source_id: str,
    target_id: str,
    source_specialty: str | None = None,
    target_specialty_id: str | None = None,
) -> PacketTemplate:
    """The packet's sections: the target's new items, the competencies, a justification.

    The competencies are those of the target's family, or of the current family when the
    target's names none. Unknown ids raise UnknownIdError; a target that is no step up
    raises InvalidTargetError.
    """
    move = classify_move(ladder, source_id, target_id)
    diff = diff_levels(ladder, source_id, target_id, source_specialty, target_specialty_id)
    sections: list[SectionTemplate] = []
    seen: set[str] = set()
    for kind in KINDS:
        section_kind = KIND_SECTIONS[kind]
        for item in diff.of(kind).added:
            key = section_key(section_kind, item.key)
            if key in seen:
                continue
            seen.add(key)
            sections.append(
                SectionTemplate(key, section_kind, item.text, item.items, origin=item.origin)
            )
    target, source = diff.target.family, diff.source.family
    set_id = target.competencies or source.competencies
    competency_set = ladder.competency_set(set_id) if set_id else None
    if competency_set is not None:
        for competency in competency_set.competencies:
            sections.append(
                SectionTemplate(
                    section_key(SectionKind.COMPETENCY, competency.id),
                    SectionKind.COMPETENCY,
                    competency.name,
                    description=competency.description,
                    origin=competency_set.id,
                    required=False,
                )
            )
    sections.append(
        SectionTemplate(
            JUSTIFICATION_KEY,
            SectionKind.JUSTIFICATION,
            "Why now",
            description="Why this person is ready for the target level now, in your words.",
        )
    )
    kept = sum(len(diff.of(kind).kept) for kind in KINDS)
    return PacketTemplate(
        source_id,
        diff.source.specialty.id if diff.source.specialty else None,
        target_id,
        diff.target.specialty.id if diff.target.specialty else None,
        move,
        tuple(sections),
        kept,
    )


# --- the workflow -----------------------------------------------------------------------


class Decision(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"

    @property
    def status(self) -> PacketStatus:
        return PacketStatus.APPROVED if self is Decision.APPROVE else PacketStatus.DECLINED


def check_editable(status: PacketStatus) -> None:
    if status is not PacketStatus.DRAFT:
        raise PacketStateError(f"The packet is {status.value}; only a draft can be edited.")


def check_withdraw(status: PacketStatus) -> PacketStatus:
    """The status after withdrawing: only an open (draft or submitted) packet is withdrawn."""
    if not status.is_open:
        raise PacketStateError(
            f"The packet is {status.value}; only an open packet can be withdrawn."
        )
    return PacketStatus.WITHDRAWN


def missing_evidence(
    sections: Iterable[SectionTemplate], evidence: Mapping[str, str | None]
) -> tuple[SectionTemplate, ...]:
    """The required sections whose evidence is empty (blank text counts as empty)."""
    return tuple(
        section
        for section in sections
        if section.required and not (evidence.get(section.key) or "").strip()
    )


def check_submit(
    status: PacketStatus,
    sections: Iterable[SectionTemplate],
    evidence: Mapping[str, str | None],
) -> PacketStatus:
    """The status after submitting; PacketStateError or IncompletePacketError if refused."""
    if status is not PacketStatus.DRAFT:
        raise PacketStateError(f"The packet is {status.value}; only a draft can be submitted.")
    missing = missing_evidence(sections, evidence)
    if missing:
        raise IncompletePacketError(missing)
    return PacketStatus.SUBMITTED


def check_decision(status: PacketStatus, decision: Decision, comment: str | None) -> PacketStatus:
    """The status after the approver's decision; declining needs a comment."""
    if status is not PacketStatus.SUBMITTED:
        raise PacketStateError(
            f"The packet is {status.value}; only a submitted packet can be "
            f"{'approved' if decision is Decision.APPROVE else 'declined'}."
        )
    if decision is Decision.DECLINE and not (comment or "").strip():
        raise PromotionError("Say why the packet is declined: a comment is required.")
    return decision.status


def check_text(label: str, text: str | None) -> str:
    """The text stripped; PromotionError if longer than :data:`MAX_TEXT`."""
    clean = (text or "").strip()
    if len(clean) > MAX_TEXT:
        raise PromotionError(
            f"{label} is {len(clean):,} characters long; the limit is {MAX_TEXT:,}."
        )
    return clean


# --- who may do what ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class People:
    """The ids around one packet."""

    subject_id: int
    author_id: int
    subject_manager_id: int | None  # the person's manager now
    author_manager_id: int | None  # the author's own manager: the approver


def can_start(actor_id: int, subject_id: int, subject_manager_id: int | None) -> bool:
    """Only a person's manager starts a packet for them (never for themselves)."""
    return actor_id != subject_id and subject_manager_id == actor_id


def can_edit(actor_id: int, people: People) -> bool:
    """The author, and the person's manager now if that changed, edit a draft."""
    if actor_id == people.subject_id:
        return False
    return actor_id in (people.author_id, people.subject_manager_id)


def can_decide(actor_id: int, actor_is_admin: bool, people: People) -> bool:
    """The author's own manager, or an admin; never the author, the person themselves or
    the person's current manager: whoever can edit the packet does not approve it."""
    if actor_id in (people.author_id, people.subject_id, people.subject_manager_id):
        return False
    return actor_is_admin or actor_id == people.author_manager_id


def can_withdraw(actor_id: int, actor_is_admin: bool, people: People) -> bool:
    """The editors, and admins (for a packet whose author left); never the person."""
    if actor_id == people.subject_id:
        return False
    return actor_is_admin or can_edit(actor_id, people)


def can_read(actor_id: int, actor_is_admin: bool, status: PacketStatus, people: People) -> bool:
    """The person, the editors, admins; the approver once it is submitted."""
    if actor_is_admin or actor_id == people.subject_id or can_edit(actor_id, people):
        return True
    return status is not PacketStatus.DRAFT and actor_id == people.author_manager_id


def told_of_submission(people: People, admin_ids: Iterable[int]) -> tuple[int, ...]:
    """Who is told that a packet waits for a decision: the author's own manager, the
    approver; when there is none who may decide, every admin who may."""
    manager = people.author_manager_id
    if manager is not None and can_decide(manager, False, people):
        return (manager,)
    return tuple(sorted({admin for admin in admin_ids if can_decide(admin, True, people)}))


def told_of_decision(people: People) -> tuple[int, ...]:
    """Who is told a packet was approved or declined: its author and the person it is
    about, each once."""
    return tuple(dict.fromkeys((people.author_id, people.subject_id)))


__all__ = [
    "CLOSED_STATUSES",
    "JUSTIFICATION_KEY",
    "MAX_TEXT",
    "OPEN_STATUSES",
    "Decision",
    "IncompletePacketError",
    "InvalidTargetError",
    "MoveKind",
    "PacketStateError",
    "PacketStatus",
    "PacketTemplate",
    "People",
    "PromotionError",
    "SectionKind",
    "SectionTemplate",
    "Target",
    "build_template",
    "can_decide",
    "can_edit",
    "can_read",
    "can_start",
    "can_withdraw",
    "check_decision",
    "check_editable",
    "check_submit",
    "check_text",
    "check_withdraw",
    "classify_move",
    "missing_evidence",
    "promotion_targets",
    "section_key",
    "told_of_decision",
    "told_of_submission",
]
