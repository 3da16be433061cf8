"""API tokens: a random value shown once; only its hash is stored.

Each token has a scope (``read``: GET, HEAD and OPTIONS only; ``write``: everything its
owner may do), an expiry (90 days unless asked otherwise, at most 365) and the time and
source address of its last use. The rules are in :mod:`app.services.token_rules`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import g
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from app.clock import utcnow
from app.db import db
from app.models import ApiToken, TokenScope, User
from app.services import audit, token_rules
from app.services.errors import ServiceError, is_write_conflict
from app.services.sessions import digest
from app.services.token_rules import TokenState

TOKEN_USE_RESOLUTION = timedelta(hours=1)
PREFIX = "hl_"
NOT_VALID = (
    "The API token is not valid. Send 'Authorization: Bearer <token>' with a token from "
    "'flask users token EMAIL'."
)


class TokenRefused(ServiceError):
    """A presented token that does not authenticate; the message says why (for a 401)."""


def issue(
    user: User,
    *,
    actor: User | None,
    channel: str = "cli",
    scope: str = TokenScope.WRITE,
    days: int = token_rules.DEFAULT_LIFETIME_DAYS,
) -> tuple[ApiToken, str]:
    """A new API token for ``user``; the raw value is returned once and never stored.

    Raises ServiceError for a scope that does not exist or a lifetime out of bounds.
    """
    problem = token_rules.scope_problem(scope) or token_rules.lifetime_problem(days)
    if problem is not None:
        raise ServiceError(problem)
    now = utcnow()
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        token_hash=digest(raw),
        prefix=raw[:10],
        created_at=now,
        scope=TokenScope(scope),
        expires_at=token_rules.expires_at(now, days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_token.create",
        actor=actor,
        channel=channel,
        object_type="api_token",
        object_id=token.id,
        summary=_summary(token),
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
        summary=_summary(token),
    )
    db.session.commit()


def _summary(token: ApiToken) -> dict[str, object]:
    return {
        "user_id": token.user_id,
        "scope": str(token.scope),
        "expires_at": token.expires_at.isoformat(timespec="seconds"),
    }


def state(token: ApiToken) -> TokenState:
    """Active, expired or revoked, now."""
    return token_rules.state(revoked_at=token.revoked_at, expires_at=token.expires_at, now=utcnow())


def authenticate(raw: str, *, address: str | None = None) -> ApiToken:
    """The token ``raw`` names, if it may be used now; else TokenRefused saying why.

    Records the time and source address of the use, at most once an hour per token.
    """
    if not raw.startswith(PREFIX):
        raise TokenRefused(NOT_VALID)
    # One statement: the token by its unique hash, its user and the user's roles.
    token = (
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.token_hash == digest(raw))
            .options(joinedload(ApiToken.user).joinedload(User.roles))
        )
        .unique()
        .first()
    )
    if token is None:
        raise TokenRefused(NOT_VALID)
    now = utcnow()
    match token_rules.state(revoked_at=token.revoked_at, expires_at=token.expires_at, now=now):
        case TokenState.REVOKED:
            assert token.revoked_at is not None
            raise TokenRefused(
                f"The API token {token.prefix}… was revoked on "
                f"{token.revoked_at:%Y-%m-%d %H:%M} UTC. Ask for a new one."
            )
        case TokenState.EXPIRED:
            raise TokenRefused(
                f"The API token {token.prefix}… expired on {token.expires_at:%Y-%m-%d %H:%M} "
                "UTC. Ask for a new one ('flask users token EMAIL --days N')."
            )
    if not token.user.active:
        raise TokenRefused("The account this API token belongs to is deactivated.")
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
        # Bookkeeping, not a change anyone made: no audit row, at most one write an hour.
        # Two requests with one token at the same moment may race for it; the loser's
        # request goes on without writing (on SQLite its write would be refused).
        token.last_used_at = now
        token.last_used_address = (address or "")[:64] or None
        try:
            db.session.commit()
        except OperationalError as exc:
            db.session.rollback()
            if not is_write_conflict(exc):
                raise
    return token


#: Where a request keeps the outcome of checking its bearer token (flask.g).
_CHECKED = "hireladder_api_token"


def authenticate_request(raw: str, *, address: str | None = None) -> ApiToken:
    """:func:`authenticate`, once per request: the sign-in loader and the API's own check
    both ask, and the second is answered from what the first found (or refused)."""
    checked: tuple[str, ApiToken | TokenRefused] | None = g.get(_CHECKED)
    if checked is None or checked[0] != raw:
        try:
            outcome: ApiToken | TokenRefused = authenticate(raw, address=address)
        except TokenRefused as exc:
            outcome = exc
        checked = (raw, outcome)
        setattr(g, _CHECKED, checked)
    if isinstance(checked[1], TokenRefused):
        raise checked[1]
    return checked[1]


def load_user(raw: str, *, address: str | None = None) -> User | None:
    """The owner of a token that may be used now, or None."""
    try:
        token = authenticate_request(raw, address=address)
    except TokenRefused:
        return None
    user: User = token.user
    return user
