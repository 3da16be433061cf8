"""The one helper every state change goes through to reach the audit log."""

from __future__ import annotations

from typing import Any

from app.db import db
from app.models import AuditEvent, User


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{"field": {"before": b, "after": a}}`` for the fields that differ."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    action: str,
    *,
    actor: User | None,
    channel: str = "web",
    object_type: str | None = None,
    object_id: object | None = None,
    summary: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit row to the current transaction; the caller's service commits.

    ``summary`` must not hold personal data (names, e-mail addresses, free text written
    about a person): refer to people by id.
    """
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        channel=channel,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        summary=summary or {},
    )
    db.session.add(event)
    return event
