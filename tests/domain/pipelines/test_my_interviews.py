"""The sections of "My interviews" and the grouping of a section's rows by local day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pipelines.my_interviews import Day, Section, by_day, count_label, is_ahead, section_of

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cancelled", "submitted", "ahead", "section"),
    [
        (True, False, True, Section.CANCELLED),
        (True, False, False, Section.CANCELLED),
        # A submitted scorecard is the record, whenever the interview was.
        (False, True, True, Section.SUBMITTED),
        (False, True, False, Section.SUBMITTED),
        (False, False, True, Section.UPCOMING),
        (False, False, False, Section.TO_SCORE),
    ],
)
def test_the_section_of_an_interview(cancelled, submitted, ahead, section):
    assert section_of(cancelled=cancelled, submitted=submitted, ahead=ahead) is section


@pytest.mark.parametrize(
    ("starts_at", "ahead"),
    [
        (None, False),  # not scheduled yet: its scorecard is to write
        (NOW, False),  # starting now: no longer upcoming
        (NOW + timedelta(microseconds=1), True),
        (NOW - timedelta(days=3), False),
    ],
)
def test_ahead_is_a_time_still_to_come(starts_at, ahead):
    assert is_ahead(starts_at, NOW) is ahead


def test_sections_come_in_the_pages_order_with_their_orders():
    assert list(Section) == [
        Section.TO_SCORE,
        Section.UPCOMING,
        Section.SUBMITTED,
        Section.CANCELLED,
    ]
    assert [s.newest_first for s in Section] == [False, False, True, True]
    assert Section.TO_SCORE.heading == "Scorecards to write"


BERLIN_WINTER = timezone(timedelta(hours=1))


def test_rows_are_grouped_by_their_local_day_in_order():
    # 22:30 and 23:30 UTC on 1 December are 23:30 on the 1st and 00:30 on the 2nd in
    # Berlin: the same UTC day, two local days.
    times = [
        datetime(2026, 12, 1, 22, 30, tzinfo=UTC),
        datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
        datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
        None,
        None,
    ]
    local = [t.astimezone(BERLIN_WINTER) if t else None for t in times]
    days = by_day(list(range(5)), lambda i: local[i])
    assert days == [
        Day(datetime(2026, 12, 1).date(), [0]),
        Day(datetime(2026, 12, 2).date(), [1, 2]),
        Day(None, [3, 4]),
    ]


def test_a_day_seen_again_later_starts_a_new_group():
    one = datetime(2026, 12, 1, 9, 0)
    two = datetime(2026, 12, 2, 9, 0)
    days = by_day(["a", "b", "c"], {"a": one, "b": two, "c": one}.get)
    assert [(d.day, d.rows) for d in days] == [
        (one.date(), ["a"]),
        (two.date(), ["b"]),
        (one.date(), ["c"]),
    ]


def test_no_rows_no_days():
    assert by_day([], lambda row: None) == []


def test_a_history_is_counted_exactly_up_to_the_cap_and_more_than_it_beyond():
    assert count_label(Section.SUBMITTED, 0, 100) == "0"
    assert count_label(Section.SUBMITTED, 100, 100) == "100"
    assert count_label(Section.SUBMITTED, 101, 100) == "more than 100"
    assert count_label(Section.CANCELLED, 101, 100) == "more than 100"
    # What is still to do is counted whole.
    assert count_label(Section.TO_SCORE, 101, 100) == "101"
    assert count_label(Section.UPCOMING, 250, 100) == "250"
