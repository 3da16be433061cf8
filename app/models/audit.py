"""The audit log: one row per state change, authentication event, read of personal data,
refused access or failed CSRF check.

Rows are written once: the database refuses to change or delete them (triggers of
migration 0009), except setting ``actor_id`` to NULL when a user row is deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.db import db
from app.models.columns import UTCDateTime
from app.models.user import User

#: Longest stored address (an IPv6 address with a zone is at most 45 characters) and user
#: agent; longer values are cut, never refused.
ADDRESS_LENGTH = 64
USER_AGENT_LENGTH = 256


class AuditEvent(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # "web", "cli", "api" or "system": where the change came from.
    channel: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    # {"field": {"before": ..., "after": ...}} or other facts; never personal data.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Where the request came from (None for the CLI and background work): the client
    # address as the app sees it (behind a proxy, through ProxyFix) and its user agent.
    address: Mapped[str | None] = mapped_column(String(ADDRESS_LENGTH), index=True)
    user_agent: Mapped[str | None] = mapped_column(String(USER_AGENT_LENGTH))

    actor: Mapped[User | None] = relationship(lazy="raise")
