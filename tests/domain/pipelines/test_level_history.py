"""Level spans: a new span ends the one it starts in and replaces later scheduled ones."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.level_history import (
    LevelHistoryError,
    LevelReason,
    Span,
    days_in_level,
    level_on,
    start_span,
)

HIRED = Span("csm", None, date(2024, 3, 1), None, LevelReason.HIRED, key=1)


def test_a_promotion_ends_the_current_span_the_day_before() -> None:
    change = start_span(
        [HIRED],
        level_id="senior-csm",
        specialty_id=None,
        starts_on=date(2025, 6, 1),
        reason=LevelReason.PROMOTED,
    )
    assert [s.ends_on for s in change.ended] == [date(2025, 5, 31)]
    assert change.dropped == ()
    history = [*change.ended, change.added]
    assert level_on(history, date(2025, 5, 31)).level_id == "csm"
    assert level_on(history, date(2025, 6, 1)).level_id == "senior-csm"
    assert level_on(history, date(2024, 2, 29)) is None


def test_a_change_on_or_before_a_scheduled_span_replaces_it() -> None:
    scheduled = Span("staff-csm", None, date(2026, 1, 1), None, LevelReason.PROMOTED, key=2)
    ended = Span("csm", None, date(2024, 3, 1), date(2025, 12, 31), LevelReason.HIRED, key=1)
    change = start_span(
        [ended, scheduled],
        level_id="senior-csm",
        specialty_id=None,
        starts_on=date(2025, 12, 1),
        reason=LevelReason.CHANGED,
    )
    assert [s.key for s in change.dropped] == [2]
    assert [(s.key, s.ends_on) for s in change.ended] == [(1, date(2025, 11, 30))]


def test_days_in_level_run_to_today_while_current() -> None:
    assert days_in_level(HIRED, date(2024, 3, 11)) == 10
    closed = Span("csm", None, date(2024, 3, 1), date(2024, 3, 5), LevelReason.HIRED)
    assert days_in_level(closed, date(2030, 1, 1)) == 4


def test_a_level_is_required() -> None:
    with pytest.raises(LevelHistoryError):
        start_span(
            [],
            level_id="",
            specialty_id=None,
            starts_on=date(2025, 1, 1),
            reason=LevelReason.CHANGED,
        )
