"""Hiring: requisitions, candidates, applications, interviews, scorecards, stage history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from app.clock import utcnow
from app.db import db
from app.models.columns import EnumText, UTCDateTime, one_of
from app.models.user import User
from pipelines.applications import Action, ApplicationStatus, DeclineReason
from pipelines.postings import EmploymentType, is_live
from pipelines.requisitions import RequisitionStatus
from pipelines.scorecards import Rating
from pipelines.sources import ApplicationSource


class Requisition(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "requisitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    level_id: Mapped[str] = mapped_column(String(100), index=True)
    specialty_id: Mapped[str | None] = mapped_column(String(100))
    hiring_manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[RequisitionStatus] = mapped_column(
        EnumText(RequisitionStatus, 16), default=RequisitionStatus.OPEN
    )
    ladder_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The careers-site posting: published while published_at is set (and the requisition
    # is open). Only these fields are written by a recruiter; the rest comes from the ladder.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    posting_intro: Mapped[str | None] = mapped_column(Text)
    posting_location: Mapped[str | None] = mapped_column(String(200))
    posting_remote: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    employment_type: Mapped[EmploymentType] = mapped_column(
        EnumText(EmploymentType, 20), default=EmploymentType.FULL_TIME, server_default="FULL_TIME"
    )
    posting_valid_through: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    hiring_manager: Mapped[User] = relationship(foreign_keys=[hiring_manager_id], lazy="raise")
    recruiter: Mapped[User] = relationship(foreign_keys=[recruiter_id], lazy="raise")
    applications: WriteOnlyMapped[Application] = relationship(back_populates="requisition")

    @property
    def posting_live(self) -> bool:
        """Shown on the careers site today: open, published, not past its last day (the
        same rule as the careers site's query, app.jobs.queries)."""
        return self.status.takes_candidates and is_live(
            self.published_at, self.posting_valid_through, today=utcnow().date()
        )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        one_of("status", RequisitionStatus, name="status_valid"),
        one_of("employment_type", EmploymentType, name="employment_type_valid"),
        CheckConstraint("headcount >= 1", name="headcount_positive"),
        Index("ix_requisitions_published", "published_at", "id"),
        # The requisitions list: newest first, page after page by (created_at, id).
        Index("ix_requisitions_created", "created_at", "id"),
    )


class Candidate(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-cased: unique case-insensitively on every database. NULL once erased
    # (several NULLs never collide).
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    location: Mapped[str | None] = mapped_column(String(200))
    # An IANA zone for the times in messages to the candidate; None: the default zone.
    timezone: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(100))
    consent_on: Mapped[date | None] = mapped_column(Date)
    # The version of the consent text agreed to (pipelines.privacy.CONSENT_TEXTS).
    consent_version: Mapped[str | None] = mapped_column(String(20))
    # Set when the personal data was erased; the row stays as an anonymous skeleton.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cv_key: Mapped[str | None] = mapped_column(String(100))
    cv_kind: Mapped[str | None] = mapped_column(String(10))
    cv_size: Mapped[int | None] = mapped_column(Integer)
    cv_sha256: Mapped[str | None] = mapped_column(String(64))
    # The CV's text, extracted at upload (PDF, DOCX), for search.
    cv_text: Mapped[str | None] = mapped_column(Text)
    # Links the candidate gave (a profile, a portfolio), as entered.
    links: Mapped[list[str] | None] = mapped_column(JSON)
    # The recruiters' notes on the person (not on one application).
    notes: Mapped[str | None] = mapped_column(Text)
    # What search finds the candidate by: pipelines.search.document() of the name, e-mail
    # address, notes and CV text. Indexed by PostgreSQL (GIN over to_tsvector) and SQLite
    # (the FTS5 table candidates_fts), both made by the migration.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set while this record is merged into another (until the merge is undone or confirmed).
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    applications: WriteOnlyMapped[Application] = relationship(back_populates="candidate")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("(cv_key IS NULL) = (cv_kind IS NULL)", name="cv_key_and_kind_together"),
        CheckConstraint("erased_at IS NOT NULL OR email IS NOT NULL", name="email_until_erased"),
    )

    @property
    def erased(self) -> bool:
        return self.erased_at is not None


