"""When a sign-in session ends: pure rules over its times, and a browser's short name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SessionPolicy:
    """How long a sign-in lasts.

    ``idle``: an ordinary session ends this long after its last request.
    ``absolute``: and at the latest this long after sign-in, however busy.
    ``remember``: a remembered sign-in ("keep me signed in") survives closing the browser
    and idle time, but ends this long after sign-in.
    """

    idle: timedelta
    absolute: timedelta
    remember: timedelta


def ends_at(
    policy: SessionPolicy, *, started: datetime, last_seen: datetime, remember: bool
) -> datetime:
    """The moment the session stops being accepted."""
    if remember:
        return started + policy.remember
    return min(started + policy.absolute, last_seen + policy.idle)


def end_reason(
    policy: SessionPolicy, *, started: datetime, last_seen: datetime, remember: bool, now: datetime
) -> str | None:
    """``"idle"`` or ``"expired"`` once the session is over, else None."""
    if now < ends_at(policy, started=started, last_seen=last_seen, remember=remember):
        return None
    if not remember and now - last_seen >= policy.idle:
        return "idle"
    return "expired"


REASONS = {
    "idle": "You were signed out after {idle} without activity. Please sign in again.",
    "expired": "Your sign-in lasted as long as it may ({limit}). Please sign in again.",
}


def in_words(span: timedelta) -> str:
    """'30 minutes', '12 hours', '14 days'."""
    minutes = int(span.total_seconds() // 60)
    for unit, size in (("day", 24 * 60), ("hour", 60), ("minute", 1)):
        if minutes >= size and minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{minutes} minutes"


_BROWSERS = (
    ("Edge", re.compile(r"Edg(e|A|iOS)?/")),
    ("Opera", re.compile(r"OPR/|Opera")),
    ("Firefox", re.compile(r"Firefox/|FxiOS/")),
    ("Chrome", re.compile(r"Chrome/|CriOS/|Chromium/")),
    ("Safari", re.compile(r"Safari/")),
    ("curl", re.compile(r"^curl/")),
)
_SYSTEMS = (
    ("Android", re.compile(r"Android")),
    ("iPhone", re.compile(r"iPhone")),
    ("iPad", re.compile(r"iPad")),
    ("Windows", re.compile(r"Windows")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Linux", re.compile(r"Linux")),
)


def browser_name(user_agent: str | None) -> str:
    """'Firefox on Linux', 'Safari on iPhone', or 'Unknown browser': enough for a person
    to tell their own devices apart (the full string is kept too)."""
    if not user_agent:
        return "Unknown browser"
    browser = next((name for name, rx in _BROWSERS if rx.search(user_agent)), None)
    system = next((name for name, rx in _SYSTEMS if rx.search(user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "Unknown browser")
