"""Whose numbers a viewer sees: admins every requisition's; recruiters and hiring
managers those of their own requisitions; others none."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from app.models import Requisition, Role, User

#: Who may open the hiring reports at all.
REPORT_ROLES = frozenset({Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER})


def may_see_reports(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*REPORT_ROLES)


def requisition_scope(user: User) -> ColumnElement[bool]:
    """A condition on :class:`Requisition` that keeps the requisitions ``user`` may see
    in reports (join it into each report's query)."""
    if user.has_role(Role.ADMIN):
        return true()
    mine: list[ColumnElement[bool]] = []
    if user.has_role(Role.RECRUITER):
        mine.append(Requisition.recruiter_id == user.id)
    if user.has_role(Role.HIRING_MANAGER):
        mine.append(Requisition.hiring_manager_id == user.id)
    return or_(*mine) if mine else false()


__all__ = ["REPORT_ROLES", "may_see_reports", "requisition_scope"]
