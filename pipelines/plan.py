"""The pipeline plan of a family: its hiring-process stages, each with a kind and its rules.

The ladder data names each stage freely ("Recruiter Screening", "Panel Interview", …); the
pipeline needs to know what kind of stage each one is. :func:`classify_stage` decides from
who conducts the stage (``conducted_by.roles`` and ``level``) and from words in its id and
name, never from an exact title:

1. ``reference`` / ``references`` / ``background`` in the id or name: the reference and
   background check (``references``), whoever conducts it.
2. ``assessment`` / ``questionnaire`` / ``homework`` with nobody but a recruiter conducting
   it: the written assessment (``written_assessment``), sent by the recruiter after a passed
   screen.
3. Conducted by a recruiter alone, or by nobody and named a screen: ``recruiter_screen``.
4. An ``executive`` role, or a ``level`` that conducts it: ``executive``.
5. More than one person at once, or ``panel`` in the name: ``panel``.
6. The hiring manager alone: ``hiring_manager``; peers or team members alone: ``peer``.
7. Nobody named: the words ``executive``, ``peer``, ``hiring manager`` decide as above.
8. Anything else is a generic ``interview``: scored with scorecards like every interview,
   conducted by whoever the data names. A stage is never dropped or guessed away.

The plan itself refuses (:class:`~pipelines.errors.PlanError`, every problem at once) a
process without exactly one reference check as its last stage, a written assessment with no
recruiter screen before it, and an executive stage conducted by a level the ladder lacks.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from ladder.model import HiringProcess, Ladder, Role, Stage
from pipelines.errors import PlanError, UnknownStageError


class StageKind(StrEnum):
    """What a stage is for the pipeline rules."""

    RECRUITER_SCREEN = "recruiter_screen"
    WRITTEN_ASSESSMENT = "written_assessment"
    HIRING_MANAGER = "hiring_manager"
    PEER = "peer"
    PANEL = "panel"
    EXECUTIVE = "executive"
    INTERVIEW = "interview"
    REFERENCES = "references"

    @property
    def uses_scorecards(self) -> bool:
        """Interview stages are decided by scorecards; the others by their own outcome."""
        return self in INTERVIEW_KINDS


#: Stage kinds decided by interviewers' scorecards.
INTERVIEW_KINDS = frozenset(
    {
        StageKind.HIRING_MANAGER,
        StageKind.PEER,
        StageKind.PANEL,
        StageKind.EXECUTIVE,
        StageKind.INTERVIEW,
    }
)


class EvidenceKind(StrEnum):
    """What the application supplies to show that a stage is passed."""

    SCREEN_OUTCOME = "screen_outcome"  # the recruiter marks the screen passed or not
    ASSESSMENT = "assessment"  # the written assessment is sent, then received
    SCORECARDS = "scorecards"  # every interviewer submits a positive scorecard
    REFERENCE_CHECK = "reference_check"  # the reference and background check is passed


#: The panel's default composition: the hiring manager and two other team members.
PANEL_DEFAULT: tuple[Role, ...] = (Role.HIRING_MANAGER, Role.TEAM_MEMBER, Role.TEAM_MEMBER)

#: Who conducts a stage of each kind when the data names nobody.
DEFAULT_ROLES: dict[StageKind, tuple[Role, ...]] = {
    StageKind.RECRUITER_SCREEN: (Role.RECRUITER,),
    StageKind.WRITTEN_ASSESSMENT: (Role.RECRUITER,),
    StageKind.HIRING_MANAGER: (Role.HIRING_MANAGER,),
    StageKind.PEER: (Role.PEER,),
    StageKind.PANEL: PANEL_DEFAULT,
    StageKind.EXECUTIVE: (Role.EXECUTIVE,),
    StageKind.INTERVIEW: (),
    StageKind.REFERENCES: (),
}

_EVIDENCE: dict[StageKind, EvidenceKind] = {
    StageKind.RECRUITER_SCREEN: EvidenceKind.SCREEN_OUTCOME,
    StageKind.WRITTEN_ASSESSMENT: EvidenceKind.ASSESSMENT,
    StageKind.REFERENCES: EvidenceKind.REFERENCE_CHECK,
}

_REFERENCE_WORDS = frozenset({"reference", "references", "background"})
_ASSESSMENT_WORDS = frozenset({"assessment", "questionnaire", "homework"})
_SCREEN_WORDS = frozenset({"screen", "screening"})
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class PlannedStage:
    """One stage of a pipeline plan, in the order of the family's hiring process."""

    kind: StageKind
    id: str
    name: str
    position: int
    duration_minutes: int | None = None
    #: One entry per person conducting the stage (the panel: hiring manager + two members).
    roles: tuple[Role, ...] = ()
    #: The data's words for who conducts it ("the Senior Director of CSMs").
    conducted_by: str | None = None
    #: The level whose holders conduct the stage (the executive interview).
    level: str | None = None
    #: Who picks the interviewers: the hiring manager for peer and panel interviews.
    selected_by: Role | None = None
    format: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    #: The written assessment: who sends it, and the stage it is sent after (the screen).
    sent_by: Role | None = None
    sent_after: str | None = None

    @property
    def uses_scorecards(self) -> bool:
        return self.kind.uses_scorecards

    @property
    def evidence(self) -> EvidenceKind:
        return _EVIDENCE.get(self.kind, EvidenceKind.SCORECARDS)

    @property
    def chosen_by_hiring_manager(self) -> bool:
        """True when the hiring manager picks the interviewers (peer and panel)."""
        return self.selected_by is Role.HIRING_MANAGER

    @property
    def interviewer_count(self) -> int:
        """How many people conduct the stage by default."""
        return len(self.roles)


