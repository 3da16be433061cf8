"""The audit log: one row per state change, authentication event, read of personal data,
refused access or failed CSRF check.

Rows are written once: the database refuses to change or delete them (triggers of
migration 0009), except setting ``actor_id`` to NULL when a user row is deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
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
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # "web", "cli", "api" or "system": where the change came from.
    channel: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    # {"field": {"before": ..., "after": ...}} or other facts; never personal data.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Where the request came from (None for the CLI and background work): the client
    # address as the app sees it (behind a proxy, through ProxyFix) and its user agent.
    address: Mapped[str | None] = mapped_column(String(ADDRESS_LENGTH))
    user_agent: Mapped[str | None] = mapped_column(String(USER_AGENT_LENGTH))

    actor: Mapped[User | None] = relationship(lazy="raise")

    # The audit log (newest first, by a (moment, id) cursor) filtered by each of its
    # filters: one index per filter, ending with the list's order, so that a page is a
    # short walk of one index whatever the log holds. The actor's also serves the
    # foreign key (a deleted user's rows), the object's the histories of one object (an
    # offer's, a candidate's export), the action's the kinds and the prefix filter.
    __table_args__ = (
        Index("ix_audit_events_occurred", "occurred_at", "id"),
        Index("ix_audit_events_actor_occurred", "actor_id", "occurred_at", "id"),
        Index("ix_audit_events_object", "object_type", "object_id", "occurred_at", "id"),
        Index("ix_audit_events_address_occurred", "address", "occurred_at", "id"),
        # Pattern operators on PostgreSQL, so that an action's prefix (LIKE 'auth.%') is a
        # range of the index whatever the database's collation (equality works as well).
        Index(
            "ix_audit_events_action_occurred",
            "action",
            "occurred_at",
            "id",
            postgresql_ops={"action": "varchar_pattern_ops"},
        ),
    )
