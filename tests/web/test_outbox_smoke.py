"""The outbox end to end against a real SMTP server: queue, commit, worker, arrival."""

from __future__ import annotations

from sqlalchemy import select

from app.db import db
from app.models import OutboxMessage
from app.notifications import worker
from app.services import mail_test
from pipelines.outbox import MessageStatus


def test_a_queued_message_arrives_once(app, mail_to_smtp) -> None:
    with app.app_context():
        message_id = mail_test.queue_test("someone@example.com")
        first = worker.run_once(app, worker="w1")
        second = worker.run_once(app, worker="w1")
        row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.message_id == message_id))
        assert row is not None and row.status is MessageStatus.SENT
    assert (first.sent, second.sent) == (1, 0)
    [received] = mail_to_smtp.received
    assert received.recipients == ["someone@example.com"]
    assert received.subject == "HireLadder test message"
    assert received.message_id == message_id
    assert "outgoing mail works" in received.text()
    assert "<p>" in received.html()
