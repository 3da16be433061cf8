"""API tokens: a random value shown once; only its hash is stored."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.clock import utcnow
from app.db import db
from app.models import ApiToken, User
from app.services import audit
from app.services.errors import is_write_conflict
from app.services.sessions import digest

TOKEN_USE_RESOLUTION = timedelta(hours=1)
PREFIX = "hl_"


def issue(user: User, *, actor: User | None, channel: str = "cli") -> tuple[ApiToken, str]:
    """A new API token for ``user``; the raw value is returned once and never stored."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, token_hash=digest(raw), prefix=raw[:10])
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_token.create",
        actor=actor,
        channel=channel,
        object_type="api_token",
        object_id=token.id,
        summary={"user_id": user.id},
    )
    db.session.commit()
    return token, raw


def revoke(token: ApiToken, *, actor: User | None, channel: str = "cli") -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    audit.record(
        "api_token.revoke",
        actor=actor,
        channel=channel,
        object_type="api_token",
        object_id=token.id,
        summary={"user_id": token.user_id},
    )
    db.session.commit()


def load_user(raw: str) -> User | None:
    if not raw.startswith(PREFIX):
        return None
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest(raw), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.active:
        return None
    user: User = token.user
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
        # Bookkeeping, not a change anyone made: no audit row, at most one write an hour.
        # Two requests with one token at the same moment may race for it; the loser's
        # request goes on without writing (on SQLite its write would be refused).
        token.last_used_at = now
        try:
            db.session.commit()
        except OperationalError as exc:
            db.session.rollback()
            if not is_write_conflict(exc):
                raise
    return user
