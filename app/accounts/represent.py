"""JSON representations of accounts and audit rows for the admin's API lists (the shapes
app/accounts/openapi.py describes)."""

from __future__ import annotations

from typing import Any

from app.models import AuditEvent, User


def admin_user(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "roles": sorted(str(r.role) for r in user.roles),
        "active": user.active,
        "is_demo": user.is_demo,
        "level_id": user.level_id,
        "created_at": user.created_at.isoformat(),
    }


def audit_event(event: AuditEvent) -> dict[str, Any]:
    actor = event.actor
    return {
        "id": event.id,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": None if actor is None else {"id": actor.id, "name": actor.display_name},
        "channel": event.channel,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "address": event.address,
        "user_agent": event.user_agent,
        "summary": event.summary,
    }
