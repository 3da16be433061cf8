"""An interviewer's own interviews, section by section (the sections' rules are
:mod:`pipelines.my_interviews`), for "My interviews" and GET /api/v1/interviews.

Whatever the number of interviews: one GROUP BY for every section's count, then one
LIMITed query per section shown, which finds the interviewer's own scorecard by an outer
join on (interview, interviewer) rather than reading every scorecard into Python. Each
section is a keyset order on (moment, interview id):

* to write: the interview's time, oldest first (unscheduled ones last);
* upcoming: the interview's time, soonest first;
* submitted: when this interviewer submitted, newest first;
* cancelled: when it was called off, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, or_, select
from sqlalchemy.orm import joinedload, selectinload

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
from pipelines.my_interviews import Section, section_of

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


def _own_card() -> Any:
    return and_(
        Scorecard.interview_id == Interview.id,
        Scorecard.interviewer_id == InterviewInterviewer.user_id,
    )


def _cancelled() -> ColumnElement[bool]:
    return Interview.cancelled_at.is_not(None)


def _condition(section: Section, now: datetime) -> ColumnElement[bool]:
    """The rows of ``section``, as :func:`pipelines.my_interviews.section_of` decides."""
    if section is Section.CANCELLED:
        return _cancelled()
    live = Interview.cancelled_at.is_(None)
    if section is Section.SUBMITTED:
        return and_(live, Scorecard.submitted_at.is_not(None))
    pending = and_(live, Scorecard.submitted_at.is_(None))
    if section is Section.UPCOMING:
        return and_(pending, Interview.starts_at > now)
    return and_(pending, or_(Interview.starts_at.is_(None), Interview.starts_at <= now))


def sort_moment(section: Section) -> Any:
    """The moment ``section`` is ordered by (with the interview's id after it)."""
    if section is Section.CANCELLED:
        return Interview.cancelled_at
    if section is Section.SUBMITTED:
        return Scorecard.submitted_at
    if section is Section.UPCOMING:
        return Interview.starts_at
    return func.coalesce(Interview.starts_at, literal(UNSCHEDULED, UTCDateTime()))


def row_moment(section: Section, row: Row) -> datetime:
    """A row's moment in its section's order (what its cursor names)."""
    if section is Section.CANCELLED:
        moment = row.interview.cancelled_at
    elif section is Section.SUBMITTED:
        moment = row.submitted_at
    else:
        moment = row.interview.starts_at
    return moment if moment is not None else UNSCHEDULED


def counts(user_id: int, now: datetime) -> dict[Section, int]:
    """How many of the user's interviews each section holds: one GROUP BY."""
    found = dict.fromkeys(Section, 0)
    ahead = func.coalesce(Interview.starts_at > now, False)
    rows = db.session.execute(
        select(_cancelled(), Scorecard.submitted_at.is_not(None), ahead, func.count())
        .select_from(InterviewInterviewer)
        .join(Interview, Interview.id == InterviewInterviewer.interview_id)
        .outerjoin(Scorecard, _own_card())
        .where(InterviewInterviewer.user_id == user_id)
        .group_by(_cancelled(), Scorecard.submitted_at.is_not(None), ahead)
    )
    for cancelled, submitted, is_ahead, count in rows:
        section = section_of(
            cancelled=bool(cancelled), submitted=bool(submitted), ahead=bool(is_ahead)
        )
        found[section] += count
    return found


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
    moment, row_id = sort_moment(section), Interview.id
    query = (
        select(Interview, Application, Scorecard.id, Scorecard.submitted_at)
        .select_from(InterviewInterviewer)
        .join(Interview, Interview.id == InterviewInterviewer.interview_id)
        .join(Application, Application.id == Interview.application_id)
        .outerjoin(Scorecard, _own_card())
        .where(InterviewInterviewer.user_id == user_id, _condition(section, now))
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
