from datetime import UTC, datetime, timedelta

import pytest

from app.services.session_policy import (
    SessionPolicy,
    browser_name,
    end_reason,
    ends_at,
    in_words,
)

POLICY = SessionPolicy(
    idle=timedelta(minutes=30), absolute=timedelta(hours=12), remember=timedelta(days=14)
)
START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def reason(*, last_seen: timedelta, now: timedelta, remember: bool = False) -> str | None:
    return end_reason(
        POLICY, started=START, last_seen=START + last_seen, remember=remember, now=START + now
    )


def test_an_active_session_lives():
    assert reason(last_seen=timedelta(hours=3), now=timedelta(hours=3, minutes=29)) is None


def test_thirty_minutes_without_a_request_end_it():
    assert reason(last_seen=timedelta(hours=3), now=timedelta(hours=3, minutes=30)) == "idle"


def test_twelve_hours_end_even_a_busy_session():
    assert reason(last_seen=timedelta(hours=11, minutes=59), now=timedelta(hours=12)) == "expired"


def test_a_remembered_session_ignores_idle_time_but_not_fourteen_days():
    assert reason(last_seen=timedelta(0), now=timedelta(days=3), remember=True) is None
    assert reason(last_seen=timedelta(days=13), now=timedelta(days=14), remember=True) == "expired"


def test_the_400_day_old_remembered_session_is_over():
    assert reason(last_seen=timedelta(days=399), now=timedelta(days=400), remember=True)


def test_ends_at_is_the_earlier_of_idle_and_absolute():
    late = START + timedelta(hours=11, minutes=50)
    assert ends_at(POLICY, started=START, last_seen=late, remember=False) == START + timedelta(
        hours=12
    )


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (timedelta(minutes=30), "30 minutes"),
        (timedelta(hours=12), "12 hours"),
        (timedelta(days=14), "14 days"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=90), "90 minutes"),
    ],
)
def test_in_words(span, words):
    assert in_words(span) == words


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox on Linux",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
            "Chrome on macOS",
        ),
        ("curl/8.5.0", "curl"),
        ("", "Unknown browser"),
        (None, "Unknown browser"),
    ],
)
def test_browser_name(agent, name):
    assert browser_name(agent) == name
