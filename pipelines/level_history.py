"""A person's levels over time: each span has a level, a specialty, a first day, a last
day (open while current) and why it began (hired, promoted, changed by an admin).

Spans never overlap: a new span starting on day D ends the span that covers D the day
before, and replaces any span that would only start on or after D (a later decision
overrides a scheduled one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from pipelines.errors import PipelineError


class LevelHistoryError(PipelineError):
    """A level change the history cannot take."""


class LevelReason(StrEnum):
    HIRED = "hired"
    PROMOTED = "promoted"
    CHANGED = "changed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    LevelReason.HIRED: "hired",
    LevelReason.PROMOTED: "promoted",
    LevelReason.CHANGED: "changed by an admin",
}


@dataclass(frozen=True, slots=True)
class Span:
    level_id: str
    specialty_id: str | None
    starts_on: date
    ends_on: date | None
    reason: LevelReason
    key: int | None = None  # the stored row's id, None for a new span

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@dataclass(frozen=True, slots=True)
class HistoryChange:
    """What to store: spans to end (with their new last day), spans to drop (scheduled
    ones the new span replaces), and the new span."""

    ended: tuple[Span, ...]
    dropped: tuple[Span, ...]
    added: Span


def start_span(
    history: Sequence[Span],
    *,
    level_id: str,
    specialty_id: str | None,
    starts_on: date,
    reason: LevelReason,
) -> HistoryChange:
    """The change that starts a new span on ``starts_on``."""
    if not level_id:
        raise LevelHistoryError("A level change needs a level.")
    ended: list[Span] = []
    dropped: list[Span] = []
    for span in history:
        if span.starts_on >= starts_on:
            dropped.append(span)
        elif span.ends_on is None or span.ends_on >= starts_on:
            ended.append(replace(span, ends_on=starts_on - timedelta(days=1)))
    added = Span(level_id, specialty_id, starts_on, None, reason)
    return HistoryChange(tuple(ended), tuple(dropped), added)


def level_on(history: Sequence[Span], day: date) -> Span | None:
    """The span that covers ``day``, if any."""
    for span in history:
        if span.covers(day):
            return span
    return None


def days_in_level(span: Span, today: date) -> int:
    """Days from the span's first day to its last (or to today while it is current)."""
    end = span.ends_on if span.ends_on is not None else today
    return max(0, (end - span.starts_on).days)


__all__ = [
    "HistoryChange",
    "LevelHistoryError",
    "LevelReason",
    "Span",
    "days_in_level",
    "level_on",
    "start_span",
]
