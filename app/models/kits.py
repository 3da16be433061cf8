"""Interview kits: the questions to ask per criterion, for each interview stage of a
requisition (see :mod:`pipelines.kits`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.db import db
from app.models.columns import UTCDateTime


class InterviewKit(db.Model):  # type: ignore[name-defined,misc]
    """One requisition's kit: ``{stage id: {criterion id: [question, ...]}}``. The level is
    kept beside it, so that a new requisition of the level can start from the last kit."""

    __tablename__ = "interview_kits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requisition_id: Mapped[int] = mapped_column(
        ForeignKey("requisitions.id", ondelete="CASCADE"), unique=True
    )
    level_id: Mapped[str] = mapped_column(String(100))
    questions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (Index("ix_interview_kits_level_updated", "level_id", "updated_at"),)
