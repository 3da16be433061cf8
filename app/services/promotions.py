"""Promotion packets: start one from the ladder diff, edit sections, submit, decide.

Every change is audited (section ids only: evidence is free text about a person and stays
out of the log) and guarded against concurrent edits at two grains:

* each section has a version: an edit made on top of a version someone else has replaced is
  refused (:class:`SectionConflictError`, listing every such section with both texts), so two
  editors never overwrite each other, while edits of different sections both succeed;
* the packet has a version that changes with every edit and status change, so an edit racing
  a submission (or a decision racing another) loses cleanly instead of slipping through.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from app.clock import utcnow
from app.db import db
from app.ladder_access import get_ladder
from app.models import PromotionPacket, PromotionSection, Role, User
from app.services import audit, levels, promotion_messages
from app.services.errors import (
    ConflictError,
    ServiceError,
    commit_or_conflict,
    flush_or_conflict,
    stale,
)
from ladder.resolve import UnknownIdError, applicable_specialty
from pipelines.level_changes import LevelDateError, check_effective_date
from pipelines.level_history import LevelReason
from pipelines.promotions import (
    OPEN_STATUSES,
    Decision,
    IncompletePacketError,
    InvalidTargetError,
    PacketStateError,
    PacketStatus,
    People,
    PromotionError,
    SectionTemplate,
    build_template,
    can_decide,
    can_edit,
    can_read,
    can_start,
    can_withdraw,
    check_decision,
    check_editable,
    check_submit,
    check_text,
    check_withdraw,
)

__all__ = [
    "IncompletePacketError",
    "OpenPacketExistsError",
    "PacketClosedError",
    "PacketView",
    "SaveResult",
    "SectionConflict",
    "SectionConflictError",
    "decide",
    "effective_date",
    "load_packet",
    "open_packet_id",
    "save_sections",
    "save_sections_of",
    "start_packet",
    "submit_packet",
    "templates_of",
    "withdraw",
]


class OpenPacketExistsError(ServiceError):
    """The person already has a draft or submitted packet."""

    def __init__(self, existing_id: int) -> None:
        super().__init__(
            "This person already has an open promotion packet; finish or decide that one first."
        )
        self.existing_id = existing_id


@dataclass(frozen=True, slots=True)
class SectionConflict:
    """A section someone else changed: ``yours`` is None when the editor had not changed it
    (they must read the new text before submitting)."""

    key: str
    heading: str
    yours: str | None
    theirs: str
    version: int  # the version now stored: send it back to overwrite knowingly


class SectionConflictError(ConflictError):
    def __init__(self, conflicts: list[SectionConflict]) -> None:
        count = len(conflicts)
        what = "a section" if count == 1 else f"{count} sections"
        super().__init__(
            f"Someone else changed {what} while you were editing. Your text is kept below "
            "beside theirs: merge them and save again."
        )
        self.conflicts = conflicts


@dataclass(frozen=True, slots=True)
class PacketView:
    """A packet as one user may see it: the packet, the people and what the user may do."""

    packet: PromotionPacket
    people: People
    may_edit: bool
    may_decide: bool

    @property
    def status(self) -> PacketStatus:
        return self.packet.status


def _people(
    packet: PromotionPacket, subject_manager_id: int | None, author_manager_id: int | None
) -> People:
    return People(packet.subject_id, packet.author_id, subject_manager_id, author_manager_id)


_SubjectUser = aliased(User)
_AuthorUser = aliased(User)


def _packet_query() -> Select[tuple[PromotionPacket, int | None, int | None]]:
    return (
        select(PromotionPacket, _SubjectUser.manager_id, _AuthorUser.manager_id)
        .join(_SubjectUser, _SubjectUser.id == PromotionPacket.subject_id)
        .join(_AuthorUser, _AuthorUser.id == PromotionPacket.author_id)
    )


def load_packet(actor: User, packet_id: int, *, with_sections: bool = True) -> PacketView | None:
    """The packet if ``actor`` may read it, else None (the caller answers 404)."""
    query = _packet_query().where(PromotionPacket.id == packet_id)
    if with_sections:
        query = query.options(
            selectinload(PromotionPacket.sections),
            selectinload(PromotionPacket.subject),
            selectinload(PromotionPacket.author),
            selectinload(PromotionPacket.decided_by),
        )
    row = db.session.execute(query).one_or_none()
    if row is None:
        return None
    packet, subject_manager_id, author_manager_id = row
    people = _people(packet, subject_manager_id, author_manager_id)
    is_admin = actor.has_role(Role.ADMIN)
    if not can_read(actor.id, is_admin, packet.status, people):
        return None
    return PacketView(
        packet,
        people,
        may_edit=packet.status is PacketStatus.DRAFT and can_edit(actor.id, people),
        may_decide=packet.status is PacketStatus.SUBMITTED
        and can_decide(actor.id, is_admin, people),
    )


def open_packet_id(subject_id: int) -> int | None:
    """The id of the person's draft or submitted packet, if they have one."""
    return db.session.scalar(
        select(PromotionPacket.id).where(
            PromotionPacket.subject_id == subject_id, PromotionPacket.status.in_(OPEN_STATUSES)
        )
    )