class CandidateTag(db.Model):  # type: ignore[name-defined,misc]
    """A recruiter's label on a candidate ("python", "silver-medalist"), lower-case."""

    __tablename__ = "candidate_tags"

    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(50), primary_key=True)

    __table_args__ = (
        CheckConstraint("tag = lower(tag)", name="tag_lowercase"),
        Index("ix_candidate_tags_tag", "tag", "candidate_id"),
    )


class CandidateMerge(db.Model):  # type: ignore[name-defined,misc]
    """Two records of the same person made one: ``merged``'s applications, files and
    history moved to ``kept``. Undone (moved back) until confirmed."""

    __tablename__ = "candidate_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kept_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    # What moved, so that undoing moves exactly that back: {"applications": [ids], ...}.
    moved: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        CheckConstraint("kept_id <> merged_id", name="two_records"),
        CheckConstraint("confirmed_at IS NULL OR undone_at IS NULL", name="confirmed_or_undone"),
    )


class Application(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    requisition_id: Mapped[int] = mapped_column(ForeignKey("requisitions.id"), index=True)
    stage_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[ApplicationStatus] = mapped_column(
        EnumText(ApplicationStatus, 16), default=ApplicationStatus.ACTIVE
    )
    entered_stage_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Stages the hiring manager let the application leave without passing evidence.
    overridden: Mapped[list[str]] = mapped_column(JSON, default=list)
    decline_reason: Mapped[DeclineReason | None] = mapped_column(EnumText(DeclineReason, 64))
    decline_note: Mapped[str | None] = mapped_column(Text)
    screen_passed: Mapped[bool | None] = mapped_column(Boolean)
    assessment_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assessment_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    references_passed: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[ApplicationSource] = mapped_column(
        EnumText(ApplicationSource, 20),
        default=ApplicationSource.SOURCED,
        server_default=ApplicationSource.SOURCED.value,
    )
    # A referral: who referred the candidate and why (the referrer sees only the status).
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    referral_note: Mapped[str | None] = mapped_column(Text)
    # The name the referrer gave (the record's own name may differ, and is not theirs to see).
    referred_name: Mapped[str | None] = mapped_column(String(200))
    # What the candidate wrote when applying on the careers site.
    candidate_note: Mapped[str | None] = mapped_column(Text)
    ladder_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    candidate: Mapped[Candidate] = relationship(back_populates="applications", lazy="raise")
    requisition: Mapped[Requisition] = relationship(back_populates="applications", lazy="raise")
    # Only for a referral: who referred the candidate.
    #: The account a hire created or linked (set when marked hired).
    hired_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    referrer: Mapped[User | None] = relationship(foreign_keys=[referrer_id], lazy="raise")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint(
            "candidate_id", "requisition_id", name="uq_applications_candidate_requisition"
        ),
        one_of("status", ApplicationStatus, name="status_valid"),
        CheckConstraint(
            "status <> 'declined' OR decline_reason IS NOT NULL", name="declined_has_reason"
        ),
        one_of("decline_reason", DeclineReason, name="decline_reason_valid", nullable=True),
        one_of("source", ApplicationSource, name="source_valid"),
        CheckConstraint(
            "source = 'referral' OR referrer_id IS NULL", name="referrer_only_for_referrals"
        ),
        # The board: each column's count and first cards by time in stage, one index range
        # each; its prefix serves every "applications of a requisition (by status)" query.
        Index(
            "ix_applications_board",
            "requisition_id",
            "status",
            "stage_id",
            "entered_stage_at",
            "id",
        ),
        Index("ix_applications_referrer", "referrer_id", "id"),
        # The applications list (API): newest first by (created_at, id), all of them or
        # those of one requisition (a hiring manager's, or the requisition_id filter).
        Index("ix_applications_created", "created_at", "id"),
        Index("ix_applications_requisition_created", "requisition_id", "created_at", "id"),
    )


