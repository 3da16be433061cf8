from datetime import UTC, datetime, timedelta

from app.services.throttle import describe_wait, locked_until

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def test_below_the_limit_is_not_locked():
    failures = [NOW - timedelta(minutes=1)] * 4
    assert locked_until(failures, now=NOW, limit=5, window=WINDOW) is None


def test_at_the_limit_locks_until_the_oldest_counted_failure_leaves_the_window():
    failures = [NOW - timedelta(minutes=m) for m in (10, 8, 6, 4, 2)]
    assert locked_until(failures, now=NOW, limit=5, window=WINDOW) == NOW + timedelta(minutes=5)


def test_failures_outside_the_window_do_not_count():
    failures = [NOW - timedelta(minutes=m) for m in (30, 20, 3, 2, 1)]
    assert locked_until(failures, now=NOW, limit=5, window=WINDOW) is None


def test_describe_wait_rounds_up_and_gives_the_time():
    later = NOW + timedelta(minutes=4, seconds=1)
    assert describe_wait(later, NOW) == "in 5 minutes (at 09:04 UTC)"
    assert describe_wait(NOW + timedelta(seconds=20), NOW) == "in a minute (at 09:00 UTC)"
