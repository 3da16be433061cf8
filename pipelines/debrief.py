"""The debrief: every interviewer's marks side by side, and when the debrief opens.

The matrix has a row per criterion of the application's interview stages and a column per
submitted scorecard (an interviewer at a stage: the hiring manager who conducts two stages
has two columns). A cell is the interviewer's rating, "not assessed" when they marked it
so, or "not asked" when the criterion was not on their scorecard. Each row is flagged
when the interviewers disagree (ratings on both sides of the yes/no line, or two or more
points apart), when nobody rated it, and when only one person did.

The debrief opens once the interview stages are complete (:func:`check_readiness`):

* the application has reached the plan's last interview stage, or gone past it (the
  reference check, an offer, a hire, or a decline after the interviews);
* every interview stage up to there that was held (scheduled and not cancelled) has every
  interviewer's scorecard submitted; a stage passed without an interview (on the hiring
  manager's override) counts as skipped;
* the last interview stage, while the application is still at it, was held;
* at least one scorecard was submitted.

Pure: no Flask, no database. The app loads the scorecards and the interviews and calls in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ladder.model import Ladder
from pipelines.applications import ApplicationStatus
from pipelines.focus import DEFAULT, Focus
from pipelines.leveling import (
    MAX_RATIONALE,
    LevelingError,
    Outcome,
    check_decision,
    level_options,
)
from pipelines.plan import PipelinePlan
from pipelines.scorecards import (
    Criterion,
    NotAssessed,
    Rating,
    SubmittedScorecard,
    select_criteria,
)

# ---------------------------------------------------------------------------------------------
# Cells and flags


class NotAsked(StrEnum):
    """A criterion that was not on the interviewer's scorecard (another stage's focus)."""

    NOT_ASKED = "not_asked"

    @property
    def label(self) -> str:
        return "not asked"


NOT_ASKED = NotAsked.NOT_ASKED

#: One cell of the matrix.
Cell = Rating | NotAssessed | NotAsked

#: Two ratings this many points apart disagree even on the same side of yes/no.
DISAGREEMENT_SPREAD = 2


class RowFlag(StrEnum):
    DISAGREEMENT = "disagreement"
    UNASSESSED = "unassessed"
    SINGLE_ASSESSOR = "single_assessor"

    @property
    def label(self) -> str:
        return _FLAG_LABELS[self]


_FLAG_LABELS = {
    RowFlag.DISAGREEMENT: "Interviewers disagree",
    RowFlag.UNASSESSED: "Nobody assessed it",
    RowFlag.SINGLE_ASSESSOR: "Only one person assessed it",
}


def cell_label(cell: Cell) -> str:
    return cell.label


# ---------------------------------------------------------------------------------------------
# The matrix


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One criterion across the columns."""

    criterion: Criterion
    cells: tuple[Cell, ...]
    #: The interviewer of each column (to count people, not scorecards).
    interviewer_ids: tuple[int, ...]

    @property
    def ratings(self) -> tuple[Rating, ...]:
        return tuple(cell for cell in self.cells if isinstance(cell, Rating))

    @property
    def positive(self) -> int:
        return sum(1 for rating in self.ratings if rating.is_positive)

    @property
    def negative(self) -> int:
        return sum(1 for rating in self.ratings if not rating.is_positive)

    @property
    def spread(self) -> int | None:
        """Points between the highest and the lowest rating (None: no rating)."""
        points = [rating.points for rating in self.ratings]
        return max(points) - min(points) if points else None

    @property
    def assessed_by(self) -> tuple[int, ...]:
        """The distinct people who rated it, in column order."""
        return tuple(
            dict.fromkeys(
                person
                for person, cell in zip(self.interviewer_ids, self.cells, strict=True)
                if isinstance(cell, Rating)
            )
        )

    @property
    def disagreement(self) -> bool:
        """Ratings on both sides of yes/no, or two or more points apart."""
        spread = self.spread
        both_sides = self.positive > 0 and self.negative > 0
        return both_sides or (spread is not None and spread >= DISAGREEMENT_SPREAD)

    @property
    def unassessed(self) -> bool:
        """Nobody rated it (every cell not assessed or not asked)."""
        return not self.ratings

    @property
    def single_assessor(self) -> bool:
        return len(self.assessed_by) == 1

    @property
    def flags(self) -> tuple[RowFlag, ...]:
        found = []
        if self.disagreement:
            found.append(RowFlag.DISAGREEMENT)
        if self.unassessed:
            found.append(RowFlag.UNASSESSED)
        if self.single_assessor:
            found.append(RowFlag.SINGLE_ASSESSOR)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class DebriefSummary:
    scorecards: int
    interviewers: int
    #: Recommendations yes or strong yes; no or strong no.
    yes: int
    no: int
    strong_yes: int
    strong_no: int
    disagreed: int
    unassessed: int
    single_assessor: int

    @property
    def recommendations_split(self) -> bool:
        return self.yes > 0 and self.no > 0


