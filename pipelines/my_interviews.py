"""An interviewer's own interviews: which section of "My interviews" each belongs to, the
order of each section, and the grouping of a section's rows by the viewer's local day.

Sections, first match wins:

* ``cancelled``: the interview was called off;
* ``submitted``: this interviewer's scorecard is submitted;
* ``upcoming``: it is scheduled for a moment still to come;
* ``to_score``: its time has passed, or it has no time yet: the scorecard is to write.

The database selects each section by the same rules (one LIMITed query a section); these
functions state them once for the counts and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Section(StrEnum):
    """A section of "My interviews", in the page's order."""

    TO_SCORE = "to_score"
    UPCOMING = "upcoming"
    SUBMITTED = "submitted"
    CANCELLED = "cancelled"

    @property
    def heading(self) -> str:
        return _TITLES[self]

    @property
    def newest_first(self) -> bool:
        """Submitted and cancelled ones: the latest first. Upcoming: the soonest first;
        scorecards to write: the oldest interview (the most overdue) first."""
        return self in (Section.SUBMITTED, Section.CANCELLED)

    @property
    def is_history(self) -> bool:
        """Submitted and cancelled ones: a history that grows for ever, counted up to
        COUNT_CAP; the sections still to do are counted exactly."""
        return self in (Section.SUBMITTED, Section.CANCELLED)


_TITLES = {
    Section.TO_SCORE: "Scorecards to write",
    Section.UPCOMING: "Upcoming",
    Section.SUBMITTED: "Submitted",
    Section.CANCELLED: "Cancelled",
}


def is_ahead(starts_at: datetime | None, now: datetime) -> bool:
    """Whether the interview is scheduled for a moment still to come."""
    return starts_at is not None and starts_at > now


def section_of(*, cancelled: bool, submitted: bool, ahead: bool) -> Section:
    """The section an interview sits in for one interviewer (``submitted``: their own
    scorecard is submitted; ``ahead``: see :func:`is_ahead`)."""
    if cancelled:
        return Section.CANCELLED
    if submitted:
        return Section.SUBMITTED
    if ahead:
        return Section.UPCOMING
    return Section.TO_SCORE


@dataclass(frozen=True)
class Day(Generic[T]):
    """The rows of one local day (``day`` None: rows without a time), in their order."""

    day: date | None
    rows: list[T]


def by_day(rows: Sequence[T], local_time: Callable[[T], datetime | None]) -> list[Day[T]]:
    """``rows`` (already in their section's order) cut where their local day changes;
    ``local_time`` gives a row's time already in the viewer's zone (None: not scheduled).
    A day seen again after another one starts a new group, so the order is kept."""
    days: list[Day[T]] = []
    for row in rows:
        moment = local_time(row)
        day = moment.date() if moment is not None else None
        if days and days[-1].day == day:
            days[-1].rows.append(row)
        else:
            days.append(Day(day, [row]))
    return days


#: A section's count is exact up to this; beyond it the page says "more than" it, so
#: that counting never reads more of a long history than this.
COUNT_CAP = 100


def count_label(section: Section, count: int, cap: int = COUNT_CAP) -> str:
    """``section``'s ``count`` as the page shows it: a history's exact up to ``cap``,
    else "more than <cap>"; the others' exact."""
    return str(count) if count <= cap or not section.is_history else f"more than {cap}"
