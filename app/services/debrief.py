"""The debrief of an application: its scorecards as a matrix (``pipelines.debrief``), the
plan's coverage check, the levels a hire may be made at with their ladder diffs, and the
hiring manager's decision (recorded by :mod:`app.services.decisions`).

Who: the requisition's hiring manager and admins decide; the requisition's recruiter reads
the debrief and the decision; nobody else sees it (:func:`may_view`). The pages and the API
both load the debrief here, in a constant number of queries whatever the number of
scorecards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.db import db
from app.hiring import queries
from app.ladder_access import get_ladder
from app.models import (
    Application,
    HiringDecision,
    Interview,
    Requisition,
    Role,
    Scorecard,
    ScorecardAmendment,
    User,
)
from app.services import audit, decisions
from app.services.errors import ConflictError, ServiceError
from app.services.hiring import plan_for, requisition_of
from ladder.model import Level
from ladder.resolve import LevelDiff
from pipelines.coverage import Coverage, check_coverage
from pipelines.debrief import (
    DebriefMatrix,
    Readiness,
    StageInterview,
    build_matrix,
    check_readiness,
    debrief_criteria,
    decision_problem,
    stage_criteria,
)
from pipelines.focus import family_focus
from pipelines.leveling import Outcome, Step, level_options, leveling_diff
from pipelines.plan import PipelinePlan, PlannedStage
from pipelines.scorecards import SubmittedScorecard, level_criteria, parse_mark, parse_rating


class NotReadyError(ServiceError):
    """The debrief is not open yet: the decision waits for the interviews."""


class DecisionFieldError(ServiceError):
    """A field of the decision breaks a leveling rule (``field``: outcome, level_id,
    rationale)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


def is_recruiter_of(user: User, requisition: Requisition) -> bool:
    return bool(user.id == requisition.recruiter_id and user.has_role(Role.RECRUITER))


def may_view(user: User, requisition: Requisition) -> bool:
    """The hiring manager and admins (who decide) and the requisition's own recruiter."""
    return decisions.may_decide(user, requisition) or is_recruiter_of(user, requisition)


@dataclass(frozen=True)
class Column:
    """One column of the matrix: a submitted scorecard, its stage and interviewer."""

    card: Scorecard
    stage: PlannedStage
    interviewer: str
    amendments: tuple[ScorecardAmendment, ...] = ()


@dataclass(frozen=True)
class LevelChoice:
    """A level a hire may be made at, and (off the requisition's level) the ladder diff
    from the requisition's level to it."""

    level: Level
    step: Step
    diff: LevelDiff | None

    @property
    def is_requisition_level(self) -> bool:
        return self.step is Step.SAME


@dataclass(frozen=True)
class Debrief:
    application: Application
    requisition: Requisition
    plan: PipelinePlan
    readiness: Readiness
    #: None until the debrief is open (nobody reads scorecards before every one is in).
    matrix: DebriefMatrix | None
    columns: tuple[Column, ...]
    coverage: Coverage | None
    choices: tuple[LevelChoice, ...]
    decision: HiringDecision | None
    decided_by: str | None = None
    stage_names: dict[str, str] = field(default_factory=dict)

    @property
    def requisition_level(self) -> Level:
        return next(c.level for c in self.choices if c.is_requisition_level)

    def choice(self, level_id: str | None) -> LevelChoice | None:
        return next((c for c in self.choices if c.level.id == level_id), None)


def _stage_interviews(
    interviews: Sequence[Interview], submitted: Sequence[Scorecard]
) -> dict[str, StageInterview]:
    done: dict[int, set[int]] = defaultdict(set)
    for card in submitted:
        done[card.interview_id].add(card.interviewer_id)
    return {
        i.stage_id: StageInterview(
            i.stage_id,
            tuple(seat.user_id for seat in i.interviewers),
            frozenset(done[i.id]),
            cancelled=i.cancelled_at is not None,
        )
        for i in interviews
    }


