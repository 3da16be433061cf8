"""Sign-in sessions: the cookie names a session row; only the token's hash is stored.

Every request checks the row: ended, idle too long or too old means signed out
(the rules are in :mod:`app.services.session_policy`, the lengths in the config).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import String, bindparam, select, true, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload, lazyload

from app import clock
from app.db import db
from app.models import User, UserSession
from app.services import audit
from app.services.errors import ServiceError, is_write_conflict
from app.services.session_policy import SessionPolicy, end_reason

#: At most this many sessions are listed to their owner (the newest).
LISTED = 50
#: How much of a session's source address and user agent is kept.
ADDRESS_LENGTH = 64
USER_AGENT_LENGTH = 256


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def policy() -> SessionPolicy:
    cfg = current_app.config
    return SessionPolicy(
        idle=cfg["SESSION_IDLE_TIMEOUT"],
        absolute=cfg["SESSION_ABSOLUTE_LIFETIME"],
        remember=cfg["SESSION_REMEMBER_LIFETIME"],
    )


def start(
    user: User,
    now: datetime | None = None,
    *,
    remember: bool = False,
    address: str | None = None,
    user_agent: str | None = None,
) -> str:
    """Open a sign-in session for ``user`` (the caller commits); return its token."""
    token = secrets.token_urlsafe(32)
    now = now or clock.utcnow()
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=digest(token),
            created_at=now,
            last_seen_at=now,
            remember=remember,
            address=address[:ADDRESS_LENGTH] if address else None,
            user_agent=user_agent[:USER_AGENT_LENGTH] if user_agent else None,
        )
    )
    return token


@dataclass(frozen=True)
class Check:
    """The outcome of looking up a session token: its user, or why there is none."""

    user: User | None
    ended: str | None = None  # "idle" or "expired" when it ended just now
    remembered: bool = False


#: Every request's lookup: the session row by its unique hash, its user and the user's
#: roles (joined, rather than a second query for the roles). Built once: building it and
#: its loader options anew cost more than the database's answer.
_LIVE_SESSION = (
    select(UserSession)
    .where(
        UserSession.token_hash == bindparam("token_hash", type_=String),
        UserSession.revoked_at.is_(None),
    )
    .options(joinedload(UserSession.user).joinedload(User.roles))
)


def check(token: str, now: datetime | None = None) -> Check:
    """The user of a live session; a session found idle or too old is ended here."""
    row = db.session.scalars(_LIVE_SESSION, {"token_hash": digest(token)}).unique().first()
    if row is None or not row.user.active:
        return Check(None)
    now = now or clock.utcnow()
    reason = _reason(policy(), row, now)
    if reason is not None:
        row.revoked_at = now
        row.end_reason = reason
        audit.record(
            "auth.session_end",
            actor=None,
            channel="system",
            object_type="user",
            object_id=row.user_id,
            summary={"session_id": row.id, "reason": reason},
        )
        _commit_bookkeeping()
        return Check(None, reason, row.remember)
    user = row.user
    if now - row.last_seen_at >= current_app.config["SESSION_TOUCH_INTERVAL"]:
        # At most one write a minute per session: the idle clock needs no finer grain.
        row.last_seen_at = now
        _commit_bookkeeping()
    user.current_session_token = token
    user.current_session_id = row.id
    return Check(user)


def load_user(token: str) -> User | None:
    """The user of a live sign-in session, or None if it was ended, revoked or is over."""
    return check(token).user


def _commit_bookkeeping() -> None:
    """Commit a session's own bookkeeping; a concurrent request of the same session may
    win the race for it, and then this one goes on without writing."""
    try:
        db.session.commit()
    except OperationalError as exc:
        db.session.rollback()
        if not is_write_conflict(exc):
            raise


def live(user: User, now: datetime | None = None) -> list[UserSession]:
    """The user's sessions that are still accepted, newest first (at most ``LISTED``)."""
    now = now or clock.utcnow()
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.created_at.desc(), UserSession.id.desc())
        .limit(LISTED)
        .options(lazyload(UserSession.user))  # the caller has the user already
    )
    rules = policy()
    return [row for row in rows if _reason(rules, row, now) is None]


def _reason(rules: SessionPolicy, row: UserSession, now: datetime) -> str | None:
    return end_reason(
        rules, started=row.created_at, last_seen=row.last_seen_at, remember=row.remember, now=now
    )


def _end(where: object, reason: str) -> int:
    result = db.session.execute(
        update(UserSession)
        .where(where, UserSession.revoked_at.is_(None))  # type: ignore[arg-type]
        .values(revoked_at=clock.utcnow(), end_reason=reason)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def sign_out(user: User, token: str | None) -> None:
    if token is not None:
        _end(UserSession.token_hash == digest(token), "sign_out")
    audit.record("auth.sign_out", actor=user, object_type="user", object_id=user.id, summary={})
    db.session.commit()


def end_all(user: User, *, reason: str, keep_token: str | None = None) -> int:
    """End every session of ``user`` but the one of ``keep_token`` (the caller commits).

    Remember-me cookies name a session too, so they stop working with it.
    """
    where = UserSession.user_id == user.id
    if keep_token is not None:
        where = where & (UserSession.token_hash != digest(keep_token))
    return _end(where, reason)


def end_one(user: User, session_id: int, *, actor: User) -> None:
    """End one of the user's own sessions (from another of them)."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        raise ServiceError("There is no such session of yours.")
    if row.revoked_at is not None:
        return
    _end(UserSession.id == row.id, "ended")
    audit.record(
        "auth.session_end",
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary={"session_id": row.id, "reason": "ended"},
    )
    db.session.commit()


def sign_out_everywhere(user: User, *, actor: User | None, channel: str = "web") -> int:
    """End every session of ``user``: by themselves, or by an admin (``reason`` admin)."""
    by_admin = actor is not None and actor.id != user.id
    count = end_all(user, reason="admin" if by_admin else "sign_out")
    audit.record(
        "auth.sign_out_everywhere",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={"sessions": count, "by_admin": by_admin},
    )
    db.session.commit()
    return count


def end_everyones(*, actor: User | None, channel: str = "cli") -> int:
    """End every session of every account (after a suspected breach, say)."""
    count = _end(true(), "admin")
    audit.record(
        "auth.sign_out_all_users",
        actor=actor,
        channel=channel,
        summary={"sessions": count},
    )
    db.session.commit()
    return count