def templates_of(packet: PromotionPacket) -> list[SectionTemplate]:
    return [
        SectionTemplate(
            section.key,
            section.kind,
            section.heading,
            tuple(section.items or ()),
            section.description,
            section.origin,
            section.required,
        )
        for section in packet.sections
    ]


def start_packet(
    actor: User,
    subject: User,
    target_level_id: str,
    *,
    target_specialty_id: str | None = None,
    channel: str = "web",
) -> PromotionPacket:
    """A new draft for ``subject`` (a direct report of ``actor``), its sections from the diff.

    ServiceError says why when the actor is not the manager, the person has no level, the
    target is no step up, or an open packet exists (OpenPacketExistsError, with its id).
    """
    if not can_start(actor.id, subject.id, subject.manager_id):
        raise ServiceError("Only a person's manager can start a promotion packet for them.")
    if not subject.active:
        raise ServiceError(f"{subject.display_name}'s account is deactivated.")
    ladder = get_ladder()
    if not subject.level_id or subject.level_id not in ladder.levels_by_id:
        raise ServiceError(
            f"{subject.display_name} has no current level on the ladder; an admin sets it "
            "on their user page."
        )
    if target_level_id not in ladder.levels_by_id:
        raise ServiceError(f"There is no level {target_level_id!r} on the ladder.")
    existing = open_packet_id(subject.id)
    if existing is not None:
        raise OpenPacketExistsError(existing)
    source_specialty = applicable_specialty(ladder, subject.level_id, subject.specialty_id)
    if target_specialty_id:
        if applicable_specialty(ladder, target_level_id, target_specialty_id) is None:
            raise ServiceError(
                f"The specialty {target_specialty_id!r} does not apply to {target_level_id!r}."
            )
    else:
        target_specialty_id = applicable_specialty(ladder, target_level_id, source_specialty)
    try:
        template = build_template(
            ladder, subject.level_id, target_level_id, source_specialty, target_specialty_id
        )
    except (InvalidTargetError, UnknownIdError) as exc:
        raise ServiceError(str(exc)) from None
    now = utcnow()
    packet = PromotionPacket(
        subject_id=subject.id,
        author_id=actor.id,
        source_level_id=template.source_level_id,
        source_specialty_id=template.source_specialty_id,
        target_level_id=template.target_level_id,
        target_specialty_id=template.target_specialty_id,
        move_kind=template.move,
        ladder_version=ladder.version,
        status=PacketStatus.DRAFT,
        created_at=now,
        updated_at=now,
        updated_by_id=actor.id,
    )
    packet.sections = [
        PromotionSection(
            position=position,
            key=section.key,
            kind=section.kind,
            heading=section.heading,
            items=list(section.items),
            description=section.description,
            origin=section.origin,
            required=section.required,
        )
        for position, section in enumerate(template.sections)
    ]
    db.session.add(packet)
    try:
        db.session.flush()
    except IntegrityError:
        # Another manager's packet for the same person won the race (the open-packet index).
        db.session.rollback()
        existing = open_packet_id(subject.id)
        raise OpenPacketExistsError(existing or 0) from None
    audit.record(
        "promotion.start",
        actor=actor,
        channel=channel,
        object_type="promotion_packet",
        object_id=packet.id,
        summary={
            "subject_id": subject.id,
            "from": template.source_level_id,
            "to": template.target_level_id,
            "move": template.move.value,
            "sections": len(template.sections),
        },
    )
    commit_or_conflict("This promotion packet")
    return packet


