"""Interview kits, notes per criterion, and the compact feedback summary.

A kit holds, for each interview stage of a requisition, the questions to ask per
criterion: ``{stage id: {criterion id: (question, ...)}}``. Questions are written one per
line; :func:`parse_questions` turns the text into clean questions. A kit copied from
another requisition (or the level's last kit) is fitted onto this requisition's stages and
criteria with :func:`fit_kit` / :func:`merge_kit`: questions of criteria this requisition
does not rate are left behind.

The summary is criteria x interviewers (:func:`summary_matrix`): each cell a mark shown by
a colour *and* a symbol with its words, never colour alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pipelines.scorecards import NOT_ASSESSED, Criterion, Mark, Rating, parse_mark

#: At most this many questions per criterion, each at most this many characters.
MAX_QUESTIONS = 12
MAX_QUESTION_LENGTH = 400
#: The longest note an interviewer keeps for one criterion.
MAX_CRITERION_NOTE = 2_000

#: ``{stage id: {criterion id: questions}}``
Kit = Mapping[str, Mapping[str, tuple[str, ...]]]
#: ``{stage id: the criterion ids of that stage, in order}``
StageCriteria = Mapping[str, Sequence[str]]

_BULLET = re.compile(r"^\s*(?:[-*\u2022\u00b7\u2013]+|\d{1,3}[.)])\s+")
_SPACE = re.compile(r"\s+")


def clean_question(line: str) -> str:
    """One question: a leading bullet or number dropped, runs of spaces made one."""
    return _SPACE.sub(" ", _BULLET.sub("", line)).strip()


def parse_questions(text: str | None) -> tuple[str, ...]:
    """Questions, one per line: blank lines and repeats (ignoring case) left out."""
    seen: set[str] = set()
    questions: list[str] = []
    for line in (text or "").splitlines():
        question = clean_question(line)
        key = question.casefold()
        if question and key not in seen:
            seen.add(key)
            questions.append(question)
    return tuple(questions)


def questions_text(questions: Sequence[str]) -> str:
    """The questions as the form shows them: one per line."""
    return "\n".join(questions)


def questions_problem(questions: Sequence[str]) -> str | None:
    """Why these questions cannot be kept (too many, one too long), or ``None``."""
    if len(questions) > MAX_QUESTIONS:
        return f"At most {MAX_QUESTIONS} questions per criterion (these are {len(questions)})."
    for number, question in enumerate(questions, start=1):
        if len(question) > MAX_QUESTION_LENGTH:
            return (
                f"Question {number} has {len(question):,} characters; a question has at most "
                f"{MAX_QUESTION_LENGTH}."
            )
    return None


def fit_kit(kit: Kit, stages: StageCriteria) -> dict[str, dict[str, tuple[str, ...]]]:
    """The kit narrowed to these stages and their criteria (in their order), empty
    criteria and stages left out."""
    fitted: dict[str, dict[str, tuple[str, ...]]] = {}
    for stage_id, criterion_ids in stages.items():
        given = kit.get(stage_id) or {}
        kept = {cid: tuple(given[cid]) for cid in criterion_ids if given.get(cid)}
        if kept:
            fitted[stage_id] = kept
    return fitted


@dataclass(frozen=True, slots=True)
class Merged:
    """A copied kit merged onto the current one."""

    kit: dict[str, dict[str, tuple[str, ...]]]
    #: Criteria whose questions came from the copy.
    copied: int
    #: Criteria of the copy that this requisition's stages do not rate (left behind).
    left_behind: int


def merge_kit(current: Kit, copied: Kit, stages: StageCriteria) -> Merged:
    """The copy's questions for every criterion it has; the current questions elsewhere."""
    merged = fit_kit(current, stages)
    count = 0
    for stage_id, criterion_ids in stages.items():
        given = copied.get(stage_id) or {}
        for cid in criterion_ids:
            if given.get(cid):
                merged.setdefault(stage_id, {})[cid] = tuple(given[cid])
                count += 1
    offered = sum(1 for stage in copied.values() for qs in stage.values() if qs)
    ordered = {
        stage_id: {cid: merged[stage_id][cid] for cid in ids if cid in merged[stage_id]}
        for stage_id, ids in stages.items()
        if stage_id in merged
    }
    return Merged(ordered, count, offered - count)


def kit_from_stored(stored: object) -> dict[str, dict[str, tuple[str, ...]]]:
    """A kit read back from JSON, anything malformed left out."""
    kit: dict[str, dict[str, tuple[str, ...]]] = {}
    if not isinstance(stored, Mapping):
        return kit
    for stage_id, criteria in stored.items():
        if not isinstance(stage_id, str) or not isinstance(criteria, Mapping):
            continue
        stage: dict[str, tuple[str, ...]] = {}
        for cid, questions in criteria.items():
            if isinstance(cid, str) and isinstance(questions, list | tuple):
                kept = tuple(q for q in questions if isinstance(q, str) and q.strip())
                if kept:
                    stage[cid] = kept
        if stage:
            kit[stage_id] = stage
    return kit


def kit_to_stored(kit: Kit) -> dict[str, dict[str, list[str]]]:
    """The kit as JSON (lists, not tuples)."""
    return {
        stage_id: {cid: list(qs) for cid, qs in criteria.items() if qs}
        for stage_id, criteria in kit.items()
        if any(criteria.values())
    }