class Interview(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    stage_id: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ics_sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Set when the interview is called off: the interviewers get a calendar CANCEL.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    application: Mapped[Application] = relationship(lazy="raise")
    interviewers: Mapped[list[InterviewInterviewer]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", lazy="raise"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint("application_id", "stage_id", name="uq_interviews_application_stage"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        # Interviews by time (My interviews' upcoming ones, soonest first).
        Index("ix_interviews_starts", "starts_at", "id"),
        # Cancelled ones, newest first (My interviews' cancelled section): few of all.
        Index(
            "ix_interviews_cancelled",
            "cancelled_at",
            "id",
            sqlite_where=text("cancelled_at IS NOT NULL"),
            postgresql_where=text("cancelled_at IS NOT NULL"),
        ),
    )


class InterviewInterviewer(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "interview_interviewers"

    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)

    interview: Mapped[Interview] = relationship(back_populates="interviewers")
    user: Mapped[User] = relationship(lazy="raise")

    __table_args__ = (
        # A person's interviews, read from the index alone (My interviews); the primary
        # key serves an interview's interviewers.
        Index("ix_interview_interviewers_user", "user_id", "interview_id"),
    )


class Scorecard(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "scorecards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"), index=True)
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # {criterion id: rating value or "not_assessed"}; criteria come from the ladder version
    # recorded on the application.
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recommendation: Mapped[Rating | None] = mapped_column(EnumText(Rating, 16))
    notes: Mapped[str | None] = mapped_column(Text)
    # {criterion id: the interviewer's note on it}, drafts and submissions alike.
    criterion_notes: Mapped[dict[str, str] | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ladder_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    interview: Mapped[Interview] = relationship(lazy="raise")
    interviewer: Mapped[User] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint(
            "interview_id", "interviewer_id", name="uq_scorecards_interview_interviewer"
        ),
        one_of("recommendation", Rating, name="recommendation_valid", nullable=True),
        CheckConstraint(
            "submitted_at IS NULL OR (recommendation IS NOT NULL AND notes IS NOT NULL)",
            name="submitted_is_complete",
        ),
        # An interviewer's scorecards by submission, newest first (My interviews'
        # submitted ones; the calibration report's by interviewer).
        Index(
            "ix_scorecards_interviewer_submitted", "interviewer_id", "submitted_at", "interview_id"
        ),
    )


class ScorecardRating(db.Model):  # type: ignore[name-defined,misc]
    """One criterion's mark on a submitted scorecard, as a row for the reports' SQL:
    ``points`` 1 (strong no) to 4 (strong yes), NULL for "not assessed". Written with the
    submission; the scorecard's ``ratings`` JSON stays the record."""

    __tablename__ = "scorecard_ratings"

    scorecard_id: Mapped[int] = mapped_column(
        ForeignKey("scorecards.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    points: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("points IS NULL OR points BETWEEN 1 AND 4", name="points_valid"),
        Index("ix_scorecard_ratings_criterion", "criterion_id"),
    )


class ScorecardAmendment(db.Model):  # type: ignore[name-defined,misc]
    """A later addition to a submitted scorecard; the scorecard itself never changes."""

    __tablename__ = "scorecard_amendments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StageTransition(db.Model):  # type: ignore[name-defined,misc]
    """Every move of an application: who, when, from, to, why."""

    __tablename__ = "stage_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    action: Mapped[Action] = mapped_column(EnumText(Action, 32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_status: Mapped[ApplicationStatus | None] = mapped_column(EnumText(ApplicationStatus, 16))
    from_stage: Mapped[str | None] = mapped_column(String(100))
    to_status: Mapped[ApplicationStatus] = mapped_column(EnumText(ApplicationStatus, 16))
    to_stage: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    overridden: Mapped[list[str]] = mapped_column(JSON, default=list)

    actor: Mapped[User | None] = relationship(lazy="raise")

    __table_args__ = (
        one_of("to_status", ApplicationStatus, name="to_status_valid"),
        one_of("action", Action, name="action_valid"),
        one_of("from_status", ApplicationStatus, name="from_status_valid", nullable=True),
        # The reports walk each application's moves in order (window functions).
        Index("ix_stage_transitions_application_at", "application_id", "at", "id"),
    )


class AssessmentInvitation(db.Model):  # type: ignore[name-defined,misc]
    """A private, expiring, single-use link for the written assessment."""

    __tablename__ = "assessment_invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    answers: Mapped[list[str] | None] = mapped_column(JSON)
