"""What waits for whom: the home page's to-dos, from the facts of applications, interviews,
offers and requisitions.

Pure: no Flask, no database. The app loads the facts (a constant number of queries) and
asks here which to-do each one makes, in what words and how urgent it is.

* A recruiter's application waits on them when its current stage's own evidence is theirs
  to give: the screen outcome to record, the written assessment to send, an interview to
  schedule, the reference check to record, or a stage whose evidence is complete (the
  screen passed, the answers received, every scorecard in) and which can now be left
  (advanced, or declined when the evidence says no). Moving into the reference check is
  the hiring manager's: that application waits on their debrief instead.
* An interviewer owes an interview while it is ahead (or its time is not set yet), and a
  scorecard once it has started, until they submit it: due until
  :func:`pipelines.reminders.scorecard_due`, overdue after. Cancelled interviews, those of
  closed applications and submitted scorecards are owed no more.
* An offer waits on the requisition's people while it is open (see :func:`offer_todo`).
* A requisition's health: what is in its pipeline, what has stalled (in the same stage for
  :data:`STALLED_AFTER` or longer), hires against headcount, days open.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Generic, TypeVar

from pipelines.offers import OfferStatus
from pipelines.plan import StageKind
from pipelines.reminders import is_overdue, scorecard_due

#: An application in the same stage this long has stalled.
STALLED_AFTER = timedelta(days=14)

#: How many items a section of the home page lists before "and K more".
SECTION_LIMIT = 5

T = TypeVar("T")


class Urgency(IntEnum):
    """How soon something needs doing; sections with more urgent items come first."""

    INFO = 0
    ACTION = 1
    OVERDUE = 2


class RecruiterTodo(StrEnum):
    RECORD_SCREEN = "record_screen"
    SEND_ASSESSMENT = "send_assessment"
    SCHEDULE_INTERVIEW = "schedule_interview"
    ADVANCE = "advance"
    DECIDE = "decide"
    RECORD_REFERENCES = "record_references"

    @property
    def heading(self) -> str:
        return _HEADINGS[self]


_HEADINGS = {
    RecruiterTodo.RECORD_SCREEN: "Screens to record",
    RecruiterTodo.SEND_ASSESSMENT: "Assessments to send",
    RecruiterTodo.SCHEDULE_INTERVIEW: "Interviews to schedule",
    RecruiterTodo.ADVANCE: "Ready to advance",
    RecruiterTodo.DECIDE: "Evidence says no: decide",
    RecruiterTodo.RECORD_REFERENCES: "Reference checks to record",
}


@dataclass(frozen=True, slots=True)
class StageFacts:
    """An active application's current stage, as far as its to-do depends on it.

    ``interviewers``, ``submitted`` and ``positive`` count the people of the stage's
    interview (not cancelled), their submitted scorecards, and those recommending yes or
    strong yes."""

    kind: StageKind
    stage_name: str
    next_stage_name: str | None = None
    next_is_references: bool = False
    screen_passed: bool | None = None
    assessment_sent: bool = False
    assessment_received: bool = False
    interview_scheduled: bool = False
    interviewers: int = 0
    submitted: int = 0
    positive: int = 0
    references_passed: bool | None = None


@dataclass(frozen=True, slots=True)
class Todo:
    kind: RecruiterTodo
    #: What to do, in a few words ("Record the screen outcome").
    words: str
    urgency: Urgency = Urgency.ACTION


def _advance(facts: StageFacts, because: str) -> Todo:
    target = facts.next_stage_name or "the next stage"
    return Todo(RecruiterTodo.ADVANCE, f"{because}: advance to {target}")


def recruiter_todo(facts: StageFacts, *, hiring_manager: bool = False) -> Todo | None:
    """The to-do an active application at ``facts`` makes for its recruiter (or, with
    ``hiring_manager``, for someone who may also move it into the reference check); None
    while it waits on someone else (the candidate, the interviewers)."""
    kind = facts.kind
    if kind is StageKind.RECRUITER_SCREEN:
        if facts.screen_passed is None:
            return Todo(RecruiterTodo.RECORD_SCREEN, "Record the screen outcome")
        if facts.screen_passed:
            return _advance(facts, "Screen passed")
        return Todo(RecruiterTodo.DECIDE, "Did not pass the screen: decline")
    if kind is StageKind.WRITTEN_ASSESSMENT:
        if not facts.assessment_sent:
            return Todo(RecruiterTodo.SEND_ASSESSMENT, "Send the written assessment")
        if facts.assessment_received:
            return _advance(facts, "Answers received")
        return None  # the candidate's turn
    if kind is StageKind.REFERENCES:
        if facts.references_passed is None:
            return Todo(RecruiterTodo.RECORD_REFERENCES, "Record the reference check")
        return None  # the offer follows the hiring manager's decision
    # An interview stage.
    if not facts.interview_scheduled:
        return Todo(RecruiterTodo.SCHEDULE_INTERVIEW, f"Schedule the {facts.stage_name}")
    if facts.interviewers == 0 or facts.submitted < facts.interviewers:
        return None  # the interviewers' turn (overdue scorecards are listed apart)
    negative = facts.interviewers - facts.positive
    if negative:
        return Todo(
            RecruiterTodo.DECIDE,
            f"Scorecards in, {negative} of {facts.interviewers} not positive: "
            "decline, or ask the hiring manager",
        )
    if facts.next_is_references and not hiring_manager:
        return None  # the hiring manager's debrief moves it on
    return _advance(facts, "Every scorecard in")


# --- interviewers -----------------------------------------------------------------------


class InterviewTodo(StrEnum):
    UPCOMING = "upcoming"
    SCORECARD_DUE = "scorecard_due"
    SCORECARD_OVERDUE = "scorecard_overdue"


@dataclass(frozen=True, slots=True)
class InterviewState:
    kind: InterviewTodo
    #: When the scorecard is due (None while the interview is ahead or its time unset).
    due_at: datetime | None = None

    @property
    def urgency(self) -> Urgency:
        if self.kind is InterviewTodo.SCORECARD_OVERDUE:
            return Urgency.OVERDUE
        return Urgency.ACTION


def interview_todo(
    starts_at: datetime | None,
    duration_minutes: int,
    *,
    submitted: bool,
    cancelled: bool,
    application_active: bool,
    now: datetime,
) -> InterviewState | None:
    """What one interviewer's seat at an interview asks of them at ``now``: to conduct it
    (ahead, or its time not set yet), its scorecard (due, then overdue by the reminders'
    rule), or nothing (submitted, cancelled, or the application closed)."""
    if submitted or cancelled or not application_active:
        return None
    if starts_at is None or starts_at > now:
        return InterviewState(InterviewTodo.UPCOMING)
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    due = scorecard_due(ends_at)
    if is_overdue(ends_at, now):
        return InterviewState(InterviewTodo.SCORECARD_OVERDUE, due)
    return InterviewState(InterviewTodo.SCORECARD_DUE, due)


# --- offers -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfferTodo:
    words: str
    urgency: Urgency


def offer_todo(status: OfferStatus, *, needs_approval: bool) -> OfferTodo | None:
    """What an offer waits for, for the requisition's people; None once it is answered or
    withdrawn."""
    if status is OfferStatus.DRAFT:
        if needs_approval:
            return OfferTodo("Draft: ask an admin to approve it", Urgency.ACTION)
        return OfferTodo("Draft: extend it to the candidate", Urgency.ACTION)
    if status is OfferStatus.AWAITING_APPROVAL:
        return OfferTodo("Waiting for an admin's approval", Urgency.INFO)
    if status is OfferStatus.APPROVED:
        return OfferTodo("Approved: extend it to the candidate", Urgency.ACTION)
    if status is OfferStatus.EXTENDED:
        return OfferTodo("Extended: record the candidate's answer", Urgency.INFO)
    return None


#: The words of a hire decided at the debrief with no offer yet.
OFFER_TO_DRAFT = OfferTodo("Hire decided: draft the offer", Urgency.ACTION)


# --- requisitions -------------------------------------------------------------------------


def stalled_before(now: datetime) -> datetime:
    """Applications that entered their stage before this moment have stalled."""
    return now - STALLED_AFTER


def is_stalled(entered_stage_at: datetime, now: datetime) -> bool:
    return entered_stage_at < stalled_before(now)


@dataclass(frozen=True, slots=True)
class RequisitionHealth:
    in_pipeline: int
    stalled: int
    hired: int
    headcount: int
    days_open: int

    @property
    def urgency(self) -> Urgency:
        return Urgency.ACTION if self.stalled else Urgency.INFO

    @property
    def words(self) -> str:
        parts = [
            f"{self.in_pipeline} in the pipeline",
            f"{self.stalled} stalled" if self.stalled else "none stalled",
            f"{self.hired} of {self.headcount} hired",
            "opened today" if self.days_open == 0 else f"open {_days(self.days_open)}",
        ]
        return " · ".join(parts)


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def requisition_health(
    *,
    in_pipeline: int,
    stalled: int,
    hired: int,
    headcount: int,
    opened_at: datetime,
    now: datetime,
) -> RequisitionHealth:
    days_open = max(0, (now - opened_at).days)
    return RequisitionHealth(in_pipeline, stalled, hired, headcount, days_open)


# --- sections -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bounded(Generic[T]):
    """The first items of a list, and how many more there are."""

    shown: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


def bounded(items: Sequence[T], limit: int = SECTION_LIMIT, total: int | None = None) -> Bounded[T]:
    """``items``' first ``limit``; ``total`` when the caller counted more than it loaded."""
    count = len(items) if total is None else max(total, len(items))
    return Bounded(tuple(items[:limit]), count)


def most_urgent(urgencies: Iterable[Urgency]) -> Urgency:
    return max(urgencies, default=Urgency.INFO)


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 scorecard", "3 scorecards"."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"


__all__ = [
    "OFFER_TO_DRAFT",
    "SECTION_LIMIT",
    "STALLED_AFTER",
    "Bounded",
    "InterviewState",
    "InterviewTodo",
    "OfferTodo",
    "RecruiterTodo",
    "RequisitionHealth",
    "StageFacts",
    "Todo",
    "Urgency",
    "bounded",
    "interview_todo",
    "is_stalled",
    "most_urgent",
    "offer_todo",
    "plural",
    "recruiter_todo",
    "requisition_health",
    "stalled_before",
]