def question_count(kit: Kit) -> int:
    return sum(len(qs) for criteria in kit.values() for qs in criteria.values())


# ---------------------------------------------------------------------------------------------
# Notes per criterion


def note_field(criterion_id: str) -> str:
    """The name a problem with a criterion's note is reported under."""
    return f"criterion_notes.{criterion_id}"


def clean_notes(notes: Mapping[str, object], criterion_ids: Sequence[str]) -> dict[str, str]:
    """The notes of these criteria, trimmed, empty ones left out (others ignored)."""
    known = set(criterion_ids)
    return {
        cid: text.strip()
        for cid, text in notes.items()
        if cid in known and isinstance(text, str) and text.strip()
    }


def note_problems(notes: Mapping[str, str], criteria: Sequence[Criterion]) -> dict[str, str]:
    """``{criterion id: message}`` for notes longer than :data:`MAX_CRITERION_NOTE`."""
    problems: dict[str, str] = {}
    for criterion in criteria:
        length = len(notes.get(criterion.id, "").strip())
        if length > MAX_CRITERION_NOTE:
            problems[criterion.id] = (
                f"A criterion's note has at most {MAX_CRITERION_NOTE:,} characters "
                f"(this one has {length:,})."
            )
    return problems


# ---------------------------------------------------------------------------------------------
# The summary: criteria x interviewers


@dataclass(frozen=True, slots=True)
class Look:
    """How a mark is shown: a symbol, its words, and a style name for its colour."""

    symbol: str
    words: str
    style: str


LOOKS: Mapping[str, Look] = {
    Rating.STRONG_YES.value: Look("++", "strong yes", "strong_yes"),
    Rating.YES.value: Look("+", "yes", "yes"),
    Rating.NO.value: Look("\u2212", "no", "no"),
    Rating.STRONG_NO.value: Look("\u2212\u2212", "strong no", "strong_no"),
    NOT_ASSESSED.value: Look("n/a", "not assessed", "not_assessed"),
}
#: A criterion that was not on that interviewer's scorecard (another stage's criterion).
NOT_ASKED = Look("", "not on this interview", "not_asked")


def look_of(mark: Mark | str | None) -> Look:
    parsed = parse_mark(mark)
    return NOT_ASKED if parsed is None else LOOKS[parsed.value]


#: The legend, best first.
LEGEND: tuple[Look, ...] = tuple(
    LOOKS[v]
    for v in (
        Rating.STRONG_YES.value,
        Rating.YES.value,
        Rating.NO.value,
        Rating.STRONG_NO.value,
        NOT_ASSESSED.value,
    )
)


@dataclass(frozen=True, slots=True)
class SummaryColumn:
    """One submitted scorecard: an interviewer at a stage."""

    interviewer_id: int
    stage_id: str
    marks: Mapping[str, Mark]
    recommendation: Rating
    #: ``{criterion id: note}``
    notes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SummaryCell:
    look: Look
    #: The interviewer wrote a note on this criterion.
    noted: bool = False
    mark: Mark | None = None


@dataclass(frozen=True, slots=True)
class SummaryRow:
    criterion: Criterion
    cells: tuple[SummaryCell, ...]

    @property
    def split(self) -> bool:
        """Some interviewers rated it positive and some negative."""
        ratings = [c.mark for c in self.cells if isinstance(c.mark, Rating)]
        return any(r.is_positive for r in ratings) and any(not r.is_positive for r in ratings)


@dataclass(frozen=True, slots=True)
class Summary:
    columns: tuple[SummaryColumn, ...]
    rows: tuple[SummaryRow, ...]
    recommendations: tuple[Look, ...]


def summary_matrix(
    stages: Sequence[tuple[str, Sequence[Criterion]]], columns: Sequence[SummaryColumn]
) -> Summary:
    """Every criterion of the stages (each once, in first-seen order) against every
    column; a criterion not on a column's stage is :data:`NOT_ASKED` there."""
    on_stage = {stage_id: {c.id for c in criteria} for stage_id, criteria in stages}
    seen: dict[str, Criterion] = {}
    for _stage_id, criteria in stages:
        for criterion in criteria:
            seen.setdefault(criterion.id, criterion)
    rows = []
    for cid, criterion in seen.items():
        cells = []
        for column in columns:
            asked = cid in on_stage.get(column.stage_id, set())
            mark = parse_mark(column.marks.get(cid)) if asked else None
            noted = asked and bool(column.notes.get(cid))
            cells.append(SummaryCell(look_of(mark), noted, mark))
        rows.append(SummaryRow(criterion, tuple(cells)))
    recommendations = tuple(look_of(column.recommendation) for column in columns)
    return Summary(tuple(columns), tuple(rows), recommendations)


__all__ = [
    "LEGEND",
    "LOOKS",
    "MAX_CRITERION_NOTE",
    "MAX_QUESTIONS",
    "MAX_QUESTION_LENGTH",
    "NOT_ASKED",
    "Kit",
    "Look",
    "Merged",
    "StageCriteria",
    "Summary",
    "SummaryCell",
    "SummaryColumn",
    "SummaryRow",
    "clean_notes",
    "clean_question",
    "fit_kit",
    "kit_from_stored",
    "kit_to_stored",
    "look_of",
    "merge_kit",
    "note_field",
    "note_problems",
    "parse_questions",
    "question_count",
    "questions_problem",
    "questions_text",
    "summary_matrix",
]
