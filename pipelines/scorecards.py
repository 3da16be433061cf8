"""Scorecards: criteria from the ladder, ratings, validation, blind feedback, side by side.

The criteria of a scorecard are the target level's resolved requirements (each with the
level, family or specialty it comes from) followed by the family's competencies (the 7
pillars of success for Customer Success Management). Criterion ids are stable across
ladder reloads: ``req:<8 hex digits>`` hashes the requirement's normalised text, and
``competency:<id>`` names the competency.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol, TypeVar

from ladder.model import Ladder
from ladder.resolve import OriginKind, ResolutionError, ResolvedItem, resolve_level
from pipelines.errors import InvalidScorecardError, ScorecardError
from pipelines.focus import (
    COMPETENCIES,
    COMPETENCY_PREFIX,
    DEFAULT,
    INHERITED_REQUIREMENTS,
    LEVEL_REQUIREMENTS,
    REQUIREMENTS,
    SPECIALTY_REQUIREMENTS,
    Focus,
)
from pipelines.plan import StageKind

# ---------------------------------------------------------------------------------------------
# Ratings


class Rating(StrEnum):
    """The 4-point scale of criteria and of the overall recommendation."""

    STRONG_NO = "strong_no"
    NO = "no"
    YES = "yes"
    STRONG_YES = "strong_yes"

    @property
    def is_positive(self) -> bool:
        return self in (Rating.YES, Rating.STRONG_YES)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def points(self) -> int:
        """1 (strong no) to 4 (strong yes)."""
        return _POINTS[self]


_POINTS = {Rating.STRONG_NO: 1, Rating.NO: 2, Rating.YES: 3, Rating.STRONG_YES: 4}


class NotAssessed(StrEnum):
    """The explicit answer for a criterion the interview did not cover."""

    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        return "not assessed"


NOT_ASSESSED = NotAssessed.NOT_ASSESSED

#: What an interviewer records for one criterion.
Mark = Rating | NotAssessed

#: ``(value, label)`` pairs for form choices, worst first.
RATING_CHOICES: tuple[tuple[str, str], ...] = tuple((r.value, r.label) for r in Rating)
MARK_CHOICES: tuple[tuple[str, str], ...] = (*RATING_CHOICES, (NOT_ASSESSED.value, "not assessed"))


def parse_rating(value: object) -> Rating | None:
    """The rating named by ``value`` (a Rating or its string), or ``None``."""
    if isinstance(value, Rating):
        return value
    if isinstance(value, str):
        try:
            return Rating(value.strip())
        except ValueError:
            return None
    return None


def parse_mark(value: object) -> Mark | None:
    """A rating or "not assessed" named by ``value``, or ``None``."""
    if isinstance(value, NotAssessed):
        return value
    if isinstance(value, str) and value.strip() == NOT_ASSESSED.value:
        return NOT_ASSESSED
    return parse_rating(value)


# ---------------------------------------------------------------------------------------------
# Criteria


class CriterionSource(StrEnum):
    REQUIREMENT = "requirement"
    COMPETENCY = "competency"


class Scope(StrEnum):
    """Where a criterion comes from, relative to the target level (used by the focus)."""

    LEVEL = "level"  # a requirement the target level adds itself
    INHERITED = "inherited"  # a requirement from an extended level or the family
    SPECIALTY = "specialty"  # a requirement the specialty adds
    COMPETENCY = "competency"  # a competency of the family


@dataclass(frozen=True, slots=True)
class Criterion:
    """One thing a scorecard rates."""

    id: str
    source: CriterionSource
    scope: Scope
    text: str
    items: tuple[str, ...] = ()
    description: str | None = None
    #: A requirement's origin: the level, family or specialty id it comes from.
    origin: str | None = None
    origin_kind: OriginKind | None = None

    @property
    def competency_id(self) -> str | None:
        if self.source is CriterionSource.COMPETENCY:
            return self.id.removeprefix(COMPETENCY_PREFIX)
        return None


REQUIREMENT_PREFIX = "req:"


def requirement_criterion_id(key: str, length: int = 8) -> str:
    """``req:`` and the first ``length`` hex digits of the sha256 of a normalised item key."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{REQUIREMENT_PREFIX}{digest[:length]}"


def competency_criterion_id(competency_id: str) -> str:
    return f"{COMPETENCY_PREFIX}{competency_id}"


