"""Sign-in with a password, throttled per account-and-address and per address.

Each attempt is counted before its password is looked at, by one atomic upsert per
counter that is committed at once: parallel attempts each see their own number, so no
more than the limit are ever checked. Counting per account *and* address means that
failures from one address never stop the owner signing in from another; the looser
per-address counter stops one address trying many accounts.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from flask import current_app
from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from app.clock import utcnow
from app.db import db
from app.models import SignInCounter, User
from app.services import account_messages, accounts, audit, mfa, sessions
from app.services.errors import is_write_conflict
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
BUSY = "Too many sign-in attempts at this moment. Try again in a few seconds."


def _key(kind: str, *parts: str) -> str:
    # Hashed: the counters table keeps no e-mail address and no IP address.
    return hashlib.sha256("\x1f".join((kind, *parts)).encode()).hexdigest()


def account_key(email: str, address: str) -> str:
    return _key("account+address", accounts.normalize_email(email), address)


def address_key(address: str) -> str:
    return _key("address", address)


def _count(key: str, now: datetime) -> tuple[int, datetime]:
    """Add one attempt to the counter ``key``; its count (this attempt included) and the
    start of its window. A window that has passed starts again at one."""
    window = current_app.config["LOGIN_THROTTLE_WINDOW"]
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    over = SignInCounter.window_started_at <= now - window
    statement = (
        insert(SignInCounter)
        .values(key=key, attempts=1, window_started_at=now)
        .on_conflict_do_update(
            index_elements=[SignInCounter.key],
            set_={
                "attempts": case((over, 1), else_=SignInCounter.attempts + 1),
                "window_started_at": case((over, now), else_=SignInCounter.window_started_at),
            },
        )
        .returning(SignInCounter.attempts, SignInCounter.window_started_at)
    )
    attempts, started = db.session.execute(statement).one()
    return int(attempts), started


def count_attempt(email: str, address: str, now: datetime) -> datetime | None:
    """Count an attempt for ``email`` from ``address`` and commit the count; when this
    attempt is over a limit, the time sign-in is allowed again (else None)."""
    cfg = current_app.config
    window = cfg["LOGIN_THROTTLE_WINDOW"]

    def count() -> tuple[datetime | None, datetime | None]:
        by_account = locked_until(
            *_count(account_key(email, address), now),
            limit=cfg["LOGIN_THROTTLE_ACCOUNT_LIMIT"],
            window=window,
        )
        by_address = locked_until(
            *_count(address_key(address), now),
            limit=cfg["LOGIN_THROTTLE_ADDRESS_LIMIT"],
            window=window,
        )
        return by_account, by_address

    try:
        found = _write(count)
    except OperationalError as exc:
        if not is_write_conflict(exc):
            raise
        return now  # SQLite, overwhelmed: refuse rather than check uncounted
    until = [t for t in found if t is not None]
    return max(until) if until else None


WRITE_TRIES = 5
T = TypeVar("T")


def _write(action: Callable[[], T]) -> T:
    """Run ``action`` (which writes) and commit, starting again when SQLite refuses the
    write because a parallel attempt committed since this transaction began reading."""
    db.session.commit()  # end any read transaction: the write starts a fresh one
    for attempt in range(WRITE_TRIES):
        try:
            result = action()
            db.session.commit()
        except OperationalError as exc:
            db.session.rollback()
            if not is_write_conflict(exc) or attempt == WRITE_TRIES - 1:
                raise
            time.sleep(0.005 * (attempt + 1) * (1 + secrets.randbelow(10)))
        else:
            return result
    raise AssertionError("unreachable")


def forgive(email: str, address: str) -> None:
    """After a success: the account's failures from this address are forgotten, and the
    address's counter gives back this attempt (the caller commits)."""
    mine = account_key(email, address)
    db.session.execute(delete(SignInCounter).where(SignInCounter.key == mine))
    db.session.execute(
        update(SignInCounter)
        .where(SignInCounter.key == address_key(address), SignInCounter.attempts > 0)
        .values(attempts=SignInCounter.attempts - 1)
    )


