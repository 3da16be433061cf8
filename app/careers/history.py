"""A person's level history as pages and the API show it: newest first, with the ladder's
titles (the ids as they are when the ladder no longer has them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.models import LevelSpan, User
from ladder.model import Ladder
from pipelines.level_changes import time_in_words
from pipelines.level_history import LevelReason


def level_title(ladder: Ladder, level_id: str) -> str:
    level = ladder.levels_by_id.get(level_id)
    return level.title if level is not None else level_id


def specialty_name(ladder: Ladder, level_id: str, specialty_id: str | None) -> str | None:
    if not specialty_id:
        return None
    level = ladder.levels_by_id.get(level_id)
    if level is None:
        return specialty_id
    specialty = ladder.family(level.family).specialty(specialty_id)
    return specialty.title if specialty is not None else specialty_id


@dataclass(frozen=True, slots=True)
class HistoryRow:
    level_id: str
    level_title: str
    specialty_id: str | None
    specialty_name: str | None
    starts_on: date
    ends_on: date | None
    reason: LevelReason
    current: bool
    scheduled: bool

    @property
    def why(self) -> str:
        return self.reason.label


def history_rows(ladder: Ladder, spans: list[LevelSpan], today: date) -> list[HistoryRow]:
    """``spans`` (earliest first, as :func:`app.services.levels.history_of` reads them),
    newest first."""
    return [
        HistoryRow(
            span.level_id,
            level_title(ladder, span.level_id),
            span.specialty_id,
            specialty_name(ladder, span.level_id, span.specialty_id),
            span.starts_on,
            span.ends_on,
            span.reason,
            current=span.starts_on <= today and (span.ends_on is None or today <= span.ends_on),
            scheduled=span.starts_on > today,
        )
        for span in reversed(spans)
    ]


def first_scheduled(rows: list[HistoryRow]) -> HistoryRow | None:
    """The first level still to come when none is current (a hire before their first
    day), else None."""
    if any(row.current for row in rows):
        return None
    upcoming = [row for row in rows if row.scheduled]
    return min(upcoming, key=lambda row: row.starts_on) if upcoming else None


def time_in_level(user: User, today: date) -> str | None:
    """How long the person has held their current level, in words."""
    if user.level_id is None or user.level_since is None:
        return None
    return time_in_words(user.level_since, today)


def history_json(rows: list[HistoryRow]) -> list[dict[str, Any]]:
    return [
        {
            "level_id": row.level_id,
            "level_title": row.level_title,
            "specialty_id": row.specialty_id,
            "starts_on": row.starts_on.isoformat(),
            "ends_on": row.ends_on.isoformat() if row.ends_on else None,
            "reason": row.reason.value,
        }
        for row in rows
    ]


__all__ = [
    "HistoryRow",
    "history_json",
    "history_rows",
    "level_title",
    "specialty_name",
    "time_in_level",
]
