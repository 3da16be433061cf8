from datetime import UTC, datetime, timedelta

from app.services.throttle import describe_wait, locked_until

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def test_attempts_up_to_the_limit_are_checked():
    for attempts in range(1, 6):
        assert locked_until(attempts, NOW, limit=5, window=WINDOW) is None


def test_the_attempt_after_the_limit_waits_for_the_window_to_end():
    started = NOW - timedelta(minutes=10)
    assert locked_until(6, started, limit=5, window=WINDOW) == NOW + timedelta(minutes=5)


def test_describe_wait_rounds_up_and_gives_the_time():
    later = NOW + timedelta(minutes=4, seconds=1)
    assert describe_wait(later, NOW) == "in 5 minutes (at 09:04 UTC)"
    assert describe_wait(NOW + timedelta(seconds=20), NOW) == "in a minute (at 09:00 UTC)"
