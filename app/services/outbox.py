"""The transactional outbox: messages are queued with the change that causes them and
delivered by workers (``flask worker``).

:func:`queue` adds a fully rendered message to the current session and never commits: the
message commits or rolls back with the change. :func:`claim`, :func:`mark_sent` and
:func:`mark_failed` are the worker's side. Claiming is safe with several workers on
several machines: rows are picked with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, and the
claim itself is a conditional UPDATE that only one worker can win for a row.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import selectinload

from app.clock import utcnow
from app.db import db
from app.models import Candidate, OutboxAttachment, OutboxMessage, User
from app.notifications.smtp import Attachment, Outgoing
from app.services import audit
from app.services.errors import ServiceError, commit_or_conflict, stale
from pipelines import outbox as rules
from pipelines.outbox import MessageStatus
from pipelines.timezones import format_local

log = logging.getLogger(__name__)

#: Longest subject kept (the column's length); longer ones are cut with an ellipsis.
SUBJECT_LENGTH = 300


@dataclass(frozen=True)
class Recipient:
    name: str | None
    address: str
    #: IANA zone the message's times are written in (None: the installation's default).
    zone: str | None = None
    user: User | None = None
    candidate: Candidate | None = None


def to_user(user: User) -> Recipient:
    return Recipient(user.display_name, user.email, user.timezone, user=user)


def to_candidate(candidate: Candidate) -> Recipient:
    if not candidate.email:
        raise ServiceError("This candidate has no e-mail address.")
    return Recipient(candidate.name, candidate.email, candidate.timezone, candidate=candidate)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for a message: from ``HIRELADDER_BASE_URL`` when set, else from
    the request being served."""
    base = current_app.config.get("BASE_URL")
    if base:
        adapter = current_app.url_map.bind(base.split("://", 1)[1].split("/", 1)[0])
        path = adapter.build(endpoint, values, force_external=False)
        return base + path
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    raise ServiceError(
        "HIRELADDER_BASE_URL is not set: messages written outside a request need it for "
        "their links (e.g. https://hireladder.example.com)."
    )


def _domain() -> str:
    _, address = parseaddr(current_app.config["MAIL_FROM"])
    return address.rpartition("@")[2] or "hireladder.invalid"


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{_domain()}>"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(kind: str, recipient: Recipient, context: Mapping[str, Any]) -> Rendered:
    """A message from ``templates/mail/<kind>.{subject.txt,txt,html}``, its times in the
    recipient's zone."""
    env = current_app.jinja_env
    default_zone = current_app.config["DEFAULT_TIMEZONE"]
    values = {
        **context,
        "recipient": recipient,
        "local_time": lambda moment: format_local(moment, recipient.zone, default_zone),
        "base_url": current_app.config.get("BASE_URL") or "",
    }
    subject = " ".join(env.get_template(f"mail/{kind}.subject.txt").render(values).split())
    if len(subject) > SUBJECT_LENGTH:
        subject = subject[: SUBJECT_LENGTH - 1] + "…"
    return Rendered(
        subject=subject,
        text=env.get_template(f"mail/{kind}.txt").render(values).strip() + "\n",
        html=env.get_template(f"mail/{kind}.html").render(values),
    )


def queue(
    kind: str,
    recipient: Recipient,
    context: Mapping[str, Any],
    *,
    about: tuple[str, int] | None = None,
    attachments: Sequence[Attachment] = (),
    dedupe_key: str | None = None,
    due_at: datetime | None = None,
    rendered: Rendered | None = None,
) -> OutboxMessage | None:
    """Add a message to the session (the caller's commit sends it; a rollback drops it).

    Returns None when nothing is queued: the recipient turned this kind off, or a message
    with the same ``dedupe_key`` exists. A recipient who chose the daily digest for this
    kind gets it there (status ``held``).
    """
    if kind not in rules.KINDS_BY_KEY:
        raise ValueError(f"unknown message kind {kind!r}")
    user = recipient.user
    delivery = rules.delivery_for(kind, user.notification_preferences if user else None)
    if delivery is rules.Delivery.OFF:
        return None
    if dedupe_key is not None and db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    ):
        return None
    content = rendered or render(kind, recipient, context)
    now = utcnow()
    message = OutboxMessage(
        kind=kind,
        to_address=recipient.address,
        to_name=recipient.name,
        user_id=user.id if user else None,
        candidate_id=recipient.candidate.id if recipient.candidate else None,
        object_type=about[0] if about else None,
        object_id=about[1] if about else None,
        subject=content.subject,
        text_body=content.text,
        html_body=content.html,
        message_id=new_message_id(),
        dedupe_key=dedupe_key,
        status=MessageStatus.HELD if delivery is rules.Delivery.DIGEST else MessageStatus.QUEUED,
        attempts=0,
        due_at=due_at or now,
        created_at=now,
    )
    message.attachments = [
        OutboxAttachment(filename=a.filename, content_type=a.content_type, content=a.content)
        for a in attachments
    ]
    db.session.add(message)
    return message


# --- the worker's side --------------------------------------------------------------


def _claimable(now: datetime) -> Any:
    return or_(
        and_(OutboxMessage.status == MessageStatus.QUEUED, OutboxMessage.due_at <= now),
        # A worker that died mid-delivery: its claim runs out and another takes over.
        and_(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.claimed_until < now),
    )


