"""API token rules: pure functions over scopes, lifetimes and dates (no database)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365

#: The methods that change nothing: all a read token may use.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The scopes a token can have: "read" (READ_METHODS only) or "write" (every method).
SCOPES = ("read", "write")


class TokenState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


def lifetime_problem(days: int) -> str | None:
    """Why a token may not live ``days`` days, or None when it may."""
    if days < 1:
        return f"A token must live at least 1 day, not {days}."
    if days > MAX_LIFETIME_DAYS:
        return f"A token may live at most {MAX_LIFETIME_DAYS} days, not {days}."
    return None


def scope_problem(scope: str) -> str | None:
    """Why ``scope`` is not a token scope, or None when it is one."""
    if scope in SCOPES:
        return None
    return f"The scope must be one of {', '.join(SCOPES)}, not {scope!r}."


def expires_at(now: datetime, days: int) -> datetime:
    """When a token issued at ``now`` for ``days`` days stops working."""
    problem = lifetime_problem(days)
    if problem is not None:
        raise ValueError(problem)
    return now + timedelta(days=days)


def method_allowed(scope: str, method: str) -> bool:
    """Whether a token of ``scope`` may make a request with this HTTP method."""
    if scope == "write":
        return True
    return scope == "read" and method.upper() in READ_METHODS


def state(*, revoked_at: datetime | None, expires_at: datetime, now: datetime) -> TokenState:
    """Revoked wins over expired: a person revoked it, which says more than the date."""
    if revoked_at is not None:
        return TokenState.REVOKED
    if now >= expires_at:
        return TokenState.EXPIRED
    return TokenState.ACTIVE
