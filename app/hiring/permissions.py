"""Who may see and act on hiring objects. Objects a user may not see are a 404.

The rule "which requisitions may this user see" is written here once, as a predicate for
one requisition and as the same condition in SQL for lists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, true

from app.models import Requisition, Role

#: Roles that work with requisitions at all (others get 403 on the hiring pages).
STAFF = (Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER)
#: Roles that see every requisition, open them, and add candidates.
RECRUITING = (Role.ADMIN, Role.RECRUITER)
#: Anyone can be asked to interview (the executive interview goes to whoever holds the
#: level the data names), so interview pages check the assignment, not a role.
INTERVIEWING = tuple(Role)


def sees_every_requisition(user: Any) -> bool:
    return bool(user.has_role(*RECRUITING))


def can_view_requisition(user: Any, requisition: Requisition) -> bool:
    """Recruiters and admins see every requisition; a hiring manager sees their own."""
    return sees_every_requisition(user) or user.id == requisition.hiring_manager_id


def visible_requisitions(user: Any, user_id: Any = None) -> ColumnElement[bool]:
    """:func:`can_view_requisition` as a condition on ``Requisition`` rows; ``user_id``, if
    given, stands for the user's id (a bind parameter, in a statement built once for
    everyone whom :func:`sees_every_requisition` answers alike)."""
    if sees_every_requisition(user):
        return true()
    return Requisition.hiring_manager_id == (user.id if user_id is None else user_id)


def can_edit_requisition(user: Any) -> bool:
    return sees_every_requisition(user)


def can_edit_posting(user: Any, requisition: Requisition) -> bool:
    """The careers-site posting: admins, and the requisition's own recruiter."""
    return bool(user.has_role(Role.ADMIN)) or (
        bool(user.has_role(Role.RECRUITER)) and user.id == requisition.recruiter_id
    )


def can_move_applications(user: Any, requisition: Requisition) -> bool:
    """Recruiters and admins move candidates; the hiring manager too (and overrides)."""
    return can_view_requisition(user, requisition)


def is_hiring_manager(user: Any, requisition: Requisition) -> bool:
    return bool(user.id == requisition.hiring_manager_id)


def can_view_cv(user: Any, requisitions: list[Requisition], *, interviewing: bool) -> bool:
    """Recruiters and admins, staff of one of the candidate's requisitions, or one of the
    candidate's interviewers."""
    if sees_every_requisition(user) or interviewing:
        return True
    return any(can_view_requisition(user, r) for r in requisitions)
