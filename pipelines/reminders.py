"""When a scorecard is overdue and when its interviewer is reminded.

A scorecard is due one working day after the interview ends (Saturdays and Sundays do not
count). Once overdue, its interviewer is reminded at most once per local day, and never on
a Saturday or Sunday of their own time zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pipelines.timezones import to_local

WORKING_DAY = timedelta(days=1)
SATURDAY = 5


def is_weekend(day: date) -> bool:
    return day.weekday() >= SATURDAY


def scorecard_due(interview_end: datetime) -> datetime:
    """One working day after the interview ends; a due time that falls on a weekend moves
    to the Monday after."""
    due = interview_end + WORKING_DAY
    while is_weekend(due.date()):
        due += WORKING_DAY
    return due


def is_overdue(interview_end: datetime, now: datetime) -> bool:
    return now > scorecard_due(interview_end)


def reminder_day(now: datetime, zone_name: str | None, default_zone: str) -> date | None:
    """The recipient's local day on which a reminder may go out now, or None on their
    weekend. At most one reminder per interview is sent for each such day."""
    local = to_local(now, zone_name, default_zone).date()
    return None if is_weekend(local) else local