def _requirement_ids(keys: Sequence[str]) -> list[str]:
    """Ids for distinct keys: 8 hex digits, longer only if two keys would collide."""
    length = 8
    while True:
        ids = [requirement_criterion_id(key, length) for key in keys]
        if len(set(ids)) == len(ids) or length >= 64:
            return ids
        length += 4


def _scope(item: ResolvedItem, level_id: str) -> Scope:
    if item.origin_kind == "specialty":
        return Scope.SPECIALTY
    if item.origin_kind == "level" and item.origin == level_id:
        return Scope.LEVEL
    return Scope.INHERITED


def _requirement_criteria(items: Sequence[ResolvedItem], level_id: str) -> list[Criterion]:
    ids = _requirement_ids([item.key for item in items])
    return [
        Criterion(
            id=criterion_id,
            source=CriterionSource.REQUIREMENT,
            scope=_scope(item, level_id),
            text=item.text,
            items=item.items,
            origin=item.origin,
            origin_kind=item.origin_kind,
        )
        for criterion_id, item in zip(ids, items, strict=True)
    ]


def _competency_criteria(ladder: Ladder, set_id: str | None) -> list[Criterion]:
    competency_set = None if set_id is None else ladder.competency_set(set_id)
    if competency_set is None:
        return []
    return [
        Criterion(
            id=competency_criterion_id(competency.id),
            source=CriterionSource.COMPETENCY,
            scope=Scope.COMPETENCY,
            text=competency.name,
            description=competency.description,
        )
        for competency in competency_set.competencies
    ]


def level_criteria(
    ladder: Ladder, level_id: str, specialty_id: str | None = None
) -> tuple[Criterion, ...]:
    """Every criterion for hiring at a level (+ specialty): requirements, then competencies."""
    try:
        resolved = resolve_level(ladder, level_id, specialty_id)
    except ResolutionError as error:
        raise ScorecardError(f"No scorecard criteria for {level_id}: {error}") from error
    return (
        *_requirement_criteria(resolved.requirements, level_id),
        *_competency_criteria(ladder, resolved.family.competencies),
    )


def criterion_matches(criterion: Criterion, selector: str) -> bool:
    """Whether a focus selector (see :mod:`pipelines.focus`) names this criterion."""
    is_requirement = criterion.source is CriterionSource.REQUIREMENT
    if selector == REQUIREMENTS:
        return is_requirement
    if selector == LEVEL_REQUIREMENTS:
        return criterion.scope is Scope.LEVEL
    if selector == INHERITED_REQUIREMENTS:
        return criterion.scope is Scope.INHERITED
    if selector == SPECIALTY_REQUIREMENTS:
        return criterion.scope is Scope.SPECIALTY
    if selector == COMPETENCIES:
        return not is_requirement
    return criterion.id == selector


def select_criteria(
    criteria: Iterable[Criterion], selectors: Sequence[str]
) -> tuple[Criterion, ...]:
    """The criteria any selector names, in their original order."""
    return tuple(c for c in criteria if any(criterion_matches(c, s) for s in selectors))


def criteria_for(
    ladder: Ladder,
    level_id: str,
    specialty_id: str | None = None,
    stage_kind: StageKind | None = None,
    *,
    stage_id: str | None = None,
    focus: Focus = DEFAULT,
) -> tuple[Criterion, ...]:
    """The criteria a scorecard of this stage rates (every criterion when no stage is given)."""
    criteria = level_criteria(ladder, level_id, specialty_id)
    if stage_kind is None:
        return criteria
    return select_criteria(criteria, focus.selectors_for(stage_kind, stage_id))


# ---------------------------------------------------------------------------------------------
# Validation of a submitted scorecard

#: The longest notes a scorecard keeps, in characters (drafts included).
MAX_NOTES = 20_000


@dataclass(frozen=True, slots=True)
class ScorecardProblem:
    """One problem of a submitted scorecard: the field (a criterion id, ``recommendation``,
    ``notes``) and a message that can be shown beside it."""

    field: str
    message: str
    criterion_id: str | None = None

    def __str__(self) -> str:
        return self.message


def _label(criterion: Criterion, width: int = 60) -> str:
    text = criterion.text.rstrip(":")
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


_SCALE = "strong no, no, yes or strong yes"


