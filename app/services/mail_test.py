"""`flask mail test ADDRESS`: one message through the whole path (outbox, worker, server)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from app.clock import utcnow
from app.db import db
from app.services import audit, outbox


def queue_test(address: str) -> str:
    """Queue a test message to ``address``; commits. Returns its Message-ID."""
    try:
        address = validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(f"{address!r} is not an e-mail address: {error}") from None
    message = outbox.queue("test", outbox.Recipient(None, address), {"queued_at": utcnow()})
    assert message is not None  # a test message has no preference that could drop it
    db.session.flush()
    audit.record(
        "mail.test", actor=None, channel="cli", object_type="outbox_message", object_id=message.id
    )
    db.session.commit()
    return message.message_id
