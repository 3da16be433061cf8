"""Promotion packets: a manager's case that a report is ready for a target level."""

from __future__ import annotations

from datetime import date, datetime

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.db import db
from app.models.columns import EnumText, UTCDateTime, one_of, values_sql
from app.models.user import User
from pipelines.promotions import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    MoveKind,
    PacketStatus,
    SectionKind,
)

OPEN_WHERE = values_sql("status", OPEN_STATUSES)


class PromotionPacket(db.Model):  # type: ignore[name-defined,misc]
    """The packet. Its version changes with every edit of its sections too, so a status
    change and an edit made at the same time are told apart."""

    __tablename__ = "promotion_packets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    source_level_id: Mapped[str] = mapped_column(String(100))
    source_specialty_id: Mapped[str | None] = mapped_column(String(100))
    target_level_id: Mapped[str] = mapped_column(String(100))
    target_specialty_id: Mapped[str | None] = mapped_column(String(100))
    move_kind: Mapped[MoveKind] = mapped_column(EnumText(MoveKind, 20))
    ladder_version: Mapped[str] = mapped_column(String(64))
    status: Mapped[PacketStatus] = mapped_column(
        EnumText(PacketStatus, 16), default=PacketStatus.DRAFT
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When and by whom the packet was closed: approved, declined or withdrawn.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_comment: Mapped[str | None] = mapped_column(Text)
    #: The day an approved packet's level takes effect (the approval's day by default).
    effective_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    subject: Mapped[User] = relationship(foreign_keys=[subject_id], lazy="raise")
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="raise")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="raise")
    sections: Mapped[list[PromotionSection]] = relationship(
        back_populates="packet",
        cascade="all, delete-orphan",
        order_by="PromotionSection.position",
        lazy="raise",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        one_of("status", PacketStatus, name="status_valid"),
        one_of("move_kind", MoveKind, name="move_kind_valid"),
        CheckConstraint("subject_id <> author_id", name="not_about_author"),
        CheckConstraint(
            f"({values_sql('status', CLOSED_STATUSES)}) = (decided_at IS NOT NULL)",
            name="decided_when_closed",
        ),
        # One open packet per person at a time, whoever starts it.
        Index(
            "uq_promotion_packets_open_subject",
            "subject_id",
            unique=True,
            sqlite_where=text(OPEN_WHERE),
            postgresql_where=text(OPEN_WHERE),
        ),
        Index("ix_promotion_packets_status_updated_at", "status", "updated_at"),
        # The packets lists: latest change first.
        Index("ix_promotion_packets_updated", "updated_at", "id"),
    )


class PromotionSection(db.Model):  # type: ignore[name-defined,misc]
    """One section: the text the ladder asked for when the packet began, and the evidence."""

    __tablename__ = "promotion_sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    packet_id: Mapped[int] = mapped_column(
        ForeignKey("promotion_packets.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[SectionKind] = mapped_column(EnumText(SectionKind, 32))
    heading: Mapped[str] = mapped_column(Text)
    items: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(String(100))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    evidence: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    packet: Mapped[PromotionPacket] = relationship(back_populates="sections", lazy="raise")
    updated_by: Mapped[User | None] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint("packet_id", "key", name="uq_promotion_sections_packet_key"),
        UniqueConstraint("packet_id", "position", name="uq_promotion_sections_packet_position"),
        one_of("kind", SectionKind, name="kind_valid"),
    )
