"""Erasing a candidate deletes every message to them: sent ones (they hold the name, the
address, private links) and waiting ones (which must not go out after the erasure)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.clock import utcnow
from app.db import db
from app.hiring.cv_storage import configured_store
from app.models import AuditEvent, Candidate, OutboxAttachment, OutboxMessage, User
from app.notifications import worker
from app.notifications.smtp import Attachment
from app.services import hiring, outbox, privacy
from pipelines.outbox import MessageStatus
from tests.conftest import login_as


def to_candidate(candidate: Candidate, status: MessageStatus, *, attachment: bool = False) -> int:
    message = outbox.queue(
        "test",
        outbox.to_candidate(candidate),
        {"queued_at": utcnow()},
        attachments=[Attachment("interview.ics", "text/calendar", b"BEGIN:VCALENDAR")]
        if attachment
        else [],
    )
    assert message is not None
    message.status = status
    db.session.commit()
    return message.id


def messages_of(candidate_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.candidate_id == candidate_id)
    )


def test_erasure_deletes_every_message_to_the_candidate_and_keeps_the_others(
    app, users, hiring_objects, mail_to_smtp, without_periodic_jobs
):
    candidate_id = hiring_objects["candidate_id"]
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        candidate = db.session.get(Candidate, candidate_id)
        for status in MessageStatus:  # sent, kept, dead ... and queued, sending, held
            to_candidate(candidate, status, attachment=True)
        other = hiring.add_candidate(
            hiring.CandidateDetails(name="Olive Other", email="olive@example.org"),
            actor=recruiter,
        )
        others = to_candidate(other, MessageStatus.QUEUED, attachment=True)
        colleague = outbox.queue(
            "test",
            outbox.to_user(recruiter),
            {"queued_at": utcnow()},
            about=("candidate", candidate_id),
        )
        db.session.commit()
        assert colleague is not None
        assert messages_of(candidate_id) == len(MessageStatus)
        # The fixture's interviews invited their interviewers: messages about the candidate.
        about_interviews = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.object_type == "interview")
        )
        assert about_interviews > 0

        erased = privacy.erase_candidate(
            db.session.get(Candidate, candidate_id),
            actor=recruiter,
            expected_version=None,
            remove_cv=configured_store().delete_if_present,
        )

        # To the candidate, about the candidate (the colleague's), about their interviews.
        assert erased.messages == len(MessageStatus) + 1 + about_interviews
        assert messages_of(candidate_id) == 0
        remaining = set(db.session.scalars(select(OutboxMessage.id)))
        assert remaining == {others}
        attachments = db.session.scalars(select(OutboxAttachment.message_id)).all()
        assert attachments == [others]  # the candidate's attachments went with their messages
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "candidate.erase"))
        assert event.summary["messages"] == erased.messages

    # Nothing to or about the erased candidate goes out afterwards.
    worker.run_once(app, worker="w1")
    assert [r.recipients[0] for r in mail_to_smtp.received] == ["olive@example.org"]


def test_the_erasure_page_says_messages_go_too(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/candidates/{hiring_objects['candidate_id']}/erase")
    assert "every e-mail message to the candidate" in page.get_data(as_text=True)


def test_an_erasure_that_fails_keeps_the_messages(app, users, hiring_objects, monkeypatch):
    """The deletion is part of the erasure's transaction: an erasure that fails before its
    commit deletes nothing."""
    candidate_id = hiring_objects["candidate_id"]

    def audit_fails(*args, **kwargs):
        raise RuntimeError("the audit log cannot be written")

    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        to_candidate(candidate, MessageStatus.SENT)
        monkeypatch.setattr(privacy.audit, "record", audit_fails)
        with pytest.raises(RuntimeError):
            privacy.erase_candidate(
                candidate,
                actor=db.session.get(User, users["recruiter"]),
                expected_version=None,
                remove_cv=None,
            )
        db.session.rollback()
        assert messages_of(candidate_id) == 1
        assert db.session.get(Candidate, candidate_id).erased_at is None