def readiness_of(
    application: Application,
    plan: PipelinePlan,
    interviews: Sequence[Interview],
    submitted: Sequence[Scorecard],
) -> Readiness:
    """Whether the debrief is open, from the interviews (with their interviewers) and the
    submitted scorecards a page has loaded already."""
    return check_readiness(
        plan, application.stage_id, application.status, _stage_interviews(interviews, submitted)
    )


def _amendments(card_ids: list[int]) -> dict[int, list[ScorecardAmendment]]:
    if not card_ids:
        return {}
    found: dict[int, list[ScorecardAmendment]] = defaultdict(list)
    for amendment in db.session.scalars(
        select(ScorecardAmendment)
        .where(ScorecardAmendment.scorecard_id.in_(card_ids))
        .order_by(ScorecardAmendment.created_at, ScorecardAmendment.id)
    ):
        found[amendment.scorecard_id].append(amendment)
    return found


def decision_with_author(application_id: int) -> HiringDecision | None:
    return db.session.scalar(
        select(HiringDecision)
        .where(HiringDecision.application_id == application_id)
        .options(joinedload(HiringDecision.decided_by))
    )


def level_choices(requisition: Requisition) -> tuple[LevelChoice, ...]:
    ladder = get_ladder()
    return tuple(
        LevelChoice(
            option.level,
            option.step,
            None
            if option.step is Step.SAME
            else leveling_diff(
                ladder, requisition.level_id, option.level.id, requisition.specialty_id
            ),
        )
        for option in level_options(ladder, requisition.level_id)
    )


def load_debrief(application: Application) -> Debrief:
    """Everything the debrief shows (the application with its requisition loaded)."""
    requisition = requisition_of(application)
    plan = plan_for(requisition)
    interviews = queries.application_interviews(application.id)
    submitted = queries.submitted_scorecards([i.id for i in interviews])
    readiness = readiness_of(application, plan, interviews, submitted)
    decision = decision_with_author(application.id)
    stage_names = {s.id: s.name for s in plan.stages}
    choices = level_choices(requisition)
    decided_by = None
    if decision is not None and decision.decided_by is not None:
        decided_by = decision.decided_by.display_name
    if not readiness.ready:
        return Debrief(
            application,
            requisition,
            plan,
            readiness,
            None,
            (),
            None,
            choices,
            decision,
            decided_by,
            stage_names,
        )
    ladder = get_ladder()
    criteria = level_criteria(ladder, requisition.level_id, requisition.specialty_id)
    focus = family_focus(ladder, ladder.level(requisition.level_id).family)
    asked = stage_criteria(plan, criteria, focus)
    stage_of = {i.id: i.stage_id for i in interviews}
    position = {s.id: s.position for s in plan.stages}
    cards = sorted(
        (c for c in submitted if parse_rating(c.recommendation) is not None),
        key=lambda c: (position.get(stage_of[c.interview_id], len(position)), c.id),
    )
    amendments = _amendments([c.id for c in cards])
    columns = tuple(
        Column(
            card,
            plan.stage(stage_of[card.interview_id]),
            card.interviewer.display_name,
            tuple(amendments.get(card.id, ())),
        )
        for card in cards
    )
    matrix = build_matrix(
        debrief_criteria(criteria, asked),
        [_submitted(card, stage_of[card.interview_id]) for card in cards],
    )
    # The people who conducted each interview stage; a stage not held (skipped on an
    # override, or called off) assessed nothing, whatever the plan's seats.
    held: dict[str, list[int]] = {stage.id: [] for stage in plan.interview_stages}
    for i in interviews:
        if i.cancelled_at is None:
            held[i.stage_id] = [seat.user_id for seat in i.interviewers]
    coverage = check_coverage(
        plan,
        criteria,
        focus,
        interviewers=held,
        hiring_manager_id=requisition.hiring_manager_id,
    )
    return Debrief(
        application,
        requisition,
        plan,
        readiness,
        matrix,
        columns,
        coverage,
        choices,
        decision,
        decided_by,
        stage_names,
    )


