"""Sign-in throttling rules: pure functions over a counter's state."""

from __future__ import annotations

from datetime import datetime, timedelta


def locked_until(
    attempts: int, window_started_at: datetime, *, limit: int, window: timedelta
) -> datetime | None:
    """When sign-in is allowed again, or None if this attempt may be checked.

    ``attempts`` counts this attempt too: the first ``limit`` attempts of a window are
    checked, later ones are refused until the window ends.
    """
    if attempts <= limit:
        return None
    return window_started_at + window


def describe_wait(until: datetime, now: datetime) -> str:
    """'in 14 minutes (at 16:05 UTC)' style text for a retry time."""
    seconds = max(0, int((until - now).total_seconds()))
    minutes = -(-seconds // 60)  # round up
    when = until.strftime("%H:%M UTC")
    if minutes <= 1:
        return f"in a minute (at {when})"
    return f"in {minutes} minutes (at {when})"