@dataclass(frozen=True, slots=True)
class DebriefMatrix:
    """Rows are criteria, columns submitted scorecards; the recommendations at the bottom."""

    columns: tuple[SubmittedScorecard, ...]
    rows: tuple[MatrixRow, ...]
    #: Criterion ids rated on a scorecard but not among the rows (the ladder changed since).
    unmatched: tuple[str, ...] = field(default=())

    @property
    def recommendations(self) -> tuple[Rating, ...]:
        return tuple(card.recommendation for card in self.columns)

    @property
    def summary(self) -> DebriefSummary:
        recommendations = self.recommendations
        return DebriefSummary(
            scorecards=len(self.columns),
            interviewers=len({card.interviewer_id for card in self.columns}),
            yes=sum(1 for r in recommendations if r.is_positive),
            no=sum(1 for r in recommendations if not r.is_positive),
            strong_yes=sum(1 for r in recommendations if r is Rating.STRONG_YES),
            strong_no=sum(1 for r in recommendations if r is Rating.STRONG_NO),
            disagreed=sum(1 for row in self.rows if row.disagreement),
            unassessed=sum(1 for row in self.rows if row.unassessed),
            single_assessor=sum(1 for row in self.rows if row.single_assessor),
        )

    def row(self, criterion_id: str) -> MatrixRow:
        for row in self.rows:
            if row.criterion.id == criterion_id:
                return row
        raise KeyError(criterion_id)


def _cell(card: SubmittedScorecard, criterion_id: str) -> Cell:
    mark = card.mark(criterion_id)
    return NOT_ASKED if mark is None else mark


def build_matrix(
    criteria: Sequence[Criterion], scorecards: Sequence[SubmittedScorecard]
) -> DebriefMatrix:
    """The matrix of ``criteria`` (rows, in their order) by ``scorecards`` (columns, in
    their order). A criterion missing from a scorecard's marks was not on it: "not asked"."""
    people = tuple(card.interviewer_id for card in scorecards)
    rows = tuple(
        MatrixRow(criterion, tuple(_cell(card, criterion.id) for card in scorecards), people)
        for criterion in criteria
    )
    known = {criterion.id for criterion in criteria}
    unmatched = tuple(
        dict.fromkeys(
            criterion_id
            for card in scorecards
            for criterion_id in card.ratings
            if criterion_id not in known
        )
    )
    return DebriefMatrix(tuple(scorecards), rows, unmatched)


def stage_criteria(
    plan: PipelinePlan, criteria: Sequence[Criterion], focus: Focus = DEFAULT
) -> dict[str, tuple[Criterion, ...]]:
    """What each interview stage's scorecards rate, by stage id (in plan order)."""
    return {
        stage.id: select_criteria(criteria, focus.selectors_for(stage.kind, stage.id))
        for stage in plan.interview_stages
    }


def debrief_criteria(
    criteria: Sequence[Criterion], asked: Mapping[str, Sequence[Criterion]]
) -> tuple[Criterion, ...]:
    """The rows: the criteria some interview stage rates, in the order of ``criteria``."""
    ids = {criterion.id for stage in asked.values() for criterion in stage}
    return tuple(criterion for criterion in criteria if criterion.id in ids)


# ---------------------------------------------------------------------------------------------
# Readiness


