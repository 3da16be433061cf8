"""Sign-in with a password, throttled per account and per address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from app.clock import utcnow
from app.db import db
from app.models import LoginAttempt, User
from app.services import accounts, audit, mfa, sessions
from app.services.passwords import hash_password, needs_rehash, verify_password
from app.services.throttle import describe_wait, locked_until


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    error: str | None
    session_token: str | None = None
    # The password was right and the account uses two-step sign-in: no session yet;
    # complete_second_step() starts it once a code is right.
    second_step: bool = False


GENERIC_FAILURE = "E-mail address or password is not right."


def _failures_since_last_success(column: object, value: str, since: datetime) -> list[datetime]:
    last_success = (
        select(func.max(LoginAttempt.attempted_at))
        .where(column == value, LoginAttempt.succeeded.is_(True))  # type: ignore[operator]
        .scalar_subquery()
    )
    rows = db.session.scalars(
        select(LoginAttempt.attempted_at).where(
            column == value,  # type: ignore[operator]
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at >= since,
            (last_success.is_(None)) | (LoginAttempt.attempted_at > last_success),
        )
    )
    return list(rows)


def _throttled_until(email: str, address: str, now: datetime) -> datetime | None:
    cfg = current_app.config
    window = cfg["LOGIN_THROTTLE_WINDOW"]
    since = now - window
    by_account = locked_until(
        _failures_since_last_success(LoginAttempt.email, email, since),
        now=now,
        limit=cfg["LOGIN_THROTTLE_ACCOUNT_LIMIT"],
        window=window,
    )
    address_failures = db.session.scalars(
        select(LoginAttempt.attempted_at).where(
            LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at >= since,
        )
    )
    by_address = locked_until(
        list(address_failures),
        now=now,
        limit=cfg["LOGIN_THROTTLE_ADDRESS_LIMIT"],
        window=window,
    )
    candidates = [t for t in (by_account, by_address) if t is not None]
    return max(candidates) if candidates else None


def sign_in(
    email: str, password: str, *, address: str, now: datetime | None = None
) -> SignInResult:
    """Check a password, with throttling per account and per address.

    Every attempt is counted in the database, so several server processes share the
    count. A throttled attempt is refused before the password is looked at.
    """
    now = now or utcnow()
    email = accounts.normalize_email(email)
    address = address[:64]
    until = _throttled_until(email, address, now)
    user = accounts.get_user_by_email(email)
    if until is not None:
        audit.record(
            "auth.sign_in_throttled",
            actor=None,
            object_type="user" if user else None,
            object_id=user.id if user else None,
            summary={},
        )
        db.session.commit()
        return SignInResult(
            None,
            f"Too many failed sign-in attempts. Try again {describe_wait(until, now)}.",
        )
    ok = verify_password(user.password_hash if user else None, password)
    if ok and user is not None and not user.active:
        ok = False
        failure = "This account has been deactivated. Ask an administrator to reactivate it."
    else:
        failure = GENERIC_FAILURE
    if ok and user is not None and mfa.is_enabled(user):
        return _second_step_needed(user, password)
    db.session.add(LoginAttempt(email=email, address=address, succeeded=ok, attempted_at=now))
    if not ok or user is None:
        audit.record(
            "auth.sign_in_failed",
            actor=None,
            object_type="user" if user else None,
            object_id=user.id if user else None,
            summary={},
        )
        db.session.commit()
        return SignInResult(None, failure)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token = sessions.start(user, now)
    audit.record("auth.sign_in", actor=user, object_type="user", object_id=user.id, summary={})
    db.session.commit()
    return SignInResult(user, None, token)


# --- the second step (two-step sign-in) ----------------------------------------------


def _second_step_needed(user: User, password: str) -> SignInResult:
    """Password right, code still to come. No success is counted yet: a success ends the
    account's run of failures, which would let wrong codes go on for ever."""
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    return SignInResult(user, None, second_step=True)


def second_step_throttled(user: User, *, address: str, now: datetime | None = None) -> str | None:
    """Why no code may be tried now (the sign-in throttle of the account and address),
    or None."""
    now = now or utcnow()
    until = _throttled_until(user.email, address[:64], now)
    if until is None:
        return None
    return f"Too many failed sign-in attempts. Try again {describe_wait(until, now)}."


def second_step_failed(user: User, *, address: str, now: datetime | None = None) -> None:
    """A wrong code counts as a failed sign-in of the account from ``address``."""
    now = now or utcnow()
    db.session.add(
        LoginAttempt(email=user.email, address=address[:64], succeeded=False, attempted_at=now)
    )
    audit.record(
        "auth.sign_in_failed",
        actor=None,
        object_type="user",
        object_id=user.id,
        summary={"mfa": True},
    )
    db.session.commit()


def complete_second_step(
    user: User, *, address: str, method: str, now: datetime | None = None
) -> SignInResult:
    """The code was right: count the success and start the session."""
    now = now or utcnow()
    db.session.add(
        LoginAttempt(email=user.email, address=address[:64], succeeded=True, attempted_at=now)
    )
    token = sessions.start(user, now)
    audit.record(
        "auth.sign_in",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary={"mfa": True, "method": method},
    )
    db.session.commit()
    return SignInResult(user, None, token)
