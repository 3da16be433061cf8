"""An interviewer's own interviews, section by section (the sections' rules are
:mod:`pipelines.my_interviews`), for "My interviews" and GET /api/v1/interviews.

Whatever the number of interviews: one statement for every section's count (capped
where a history grows without end), then one LIMITed query per section shown, each read
from the index that fits it (see :func:`_section_rows`), which finds the interviewer's
own scorecard by an outer join on (interview, interviewer) rather than reading every
scorecard into Python. Each section is a keyset order on (moment, interview id):

* to write: the interview's time, oldest first (unscheduled ones last);
* upcoming: the interview's time, soonest first;
* submitted: when this interviewer submitted, newest first;
* cancelled: when it was called off, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.db import db
from app.models import (
    Application,
    Candidate,
    Interview,
    InterviewInterviewer,
    Requisition,
    Scorecard,
)
from app.models.columns import UTCDateTime
from app.paging import beyond, encode_cursor
from pipelines.my_interviews import COUNT_CAP, Section

#: Where an interview without a time sorts among the scorecards to write: after all the
#: others (a cursor can name it: it is a moment like any other).
UNSCHEDULED = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    """One interview of the interviewer's, with its application (candidate and
    requisition loaded) and where their own scorecard stands."""

    interview: Interview
    application: Application
    #: The interviewer's scorecard (draft or submitted), if they started one.
    card_id: int | None
    submitted_at: datetime | None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass(frozen=True)
class SectionPage:
    section: Section
    rows: list[Row]
    #: The cursor of the last row when more follow (``?after=``); None on the last page.
    more_after: str | None


def _seat(user_id: int) -> ColumnElement[bool]:
    """The user sits on the interview."""
    return (
        select(InterviewInterviewer.user_id)
        .where(
            InterviewInterviewer.interview_id == Interview.id,
            InterviewInterviewer.user_id == user_id,
        )
        .exists()
    )


def _submitted_own(user_id: int) -> ColumnElement[bool]:
    """The user's scorecard of the seat's interview is submitted (an anti-join of the
    user's seats with the user's submitted scorecards, both read from their indexes)."""
    card = aliased(Scorecard)
    return (
        select(card.id)
        .where(
            card.interviewer_id == user_id,
            card.interview_id == InterviewInterviewer.interview_id,
            card.submitted_at.is_not(None),
        )
        .exists()
    )


def _pending(user_id: int) -> Any:
    """The interviews the user sits on without a submitted scorecard of theirs, worked
    out first (the user's seats less their submitted scorecards, from both indexes): the
    planner cannot know that most of a long history is submitted, and would otherwise
    sort the whole history before setting it aside."""
    return (
        select(InterviewInterviewer.interview_id.label("interview_id"))
        .where(InterviewInterviewer.user_id == user_id, ~_submitted_own(user_id))
        .cte("pending")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )


def _is_ahead(now: datetime) -> ColumnElement[bool]:
    return Interview.starts_at > now


def _section_rows(user_id: int, section: Section, now: datetime) -> Select[Any]:
    """The user's interviews in ``section`` with the user's own scorecard (id, when
    submitted), each section read from the index that fits it, so that a long history
    of submitted scorecards costs nothing to the sections that are still to do:

    * to write and upcoming: the user's seats less those with a submitted scorecard
      (the few that remain are then looked up);
    * submitted: the user's submitted scorecards, newest first, from their index;
    * cancelled: cancelled interviews, newest first, from their own (partial) index,
      where the user has a seat.
    """
    own = and_(Scorecard.interview_id == Interview.id, Scorecard.interviewer_id == user_id)
    columns = (Interview, Application, Scorecard.id, Scorecard.submitted_at)
    if section is Section.SUBMITTED:
        return (
            select(*columns)
            .select_from(Scorecard)
            .join(Interview, Interview.id == Scorecard.interview_id)
            .where(
                Scorecard.interviewer_id == user_id,
                Scorecard.submitted_at.is_not(None),
                Interview.cancelled_at.is_(None),
                _seat(user_id),
            )
        )
    if section is Section.CANCELLED:
        return (
            select(*columns)
            .select_from(Interview)
            .outerjoin(Scorecard, own)
            .where(Interview.cancelled_at.is_not(None), _seat(user_id))
        )
    when = (
        _is_ahead(now)
        if section is Section.UPCOMING
        else or_(Interview.starts_at.is_(None), Interview.starts_at <= now)
    )
    pending = _pending(user_id)
    return (
        select(*columns)
        .select_from(pending)
        .join(Interview, Interview.id == pending.c.interview_id)
        .outerjoin(Scorecard, own)
        .where(Interview.cancelled_at.is_(None), when)
    )


def sort_moment(section: Section) -> Any:
    """The moment ``section`` is ordered by (with the interview's id after it)."""
    if section is Section.CANCELLED:
        return Interview.cancelled_at
    if section is Section.SUBMITTED:
        return Scorecard.submitted_at
    if section is Section.UPCOMING:
        return Interview.starts_at
    return func.coalesce(Interview.starts_at, literal(UNSCHEDULED, UTCDateTime()))


def _sort_id(section: Section) -> Any:
    """The interview's id as ``section``'s index holds it."""
    return Scorecard.interview_id if section is Section.SUBMITTED else Interview.id


def row_moment(section: Section, row: Row) -> datetime:
    """A row's moment in its section's order (what its cursor names)."""
    if section is Section.CANCELLED:
        moment = row.interview.cancelled_at
    elif section is Section.SUBMITTED:
        moment = row.submitted_at
    else:
        moment = row.interview.starts_at
    return moment if moment is not None else UNSCHEDULED


def _capped(query: Select[Any]) -> Any:
    """How many rows ``query`` has, counted up to one more than COUNT_CAP."""
    return (
        select(func.count())
        .select_from(query.with_only_columns(literal(1)).limit(COUNT_CAP + 1).subquery())
        .scalar_subquery()
    )


def counts(user_id: int, now: datetime) -> dict[Section, int]:
    """How many of the user's interviews each section holds, in one statement: the
    sections still to do exactly (the user's seats less their submitted scorecards),
    submitted and cancelled ones up to one more than COUNT_CAP (the page says "more
    than" beyond it), so that a long history is never counted whole."""
    seats = _pending(user_id)
    pending = (
        select(func.count())
        .select_from(seats)
        .join(Interview, Interview.id == seats.c.interview_id)
        .where(Interview.cancelled_at.is_(None))
    )
    upcoming = pending.where(_is_ahead(now)).scalar_subquery()
    every = pending.scalar_subquery()
    row = db.session.execute(
        select(
            every,
            upcoming,
            _capped(_section_rows(user_id, Section.SUBMITTED, now)),
            _capped(_section_rows(user_id, Section.CANCELLED, now)),
        )
    ).one()
    return {
        Section.TO_SCORE: row[0] - row[1],
        Section.UPCOMING: row[1],
        Section.SUBMITTED: row[2],
        Section.CANCELLED: row[3],
    }


def section_page(
    user_id: int,
    section: Section,
    now: datetime,
    *,
    per_page: int,
    after: tuple[datetime, int] | None = None,
    with_interviewers: bool = False,
) -> SectionPage:
    """The user's interviews in ``section`` after the ``after`` position, at most
    ``per_page`` of them: one query (two ``with_interviewers``, who also sit on each)."""
    moment, row_id = sort_moment(section), _sort_id(section)
    query = (
        _section_rows(user_id, section, now)
        .join(Application, Application.id == Interview.application_id)
        .options(
            # A row shows the candidate's name and the requisition's title: no more.
            joinedload(Application.candidate).load_only(
                Candidate.id, Candidate.name, Candidate.erased_at
            ),
            joinedload(Application.requisition).load_only(
                Requisition.id, Requisition.title, Requisition.level_id
            ),
        )
    )
    if with_interviewers:
        query = query.options(selectinload(Interview.interviewers))
    newest = section.newest_first
    if after is not None:
        query = query.where(beyond(moment, row_id, after, older=newest))
    keys = (moment.desc(), row_id.desc()) if newest else (moment, row_id)
    found = db.session.execute(query.order_by(*keys).limit(per_page + 1)).all()
    rows = [Row(iv, app_, card_id, submitted_at) for iv, app_, card_id, submitted_at in found]
    shown = rows[:per_page]
    more = None
    if len(rows) > per_page:
        more = encode_cursor(row_moment(section, shown[-1]), shown[-1].interview.id)
    return SectionPage(section, shown, more)
