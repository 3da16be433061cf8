"""When a scorecard is overdue, and when reminders and digests go out.

A scorecard is due one working day after the interview ends (Saturdays and Sundays do not
count). Once overdue, its interviewer is reminded at most once per local day, never on a
Saturday or Sunday of their own time zone, and not before :data:`SEND_FROM` on their
clock. Recruiters get one list of what is overdue in their requisitions on the same days.
People who chose a daily digest get the messages held for them in one message each
morning from :data:`SEND_FROM` their time (weekends included), holding what was written
before that.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from pipelines.timezones import from_local, to_local

WORKING_DAY = timedelta(days=1)
SATURDAY = 5
#: Reminders and digests are not sent before this time on the recipient's clock.
SEND_FROM = time(8, 0)


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


def reminder_day(
    now: datetime,
    zone_name: str | None,
    default_zone: str,
    *,
    not_before: time | None = SEND_FROM,
) -> date | None:
    """The recipient's local day on which a reminder may go out now, or None on their
    weekend (and, with ``not_before``, before that time of their day). At most one
    reminder per interview is sent for each such day."""
    local = to_local(now, zone_name, default_zone)
    if is_weekend(local.date()):
        return None
    if not_before is not None and local.time() < not_before:
        return None
    return local.date()


def digest_cutoff(now: datetime, zone_name: str | None, default_zone: str) -> datetime | None:
    """When today's digest was due on the recipient's clock (:data:`SEND_FROM`, as a UTC
    moment), once ``now`` has reached it; None before. The digest holds the messages
    written before that moment: later ones wait for the next morning's."""
    local = to_local(now, zone_name, default_zone)
    if local.time() < SEND_FROM:
        return None
    return from_local(datetime.combine(local.date(), SEND_FROM), zone_name, default_zone)


def overdue_words(due: datetime, now: datetime) -> str:
    """How long past ``due`` ``now`` is, for a message: "2 hours", "1 day", "3 days"."""
    late = now - due
    if late < timedelta(hours=1):
        return "less than an hour"
    if late < timedelta(days=1):
        hours = int(late.total_seconds() // 3600)
        return "1 hour" if hours == 1 else f"{hours} hours"
    days = late.days
    return "1 day" if days == 1 else f"{days} days"
