"""Each person's levels over time (see :mod:`pipelines.level_history`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.db import db
from app.models.columns import EnumText, UTCDateTime, one_of
from pipelines.level_history import LevelReason


class LevelSpan(db.Model):  # type: ignore[name-defined,misc]
    """One span of a person's level history: users.level_id is the span covering today."""

    __tablename__ = "level_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    level_id: Mapped[str] = mapped_column(String(100))
    specialty_id: Mapped[str | None] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[LevelReason] = mapped_column(EnumText(LevelReason, 16))
    #: What the span came from: the hire's application or the approved packet.
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL")
    )
    packet_id: Mapped[int | None] = mapped_column(
        ForeignKey("promotion_packets.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        one_of("reason", LevelReason, name="reason_valid"),
        Index("ix_level_history_user_starts", "user_id", "starts_on"),
        Index("ix_level_history_reason_starts", "reason", "starts_on"),
    )
