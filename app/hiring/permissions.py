"""Who may see and act on hiring objects. Objects a user may not see are a 404."""

from __future__ import annotations

from typing import Any

from app.models import Requisition, Role


def can_view_requisition(user: Any, requisition: Requisition) -> bool:
    return bool(
        user.has_role(Role.ADMIN, Role.RECRUITER) or user.id == requisition.hiring_manager_id
    )


def can_edit_requisition(user: Any, requisition: Requisition | None = None) -> bool:
    return bool(user.has_role(Role.ADMIN, Role.RECRUITER))


def can_move_applications(user: Any, requisition: Requisition) -> bool:
    """Recruiters and admins move candidates; the hiring manager too (and overrides)."""
    return can_view_requisition(user, requisition)


def can_view_cv(user: Any, requisitions: list[Requisition]) -> bool:
    if user.has_role(Role.ADMIN, Role.RECRUITER):
        return True
    return any(user.id == r.hiring_manager_id for r in requisitions)