@dataclass(frozen=True)
class Claim:
    """Messages one worker claimed at once, and the token their rows carry while the claim
    holds (``claimed_by``)."""

    token: str
    ids: list[int]


def claim(worker: str, now: datetime, limit: int) -> list[int]:
    """Claim up to ``limit`` due messages for ``worker``; commits. The ids returned are
    this worker's alone until :data:`pipelines.outbox.CLAIM_LEASE` has passed."""
    return claim_batch(worker, now, limit).ids


def claim_batch(worker: str, now: datetime, limit: int) -> Claim:
    """:func:`claim`, with the claim's token (see :func:`still_claimed`)."""
    token = f"{worker}:{uuid.uuid4().hex[:12]}"[:100]
    pick = (
        select(OutboxMessage.id)
        .where(_claimable(now))
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(pick))
    if not ids:
        db.session.rollback()
        return Claim(token, [])
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), _claimable(now))
        .values(
            status=MessageStatus.SENDING,
            claimed_by=token,
            claimed_until=now + rules.CLAIM_LEASE,
            version=OutboxMessage.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    won = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.claimed_by == token)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
    )
    db.session.commit()
    return Claim(token, won)


def still_claimed(message: OutboxMessage, token: str, until: datetime) -> bool:
    """Whether ``message`` is still the claim's to send until the moment ``until``.

    A batch whose sending outlasts its lease may have lost its later messages to another
    worker (which then sends them): those must not be sent by this one too.
    """
    return (
        message.status is MessageStatus.SENDING
        and message.claimed_by == token
        and message.claimed_until is not None
        and message.claimed_until > until
    )


def outgoing(message_id: int) -> tuple[OutboxMessage, Outgoing] | None:
    message = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .options(selectinload(OutboxMessage.attachments))
    )
    if message is None:
        return None
    return message, Outgoing(
        message_id=message.message_id,
        sender=current_app.config["MAIL_FROM"],
        to_address=message.to_address,
        to_name=message.to_name,
        subject=message.subject,
        text=message.text_body,
        html=message.html_body,
        attachments=tuple(
            Attachment(a.filename, a.content_type, a.content) for a in message.attachments
        ),
    )


def _finish(message_id: int, claim_token: str | None, **values: Any) -> bool:
    # The update starts a transaction of its own. On SQLite a transaction that has read
    # (the worker loaded the message) cannot wait for the write lock: it fails at once
    # while another process, the web server, holds it; and a delivery that went out but
    # could not be recorded would be sent again once the claim ran out.
    db.session.rollback()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == MessageStatus.SENDING,
            OutboxMessage.claimed_by == claim_token,
        )
        .values(claimed_by=None, claimed_until=None, version=OutboxMessage.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_sent(message: OutboxMessage, now: datetime, *, kept: bool = False) -> bool:
    """Record a delivery (``kept``: shown on the Mail page only); commits. False when the
    claim had run out and another worker holds the message now."""
    return _finish(
        message.id,
        message.claimed_by,
        status=MessageStatus.KEPT if kept else MessageStatus.SENT,
        sent_at=now,
        attempts=message.attempts + 1,
        last_error=None,
    )


def mark_failed(message: OutboxMessage, now: datetime, reason: str, *, permanent: bool) -> str:
    """Record a failed attempt: back in the queue with a back-off, or dead; commits."""
    attempts = message.attempts + 1
    after = rules.after_failure(attempts, now, permanent=permanent)
    _finish(
        message.id,
        message.claimed_by,
        status=after.status,
        attempts=attempts,
        due_at=after.due_at or message.due_at,
        last_error=reason[:2000],
    )
    return after.status.value


def release(message_ids: Sequence[int], claim_token: str | None = None) -> None:
    """Give claimed messages back untried (the server went down mid-batch); commits.
    With ``claim_token``, only those the claim still holds (never another worker's)."""
    if not message_ids:
        return
    held = [OutboxMessage.id.in_(list(message_ids)), OutboxMessage.status == MessageStatus.SENDING]
    if claim_token is not None:
        held.append(OutboxMessage.claimed_by == claim_token)
    db.session.execute(
        update(OutboxMessage)
        .where(*held)
        .values(
            status=MessageStatus.QUEUED,
            claimed_by=None,
            claimed_until=None,
            version=OutboxMessage.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


# --- the admin's side ---------------------------------------------------------------


def retry(message: OutboxMessage, *, actor: User, expected_version: int | None) -> None:
    """Put a dead message back in the queue, due now, its attempts counted afresh."""
    if expected_version is not None and expected_version != message.version:
        raise stale("This message")
    if message.status is not MessageStatus.DEAD:
        raise ServiceError(
            "Only a message that failed can be retried; "
            f"this one is {message.status.label.lower()}."
        )
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.due_at = utcnow()
    audit.record(
        "mail.retry",
        actor=actor,
        channel="web",
        object_type="outbox_message",
        object_id=message.id,
        summary={"kind": message.kind, "last_error": (message.last_error or "")[:200]},
    )
    commit_or_conflict("This message")


def counts() -> dict[MessageStatus, int]:
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {MessageStatus(status): n for status, n in rows}
