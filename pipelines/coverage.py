"""Coverage of the scorecard criteria by a plan: what no stage assesses, what only one person does.

Only stages with scorecards assess criteria. Interviewers are counted as distinct people:
the hiring manager, the recruiter and the executive are each one person however many stages
they conduct (the hiring manager interview and the panel share the hiring manager), while
every peer or team-member seat is a person of its own. When the application's real
interviewers are known, ``interviewers`` (stage id -> user ids) replaces the plan's seats
for those stages, and ``hiring_manager_id`` lets the two ways of counting meet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ladder.model import Role
from pipelines.focus import DEFAULT, Focus
from pipelines.plan import PipelinePlan, PlannedStage
from pipelines.scorecards import Criterion, select_criteria

_SINGLE_PERSON_ROLES = frozenset({Role.HIRING_MANAGER, Role.RECRUITER, Role.EXECUTIVE})


@dataclass(frozen=True, slots=True)
class CriterionCoverage:
    """Who assesses one criterion: the stages whose focus names it, and the people."""

    criterion: Criterion
    stage_ids: tuple[str, ...]
    interviewers: tuple[str, ...]

    @property
    def uncovered(self) -> bool:
        return not self.interviewers

    @property
    def single_interviewer(self) -> bool:
        return len(self.interviewers) == 1


@dataclass(frozen=True, slots=True)
class Coverage:
    entries: tuple[CriterionCoverage, ...]

    @property
    def uncovered(self) -> tuple[Criterion, ...]:
        """Criteria that no stage assesses."""
        return tuple(entry.criterion for entry in self.entries if entry.uncovered)

    @property
    def single_interviewer(self) -> tuple[Criterion, ...]:
        """Criteria that only one interviewer would assess."""
        return tuple(entry.criterion for entry in self.entries if entry.single_interviewer)

    @property
    def complete(self) -> bool:
        """Every criterion is assessed by at least two people."""
        return not self.uncovered and not self.single_interviewer

    def of(self, criterion_id: str) -> CriterionCoverage:
        for entry in self.entries:
            if entry.criterion.id == criterion_id:
                return entry
        raise KeyError(criterion_id)


def _seat_key(stage: PlannedStage, role: Role, seat: int, hiring_manager_id: int | None) -> str:
    if role is Role.HIRING_MANAGER and hiring_manager_id is not None:
        return f"user:{hiring_manager_id}"
    if role is Role.EXECUTIVE and stage.level is not None:
        return f"executive:{stage.level}"
    if role in _SINGLE_PERSON_ROLES:
        return role.value
    return f"{stage.id}:{role.value}:{seat}"


def stage_interviewers(
    stage: PlannedStage,
    interviewers: Mapping[str, Sequence[int]] | None = None,
    hiring_manager_id: int | None = None,
) -> tuple[str, ...]:
    """The distinct people who conduct a stage, as keys (``user:<id>`` for known users)."""
    if interviewers is not None and stage.id in interviewers:
        return tuple(dict.fromkeys(f"user:{user}" for user in interviewers[stage.id]))
    keys = (
        _seat_key(stage, role, seat, hiring_manager_id) for seat, role in enumerate(stage.roles)
    )
    return tuple(dict.fromkeys(keys))


def check_coverage(
    plan: PipelinePlan,
    criteria: Sequence[Criterion],
    focus: Focus = DEFAULT,
    *,
    interviewers: Mapping[str, Sequence[int]] | None = None,
    hiring_manager_id: int | None = None,
) -> Coverage:
    """For each criterion, the scorecard stages that assess it and the people who would."""
    stages: dict[str, list[str]] = {criterion.id: [] for criterion in criteria}
    people: dict[str, list[str]] = {criterion.id: [] for criterion in criteria}
    for stage in plan.interview_stages:
        selected = select_criteria(criteria, focus.selectors_for(stage.kind, stage.id))
        keys = stage_interviewers(stage, interviewers, hiring_manager_id)
        for criterion in selected:
            stages[criterion.id].append(stage.id)
            people[criterion.id].extend(key for key in keys if key not in people[criterion.id])
    return Coverage(
        tuple(CriterionCoverage(c, tuple(stages[c.id]), tuple(people[c.id])) for c in criteria)
    )


__all__ = ["Coverage", "CriterionCoverage", "check_coverage", "stage_interviewers"]
