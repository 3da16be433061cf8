"""The written assessment's questions, derived from the ladder.

The handbook publishes no assessment questions, so none are invented: each question asks the
candidate for experience with one thing the ladder already says about the level. The rule:

1. The level's own requirements (not inherited ones), in the ladder's order; when the level
   adds none, every requirement it inherits, in resolved order. At most
   :data:`MAX_REQUIREMENT_QUESTIONS` of them, the first ones.
2. Then what the specialty adds to the requirements, in order, while the total stays at most
   :data:`MAX_QUESTIONS`.
3. Then the family's competencies, in the data's order, while the total stays at most
   :data:`MAX_QUESTIONS`.

Each question carries the criterion it comes from (the scorecard criterion id, so an answer
can be read beside the ratings of the same criterion) and an id hashed from the source text,
stable across reloads and levels.

The private link that carries the questions to the candidate is open until it is used, it
expires, or the application stops being active (:func:`invitation_status`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ladder.model import Ladder, normalise
from pipelines.errors import PipelineError, ScorecardError
from pipelines.scorecards import Criterion, CriterionSource, Scope, level_criteria

MAX_REQUIREMENT_QUESTIONS = 5
MAX_QUESTIONS = 7
PROMPT = "Describe your experience with the following, with a concrete example: "
QUESTION_PREFIX = "q:"


class AssessmentError(PipelineError):
    """No questionnaire can be built for the level asked for."""


class QuestionSource(StrEnum):
    REQUIREMENT = "requirement"
    COMPETENCY = "competency"


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the written assessment and what it comes from."""

    id: str
    #: What the candidate reads.
    text: str
    source: QuestionSource
    #: The scorecard criterion it comes from (``req:…`` or ``competency:…``).
    criterion_id: str
    #: The requirement or competency as the ladder words it.
    source_text: str
    #: A requirement's origin: the level, family or specialty id.
    origin: str | None = None


def question_id(source_text: str) -> str:
    """``q:`` and the first 12 hex digits of the sha256 of the normalised source text."""
    digest = hashlib.sha256(normalise(source_text).encode("utf-8")).hexdigest()
    return f"{QUESTION_PREFIX}{digest[:12]}"


def _source_text(criterion: Criterion) -> str:
    if criterion.source is CriterionSource.COMPETENCY:
        if criterion.description:
            return f"{criterion.text} — {criterion.description}"
        return criterion.text
    if criterion.items:
        return f"{criterion.text.rstrip().rstrip(':')}: {'; '.join(criterion.items)}"
    return criterion.text


def _question(criterion: Criterion) -> Question:
    source_text = _source_text(criterion)
    is_competency = criterion.source is CriterionSource.COMPETENCY
    return Question(
        id=question_id(source_text),
        text=PROMPT + source_text,
        source=QuestionSource.COMPETENCY if is_competency else QuestionSource.REQUIREMENT,
        criterion_id=criterion.id,
        source_text=source_text,
        origin=criterion.origin,
    )


def _choose(criteria: Sequence[Criterion]) -> list[Criterion]:
    own = [c for c in criteria if c.scope is Scope.LEVEL]
    inherited = [c for c in criteria if c.scope is Scope.INHERITED]
    chosen = (own or inherited)[:MAX_REQUIREMENT_QUESTIONS]
    for scope in (Scope.SPECIALTY, Scope.COMPETENCY):
        room = max(0, MAX_QUESTIONS - len(chosen))
        chosen += [c for c in criteria if c.scope is scope][:room]
    return chosen


def assessment_questions(
    ladder: Ladder, level_id: str, specialty_id: str | None = None
) -> tuple[Question, ...]:
    """The written assessment for hiring at a level (+ specialty), by the rule above."""
    try:
        criteria = level_criteria(ladder, level_id, specialty_id)
    except ScorecardError as error:
        cause = error.__cause__ or error
        raise AssessmentError(f"No written assessment for {level_id}: {cause}") from error
    questions: list[Question] = []
    seen: set[str] = set()
    for criterion in _choose(criteria):
        question = _question(criterion)
        if question.id not in seen:
            seen.add(question.id)
            questions.append(question)
    return tuple(questions)


class InvitationStatus(StrEnum):
    """Where a written-assessment link stands."""

    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"
    #: The application is no longer active (declined, withdrawn, offer, hired).
    CLOSED = "closed"


def invitation_status(
    *, answered: bool, application_active: bool, expires_at: datetime, now: datetime
) -> InvitationStatus:
    """Answered links stay answered; otherwise a link closes with its application, then
    expires at its time."""
    if answered:
        return InvitationStatus.ANSWERED
    if not application_active:
        return InvitationStatus.CLOSED
    if expires_at <= now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.OPEN


__all__ = [
    "MAX_QUESTIONS",
    "MAX_REQUIREMENT_QUESTIONS",
    "PROMPT",
    "AssessmentError",
    "InvitationStatus",
    "Question",
    "QuestionSource",
    "assessment_questions",
    "invitation_status",
    "question_id",
]
