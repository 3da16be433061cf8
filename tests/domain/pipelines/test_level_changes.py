"""The rules of changing a level by hand: effective dates, "level since", corrections,
last days and time in level in words."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.level_changes import (
    LevelDateError,
    check_effective_date,
    check_left_on,
    check_level_since,
    correct_start,
    time_in_words,
)
from pipelines.level_history import LevelReason, Span

TODAY = date(2026, 3, 15)

HIRED = Span("csm", None, date(2024, 1, 8), date(2025, 6, 30), LevelReason.HIRED, 1)
PROMOTED = Span("senior-csm", None, date(2025, 7, 1), None, LevelReason.PROMOTED, 2)


def test_no_effective_date_means_today():
    assert check_effective_date(None, today=TODAY, submitted_on=date(2026, 3, 1)) == TODAY


def test_an_effective_date_from_the_submission_day_to_a_year_ahead_is_taken():
    submitted = date(2026, 3, 1)
    assert check_effective_date(submitted, today=TODAY, submitted_on=submitted) == submitted
    # 366 days after 15 March 2026 is 16 March 2027.
    latest = date(2027, 3, 16)
    assert check_effective_date(latest, today=TODAY, submitted_on=submitted) == latest


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 2, 28), "before the packet was submitted (1 March 2026)"),
        (date(2027, 3, 17), "at most a year ahead (until 16 March 2027)"),
        (date(1969, 12, 31), "before the packet was submitted"),
    ],
)
def test_an_effective_date_out_of_bounds_is_refused_naming_the_field(day, words):
    with pytest.raises(LevelDateError, match=words.replace("(", r"\(").replace(")", r"\)")) as info:
        check_effective_date(day, today=TODAY, submitted_on=date(2026, 3, 1))
    assert info.value.field == "effective_on"


def test_level_since_defaults_to_today_and_may_not_be_in_the_future():
    assert check_level_since(None, [HIRED, PROMOTED], today=TODAY) == TODAY
    assert check_level_since(date(2025, 7, 1), [HIRED, PROMOTED], today=TODAY) == date(2025, 7, 1)
    with pytest.raises(LevelDateError, match="future") as info:
        check_level_since(date(2026, 3, 16), [HIRED, PROMOTED], today=TODAY)
    assert info.value.field == "level_since"


def test_level_since_may_not_reach_before_the_level_in_effect():
    with pytest.raises(LevelDateError, match=r"in effect \(1 July 2025\)"):
        check_level_since(date(2025, 6, 30), [HIRED, PROMOTED], today=TODAY)
    # Without history any past day is taken.
    assert check_level_since(date(2020, 5, 4), [], today=TODAY) == date(2020, 5, 4)


def test_correcting_the_start_moves_the_end_of_the_span_before():
    corrected = correct_start([HIRED, PROMOTED], date(2025, 9, 1), today=TODAY)
    assert corrected.current.starts_on == date(2025, 9, 1)
    assert corrected.current.key == 2
    assert corrected.previous is not None
    assert (corrected.previous.key, corrected.previous.ends_on) == (1, date(2025, 8, 31))


def test_a_correction_stays_after_the_start_of_the_span_before():
    with pytest.raises(LevelDateError, match="after 8 January 2024"):
        correct_start([HIRED, PROMOTED], date(2024, 1, 8), today=TODAY)
    only = correct_start([PROMOTED], date(2019, 1, 1), today=TODAY)
    assert only.previous is None and only.current.starts_on == date(2019, 1, 1)
    with pytest.raises(LevelDateError, match="no level in effect"):
        correct_start([], date(2025, 1, 1), today=TODAY)


def test_a_last_day_is_bounded():
    assert check_left_on(None, today=TODAY, first_day=date(2024, 1, 8)) is None
    assert check_left_on(date(2026, 4, 30), today=TODAY, first_day=date(2024, 1, 8)) == date(
        2026, 4, 30
    )
    with pytest.raises(LevelDateError, match=r"first level began \(8 January 2024\)") as info:
        check_left_on(date(2024, 1, 7), today=TODAY, first_day=date(2024, 1, 8))
    assert info.value.field == "left_on"
    with pytest.raises(LevelDateError, match="a year ahead"):
        check_left_on(date(2027, 3, 17), today=TODAY, first_day=None)


@pytest.mark.parametrize(
    ("start", "words"),
    [
        (TODAY, "since today"),
        (date(2026, 3, 14), "1 day"),
        (date(2026, 2, 16), "27 days"),
        (date(2026, 2, 15), "1 month"),
        (date(2025, 3, 15), "1 year"),
        (date(2025, 3, 16), "11 months"),
        (date(2023, 1, 10), "3 years, 2 months"),
        (date(2026, 4, 1), "starts on 1 April 2026"),
    ],
)
def test_time_in_level_in_words(start, words):
    assert time_in_words(start, TODAY) == words