def _touch(packet: PromotionPacket, actor: User) -> None:
    """Change the packet row (and so its version) in this transaction."""
    packet.updated_at = utcnow()
    packet.updated_by_id = actor.id


class PacketClosedError(ConflictError):
    """The packet is no longer in the state the action needs (someone submitted, decided or
    withdrew it meanwhile): for the people acting, a concurrent change."""


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What a save wrote: every section's version and the progress, as of its transaction."""

    written: tuple[str, ...]
    versions: dict[str, int]
    evidence: dict[str, str | None]
    packet_version: int
    done: int
    required: int
    submitted: bool = False


def _label(section: PromotionSection) -> str:
    if section.key == "justification":
        return "The justification"
    return f"The evidence for “{section.heading[:60]}”"


def save_sections(
    view: PacketView,
    actor: User,
    edits: Mapping[str, tuple[str | None, int | None]],
    *,
    seen: Mapping[str, int] | None = None,
    submit: bool = False,
    channel: str = "web",
) -> SaveResult:
    """Write the evidence of the sections that changed and, with ``submit``, submit.

    ``edits`` maps a section key to (new text, the section version the editor started
    from); a text equal to the stored one writes nothing. ``seen`` maps the sections the
    editor did not change to the versions they saw. A changed section whose version moved
    on is a conflict; when submitting, so is a seen section that moved on (the submitter
    must have read every text). Nothing is written when any section conflicts.

    Submitting happens in the same transaction as the save, so nobody's edit slips in
    between; when evidence is missing the save is kept and IncompletePacketError raised.
    """
    packet = view.packet
    if not can_edit(actor.id, view.people):
        raise ServiceError("Only the packet's author or the person's manager can edit it.")
    try:
        check_editable(packet.status)
    except PromotionError as exc:
        raise PacketClosedError(str(exc)) from None
    sections = {section.key: section for section in packet.sections}
    unknown = sorted((set(edits) | set(seen or {})) - set(sections))
    if unknown:
        raise ServiceError(f"The packet has no section {unknown[0]!r}.")
    changed: list[tuple[PromotionSection, str]] = []
    conflicts: list[SectionConflict] = []
    for key, (text, expected) in edits.items():
        section = sections[key]
        try:
            clean = check_text(_label(section), text)
        except PromotionError as exc:
            raise ServiceError(str(exc)) from None
        current = section.evidence or ""
        moved_on = expected is not None and expected != section.version
        if clean != current:
            if moved_on:
                conflicts.append(
                    SectionConflict(key, section.heading, clean, current, section.version)
                )
            else:
                changed.append((section, clean))
        elif moved_on and submit:
            conflicts.append(SectionConflict(key, section.heading, clean, current, section.version))
    if submit:
        for key, expected in (seen or {}).items():
            section = sections[key]
            if expected != section.version:
                current = section.evidence or ""
                conflicts.append(
                    SectionConflict(key, section.heading, None, current, section.version)
                )
    if conflicts:
        raise SectionConflictError(conflicts)
    if changed:
        now = utcnow()
        for section, clean in changed:
            section.evidence = clean or None
            section.updated_at = now
            section.updated_by_id = actor.id
        _touch(packet, actor)
        audit.record(
            "promotion.edit",
            actor=actor,
            channel=channel,
            object_type="promotion_packet",
            object_id=packet.id,
            summary={"sections": [section.key for section, _ in changed]},
        )
    evidence = {section.key: section.evidence for section in packet.sections}
    missing: IncompletePacketError | None = None
    submitted = False
    if submit:
        try:
            status = check_submit(packet.status, templates_of(packet), evidence)
        except IncompletePacketError as exc:
            missing = exc
        else:
            _submit(packet, actor, status, channel, view.people)
            submitted = True
    flush_or_conflict("This promotion packet")
    counts = section_counts(packet)
    result = SaveResult(
        written=tuple(section.key for section, _ in changed),
        versions={section.key: section.version for section in packet.sections},
        evidence={section.key: section.evidence for section in packet.sections},
        packet_version=packet.version,
        done=counts["done"],
        required=counts["required"],
        submitted=submitted,
    )
    if changed or submitted:
        commit_or_conflict("This promotion packet")
    if missing is not None:
        raise missing
    return result


