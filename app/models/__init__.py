"""Every model, imported here so Alembic sees every table."""

from app.models.audit import AuditEvent
from app.models.user import ROLE_VALUES, ApiToken, LoginAttempt, Role, User, UserRole, UserSession

__all__ = [
    "ROLE_VALUES",
    "ApiToken",
    "AuditEvent",
    "LoginAttempt",
    "Role",
    "User",
    "UserRole",
    "UserSession",
]
