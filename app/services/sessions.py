"""Sign-in sessions: the cookie names a session row; only the token's hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update

from app.clock import utcnow
from app.db import db
from app.models import User, UserSession
from app.services import audit


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, now: datetime | None = None) -> str:
    """Open a sign-in session for ``user`` (the caller commits); return its token."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user_id=user.id, token_hash=digest(token), created_at=now or utcnow())
    )
    return token


def load_user(token: str) -> User | None:
    """The user of a live sign-in session, or None if it was ended or revoked."""
    row = db.session.scalar(
        select(UserSession).where(
            UserSession.token_hash == digest(token), UserSession.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.active:
        return None
    row.user.current_session_token = token
    return row.user


def sign_out(user: User, token: str | None) -> None:
    if token is not None:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == digest(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    audit.record("auth.sign_out", actor=user, object_type="user", object_id=user.id, summary={})
    db.session.commit()


def end_all(user: User) -> None:
    """End every session of ``user`` (the caller commits)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def sign_out_everywhere(user: User, *, actor: User | None, channel: str = "web") -> None:
    end_all(user)
    audit.record(
        "auth.sign_out_everywhere",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={},
    )
    db.session.commit()