@dataclass(frozen=True, slots=True)
class PipelinePlan:
    """A family's stages in order; the reference check is always the last one."""

    family_id: str
    stages: tuple[PlannedStage, ...]

    @property
    def stage_ids(self) -> tuple[str, ...]:
        return tuple(stage.id for stage in self.stages)

    @property
    def first(self) -> PlannedStage:
        return self.stages[0]

    @property
    def references(self) -> PlannedStage:
        return self.stages[-1]

    @property
    def interview_stages(self) -> tuple[PlannedStage, ...]:
        return tuple(stage for stage in self.stages if stage.uses_scorecards)

    def has(self, kind: StageKind) -> bool:
        return any(stage.kind is kind for stage in self.stages)

    def of_kind(self, kind: StageKind) -> tuple[PlannedStage, ...]:
        return tuple(stage for stage in self.stages if stage.kind is kind)

    def stage(self, stage_id: str) -> PlannedStage:
        """The stage with this id; :class:`UnknownStageError` if the plan has none."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        known = ", ".join(self.stage_ids)
        raise UnknownStageError(
            f"The hiring process of {self.family_id} has no stage {stage_id!r} "
            f"(its stages: {known})."
        )

    def next_after(self, stage_id: str) -> PlannedStage | None:
        """The stage that follows, or ``None`` after the last one."""
        position = self.stage(stage_id).position
        return self.stages[position + 1] if position + 1 < len(self.stages) else None

    def before(self, stage_id: str) -> tuple[PlannedStage, ...]:
        """Every stage earlier than this one, in order."""
        return self.stages[: self.stage(stage_id).position]


def _words(stage: Stage) -> frozenset[str]:
    return frozenset(_WORD.findall(f"{stage.id} {stage.name}".lower()))


def _by_words(words: frozenset[str]) -> StageKind:
    """The kind of a stage that names nobody to conduct it."""
    if words & _SCREEN_WORDS:
        return StageKind.RECRUITER_SCREEN
    if "executive" in words:
        return StageKind.EXECUTIVE
    if "panel" in words:
        return StageKind.PANEL
    if "peer" in words:
        return StageKind.PEER
    if {"hiring", "manager"} <= words:
        return StageKind.HIRING_MANAGER
    return StageKind.INTERVIEW


def _by_roles(roles: tuple[Role, ...], words: frozenset[str]) -> StageKind:
    distinct = set(roles)
    if distinct == {Role.RECRUITER}:
        return StageKind.RECRUITER_SCREEN
    if Role.EXECUTIVE in distinct:
        return StageKind.EXECUTIVE
    if len(roles) > 1 or "panel" in words:
        return StageKind.PANEL
    if distinct == {Role.HIRING_MANAGER}:
        return StageKind.HIRING_MANAGER
    if distinct <= {Role.PEER, Role.TEAM_MEMBER}:
        return StageKind.PEER
    return StageKind.INTERVIEW


def classify_stage(stage: Stage) -> StageKind:
    """The kind of a hiring-process stage (rules in the module docstring)."""
    words = _words(stage)
    roles = stage.conducted_by.roles if stage.conducted_by is not None else ()
    level = stage.conducted_by.level if stage.conducted_by is not None else None
    if words & _REFERENCE_WORDS:
        return StageKind.REFERENCES
    if words & _ASSESSMENT_WORDS and set(roles) <= {Role.RECRUITER}:
        return StageKind.WRITTEN_ASSESSMENT
    if level is not None:
        return StageKind.EXECUTIVE
    if roles:
        return _by_roles(roles, words)
    return _by_words(words)


def _selected_by(kind: StageKind, stage: Stage) -> Role | None:
    if stage.conducted_by is not None and stage.conducted_by.selected_by is not None:
        return stage.conducted_by.selected_by
    if kind in (StageKind.PEER, StageKind.PANEL):
        return Role.HIRING_MANAGER
    return None


def plan_stage(stage: Stage, position: int, sent_after: str | None = None) -> PlannedStage:
    """One data stage as a planned stage (``sent_after`` only for a written assessment)."""
    kind = classify_stage(stage)
    conducted = stage.conducted_by
    roles = conducted.roles if conducted is not None and conducted.roles else DEFAULT_ROLES[kind]
    is_assessment = kind is StageKind.WRITTEN_ASSESSMENT
    return PlannedStage(
        kind=kind,
        id=stage.id,
        name=stage.name,
        position=position,
        duration_minutes=stage.duration_minutes,
        roles=roles,
        conducted_by=conducted.text if conducted is not None else None,
        level=conducted.level if conducted is not None else None,
        selected_by=_selected_by(kind, stage),
        format=stage.format,
        text=stage.text,
        sent_by=Role.RECRUITER if is_assessment else None,
        sent_after=sent_after if is_assessment else None,
    )


def _plan_stages(process: HiringProcess) -> tuple[list[PlannedStage], list[str]]:
    planned: list[PlannedStage] = []
    problems: list[str] = []
    last_screen: str | None = None
    for position, stage in enumerate(process.stages):
        entry = plan_stage(stage, position, last_screen)
        if entry.kind is StageKind.RECRUITER_SCREEN:
            last_screen = entry.id
        if entry.kind is StageKind.WRITTEN_ASSESSMENT and entry.sent_after is None:
            problems.append(
                f"the written assessment {entry.id!r} has no recruiter screen before it"
            )
        planned.append(entry)
    return planned, problems


def _check_stages(planned: list[PlannedStage], known_levels: Collection[str] | None) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for entry in planned:
        if entry.id in seen:
            problems.append(f"the stage id {entry.id!r} is used twice")
        seen.add(entry.id)
        if known_levels is not None and entry.level is not None and entry.level not in known_levels:
            problems.append(f"stage {entry.id!r} is conducted by unknown level {entry.level!r}")
    references = [entry for entry in planned if entry.kind is StageKind.REFERENCES]
    if not references:
        problems.append("it has no reference and background check stage")
    elif len(references) > 1:
        names = ", ".join(repr(entry.id) for entry in references)
        problems.append(f"it has several reference check stages ({names})")
    elif planned[-1].kind is not StageKind.REFERENCES:
        problems.append(f"the reference check {references[0].id!r} is not the last stage")
    return problems


def plan_process(
    family_id: str, process: HiringProcess, known_levels: Collection[str] | None = None
) -> PipelinePlan:
    """The plan of a hiring process; ``known_levels`` checks the levels that conduct stages."""
    planned, problems = _plan_stages(process)
    problems += _check_stages(planned, known_levels)
    if problems:
        raise PlanError(family_id, problems)
    return PipelinePlan(family_id, tuple(planned))


def build_plan(ladder: Ladder, family_id: str) -> PipelinePlan:
    """The pipeline plan of a family of the ladder."""
    family = ladder.families_by_id.get(family_id)
    if family is None:
        raise PlanError(family_id, ["the ladder has no such family"])
    if family.hiring_process is None:
        raise PlanError(family_id, ["the family has no hiring process"])
    return plan_process(family_id, family.hiring_process, ladder.levels_by_id)


def plan_for_level(ladder: Ladder, level_id: str) -> PipelinePlan:
    """The pipeline plan for a requisition at this level (its family's plan)."""
    level = ladder.levels_by_id.get(level_id)
    if level is None:
        raise PlanError(level_id, ["the ladder has no such level"])
    return build_plan(ladder, level.family)


__all__ = [
    "DEFAULT_ROLES",
    "INTERVIEW_KINDS",
    "PANEL_DEFAULT",
    "EvidenceKind",
    "PipelinePlan",
    "PlannedStage",
    "StageKind",
    "build_plan",
    "classify_stage",
    "plan_for_level",
    "plan_process",
    "plan_stage",
]
