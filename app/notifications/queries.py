"""Read-only queries of the admin Mail pages: the outbox list, one message, its attachments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import defer

from app.db import db
from app.models import OutboxAttachment, OutboxMessage
from pipelines.outbox import MessageStatus

#: Messages a digest lists on its page, at most.
DIGEST_PARTS_SHOWN = 200


def outbox_list(*, status: MessageStatus | None = None, kind: str | None = None) -> Select[Any]:
    """Messages with their number of attachments, unordered (the page orders them newest
    first by cursor). The bodies stay in the database: the list shows none of them."""
    attachments = (
        select(func.count(OutboxAttachment.id))
        .where(OutboxAttachment.message_id == OutboxMessage.id)
        .correlate(OutboxMessage)
        .scalar_subquery()
        .label("attachments")
    )
    query = select(OutboxMessage, attachments).options(
        defer(OutboxMessage.text_body, raiseload=True),
        defer(OutboxMessage.html_body, raiseload=True),
    )
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return query


def oldest_waiting() -> datetime | None:
    """When the longest-waiting queued message fell due (a worker that does not run shows
    here first)."""
    return db.session.scalar(
        select(func.min(OutboxMessage.due_at)).where(OutboxMessage.status == MessageStatus.QUEUED)
    )


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    content_type: str
    size: int


def message(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)


def attachments_of(message_id: int) -> list[AttachmentInfo]:
    """The message's attachments without their content: name, type and size."""
    rows = db.session.execute(
        select(
            OutboxAttachment.id,
            OutboxAttachment.filename,
            OutboxAttachment.content_type,
            func.length(OutboxAttachment.content),
        )
        .where(OutboxAttachment.message_id == message_id)
        .order_by(OutboxAttachment.id)
    )
    return [AttachmentInfo(id_, name, type_, size or 0) for id_, name, type_, size in rows]


def attachment(message_id: int, attachment_id: int) -> OutboxAttachment | None:
    """One attachment of one message (None for another message's)."""
    return db.session.scalar(
        select(OutboxAttachment).where(
            OutboxAttachment.id == attachment_id, OutboxAttachment.message_id == message_id
        )
    )


@dataclass(frozen=True)
class DigestPart:
    id: int
    kind: str
    subject: str


def digest_parts(digest_id: int) -> list[DigestPart]:
    """The messages a digest carried (status ``digested``), in the order they were queued."""
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.subject)
        .where(OutboxMessage.digest_id == digest_id)
        .order_by(OutboxMessage.id)
        .limit(DIGEST_PARTS_SHOWN)
    )
    return [DigestPart(id_, kind, subject) for id_, kind, subject in rows]
