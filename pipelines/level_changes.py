"""The rules of changing a person's level by hand: a promotion's effective date, an admin's
"level since" date, correcting the start of the current span, a person's last day, and the
time spent in a level in words.

Each check names the field it is about, so a page or the API can put the message beside
it (422) instead of failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from pipelines.level_history import LevelHistoryError, Span, level_on

#: How far ahead a promotion may be approved to take effect (a year and a day, so that
#: "the same date next year" is accepted).
MAX_EFFECTIVE_AHEAD = timedelta(days=366)
#: How far ahead a last day may be recorded (notice given).
MAX_LEFT_AHEAD = timedelta(days=366)
#: No date before this is taken for a level or a last day (a typo such as 0202-03-01).
EARLIEST = date(1970, 1, 1)


class LevelDateError(LevelHistoryError):
    """A date the level history cannot take; ``field`` names the form or body field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def check_effective_date(
    effective_on: date | None, *, today: date, submitted_on: date | None
) -> date:
    """The day an approved promotion takes effect: ``today`` when not given; never before
    the day the packet was submitted, at most :data:`MAX_EFFECTIVE_AHEAD` after today."""
    if effective_on is None:
        return today
    if submitted_on is not None and effective_on < submitted_on:
        raise LevelDateError(
            "effective_on",
            f"The effective date cannot be before the packet was submitted ({_day(submitted_on)}).",
        )
    if effective_on < EARLIEST:
        raise LevelDateError("effective_on", f"The effective date is before {EARLIEST.year}.")
    latest = today + MAX_EFFECTIVE_AHEAD
    if effective_on > latest:
        raise LevelDateError(
            "effective_on",
            f"The effective date can be at most a year ahead (until {_day(latest)}).",
        )
    return effective_on


def check_level_since(level_since: date | None, history: Sequence[Span], *, today: date) -> date:
    """The first day of a level an admin sets: ``today`` when not given; not in the future,
    and not before the start of the level in effect today (the history before it stays as
    it was: the level in effect ends the day before)."""
    starts_on = today if level_since is None else level_since
    if starts_on > today:
        raise LevelDateError(
            "level_since",
            "“In this level since” cannot be in the future; approve a promotion with an "
            "effective date to change a level later.",
        )
    if starts_on < EARLIEST:
        raise LevelDateError("level_since", f"“In this level since” is before {EARLIEST.year}.")
    current = level_on(history, today)
    if current is not None and starts_on < current.starts_on:
        raise LevelDateError(
            "level_since",
            f"“In this level since” cannot be before the start of the level in effect "
            f"({_day(current.starts_on)}); the history before it is kept.",
        )
    return starts_on


@dataclass(frozen=True, slots=True)
class StartCorrection:
    """A new first day for the span in effect, and the span before it ending the day before."""

    current: Span
    previous: Span | None


def correct_start(history: Sequence[Span], new_start: date, *, today: date) -> StartCorrection:
    """Move the first day of the span in effect today to ``new_start`` (the level stays):
    the span before it then ends the day before. ``new_start`` must lie after the first day
    of the span before, and not in the future."""
    current = level_on(history, today)
    if current is None:
        raise LevelDateError("level_since", "There is no level in effect to correct.")
    if new_start > today:
        raise LevelDateError("level_since", "“In this level since” cannot be in the future.")
    if new_start < EARLIEST:
        raise LevelDateError("level_since", f"“In this level since” is before {EARLIEST.year}.")
    before = [s for s in history if s.starts_on < current.starts_on]
    previous = max(before, key=lambda s: s.starts_on) if before else None
    if previous is not None and new_start <= previous.starts_on:
        raise LevelDateError(
            "level_since",
            f"“In this level since” must be after {_day(previous.starts_on)}, when the "
            "level before began.",
        )
    moved_previous = (
        replace(previous, ends_on=new_start - timedelta(days=1)) if previous is not None else None
    )
    return StartCorrection(replace(current, starts_on=new_start), moved_previous)


def check_left_on(left_on: date | None, *, today: date, first_day: date | None) -> date | None:
    """A person's last day (None clears it): not before their first level began, at most
    :data:`MAX_LEFT_AHEAD` ahead."""
    if left_on is None:
        return None
    if left_on < EARLIEST:
        raise LevelDateError("left_on", f"The last day is before {EARLIEST.year}.")
    if first_day is not None and left_on < first_day:
        raise LevelDateError(
            "left_on",
            f"The last day cannot be before the person's first level began ({_day(first_day)}).",
        )
    latest = today + MAX_LEFT_AHEAD
    if left_on > latest:
        raise LevelDateError(
            "left_on", f"The last day can be at most a year ahead (until {_day(latest)})."
        )
    return left_on


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(0, months)


def time_in_words(start: date, today: date) -> str:
    """How long since ``start``, in whole years and months ("1 year, 3 months"), or days
    under a month; "starts on …" for a day still to come."""
    if start > today:
        return f"starts on {_day(start)}"
    months = _months_between(start, today)
    if months == 0:
        days = (today - start).days
        if days == 0:
            return "since today"
        return "1 day" if days == 1 else f"{days} days"
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append("1 year" if years == 1 else f"{years} years")
    if months:
        parts.append("1 month" if months == 1 else f"{months} months")
    return ", ".join(parts)


__all__ = [
    "EARLIEST",
    "MAX_EFFECTIVE_AHEAD",
    "MAX_LEFT_AHEAD",
    "LevelDateError",
    "StartCorrection",
    "check_effective_date",
    "check_left_on",
    "check_level_since",
    "correct_start",
    "time_in_words",
]