@dataclass(frozen=True)
class DecisionBox:
    """What the application's page shows of the debrief: whether it is open, and the
    decision with its author and level."""

    ready: bool
    may_decide: bool
    decision: HiringDecision | None
    decided_by: str | None
    level_title: str | None


def decision_box(
    user: User,
    application: Application,
    interviews: Sequence[Interview],
    submitted: Sequence[Scorecard],
) -> DecisionBox | None:
    """For the application's page, from the interviews (with their interviewers) and the
    submitted scorecards it has loaded; None for those who may not see the debrief."""
    requisition = requisition_of(application)
    if not may_view(user, requisition):
        return None
    plan = plan_for(requisition)
    ready = readiness_of(application, plan, interviews, submitted).ready
    decision = decision_with_author(application.id)
    decided_by = level_title = None
    if decision is not None:
        decided_by = decision.decided_by.display_name if decision.decided_by else None
        level = get_ladder().levels_by_id.get(decision.level_id or "")
        level_title = level.title if level is not None else decision.level_id
    return DecisionBox(
        ready, decisions.may_decide(user, requisition), decision, decided_by, level_title
    )


def _submitted(card: Scorecard, stage_id: str) -> SubmittedScorecard:
    recommendation = parse_rating(card.recommendation)
    assert recommendation is not None
    marks = {k: m for k, v in (card.ratings or {}).items() if (m := parse_mark(v)) is not None}
    notes = card.notes or ""
    return SubmittedScorecard(card.interviewer_id, stage_id, marks, recommendation, notes)


def decide(
    application: Application,
    *,
    actor: User,
    outcome: str | None,
    level_id: str | None,
    rationale: str | None,
    expected_version: int | None,
    channel: str = "web",
) -> HiringDecision:
    """Check the fields (:class:`DecisionFieldError`) and that the debrief is open
    (:class:`NotReadyError`), then record the decision (commits). A no-hire declines the
    application."""
    requisition = requisition_of(application)
    if not decisions.may_decide(actor, requisition):
        raise ServiceError("Only the requisition's hiring manager can record the decision.")
    problem = decision_problem(get_ladder(), requisition.level_id, outcome, level_id, rationale)
    if problem is not None:
        raise DecisionFieldError(*problem)
    plan = plan_for(requisition)
    interviews = queries.application_interviews(application.id)
    submitted = queries.submitted_scorecards([i.id for i in interviews])
    readiness = readiness_of(application, plan, interviews, submitted)
    if not readiness.ready:
        raise NotReadyError(f"The debrief is not open yet. {readiness.reason}")
    assert outcome is not None
    current = decisions.decision_of(application.id)
    if current is not None and expected_version is None:
        raise ConflictError(
            "A decision was recorded meanwhile: read it, then send again with its version "
            f"({current.version}) to change it."
        )
    return decisions.record_decision(
        application,
        actor=actor,
        outcome=Outcome(outcome),
        level_id=level_id,
        rationale=rationale,
        expected_version=expected_version,
        channel=channel,
    )


def audit_read(view: Debrief, actor: User, *, channel: str) -> None:
    """A debrief that shows scorecards or the decision shows what interviewers and the
    hiring manager wrote about the candidate: the read is audited (one that only says
    what it waits for is not)."""
    if view.matrix is None and view.decision is None:
        return
    audit.record_read(
        audit.CANDIDATE_FEEDBACK_VIEW,
        actor=actor,
        channel=channel,
        object_type="candidate",
        object_id=view.application.candidate_id,
        summary={
            "application_id": view.application.id,
            "page": "debrief",
            "scorecards": len(view.columns),
        },
    )


__all__ = [
    "Column",
    "Debrief",
    "DecisionBox",
    "DecisionFieldError",
    "LevelChoice",
    "NotReadyError",
    "audit_read",
    "decide",
    "decision_box",
    "decision_with_author",
    "is_recruiter_of",
    "level_choices",
    "load_debrief",
    "may_view",
    "readiness_of",
]
