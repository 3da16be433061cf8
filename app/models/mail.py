"""Outgoing mail: the transactional outbox, its attachments, and the runs of periodic jobs.

A message row is written in the transaction of the change that causes it, fully rendered
(subject, text, HTML, attachments), with the ``Message-ID`` it will carry: a retry after a
crash sends the same message again with the same id, which receiving servers and people
can recognise. Workers claim rows (``claimed_by``/``claimed_until``) before sending.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.db import db
from app.models.columns import EnumText, UTCDateTime, one_of
from pipelines.outbox import MessageStatus


class OutboxMessage(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # pipelines.outbox.KINDS: also the name of its templates under templates/mail/.
    kind: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str | None] = mapped_column(String(200))
    # Whom it is for, when that is a user or a candidate: preferences, digests, erasure.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="SET NULL"), index=True
    )
    # What it is about ("interview", 12), for the outbox page's links and filters.
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    # The Message-ID header, angle brackets included; fixed when the row is written.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    # Makes queueing idempotent where it must be: one scorecard reminder per interview,
    # interviewer and day; one digest per person and day.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[MessageStatus] = mapped_column(EnumText(MessageStatus, 16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Not sent before this moment (retries wait here).
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The digest message that carried this one (status "digested").
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="OutboxAttachment.id",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        one_of("status", MessageStatus, name="outbox_status_valid"),
        # What a worker asks: due messages of one status, oldest first.
        Index("ix_outbox_messages_status_due", "status", "due_at", "id"),
        # The outbox page: newest first, by cursor.
        Index("ix_outbox_messages_created", "created_at", "id"),
    )


class OutboxAttachment(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    # e.g. "text/calendar; method=REQUEST; charset=utf-8"
    content_type: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")


class JobRun(db.Model):  # type: ignore[name-defined,misc]
    """One run of a periodic job for one time slot. The unique (job, slot) pair is how
    several workers agree that exactly one of them runs it."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    # The slot the run is for: "2026-12-02T09" for an hourly job.
    slot: Mapped[str] = mapped_column(String(40))
    worker: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "ok: 3 reminders queued" or the error.
    outcome: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("job", "slot", name="uq_job_runs_job_slot"),
        Index("ix_job_runs_started", "started_at", "id"),
    )
