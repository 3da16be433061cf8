"""Decisions at the end of the process: the debrief's hire / no-hire with its level, and
the offer that follows a hire."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.db import db
from app.models.columns import EnumText, UTCDateTime, one_of
from app.models.hiring import Application
from app.models.user import User
from pipelines.leveling import Outcome, Step
from pipelines.offers import OfferDeclineReason, OfferStatus


class HiringDecision(db.Model):  # type: ignore[name-defined,misc]
    """The hiring manager's decision at the debrief: one per application (it may be
    revised, optimistically locked, until an offer is made)."""

    __tablename__ = "hiring_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[Outcome] = mapped_column(EnumText(Outcome, 16))
    #: For a hire: the level (the requisition's, one below or one above on its track).
    level_id: Mapped[str | None] = mapped_column(String(100))
    specialty_id: Mapped[str | None] = mapped_column(String(100))
    step: Mapped[Step | None] = mapped_column(EnumText(Step, 8))
    rationale: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ladder_version: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    application: Mapped[Application] = relationship(lazy="raise")
    decided_by: Mapped[User | None] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        one_of("outcome", Outcome, name="outcome_valid"),
        one_of("step", Step, name="step_valid", nullable=True),
        Index("ix_hiring_decisions_decided_at", "decided_at"),
    )


class Offer(db.Model):  # type: ignore[name-defined,misc]
    """An offer to a candidate. At most one open offer per application (see the service);
    a declined or withdrawn offer stays, and a new one may follow."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    status: Mapped[OfferStatus] = mapped_column(
        EnumText(OfferStatus, 20), default=OfferStatus.DRAFT
    )
    level_id: Mapped[str] = mapped_column(String(100))
    specialty_id: Mapped[str | None] = mapped_column(String(100))
    start_date: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(String(200))
    # Compensation: seen only by the requisition's recruiter and hiring manager and admins.
    currency: Mapped[str | None] = mapped_column(String(3))
    base_salary: Mapped[int | None] = mapped_column(Integer)
    bonus: Mapped[int | None] = mapped_column(Integer)
    equity: Mapped[str | None] = mapped_column(String(200))
    compensation_note: Mapped[str | None] = mapped_column(Text)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[OfferDeclineReason | None] = mapped_column(
        EnumText(OfferDeclineReason, 32)
    )
    response_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ladder_version: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    application: Mapped[Application] = relationship(lazy="raise")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id], lazy="raise")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        one_of("status", OfferStatus, name="status_valid"),
        one_of("decline_reason", OfferDeclineReason, name="decline_reason_valid", nullable=True),
        # The offers awaiting approval, oldest first, and their number (an admin's home).
        Index("ix_offers_status_created", "status", "created_at", "id"),
    )
