"""Interview kits: the questions to ask per criterion, for each interview stage of a
requisition. Written by the requisition's hiring manager or recruiter (and admins), read by
the interviewers on their scorecards.

A requisition without a kit of its own starts from the kit last saved for its level (the
page says which); saving makes it the requisition's own. See :mod:`pipelines.kits`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.clock import utcnow
from app.db import db
from app.models import InterviewKit, Requisition, Role, User
from app.services import audit
from app.services.errors import ServiceError, commit_or_conflict, stale
from app.services.interviews import stage_criteria
from app.services.plans import plan_for
from pipelines.kits import Kit, fit_kit, kit_from_stored, kit_to_stored, merge_kit, question_count
from pipelines.plan import PlannedStage
from pipelines.scorecards import Criterion

WHAT = "This interview kit"


def may_edit_kit(user: Any, requisition: Requisition) -> bool:
    """Admins, the requisition's hiring manager and its recruiter (anyone else: 404)."""
    return bool(user.has_role(Role.ADMIN)) or user.id in (
        requisition.hiring_manager_id,
        requisition.recruiter_id,
    )


@dataclass(frozen=True)
class KitStage:
    stage: PlannedStage
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class KitSource:
    """Where the questions shown come from, when not from the requisition's own kit."""

    requisition_id: int
    title: str
    updated_at: datetime


@dataclass(frozen=True)
class KitView:
    requisition: Requisition
    stages: tuple[KitStage, ...]
    questions: dict[str, dict[str, tuple[str, ...]]]
    #: The requisition's own kit, if it has been saved.
    kit: InterviewKit | None
    #: The level's last kit the questions start from (no kit of its own yet).
    source: KitSource | None

    @property
    def version(self) -> str:
        return str(self.kit.version) if self.kit is not None else ""

    @property
    def count(self) -> int:
        return question_count(self.questions)

    def stage_criteria(self) -> dict[str, list[str]]:
        return {s.stage.id: [c.id for c in s.criteria] for s in self.stages}


def kit_stages(requisition: Requisition) -> tuple[KitStage, ...]:
    """The requisition's interview stages, each with the criteria its scorecards rate."""
    return tuple(
        KitStage(stage, stage_criteria(requisition, stage.id))
        for stage in plan_for(requisition).interview_stages
    )


def _own_kit(requisition_id: int) -> InterviewKit | None:
    return db.session.scalar(
        select(InterviewKit).where(InterviewKit.requisition_id == requisition_id)
    )


def _level_default(requisition: Requisition) -> tuple[InterviewKit, str] | None:
    """The kit last saved for the requisition's level (another requisition's), and its title."""
    row = db.session.execute(
        select(InterviewKit, Requisition.title)
        .join(Requisition, Requisition.id == InterviewKit.requisition_id)
        .where(
            InterviewKit.level_id == requisition.level_id,
            InterviewKit.requisition_id != requisition.id,
        )
        .order_by(InterviewKit.updated_at.desc(), InterviewKit.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def load_kit(requisition: Requisition, stages: tuple[KitStage, ...] | None = None) -> KitView:
    """The requisition's questions: its own kit, else the level's last kit (fitted onto
    this requisition's criteria), else none."""
    stages = kit_stages(requisition) if stages is None else stages
    by_stage = {s.stage.id: [c.id for c in s.criteria] for s in stages}
    own = _own_kit(requisition.id)
    if own is not None:
        questions = fit_kit(kit_from_stored(own.questions), by_stage)
        return KitView(requisition, stages, questions, own, None)
    default = _level_default(requisition)
    if default is None:
        return KitView(requisition, stages, {}, None, None)
    kit, title = default
    questions = fit_kit(kit_from_stored(kit.questions), by_stage)
    source = KitSource(kit.requisition_id, title, kit.updated_at)
    return KitView(requisition, stages, questions, None, source)


def stage_questions(requisition: Requisition, stage_id: str) -> dict[str, tuple[str, ...]]:
    """``{criterion id: questions}`` for one stage's scorecard."""
    stage = KitStage(plan_for(requisition).stage(stage_id), stage_criteria(requisition, stage_id))
    return load_kit(requisition, (stage,)).questions.get(stage_id, {})


@dataclass(frozen=True)
class CopySource:
    requisition_id: int
    title: str
    updated_at: datetime


def copy_sources(requisition: Requisition) -> list[CopySource]:
    """Other requisitions of the same level that have a kit, the last saved first."""
    rows = db.session.execute(
        select(Requisition.id, Requisition.title, InterviewKit.updated_at)
        .join(InterviewKit, InterviewKit.requisition_id == Requisition.id)
        .where(Requisition.level_id == requisition.level_id, Requisition.id != requisition.id)
        .order_by(InterviewKit.updated_at.desc(), Requisition.id.desc())
    ).all()
    return [CopySource(rid, title, at) for rid, title, at in rows]


@dataclass(frozen=True)
class Copied:
    questions: dict[str, dict[str, tuple[str, ...]]]
    source: CopySource
    copied: int
    left_behind: int


def copy_kit(view: KitView, source_id: int, current: Kit) -> Copied:
    """Another requisition's kit (same level) merged onto ``current``: only the criteria
    this requisition rates. Nothing is saved."""
    source = next(
        (s for s in copy_sources(view.requisition) if s.requisition_id == source_id), None
    )
    if source is None:
        raise ServiceError(
            "Copy from a requisition of the same level that has an interview kit; "
            "choose one from the list."
        )
    kit = _own_kit(source_id)
    assert kit is not None
    merged = merge_kit(current, kit_from_stored(kit.questions), view.stage_criteria())
    return Copied(merged.kit, source, merged.copied, merged.left_behind)


def save_kit(
    view: KitView,
    questions: Kit,
    *,
    actor: User,
    expected_version: int | None,
    copied_from: int | None = None,
    channel: str = "web",
) -> InterviewKit:
    """Save the requisition's kit. ``expected_version`` is the kit's version as the form
    last saw it (``None``: there was no kit yet); anything else is refused as stale."""
    requisition = view.requisition
    kit = _own_kit(requisition.id)
    current = None if kit is None else kit.version
    if current != expected_version:
        raise stale(WHAT)
    fitted = fit_kit(questions, view.stage_criteria())
    before = 0 if kit is None else question_count(kit_from_stored(kit.questions))
    if kit is None:
        kit = InterviewKit(requisition_id=requisition.id, level_id=requisition.level_id)
        db.session.add(kit)
    kit.level_id = requisition.level_id
    kit.questions = kit_to_stored(fitted)
    kit.updated_by_id = actor.id
    kit.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "interview_kit.save",
        actor=actor,
        channel=channel,
        object_type="requisition",
        object_id=requisition.id,
        summary={
            "kit_id": kit.id,
            "questions": {"before": before, "after": question_count(fitted)},
            "criteria": sum(len(c) for c in fitted.values()),
            **({"copied_from_requisition": copied_from} if copied_from else {}),
        },
    )
    commit_or_conflict(WHAT)
    return kit
