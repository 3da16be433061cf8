"""Single-use links to choose a new password, valid for a short time.

A person asks for one on the sign-in page ("Forgot your password?") and gets it by e-mail
(:func:`request_by_email`); an admin can also print one with `flask users reset-link
EMAIL` and pass it on. The link carries a random token of which only the hash is stored.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.clock import utcnow
from app.db import db
from app.models import PasswordReset, User
from app.services import account_messages, accounts, audit, sessions
from app.services.errors import ServiceError, commit_or_conflict
from app.services.passwords import hash_password
from app.services.sessions import digest

#: A link asked for by e-mail within this time of the last one is not replaced: the
#: earlier message is still on its way, and a stranger asking again and again for someone
#: else's address neither floods that inbox nor keeps spoiling the link it holds.
REQUEST_INTERVAL = timedelta(minutes=2)


def _add(
    user: User, *, actor: User | None, channel: str, now: datetime
) -> tuple[str, PasswordReset]:
    """A new reset row for ``user`` (the caller commits); earlier unused ones stop
    working. Returns the raw token and the row."""
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
    return token, row


def issue(user: User, *, actor: User | None, channel: str = "cli") -> str:
    """A new reset token for ``user``, for an admin to pass on; earlier unused ones stop
    working."""
    token, _row = _add(user, actor=actor, channel=channel, now=utcnow())
    db.session.commit()
    return token


#: How long the link in a new account's welcome works: the new member may read it days
#: before they start (they ask for another on the sign-in page after that).
WELCOME_LIFETIME = timedelta(days=14)


def queue_welcome(user: User, *, actor: User | None, channel: str, now: datetime) -> None:
    """A new account (made for a hire, without a password) gets its welcome with a link to
    choose a password, queued with the change (the caller commits)."""
    token, row = _add(user, actor=actor, channel=channel, now=now)
    row.expires_at = now + WELCOME_LIFETIME
    account_messages.queue_welcome(user, token=token, expires_at=row.expires_at)


def request_by_email(email: str, *, now: datetime | None = None) -> None:
    """Someone asked for a link on the sign-in page: an active account with this address
    gets one by e-mail (queued with the new link, in one commit).

    The caller answers the same whatever happened here, and about the same work is done
    either way (the message is written even for an address with no account), so the
    answer does not tell who has an account.
    """
    now = now or utcnow()
    user = accounts.get_user_by_email(email)
    expires_at = now + current_app.config["PASSWORD_RESET_LIFETIME"]
    if user is None or not user.active:
        account_messages.render_password_reset_for_nobody(
            accounts.normalize_email(email), expires_at
        )
        audit.record("auth.password_reset_unknown", actor=None, channel="web", summary={})
        db.session.commit()
        return
    recent = db.session.scalar(
        select(PasswordReset.id).where(
            PasswordReset.user_id == user.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.created_at > now - REQUEST_INTERVAL,
        )
    )
    if recent is not None:
        audit.record(
            "auth.password_reset_repeated",
            actor=None,
            channel="web",
            object_type="user",
            object_id=user.id,
            summary={"reset_id": recent},
        )
        db.session.commit()
        return
    token, row = _add(user, actor=None, channel="web", now=now)
    account_messages.queue_password_reset(user, token=token, expires_at=row.expires_at)
    db.session.commit()


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