@dataclass(frozen=True, slots=True)
class StageInterview:
    """An interview stage's interview as the readiness check needs it."""

    stage_id: str
    interviewer_ids: tuple[int, ...]
    submitted_ids: frozenset[int]
    cancelled: bool = False

    @property
    def missing(self) -> int:
        return len(set(self.interviewer_ids) - self.submitted_ids)


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    #: Why not, in plain words (None when ready).
    reason: str | None = None
    #: Interview stages still waiting for scorecards: (stage name, submitted, expected).
    waiting: tuple[tuple[str, int, int], ...] = ()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def check_readiness(
    plan: PipelinePlan,
    stage_id: str,
    status: ApplicationStatus,
    interviews: Mapping[str, StageInterview],
) -> Readiness:
    """Whether the debrief is open for an application at ``stage_id`` with ``status``,
    given its interviews by stage id (see the module's docstring for the rule)."""
    stages = plan.interview_stages
    if not stages:
        return Readiness(False, "The hiring process has no interview stages to debrief.")
    last = stages[-1]
    if stage_id not in plan.stage_ids:
        return Readiness(
            False,
            f"The application is at the stage '{stage_id}', which the hiring process no "
            "longer has: there is no debrief for it.",
        )
    current = plan.stage(stage_id)
    if current.position < last.position:
        if status in (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN):
            return Readiness(
                False,
                f"The application was {status.value} at {current.name}, before the "
                "interview stages were complete.",
            )
        return Readiness(
            False,
            f"The application is at {current.name}. The debrief opens when it reaches "
            f"{last.name} and every interview's scorecards are in.",
        )
    waiting: list[tuple[str, int, int]] = []
    submitted = 0
    for stage in stages:
        interview = interviews.get(stage.id)
        held = interview is not None and not interview.cancelled
        if not held:
            if stage.id == current.id:
                state = "was cancelled" if interview is not None else "is not scheduled"
                return Readiness(
                    False,
                    f"{stage.name} {state}: the debrief opens once it has been held and "
                    "its scorecards are in.",
                )
            continue  # passed without an interview: skipped
        assert interview is not None
        expected = len(set(interview.interviewer_ids))
        done = expected - interview.missing
        submitted += done
        if interview.missing:
            waiting.append((stage.name, done, expected))
    if waiting:
        missing = sum(expected - done for _name, done, expected in waiting)
        stages_text = "; ".join(
            f"{name} ({done} of {expected} submitted)" for name, done, expected in waiting
        )
        return Readiness(
            False,
            f"Waiting for {_plural(missing, 'scorecard')}: {stages_text}.",
            tuple(waiting),
        )
    if submitted == 0:
        return Readiness(False, "No interview scorecard has been submitted.")
    return Readiness(True)


# ---------------------------------------------------------------------------------------------
# The decision's fields


#: The fields of a decision, as forms and bodies name them.
OUTCOME_FIELD = "outcome"
LEVEL_FIELD = "level_id"
RATIONALE_FIELD = "rationale"


def decision_problem(
    ladder: Ladder,
    requisition_level_id: str,
    outcome: str | None,
    level_id: str | None,
    rationale: str | None,
) -> tuple[str, str] | None:
    """The field a decision gets wrong and :func:`pipelines.leveling.check_decision`'s
    message, or None when the rules accept it."""
    if not outcome:
        return OUTCOME_FIELD, "Choose hire or no hire."
    try:
        check_decision(ladder, requisition_level_id, outcome, level_id, rationale)
    except LevelingError as error:
        return _field_of(ladder, requisition_level_id, outcome, level_id, rationale), str(error)
    return None


def _field_of(
    ladder: Ladder,
    requisition_level_id: str,
    outcome: str,
    level_id: str | None,
    rationale: str | None,
) -> str:
    """Which field broke a rule, in the order check_decision checks them."""
    if outcome not in {o.value for o in Outcome}:
        return OUTCOME_FIELD
    if len((rationale or "").strip()) > MAX_RATIONALE:
        return RATIONALE_FIELD
    if Outcome(outcome) is Outcome.NO_HIRE:
        return LEVEL_FIELD
    options = {option.level.id for option in level_options(ladder, requisition_level_id)}
    if (level_id or requisition_level_id) not in options:
        return LEVEL_FIELD
    return RATIONALE_FIELD


__all__ = [
    "DISAGREEMENT_SPREAD",
    "LEVEL_FIELD",
    "NOT_ASKED",
    "OUTCOME_FIELD",
    "RATIONALE_FIELD",
    "Cell",
    "DebriefMatrix",
    "DebriefSummary",
    "MatrixRow",
    "NotAsked",
    "Readiness",
    "RowFlag",
    "StageInterview",
    "build_matrix",
    "cell_label",
    "check_readiness",
    "debrief_criteria",
    "decision_problem",
    "stage_criteria",
]
