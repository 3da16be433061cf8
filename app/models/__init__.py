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
from app.models.mfa import MfaEnrolment, MfaRecoveryCode
from app.models.promotions import PromotionPacket, PromotionSection
from app.models.user import ApiToken, LoginAttempt, Role, User, UserRole, UserSession

__all__ = [
    "ApiToken",
    "Application",
    "AssessmentInvitation",
    "AuditEvent",
    "Candidate",
    "Interview",
    "InterviewInterviewer",
    "LoginAttempt",
    "MfaEnrolment",
    "MfaRecoveryCode",
    "PromotionPacket",
    "PromotionSection",
    "Requisition",
    "Role",
    "Scorecard",
    "ScorecardAmendment",
    "StageTransition",
    "User",
    "UserRole",
    "UserSession",
]