#: How often a save is tried when another save of the same packet won a race for its row,
#: and the first wait before trying again (doubled each time, with jitter).
SAVE_ATTEMPTS = 6
RETRY_WAIT_SECONDS = 0.02


def save_sections_of(
    actor: User,
    packet_id: int,
    edits: Mapping[str, tuple[str | None, int | None]],
    *,
    seen: Mapping[str, int] | None = None,
    submit: bool = False,
    channel: str = "web",
    loaded: PacketView | None = None,
) -> SaveResult:
    """:func:`save_sections` on a freshly loaded packet, tried again when it lost a race.

    Saves of different sections at the same moment both change the packet row (its version
    and time), and on SQLite the later writer of two overlapping transactions is refused;
    neither is a conflict for the people typing. Each attempt reloads the packet and checks
    every section version again, so a real conflict (the same section, or a packet that was
    submitted meanwhile) is still reported. ``loaded`` is the packet as the caller already
    read it in this transaction: the first attempt uses it instead of reading it again.
    """
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        view = loaded if attempt == 1 and loaded is not None else load_packet(actor, packet_id)
        if view is None:
            raise ServiceError("There is no such promotion packet.")
        try:
            return save_sections(view, actor, edits, seen=seen, submit=submit, channel=channel)
        except (SectionConflictError, PacketClosedError):
            raise
        except ConflictError:
            db.session.rollback()
            if attempt == SAVE_ATTEMPTS:
                raise
            time.sleep(RETRY_WAIT_SECONDS * 2 ** (attempt - 1) * (0.5 + random.random()))  # noqa: S311
    raise AssertionError("unreachable")


def _submit(
    packet: PromotionPacket, actor: User, status: PacketStatus, channel: str, people: People
) -> None:
    """Draft -> submitted, audited; the approvers are told (the caller commits)."""
    before = packet.status
    packet.status = status
    packet.submitted_at = utcnow()
    _touch(packet, actor)
    audit.record(
        "promotion.submit",
        actor=actor,
        channel=channel,
        object_type="promotion_packet",
        object_id=packet.id,
        summary=audit.changes({"status": before}, {"status": packet.status}),
    )
    promotion_messages.queue_submitted(packet, people)


def submit_packet(
    view: PacketView, actor: User, *, expected_version: int | None, channel: str = "web"
) -> None:
    """Draft -> submitted, once every required section has evidence."""
    packet = view.packet
    if not can_edit(actor.id, view.people):
        raise ServiceError("Only the packet's author or the person's manager can submit it.")
    if expected_version is not None and expected_version != packet.version:
        raise stale("This promotion packet")
    evidence = {section.key: section.evidence for section in packet.sections}
    try:
        status = check_submit(packet.status, templates_of(packet), evidence)
    except IncompletePacketError:
        raise
    except PromotionError as exc:
        raise PacketClosedError(str(exc)) from None
    _submit(packet, actor, status, channel, view.people)
    commit_or_conflict("This promotion packet")


