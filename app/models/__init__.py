"""Every model, imported here so Alembic sees every table."""

from app.models.audit import AuditEvent
from app.models.hiring import (
    Application,
    AssessmentInvitation,
    Candidate,
    Interview,
    InterviewInterviewer,
    Requisition,
    Scorecard,
    ScorecardAmendment,
    StageTransition,
)
from app.models.promotions import PromotionPacket, PromotionSection
from app.models.user import (
    ApiToken,
    LoginAttempt,
    Role,
    TokenScope,
    User,
    UserRole,
    UserSession,
)

__all__ = [
    "ApiToken",
    "Application",
    "AssessmentInvitation",
    "AuditEvent",
    "Candidate",
    "Interview",
    "InterviewInterviewer",
    "LoginAttempt",
    "PromotionPacket",
    "PromotionSection",
    "Requisition",
    "Role",
    "Scorecard",
    "ScorecardAmendment",
    "StageTransition",
    "TokenScope",
    "User",
    "UserRole",
    "UserSession",
]
