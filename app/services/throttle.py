"""Sign-in throttling rules: pure functions over attempt times."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta


def locked_until(
    failures: Sequence[datetime], *, now: datetime, limit: int, window: timedelta
) -> datetime | None:
    """When sign-in is allowed again, or None if it is allowed now.

    ``failures`` are the failed attempts to count (already restricted to those after
    the last success). Once ``limit`` failures fall within ``window``, sign-in is
    refused until the oldest of the last ``limit`` failures leaves the window.
    """
    recent = sorted(t for t in failures if now - t < window)
    if len(recent) < limit:
        return None
    return recent[-limit] + window


def describe_wait(until: datetime, now: datetime) -> str:
    """'in 14 minutes (at 16:05 UTC)' style text for a retry time."""
    seconds = max(0, int((until - now).total_seconds()))
    minutes = -(-seconds // 60)  # round up
    when = until.strftime("%H:%M UTC")
    if minutes <= 1:
        return f"in a minute (at {when})"
    return f"in {minutes} minutes (at {when})"
