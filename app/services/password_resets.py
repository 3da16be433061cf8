"""Single-use links to choose a new password, valid for a short time.

Issued from the admin CLI (`flask users reset-link EMAIL`) until HireLadder sends
e-mail; the link carries a random token of which only the hash is stored.
"""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import select, update

from app.clock import utcnow
from app.db import db
from app.models import PasswordReset, User
from app.services import accounts, audit, sessions
from app.services.errors import ServiceError, commit_or_conflict
from app.services.passwords import hash_password
from app.services.sessions import digest


def issue(user: User, *, actor: User | None, channel: str = "cli") -> str:
    """A new reset token for ``user``; earlier unused ones stop working."""
    now = utcnow()
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    row = PasswordReset(
        user_id=user.id,
        token_hash=digest(token),
        created_at=now,
        expires_at=now + current_app.config["PASSWORD_RESET_LIFETIME"],
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "user.password_reset_issued",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={"reset_id": row.id},
    )
    db.session.commit()
    return token


def find(token: str) -> PasswordReset | None:
    """The reset a token names, if it is unused, unexpired and its account active."""
    if len(token) > 100:
        return None
    row = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == digest(token)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row if row.user.active else None


def use(token: str, new_password: str) -> User:
    """Set the new password, spend the link and end every session of the account."""
    row = find(token)
    if row is None:
        raise ServiceError("This link has expired or has been used. Ask for a new one.")
    user = row.user
    if problem := accounts.password_problem(user, new_password):
        raise ServiceError(f"Password not accepted: {problem}")
    # Spend the link first, atomically: of two simultaneous uses only one finds it unused.
    spent = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == row.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if not spent.rowcount:  # type: ignore[attr-defined]
        db.session.rollback()
        raise ServiceError("This link has expired or has been used. Ask for a new one.")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    ended = sessions.end_all(user, reason="password")
    audit.record(
        "user.password_reset",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary={"reset_id": row.id, "sessions_ended": ended},
    )
    commit_or_conflict("Your account")
    return user