def sign_in(
    email: str,
    password: str,
    *,
    address: str,
    now: datetime | None = None,
    remember: bool = False,
    user_agent: str | None = None,
) -> SignInResult:
    """Check a password, with throttling per account-and-address and per address.

    The same work is done whether the account exists or not: one counted attempt, one
    argon2 verification (against a stand-in hash for an unknown e-mail), one audit row.
    """
    now = now or utcnow()
    email = accounts.normalize_email(email)
    address = address[:64]
    until = count_attempt(email, address, now)
    user = accounts.get_user_by_email(email)
    user_id = user.id if user else None
    if until is not None:
        _write(lambda: _audit_attempt("auth.sign_in_throttled", user_id))
        return SignInResult(None, _refusal(until, now))
    ok = verify_password(user.password_hash if user else None, password)
    if ok and user is not None and not user.active:
        ok = False
        failure = "This account has been deactivated. Ask an administrator to reactivate it."
    else:
        failure = GENERIC_FAILURE
    if ok and user is not None and mfa.is_enabled(user):
        return _second_step_needed(user, password)
    if not ok or user is None:
        _write(lambda: _audit_attempt("auth.sign_in_failed", user_id))
        return SignInResult(None, failure)
    signed_in = user

    def succeed() -> str:
        forgive(email, address)
        if signed_in.password_hash and needs_rehash(signed_in.password_hash):
            signed_in.password_hash = hash_password(password)
        new_device = account_messages.queue_if_new_device(
            signed_in, now=now, address=address, user_agent=user_agent
        )
        token = sessions.start(
            signed_in, now, remember=remember, address=address, user_agent=user_agent
        )
        audit.record(
            "auth.sign_in",
            actor=signed_in,
            object_type="user",
            object_id=signed_in.id,
            summary={"remember": remember, "new_device": new_device},
        )
        return token

    return SignInResult(user, None, _write(succeed))


def _audit_attempt(action: str, user_id: int | None) -> None:
    audit.record(
        action,
        actor=None,
        object_type="user" if user_id is not None else None,
        object_id=user_id,
        summary={},
    )


# --- the second step (two-step sign-in) ----------------------------------------------


def _second_step_needed(user: User, password: str) -> SignInResult:
    """Password right, code still to come. The password attempt stays counted (nothing is
    forgiven before the code), so the password and every code share one limit."""

    def rehash() -> None:
        if user.password_hash and needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)

    _write(rehash)
    return SignInResult(user, None, second_step=True)


def _refusal(until: datetime, now: datetime) -> str:
    if until == now:
        return BUSY
    return f"Too many failed sign-in attempts. Try again {describe_wait(until, now)}."


def second_step_attempt(user: User, *, address: str, now: datetime | None = None) -> str | None:
    """Count one try of a code (or of a password or code given as proof on the account
    page) in the account-and-address throttle, before it is checked; why it is refused,
    or None."""
    now = now or utcnow()
    user_id, email = user.id, user.email
    until = count_attempt(email, address[:64], now)
    if until is None:
        return None
    _write(lambda: _audit_attempt("auth.sign_in_throttled", user_id))
    return _refusal(until, now)


def second_step_failed(user: User, *, address: str, now: datetime | None = None) -> None:
    """A wrong code (already counted by :func:`second_step_attempt`): audited as a failed
    sign-in of the account."""
    user_id = user.id
    _write(
        lambda: audit.record(
            "auth.sign_in_failed",
            actor=None,
            object_type="user",
            object_id=user_id,
            summary={"mfa": True},
        )
    )


def complete_second_step(
    user: User,
    *,
    address: str,
    method: str,
    now: datetime | None = None,
    remember: bool = False,
    user_agent: str | None = None,
) -> SignInResult:
    """The code was right: forgive the attempts and start the session."""
    now = now or utcnow()
    address = address[:64]

    def succeed() -> str:
        forgive(user.email, address)
        new_device = account_messages.queue_if_new_device(
            user, now=now, address=address, user_agent=user_agent
        )
        token = sessions.start(user, now, remember=remember, address=address, user_agent=user_agent)
        audit.record(
            "auth.sign_in",
            actor=user,
            object_type="user",
            object_id=user.id,
            summary={
                "remember": remember,
                "mfa": True,
                "method": method,
                "new_device": new_device,
            },
        )
        return token

    return SignInResult(user, None, _write(succeed))
