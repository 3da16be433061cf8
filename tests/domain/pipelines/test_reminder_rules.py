"""Scorecards due one working day after the interview; reminders on working days from
08:00 the recipient's time; digests every morning from 08:00."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pipelines.reminders import (
    digest_cutoff,
    is_overdue,
    overdue_words,
    reminder_day,
    scorecard_due,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_due_one_working_day_after_the_interview_ends():
    tuesday = utc(2026, 12, 1, 16, 0)
    assert scorecard_due(tuesday) == utc(2026, 12, 2, 16, 0)
    assert not is_overdue(tuesday, utc(2026, 12, 2, 16, 0))
    assert is_overdue(tuesday, utc(2026, 12, 2, 16, 1))


def test_an_interview_on_friday_is_due_on_monday():
    friday = utc(2026, 12, 4, 16, 0)
    assert scorecard_due(friday) == utc(2026, 12, 7, 16, 0)
    assert not is_overdue(friday, utc(2026, 12, 6, 23, 0))
    assert is_overdue(friday, utc(2026, 12, 7, 16, 1))


def test_an_interview_on_saturday_is_due_on_monday_too():
    assert scorecard_due(utc(2026, 12, 5, 10, 0)) == utc(2026, 12, 7, 10, 0)


@pytest.mark.parametrize(
    ("now", "zone", "day"),
    [
        (utc(2026, 12, 7, 9, 0), "UTC", date(2026, 12, 7)),  # Monday 09:00
        (utc(2026, 12, 7, 7, 59), "UTC", None),  # Monday before 08:00
        (utc(2026, 12, 5, 12, 0), "UTC", None),  # Saturday
        (utc(2026, 12, 6, 12, 0), "UTC", None),  # Sunday
        # Friday 23:30 UTC is already Saturday in Berlin ...
        (utc(2026, 12, 4, 23, 30), "Europe/Berlin", None),
        # ... and Sunday 23:30 UTC is Monday 08:30 in Tokyo (a working day there).
        (utc(2026, 12, 6, 23, 30), "Asia/Tokyo", date(2026, 12, 7)),
        # Monday 12:00 UTC is Monday 07:00 in New York: too early.
        (utc(2026, 12, 7, 12, 0), "America/New_York", None),
        (utc(2026, 12, 7, 13, 0), "America/New_York", date(2026, 12, 7)),
    ],
)
def test_reminders_go_out_on_the_recipients_working_day(now, zone, day):
    assert reminder_day(now, zone, "UTC") == day


def test_reminder_day_without_a_time_of_day_rule():
    assert reminder_day(utc(2026, 12, 7, 1, 0), "UTC", "UTC", not_before=None) == date(2026, 12, 7)


def test_reminder_days_follow_the_default_zone_when_the_person_chose_none():
    # Saturday 00:30 in Berlin, still Friday 23:30 in UTC.
    assert reminder_day(utc(2026, 12, 4, 23, 30), None, "Europe/Berlin") is None
    assert reminder_day(utc(2026, 12, 4, 23, 30), None, "UTC") == date(2026, 12, 4)


def test_digests_go_out_every_morning_from_eight_local_time():
    assert digest_cutoff(utc(2026, 12, 5, 7, 59), "UTC", "UTC") is None
    # Saturday too: the digest holds what was written.
    assert digest_cutoff(utc(2026, 12, 5, 8, 0), "UTC", "UTC") == utc(2026, 12, 5, 8, 0)
    assert digest_cutoff(utc(2026, 12, 5, 21, 0), "UTC", "UTC") == utc(2026, 12, 5, 8, 0)


def test_the_digest_cutoff_is_eight_on_the_recipients_clock_across_dst():
    # 08:00 in Berlin is 07:00 UTC in winter and 06:00 UTC in summer.
    assert digest_cutoff(utc(2026, 3, 28, 6, 30), "Europe/Berlin", "UTC") is None
    assert digest_cutoff(utc(2026, 3, 28, 7, 0), "Europe/Berlin", "UTC") == utc(2026, 3, 28, 7)
    assert digest_cutoff(utc(2026, 3, 30, 6, 30), "Europe/Berlin", "UTC") == utc(2026, 3, 30, 6)
    # New York: 13:00 UTC before 8 March, 12:00 UTC after.
    assert digest_cutoff(utc(2026, 3, 6, 14), "America/New_York", "UTC") == utc(2026, 3, 6, 13)
    assert digest_cutoff(utc(2026, 3, 9, 14), "America/New_York", "UTC") == utc(2026, 3, 9, 12)
    # A person without a zone: the installation's default.
    assert digest_cutoff(utc(2026, 12, 7, 7, 30), None, "Europe/Berlin") == utc(2026, 12, 7, 7)


@pytest.mark.parametrize(
    ("late", "words"),
    [
        (timedelta(minutes=5), "less than an hour"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=5, minutes=59), "5 hours"),
        (timedelta(days=1, hours=3), "1 day"),
        (timedelta(days=6), "6 days"),
    ],
)
def test_overdue_words(late, words):
    due = utc(2026, 12, 2, 16, 0)
    assert overdue_words(due, due + late) == words
