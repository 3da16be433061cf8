"""Helpers shared by the pipeline tests: actors, times, evidence that passes every stage."""

from __future__ import annotations

from datetime import UTC, datetime

from ladder.model import ConductedBy, HiringProcess, Role, Stage
from pipelines.applications import Actor, StageEvidence
from pipelines.plan import PipelinePlan, PlannedStage, StageKind
from pipelines.scorecards import Rating, ScorecardSummary

CSM = "customer-success-management"
CSL = "customer-success-leadership"
CSA = "customer-success-architect"
FAMILIES = (CSM, CSL, CSA)

AT = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
RECRUITER = Actor(1)
HIRING_MANAGER = Actor(2, is_hiring_manager=True)
INTERVIEWER = Actor(7)


#: The interviewers' names the messages show (never their ids).
NAMES = {2: "Ana Ruiz", 3: "Ben Okafor", 7: "Chen Wei", 8: "Dita Sari", 9: "Eli Moss"}


def cards(*entries: tuple[int, Rating | None, bool]) -> StageEvidence:
    """Scorecard evidence from ``(interviewer id, recommendation, submitted)`` triples."""
    return StageEvidence(
        scorecards=tuple(
            ScorecardSummary(who, submitted, rating, interviewer_name=NAMES.get(who))
            for who, rating, submitted in entries
        )
    )


def positive(*interviewers: int) -> StageEvidence:
    return cards(*((who, Rating.YES, True) for who in interviewers))


def passing(stage: PlannedStage) -> StageEvidence:
    """Evidence that lets an application leave ``stage``."""
    if stage.kind is StageKind.RECRUITER_SCREEN:
        return StageEvidence(screen_passed=True)
    if stage.kind is StageKind.WRITTEN_ASSESSMENT:
        return StageEvidence(assessment_sent=True, assessment_received=True)
    if stage.kind is StageKind.REFERENCES:
        return StageEvidence(references_passed=True)
    return positive(*range(10, 10 + max(1, stage.interviewer_count)))


def all_passing(plan: PipelinePlan) -> dict[str, StageEvidence]:
    return {stage.id: passing(stage) for stage in plan.stages}


def stage(
    stage_id: str,
    name: str | None = None,
    roles: tuple[Role, ...] = (),
    *,
    level: str | None = None,
    selected_by: Role | None = None,
    duration: int | None = None,
) -> Stage:
    """A hiring-process stage as the ladder loader would build it."""
    conducted = None
    if roles or level is not None or selected_by is not None:
        conducted = ConductedBy("someone", roles, level, selected_by)
    return Stage(
        id=stage_id,
        name=name or stage_id.replace("-", " ").title(),
        text=("A stage.",),
        duration_minutes=duration,
        conducted_by=conducted,
    )


def process(*stages: Stage) -> HiringProcess:
    return HiringProcess(stages=stages)


SCREEN = stage("recruiter-screening", "Recruiter Screening", (Role.RECRUITER,), duration=30)
ASSESSMENT = stage("written-assessment", "Written Assessment", (Role.RECRUITER,))
MANAGER = stage("hiring-manager-interview", "Hiring Manager Interview", (Role.HIRING_MANAGER,))
REFERENCES = stage("reference-and-background-check", "Reference and Background Check")