def _rating_problems(
    criteria: Sequence[Criterion], ratings: Mapping[str, object]
) -> list[ScorecardProblem]:
    problems: list[ScorecardProblem] = []
    known = {criterion.id for criterion in criteria}
    for criterion in criteria:
        label = _label(criterion)
        if criterion.id not in ratings or ratings[criterion.id] in (None, ""):
            message = f'Rate "{label}" or mark it not assessed.'
            problems.append(ScorecardProblem(criterion.id, message, criterion.id))
        elif parse_mark(ratings[criterion.id]) is None:
            value = ratings[criterion.id]
            message = f'{value!r} is not a rating for "{label}" (use {_SCALE}, or not assessed).'
            problems.append(ScorecardProblem(criterion.id, message, criterion.id))
    for criterion_id in ratings:
        if criterion_id not in known:
            message = f"{criterion_id!r} is not a criterion of this scorecard."
            problems.append(ScorecardProblem(criterion_id, message, criterion_id))
    return problems


def validate_scorecard(
    criteria: Sequence[Criterion],
    ratings: Mapping[str, object],
    recommendation: object,
    notes: str | None,
) -> tuple[ScorecardProblem, ...]:
    """Every problem of a scorecard at once (empty when it can be submitted).

    Every criterion needs a rating or an explicit "not assessed"; the overall recommendation
    is one of the four ratings; notes must not be blank.
    """
    problems = _rating_problems(criteria, ratings)
    if recommendation is None or recommendation == "":
        message = f"Choose an overall recommendation ({_SCALE})."
        problems.append(ScorecardProblem("recommendation", message))
    elif parse_rating(recommendation) is None:
        message = f"{recommendation!r} is not a recommendation (use {_SCALE})."
        problems.append(ScorecardProblem("recommendation", message))
    if notes is None or not notes.strip():
        problems.append(ScorecardProblem("notes", "Write notes that explain the recommendation."))
    problems.extend(notes_problems(notes))
    return tuple(problems)


def notes_problems(notes: str | None) -> list[ScorecardProblem]:
    """Notes longer than :data:`MAX_NOTES` (a draft's too): the one problem, or none."""
    length = len((notes or "").strip())
    if length <= MAX_NOTES:
        return []
    message = f"Notes have at most {MAX_NOTES:,} characters (these have {length:,})."
    return [ScorecardProblem("notes", message)]


@dataclass(frozen=True, slots=True)
class SubmittedScorecard:
    """A complete scorecard, as accepted by :func:`build_scorecard`."""

    interviewer_id: int
    stage_id: str
    ratings: Mapping[str, Mark]
    recommendation: Rating
    notes: str

    @property
    def submitted(self) -> bool:
        return True

    def mark(self, criterion_id: str) -> Mark | None:
        return self.ratings.get(criterion_id)

    def summary(self) -> ScorecardSummary:
        return ScorecardSummary(self.interviewer_id, True, self.recommendation, self.stage_id)


def build_scorecard(
    criteria: Sequence[Criterion],
    interviewer_id: int,
    stage_id: str,
    ratings: Mapping[str, object],
    recommendation: object,
    notes: str | None,
) -> SubmittedScorecard:
    """The scorecard, or :class:`InvalidScorecardError` with every problem."""
    problems = validate_scorecard(criteria, ratings, recommendation, notes)
    marks = {c.id: m for c in criteria if (m := parse_mark(ratings.get(c.id))) is not None}
    overall = parse_rating(recommendation)
    if problems or overall is None or notes is None or len(marks) != len(criteria):
        raise InvalidScorecardError(problems)
    return SubmittedScorecard(
        interviewer_id, stage_id, MappingProxyType(marks), overall, notes.strip()
    )


# ---------------------------------------------------------------------------------------------
# Summaries and blind feedback


@dataclass(frozen=True, slots=True)
class ScorecardSummary:
    """What the state machine needs of a scorecard: who, whether submitted, the verdict."""

    interviewer_id: int
    submitted: bool
    recommendation: Rating | None = None
    stage_id: str | None = None
    #: The interviewer's name, for messages (which never show the id).
    interviewer_name: str | None = None

    @property
    def who(self) -> str:
        """The interviewer, as a message names them."""
        return self.interviewer_name or "an interviewer"

    @property
    def is_positive(self) -> bool:
        return (
            self.submitted and self.recommendation is not None and self.recommendation.is_positive
        )


