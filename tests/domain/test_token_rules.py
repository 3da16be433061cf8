"""API token rules: scopes, lifetimes, states (pure, no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from app.services.token_rules import (
    DEFAULT_LIFETIME_DAYS,
    MAX_LIFETIME_DAYS,
    TokenState,
    expires_at,
    lifetime_problem,
    method_allowed,
    scope_problem,
    state,
)

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_the_default_lifetime_is_90_days_and_the_longest_a_year():
    assert (DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS) == (90, 365)
    assert expires_at(NOW, DEFAULT_LIFETIME_DAYS) == NOW + timedelta(days=90)
    assert expires_at(NOW, 365) == NOW + timedelta(days=365)


@pytest.mark.parametrize(
    ("days", "problem"),
    [
        (0, "at least 1 day, not 0"),
        (-5, "at least 1 day, not -5"),
        (366, "at most 365 days, not 366"),
        (10_000, "at most 365 days"),
    ],
)
def test_lifetimes_out_of_bounds_are_refused_with_the_bound(days, problem):
    found = lifetime_problem(days)
    assert found is not None and problem in found
    with pytest.raises(ValueError, match=problem):
        expires_at(NOW, days)


@pytest.mark.parametrize("days", [1, 30, 90, 365])
def test_lifetimes_within_bounds_pass(days):
    assert lifetime_problem(days) is None


def test_only_read_and_write_are_scopes():
    assert scope_problem("read") is None and scope_problem("write") is None
    problem = scope_problem("admin")
    assert problem is not None and "read, write" in problem and "'admin'" in problem


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "get"])
def test_a_read_token_may_read(method):
    assert method_allowed("read", method)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
def test_a_read_token_may_not_write(method):
    assert not method_allowed("read", method)


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_a_write_token_may_do_both(method):
    assert method_allowed("write", method)


def test_an_unknown_scope_allows_nothing():
    assert not method_allowed("", "GET")
    assert not method_allowed("admin", "GET")


def test_state_is_expired_from_the_expiry_on_and_revoked_wins():
    later = NOW + timedelta(days=1)
    assert state(revoked_at=None, expires_at=later, now=NOW) is TokenState.ACTIVE
    assert state(revoked_at=None, expires_at=NOW, now=NOW) is TokenState.EXPIRED
    assert state(revoked_at=None, expires_at=NOW, now=later) is TokenState.EXPIRED
    assert state(revoked_at=NOW, expires_at=NOW, now=later) is TokenState.REVOKED
    assert state(revoked_at=NOW, expires_at=later, now=NOW) is TokenState.REVOKED