def _close(
    packet: PromotionPacket,
    actor: User,
    status: PacketStatus,
    comment: str,
    action: str,
    channel: str,
    *,
    tell: People | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Approve, decline or withdraw: who closed it, when and why, audited and committed.
    With ``tell``, the packet's author and person are told of the decision."""
    before = packet.status
    now = utcnow()
    packet.status = status
    packet.decided_at = now
    packet.decided_by_id = actor.id
    packet.decision_comment = comment or None
    packet.updated_at = now
    packet.updated_by_id = actor.id
    audit.record(
        action,
        actor=actor,
        channel=channel,
        object_type="promotion_packet",
        object_id=packet.id,
        summary={
            **audit.changes({"status": before}, {"status": packet.status}),
            "commented": bool(comment),
            **(extra or {}),
        },
    )
    # The packet's version is checked here, before the messages' queries would flush it
    # (a decision that lost a race is a conflict, and nobody is told of it).
    flush_or_conflict("This promotion packet")
    if tell is not None:
        promotion_messages.queue_decided(packet, tell, actor)
    commit_or_conflict("This promotion packet")


def effective_date(
    packet: PromotionPacket, actor: User, effective_on: date | None, *, today: date | None = None
) -> date:
    """The day an approval of ``packet`` takes effect: ``effective_on``, or today in the
    approver's zone; never before the day (in that zone) the packet was submitted, at most
    a year ahead. A refused date is a :class:`~app.services.levels.LevelDateProblem`."""
    if today is None:
        today = levels.local_today(actor)
    submitted_on = None
    if packet.submitted_at is not None:
        submitted_on = levels.local_day(packet.submitted_at, actor)
    try:
        return check_effective_date(effective_on, today=today, submitted_on=submitted_on)
    except LevelDateError as exc:
        raise levels.LevelDateProblem(exc) from None


def decide(
    view: PacketView,
    actor: User,
    decision: Decision,
    comment: str | None,
    *,
    expected_version: int | None,
    channel: str = "web",
    effective_on: date | None = None,
    today: date | None = None,
) -> None:
    """Submitted -> approved or declined, by the author's manager or an admin.

    Approving changes the person's level to the packet's target from ``effective_on``
    (today in the approver's zone by default) in the same transaction: a span of level
    history "promoted" starts then, and the account follows at once when that day has
    come, else the worker's ``level_changes`` job applies it on the day. A decline takes
    no date (LevelDateProblem on ``effective_on``).
    """
    packet = view.packet
    if not can_decide(actor.id, actor.has_role(Role.ADMIN), view.people):
        raise ServiceError(
            "Only the author's own manager or an admin can approve or decline this packet."
        )
    if expected_version is not None and expected_version != packet.version:
        raise stale("This promotion packet")
    if today is None:
        today = levels.local_today(actor)
    try:
        clean = check_text("The comment", comment)
        status = check_decision(packet.status, decision, clean)
    except PacketStateError as exc:
        raise PacketClosedError(str(exc)) from None
    except PromotionError as exc:
        raise ServiceError(str(exc)) from None
    if decision is not Decision.APPROVE:
        if effective_on is not None:
            raise levels.LevelDateProblem(
                LevelDateError("effective_on", "Only an approval takes an effective date.")
            )
        _close(packet, actor, status, clean, "promotion.decline", channel, tell=view.people)
        return
    effective = effective_date(packet, actor, effective_on, today=today)
    subject = db.session.get(User, packet.subject_id)
    assert subject is not None
    # The span first: its flush must not write the packet, whose version is checked (and
    # a lost race turned into a conflict) when _close commits.
    levels.start_level(
        subject,
        level_id=packet.target_level_id,
        specialty_id=packet.target_specialty_id,
        starts_on=effective,
        reason=LevelReason.PROMOTED,
        actor=actor,
        today=today,
        packet_id=packet.id,
        channel=channel,
    )
    packet.effective_on = effective
    _close(
        packet,
        actor,
        status,
        clean,
        "promotion.approve",
        channel,
        tell=view.people,
        extra={"effective_on": effective.isoformat(), "applied": effective <= today},
    )


def withdraw(
    view: PacketView,
    actor: User,
    reason: str | None,
    *,
    expected_version: int | None,
    channel: str = "web",
) -> None:
    """Draft or submitted -> withdrawn, by an editor or an admin; the person can then get a
    new packet."""
    packet = view.packet
    if not can_withdraw(actor.id, actor.has_role(Role.ADMIN), view.people):
        raise ServiceError(
            "Only the packet's author, the person's manager or an admin can withdraw it."
        )
    if expected_version is not None and expected_version != packet.version:
        raise stale("This promotion packet")
    try:
        clean = check_text("The reason", reason)
        status = check_withdraw(packet.status)
    except PacketStateError as exc:
        raise PacketClosedError(str(exc)) from None
    except PromotionError as exc:
        raise ServiceError(str(exc)) from None
    _close(packet, actor, status, clean, "promotion.withdraw", channel)


def section_counts(packet: PromotionPacket) -> dict[str, Any]:
    """How far the packet is: required sections with evidence, of all required."""
    required = [s for s in packet.sections if s.required]
    done = [s for s in required if (s.evidence or "").strip()]
    optional = [s for s in packet.sections if not s.required and (s.evidence or "").strip()]
    return {"required": len(required), "done": len(done), "optional_done": len(optional)}
