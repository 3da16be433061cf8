"""Who is told what when an interview is scheduled, moved or called off.

An interview is one calendar event: every message about it carries the same UID and a
SEQUENCE that rises with each change, so a calendar replaces its copy instead of adding a
second one. What an interviewer's calendar holds follows from the interview before and
after a change:

* a new time, length or place: everyone on it gets the updated invitation (``REQUEST``);
* only the people changed: those added get an invitation, those removed a ``CANCEL`` for
  their copy, and those who stay nothing (their copy is still right);
* the time taken off ("to be scheduled") or the interview cancelled: a ``CANCEL`` to
  everyone whose calendar held it;
* nothing changed: nothing is sent and the SEQUENCE stays.

The candidate is invited only when the scheduler chooses to; once invited, the candidate's
copy is kept right the same way (an update when the time, length or place changes, a
``CANCEL`` when the interview is off their calendar).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from pipelines.timezones import zone


class Method(enum.StrEnum):
    """The iCalendar METHOD of a message (RFC 5546)."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


class Reason(enum.StrEnum):
    """Why a message goes; the message's words follow from it."""

    #: The first invitation (or the first since the interview had a time again).
    INVITED = "invited"
    #: The time, length or place changed.
    UPDATED = "updated"
    #: This interviewer no longer conducts the interview.
    REMOVED = "removed"
    #: The time was taken off: the interview is to be scheduled again.
    UNSCHEDULED = "unscheduled"
    #: The interview was cancelled.
    CANCELLED = "cancelled"

    @property
    def method(self) -> Method:
        if self in (Reason.INVITED, Reason.UPDATED):
            return Method.REQUEST
        return Method.CANCEL


@dataclass(frozen=True)
class Arrangement:
    """What an interview's calendar event says."""

    starts_at: datetime | None
    duration_minutes: int
    location: str | None
    interviewer_ids: tuple[int, ...]
    cancelled: bool = False

    @property
    def on_calendar(self) -> bool:
        """Whether the event is on its attendees' calendars: it has a time and is on."""
        return self.starts_at is not None and not self.cancelled

    @property
    def details(self) -> tuple[datetime | None, int, str | None]:
        return (self.starts_at, self.duration_minutes, self.location or None)

    def same_as(self, other: Arrangement) -> bool:
        """Same event for everyone on it (the order interviewers were chosen in aside)."""
        return (
            self.details == other.details
            and set(self.interviewer_ids) == set(other.interviewer_ids)
            and self.cancelled == other.cancelled
        )


@dataclass(frozen=True)
class Messages:
    """What a change sends: a reason per interviewer (in order), and for the candidate."""

    #: Whether the interview changed at all (and so its SEQUENCE rises).
    changed: bool
    interviewers: tuple[tuple[int, Reason], ...] = ()
    candidate: Reason | None = None

    @property
    def any(self) -> bool:
        return bool(self.interviewers) or self.candidate is not None


def messages_for(
    before: Arrangement | None,
    after: Arrangement,
    *,
    candidate_invited: bool = False,
    invite_candidate: bool = False,
) -> Messages:
    """The messages a change from ``before`` (None: a new interview) to ``after`` sends.

    ``candidate_invited``: the candidate's calendar holds the interview (they were sent an
    invitation and no cancellation since). ``invite_candidate``: the scheduler asks for an
    invitation to the candidate now.
    """
    changed = before is None or not before.same_as(after)
    was_on = before is not None and before.on_calendar
    details_changed = before is None or before.details != after.details
    old_ids = before.interviewer_ids if before is not None else ()
    notices: dict[int, Reason] = {}
    if after.on_calendar:
        for user_id in after.interviewer_ids:
            if not was_on or user_id not in old_ids:
                notices[user_id] = Reason.INVITED
            elif details_changed:
                notices[user_id] = Reason.UPDATED
        if was_on:
            for user_id in old_ids:
                if user_id not in after.interviewer_ids:
                    notices[user_id] = Reason.REMOVED
    elif was_on:
        off = Reason.CANCELLED if after.cancelled else Reason.UNSCHEDULED
        for user_id in old_ids:
            notices[user_id] = off if user_id in after.interviewer_ids else Reason.REMOVED
    candidate: Reason | None = None
    if after.on_calendar:
        if candidate_invited and was_on:
            candidate = Reason.UPDATED if details_changed else None
        elif candidate_invited or invite_candidate:
            candidate = Reason.INVITED
    elif candidate_invited:
        candidate = Reason.CANCELLED if after.cancelled else Reason.UNSCHEDULED
    return Messages(changed, tuple(notices.items()), candidate)


def cancellation(current: Arrangement, *, candidate_invited: bool = False) -> Messages:
    """The messages of calling ``current`` off."""
    after = Arrangement(
        current.starts_at,
        current.duration_minutes,
        current.location,
        current.interviewer_ids,
        cancelled=True,
    )
    return messages_for(current, after, candidate_invited=candidate_invited)


def skipped_time(naive: datetime, zone_name: str | None, default: str = "UTC") -> bool:
    """Whether a wall-clock time does not exist in the zone: it falls in the hour skipped
    when the clocks go forward (02:30 on the last Sunday of March in Europe/Berlin)."""
    if naive.tzinfo is not None:
        raise ValueError("skipped_time takes a wall-clock (naive) time")
    tz = zone(zone_name, default)
    # Through UTC and back: a time that does not exist comes back an hour off.
    back = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back != naive