class HasInterviewer(Protocol):
    """Anything with an interviewer and a submitted flag (a summary, a database row)."""

    @property
    def interviewer_id(self) -> int: ...

    @property
    def submitted(self) -> bool: ...


_Card = TypeVar("_Card", bound=HasInterviewer)


def can_see_others(
    viewer_id: int,
    scorecards: Iterable[HasInterviewer],
    *,
    hiring_manager_id: int | None = None,
) -> bool:
    """Whether the viewer may read other interviewers' submitted scorecards of an application.

    ``scorecards`` are all the scorecards of the application (drafts too). An interviewer may,
    once every scorecard of their own is submitted (and they have at least one). The hiring
    manager reads all submitted scorecards, except while a scorecard of their own is still
    unsubmitted: then they are an interviewer like any other, and blind. Nobody ever reads
    another interviewer's unsubmitted scorecard (see :func:`visible_scorecards`).
    """
    own = [card for card in scorecards if card.interviewer_id == viewer_id]
    if any(not card.submitted for card in own):
        return False
    return bool(own) or (hiring_manager_id is not None and viewer_id == hiring_manager_id)


def visible_scorecards(
    viewer_id: int,
    scorecards: Sequence[_Card],
    *,
    hiring_manager_id: int | None = None,
) -> tuple[_Card, ...]:
    """The viewer's own scorecards, and the others' submitted ones when they may see them."""
    others = can_see_others(viewer_id, scorecards, hiring_manager_id=hiring_manager_id)
    return tuple(
        card
        for card in scorecards
        if card.interviewer_id == viewer_id or (others and card.submitted)
    )


# ---------------------------------------------------------------------------------------------
# Side by side


@dataclass(frozen=True, slots=True)
class SideBySideRow:
    """One criterion across the scorecards: a mark per column (``None``: not on that card)."""

    criterion: Criterion
    marks: tuple[Mark | None, ...]

    @property
    def positive(self) -> int:
        return sum(1 for m in self.marks if isinstance(m, Rating) and m.is_positive)

    @property
    def negative(self) -> int:
        return sum(1 for m in self.marks if isinstance(m, Rating) and not m.is_positive)

    @property
    def rated(self) -> int:
        return self.positive + self.negative

    @property
    def split(self) -> bool:
        """Interviewers disagree: some rated it positive and some negative."""
        return self.positive > 0 and self.negative > 0


@dataclass(frozen=True, slots=True)
class SideBySide:
    """Submitted scorecards as columns, criteria as rows, recommendations at the bottom."""

    columns: tuple[SubmittedScorecard, ...]
    rows: tuple[SideBySideRow, ...]
    #: Criterion ids rated on a scorecard but not among the criteria (the ladder changed).
    unmatched: tuple[str, ...] = field(default=())

    @property
    def recommendations(self) -> tuple[Rating, ...]:
        return tuple(card.recommendation for card in self.columns)


def side_by_side(
    criteria: Sequence[Criterion], scorecards: Sequence[SubmittedScorecard]
) -> SideBySide:
    """The comparison of submitted scorecards per criterion, criteria in their order."""
    rows = tuple(
        SideBySideRow(criterion, tuple(card.mark(criterion.id) for card in scorecards))
        for criterion in criteria
    )
    known = {criterion.id for criterion in criteria}
    unmatched: list[str] = []
    for card in scorecards:
        for criterion_id in card.ratings:
            if criterion_id not in known and criterion_id not in unmatched:
                unmatched.append(criterion_id)
    return SideBySide(tuple(scorecards), rows, tuple(unmatched))


__all__ = [
    "MARK_CHOICES",
    "NOT_ASSESSED",
    "RATING_CHOICES",
    "REQUIREMENT_PREFIX",
    "Criterion",
    "CriterionSource",
    "HasInterviewer",
    "Mark",
    "NotAssessed",
    "Rating",
    "Scope",
    "ScorecardProblem",
    "ScorecardSummary",
    "SideBySide",
    "SideBySideRow",
    "SubmittedScorecard",
    "build_scorecard",
    "can_see_others",
    "competency_criterion_id",
    "criteria_for",
    "criterion_matches",
    "level_criteria",
    "parse_mark",
    "parse_rating",
    "requirement_criterion_id",
    "select_criteria",
    "side_by_side",
    "validate_scorecard",
]
