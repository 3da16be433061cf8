"""Every model, imported here so Alembic sees every table."""

from app.models.audit import AuditEvent
from app.models.decisions import HiringDecision, Offer
from app.models.hiring import (
    Application,
    AssessmentInvitation,
    Candidate,
    CandidateMerge,
    CandidateTag,
    Interview,
    InterviewInterviewer,
    Requisition,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
    StageTransition,
)
from app.models.kits import InterviewKit
from app.models.levels import LevelSpan
from app.models.mail import JobRun, OutboxAttachment, OutboxMessage
from app.models.mfa import MfaEnrolment, MfaRecoveryCode
from app.models.promotions import PromotionPacket, PromotionSection
from app.models.user import (
    ApiToken,
    PasswordReset,
    Role,
    SignInCounter,
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
    "CandidateMerge",
    "CandidateTag",
    "HiringDecision",
    "Interview",
    "InterviewInterviewer",
    "InterviewKit",
    "JobRun",
    "LevelSpan",
    "MfaEnrolment",
    "MfaRecoveryCode",
    "Offer",
    "OutboxAttachment",
    "OutboxMessage",
    "PasswordReset",
    "PromotionPacket",
    "PromotionSection",
    "Requisition",
    "Role",
    "Scorecard",
    "ScorecardAmendment",
    "ScorecardRating",
    "SignInCounter",
    "StageTransition",
    "TokenScope",
    "User",
    "UserRole",
    "UserSession",
]
