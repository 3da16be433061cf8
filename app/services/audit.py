"""The audit log: every state change goes through :func:`record`; reads of personal data,
refused access and failed CSRF checks through the functions below it, which commit.

Rows are only ever added: nothing here changes or deletes one, and the database refuses
to (migration 0009). Each row carries the request's source address and user agent when
there is a request (the CLI and background work have none).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import has_request_context, request
from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError

from app.db import db
from app.models import AuditEvent, User
from app.models.audit import ADDRESS_LENGTH, USER_AGENT_LENGTH

log = logging.getLogger(__name__)

#: Reads of personal data (candidates' contact data, CVs and the interviewers' notes about
#: them; promotion packets; someone else's level history; outgoing messages and their attachments).
CANDIDATE_VIEW = "candidate.view"
CANDIDATE_LIST = "candidate.list"
CANDIDATE_CV_DOWNLOAD = "candidate.cv_download"
CANDIDATE_FEEDBACK_VIEW = "candidate.feedback_view"
PACKET_VIEW = "packet.view"
PACKET_PDF = "packet.pdf"
LEVEL_HISTORY_VIEW = "user.level_history_view"
MAIL_VIEW = "mail.view"
MAIL_ATTACHMENT_DOWNLOAD = "mail.attachment_download"
READ_ACTIONS = (
    CANDIDATE_VIEW,
    CANDIDATE_LIST,
    CANDIDATE_CV_DOWNLOAD,
    CANDIDATE_FEEDBACK_VIEW,
    PACKET_VIEW,
    PACKET_PDF,
    LEVEL_HISTORY_VIEW,
    MAIL_VIEW,
    MAIL_ATTACHMENT_DOWNLOAD,
)
#: An object that exists was refused to the caller (answered 404 or 403).
ACCESS_DENIED = "access.denied"
#: A state-changing request without a valid CSRF token.
CSRF_FAILED = "security.csrf_failed"
#: The kinds of rows the admin's audit log filters by, with their labels.
KINDS = {
    "reads": "Reads of personal data",
    "denied": "Refused access",
    "security": "Sign-in and security",
}


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{"field": {"before": b, "after": a}}`` for the fields that differ."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


#: Blueprints whose requests come from candidates (no account): their address and user
#: agent are the candidate's personal data, which erasure must be able to remove, and
#: audit rows cannot be changed, so they are never recorded.
CANDIDATE_FACING = frozenset({"assessment", "careers", "jobs"})


def request_source() -> tuple[str | None, str | None]:
    """The current request's client address and user agent (cut to fit); Nones outside a
    request and for candidates' own requests."""
    if not has_request_context() or request.blueprint in CANDIDATE_FACING:
        return None, None
    address = (request.remote_addr or "")[:ADDRESS_LENGTH] or None
    agent = (request.user_agent.string or "")[:USER_AGENT_LENGTH] or None
    return address, agent


def record(
    action: str,
    *,
    actor: User | None,
    channel: str = "web",
    object_type: str | None = None,
    object_id: object | None = None,
    summary: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit row to the current transaction; the caller's service commits.

    ``summary`` must not hold personal data (names, e-mail addresses, free text written
    about a person): refer to people by id.
    """
    event = AuditEvent(**_row(action, actor, channel, object_type, object_id, summary))
    db.session.add(event)
    return event


def _row(
    action: str,
    actor: User | None,
    channel: str,
    object_type: str | None,
    object_id: object | None,
    summary: dict[str, Any] | None,
) -> dict[str, Any]:
    address, user_agent = request_source()
    return {
        "actor_id": actor.id if actor is not None else None,
        "channel": channel,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "summary": summary or {},
        "address": address,
        "user_agent": user_agent,
    }


_INSERT_EVENT = insert(AuditEvent.__table__)


def record_read(
    action: str,
    *,
    actor: User,
    channel: str,
    object_type: str,
    object_id: object | None = None,
    summary: dict[str, Any] | None = None,
) -> None:
    """Record that ``actor`` read personal data, and commit.

    Called once the answer is built and before it is sent: a read the log cannot record
    fails instead of going unrecorded. The view has changed nothing, so the commit holds
    this row alone. The row is inserted as it is (no object for the session to track),
    and the commit leaves what was read as loaded: every list page of personal data pays
    for this.
    """
    session = db.session()
    session.execute(_INSERT_EVENT, _row(action, actor, channel, object_type, object_id, summary))
    # Nothing the request read has changed: its objects need not each be expired by the
    # commit (a list page holds dozens).
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def _record_refusal(
    action: str,
    *,
    actor: User | None,
    channel: str,
    object_type: str | None,
    object_id: object | None,
    summary: dict[str, Any],
) -> None:
    """Record a refusal in a transaction of its own.

    Whatever the refused request had started is rolled back first, so it is never
    committed along with the row. If the row cannot be written the refusal is still
    answered (the database is then the problem) and the failure goes to the error log.
    """
    try:
        db.session.rollback()
        record(
            action,
            actor=actor,
            channel=channel,
            object_type=object_type,
            object_id=object_id,
            summary=summary,
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("Could not record %s for %s %s", action, object_type, object_id)


def record_denial(
    *,
    actor: User | None,
    channel: str,
    endpoint: str | None,
    status: int,
    object_type: str | None = None,
    object_id: object | None = None,
) -> None:
    """Record that ``actor`` was refused ``endpoint`` (answered ``status``), naming the
    object when it exists."""
    _record_refusal(
        ACCESS_DENIED,
        actor=actor,
        channel=channel,
        object_type=object_type,
        object_id=object_id,
        summary={"endpoint": endpoint, "status": status},
    )


def record_csrf_failure(
    *, actor: User | None, channel: str, endpoint: str | None, method: str, reason: str
) -> None:
    """Record a request refused for a missing or wrong CSRF token (never its content)."""
    _record_refusal(
        CSRF_FAILED,
        actor=actor,
        channel=channel,
        object_type=None,
        object_id=None,
        summary={"endpoint": endpoint, "method": method, "reason": reason},
    )
