"""Security messages to a person about their own account: a link to choose a new
password, and "a new device signed in".

Queued by :mod:`app.services.password_resets` and :mod:`app.services.sign_in` before they
commit; never commits. Neither kind can be turned off.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.db import db
from app.models import OutboxMessage, User, UserSession
from app.services import outbox
from app.services.session_policy import browser_name
from app.services.sessions import USER_AGENT_LENGTH
from pipelines.messages import DEVICE_MEMORY, is_new_device

#: Stands for the reset link when the message is written for nobody (see
#: :func:`render_password_reset_for_nobody`).
NO_LINK = "https://hireladder.invalid/reset/unknown"


def _reset_context(link: str, expires_at: datetime) -> dict[str, object]:
    return {
        "link": link,
        "expires_at": expires_at,
        "forgot_url": outbox.external_url("auth.forgot_password"),
    }


def queue_password_reset(user: User, *, token: str, expires_at: datetime) -> OutboxMessage:
    """Queue the link to the reset page (the raw token is in this message only)."""
    link = outbox.external_url("auth.reset_password", token=token)
    message = outbox.queue(
        "password_reset",
        outbox.to_user(user),
        _reset_context(link, expires_at),
        about=("user", user.id),
    )
    assert message is not None  # a security message has no preference that drops it
    return message


def queue_welcome(user: User, *, token: str, expires_at: datetime) -> OutboxMessage:
    """Queue the new account's welcome: a link to choose a first password (the raw token
    is in this message only)."""
    link = outbox.external_url("auth.reset_password", token=token)
    message = outbox.queue(
        "account_welcome",
        outbox.to_user(user),
        _reset_context(link, expires_at),
        about=("user", user.id),
    )
    assert message is not None  # an account message has no preference that drops it
    return message


def render_password_reset_for_nobody(address: str, expires_at: datetime) -> None:
    """Write the message for an address with no account, and throw it away: asking for an
    unknown address then costs about what asking for a known one does."""
    outbox.render(
        "password_reset", outbox.Recipient(None, address), _reset_context(NO_LINK, expires_at)
    )


def recent_agents(user: User, now: datetime) -> tuple[bool, list[str | None]]:
    """Whether the account ever signed in, and the user agents of its sessions used
    within :data:`pipelines.messages.DEVICE_MEMORY` (each once)."""
    ever = db.session.scalar(select(UserSession.id).where(UserSession.user_id == user.id).limit(1))
    if ever is None:
        return False, []
    agents = db.session.scalars(
        select(UserSession.user_agent)
        .where(
            UserSession.user_id == user.id,
            UserSession.last_seen_at >= now - DEVICE_MEMORY,
        )
        .distinct()
    )
    return True, list(agents)


def queue_if_new_device(
    user: User, *, now: datetime, address: str | None, user_agent: str | None
) -> bool:
    """Before a sign-in's session is started: queue "a new device signed in" when its
    browser was not seen recently (never for the account's first sign-in). Whether a
    message was queued."""
    agent = (user_agent or "")[:USER_AGENT_LENGTH] or None
    signed_in_before, agents = recent_agents(user, now)
    if not is_new_device(agent, signed_in_before=signed_in_before, recent_agents=agents):
        return False
    outbox.queue(
        "new_device",
        outbox.to_user(user),
        {
            "signed_in_at": now,
            "browser": browser_name(agent),
            "user_agent": agent,
            "address": address or "unknown",
            "account_url": outbox.external_url("auth.account") + "#sessions",
            "forgot_url": outbox.external_url("auth.forgot_password"),
        },
        about=("user", user.id),
    )
    return True
