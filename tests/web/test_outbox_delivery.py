"""Delivery guarantees of the outbox, against a real SMTP server (tests/mail_server.py).

Time is passed to the worker (``run_once(now=...)``) and moved forward by the tests; nothing
sleeps. What each test shows is in its name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.clock import utcnow
from app.db import db
from app.models import AuditEvent, JobRun, OutboxAttachment, OutboxMessage
from app.notifications import worker
from app.notifications.smtp import Attachment
from app.services import audit, jobs, mail_test, outbox
from pipelines.outbox import CLAIM_LEASE, MAX_ATTEMPTS, MessageStatus, retry_delay
from tests.conftest import login_as

ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//HireLadder//tests//EN\r\nMETHOD:REQUEST\r\n"
    b"BEGIN:VEVENT\r\nUID:interview-7@hireladder\r\nSEQUENCE:0\r\n"
    b"DTSTART:20261201T150000Z\r\nDTEND:20261201T153000Z\r\nSUMMARY:Peer interview\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


class Clock:
    """The worker's clock in a test: starts a moment after now and moves when told."""

    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def queue_one(
    app: Flask, *, address: str = "ada@example.org", name: str | None = "Ada Lovelace", **kw
) -> tuple[int, str]:
    """Queue a test message and commit; returns its row id and Message-ID."""
    with app.app_context():
        message = outbox.queue(
            "test", outbox.Recipient(name, address), {"queued_at": utcnow()}, **kw
        )
        assert message is not None
        db.session.commit()
        return message.id, message.message_id


def row(app: Flask, message_id: int) -> OutboxMessage:
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        assert message is not None
        db.session.expunge(message)
        return message


def count_messages(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def run(app: Flask, clock: Callable[[], datetime], name: str = "w1") -> worker.Report:
    return worker.run_once(app, worker=name, now=clock)


def idle(report: worker.Report) -> bool:
    """Nothing delivered, retried or given up (periodic jobs may have run)."""
    return (report.sent, report.retried, report.dead) == (0, 0, 0)


# --- arrival ------------------------------------------------------------------------------


def test_a_message_arrives_with_its_recipient_subject_text_html_and_attachment(
    app, mail_to_smtp, clock
):
    message_id, header_id = queue_one(
        app,
        attachments=[
            Attachment("interview.ics", "text/calendar; method=REQUEST; charset=utf-8", ICS)
        ],
    )
    report = run(app, clock)
    assert (report.sent, report.retried, report.dead) == (1, 0, 0)
    [received] = mail_to_smtp.received
    assert received.recipients == ["ada@example.org"]
    assert received.sender == "hireladder@localhost"
    assert received.message["From"] == app.config["MAIL_FROM"]
    assert received.message["To"] == "Ada Lovelace <ada@example.org>"
    assert received.subject == "HireLadder test message"
    assert received.message_id == header_id
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert "outgoing mail works" in received.text()
    assert "<p>" in received.html() and "outgoing mail works" in received.html()
    [attachment] = received.attachments()
    assert attachment.get_filename() == "interview.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_payload(decode=True) == ICS
    stored = row(app, message_id)
    assert stored.status is MessageStatus.SENT
    assert (stored.attempts, stored.sent_at, stored.claimed_by) == (1, clock.now, None)


def test_without_a_mail_server_messages_are_kept_not_sent(app, smtp_server, clock):
    assert not app.config.get("SMTP_URL")
    message_id, _ = queue_one(app)
    assert run(app, clock).sent == 1
    assert row(app, message_id).status is MessageStatus.KEPT
    assert smtp_server.received == []


# --- failures and retries -----------------------------------------------------------------


def test_server_down_then_back_is_retried_with_back_off_and_delivered_once(
    app, mail_to_smtp, clock
):
    message_id, header_id = queue_one(app)
    mail_to_smtp.stop()
    first_try = clock.now
    report = run(app, clock)
    assert (report.sent, report.retried) == (0, 1)
    message = row(app, message_id)
    assert message.status is MessageStatus.QUEUED
    assert message.attempts == 1
    assert message.due_at == first_try + timedelta(minutes=1)
    assert "cannot reach the mail server" in message.last_error

    clock.advance(timedelta(seconds=30))  # not due yet: nobody tries
    assert idle(run(app, clock))
    second_try = clock.advance(timedelta(seconds=31))  # due, and the server is still down
    assert run(app, clock).retried == 1
    assert row(app, message_id).due_at == second_try + timedelta(minutes=2)  # doubled

    mail_to_smtp.start()
    clock.advance(timedelta(minutes=2) - timedelta(seconds=1))
    assert run(app, clock).sent == 0  # back, but the message waits out its back-off
    clock.advance(timedelta(seconds=2))
    assert run(app, clock).sent == 1
    clock.advance(timedelta(hours=1))
    assert idle(run(app, clock))
    [received] = mail_to_smtp.received
    assert received.message_id == header_id
    message = row(app, message_id)
    assert (message.status, message.attempts, message.last_error) == (
        MessageStatus.SENT,
        3,
        None,
    )


def test_a_server_down_leaves_the_rest_of_the_batch_queued_untried(app, mail_to_smtp, clock):
    ids = [queue_one(app, address=f"person{i}@example.org")[0] for i in range(3)]
    mail_to_smtp.stop()
    run(app, clock)
    attempts = sorted(row(app, i).attempts for i in ids)
    assert attempts == [0, 0, 1]  # one attempt counted; the others given back as they were
    assert all(row(app, i).status is MessageStatus.QUEUED for i in ids)
    mail_to_smtp.start()
    clock.advance(timedelta(minutes=1, seconds=1))
    assert run(app, clock).sent == 3
    assert sorted(r.recipients[0] for r in mail_to_smtp.received) == [
        f"person{i}@example.org" for i in range(3)
    ]


def test_a_permanent_refusal_makes_the_message_dead_at_once(app, mail_to_smtp, clock):
    message_id, _ = queue_one(app)
    mail_to_smtp.handler.refuse = "550 5.1.1 No such mailbox here"
    report = run(app, clock)
    assert (report.sent, report.retried, report.dead) == (0, 0, 1)
    message = row(app, message_id)
    assert (message.status, message.attempts) == (MessageStatus.DEAD, 1)
    assert "550" in message.last_error and "No such mailbox" in message.last_error
    mail_to_smtp.handler.refuse = None
    clock.advance(timedelta(days=2))
    assert idle(run(app, clock))  # a dead message waits for a person
    assert mail_to_smtp.received == []


def test_a_temporary_refusal_is_retried_and_then_delivered(app, mail_to_smtp, clock):
    message_id, header_id = queue_one(app)
    mail_to_smtp.handler.refuse = "451 4.3.0 Mailbox busy, try again later"
    assert run(app, clock).retried == 1
    message = row(app, message_id)
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert "451" in message.last_error
    mail_to_smtp.handler.refuse = None
    clock.advance(timedelta(minutes=1))
    assert run(app, clock).sent == 1
    [received] = mail_to_smtp.received
    assert received.message_id == header_id


def test_attempts_used_up_make_the_message_dead_after_doubling_waits(app, mail_to_smtp, clock):
    message_id, _ = queue_one(app)
    mail_to_smtp.handler.refuse = "421 4.7.0 Too busy"
    for attempt in range(1, MAX_ATTEMPTS):
        assert run(app, clock).retried == 1, attempt
        message = row(app, message_id)
        assert (message.status, message.attempts) == (MessageStatus.QUEUED, attempt)
        assert message.due_at - clock.now == retry_delay(attempt)
        clock.advance(retry_delay(attempt) - timedelta(seconds=1))
        assert idle(run(app, clock))  # not a second early
        clock.advance(timedelta(seconds=1))
    assert run(app, clock).dead == 1
    message = row(app, message_id)
    assert (message.status, message.attempts) == (MessageStatus.DEAD, MAX_ATTEMPTS)
    assert mail_to_smtp.received == []


def test_an_admin_retry_of_a_dead_message_delivers_it_with_the_same_message_id(
    app, client, users, mail_to_smtp, clock
):
    message_id, header_id = queue_one(app)
    mail_to_smtp.handler.refuse = "554 5.7.1 Relay refused"
    assert run(app, clock).dead == 1
    mail_to_smtp.handler.refuse = None
    login_as(app, client, users["admin"])
    response = client.post(
        f"/admin/mail/{message_id}/retry", data={"version": row(app, message_id).version}
    )
    assert response.status_code == 303
    message = row(app, message_id)
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)
    assert run(app, clock).sent == 1
    [received] = mail_to_smtp.received
    assert received.message_id == header_id
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.retry"))
        assert event is not None and event.object_id == str(message_id)
        assert event.actor_id == users["admin"]
        assert "ada@example.org" not in str(event.summary)


# --- nothing for a change that did not commit ---------------------------------------------


def test_a_rolled_back_change_queues_nothing(app, mail_to_smtp, clock):
    with app.app_context():
        queued = outbox.queue(
            "test",
            outbox.Recipient(None, "ada@example.org"),
            {"queued_at": utcnow()},
            attachments=[Attachment("a.ics", "text/calendar", ICS)],
        )
        assert queued is not None
        db.session.flush()  # written in the change's transaction ...
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        db.session.rollback()  # ... and gone with it
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxAttachment)) == 0
    assert idle(run(app, clock))
    assert mail_to_smtp.received == []


def test_a_service_that_fails_after_queueing_sends_nothing(
    app, runner, mail_to_smtp, clock, monkeypatch
):
    """`flask mail test` queues its message, then fails to write its audit row: the command
    fails and its transaction, message included, is rolled back."""

    def audit_fails(*args, **kwargs):
        raise RuntimeError("the audit log cannot be written")

    monkeypatch.setattr(mail_test.audit, "record", audit_fails)
    result = runner.invoke(args=["mail", "test", "ada@example.org"])
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    monkeypatch.setattr(mail_test.audit, "record", audit.record)
    assert count_messages(app) == 0
    assert idle(run(app, clock))
    assert mail_to_smtp.received == []


def test_the_same_service_queues_when_it_commits(app, runner, mail_to_smtp, clock):
    """The counterpart of the test above: the path itself does deliver."""
    result = runner.invoke(args=["mail", "test", "ada@example.org"])
    assert result.exit_code == 0, result.output
    assert count_messages(app) == 1
    assert run(app, clock).sent == 1
    assert len(mail_to_smtp.received) == 1


# --- crashes ------------------------------------------------------------------------------


def test_a_crashed_workers_claim_is_taken_over_after_the_lease_with_the_same_message_id(
    app, mail_to_smtp, clock
):
    message_id, header_id = queue_one(app)
    with app.app_context():
        assert outbox.claim("crashed-worker", clock.now, 10) == [message_id]
    message = row(app, message_id)
    assert message.status is MessageStatus.SENDING
    stale_claim = message  # what the crashed worker held

    clock.advance(CLAIM_LEASE - timedelta(seconds=1))
    assert idle(run(app, clock, "w2"))  # the lease still holds
    clock.advance(timedelta(seconds=2))
    assert run(app, clock, "w2").sent == 1
    [received] = mail_to_smtp.received
    assert received.message_id == header_id

    # The crashed worker comes back and records its delivery: its claim is gone.
    with app.app_context():
        assert outbox.mark_sent(stale_claim, clock.now) is False
    message = row(app, message_id)
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


def test_a_crash_between_sending_and_recording_resends_under_the_same_message_id(
    app, mail_to_smtp, clock, monkeypatch
):
    """At least once, recognisably: the server got the message, the worker died before it
    wrote that down; the next worker sends it again with the same Message-ID, which the
    receiving side can use to drop the copy."""
    message_id, header_id = queue_one(app)

    class Killed(Exception):
        pass

    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(outbox, "mark_sent", killed)
    with pytest.raises(Killed):
        run(app, clock, "w1")
    monkeypatch.undo()
    assert row(app, message_id).status is MessageStatus.SENDING
    clock.advance(CLAIM_LEASE + timedelta(seconds=1))
    assert run(app, clock, "w2").sent == 1
    assert [r.message_id for r in mail_to_smtp.received] == [header_id, header_id]
    assert row(app, message_id).status is MessageStatus.SENT


def test_a_batch_that_outlasts_its_claim_does_not_send_what_another_worker_took_over(
    app, mail_to_smtp, clock, monkeypatch
):
    """A slow server: by the time the first message of a batch is sent and recorded, the
    claim on the rest has run out and another worker has claimed them. The first worker
    must leave them to it."""
    first_id, _ = queue_one(app, address="first@example.org")
    second_id, second_header = queue_one(app, address="second@example.org")
    real_mark_sent = outbox.mark_sent

    def slow_mark_sent(message, now, **kwargs):
        recorded = real_mark_sent(message, now, **kwargs)
        if message.id == first_id:
            clock.advance(CLAIM_LEASE + timedelta(seconds=1))
            with app.app_context():  # meanwhile, another worker
                assert outbox.claim("w2", clock.now, 10) == [second_id]
        return recorded

    monkeypatch.setattr(outbox, "mark_sent", slow_mark_sent)
    report = run(app, clock, "w1")
    assert (report.sent, report.released) == (1, 1)
    assert [r.recipients for r in mail_to_smtp.received] == [["first@example.org"]]
    second = row(app, second_id)
    assert second.status is MessageStatus.SENDING and second.claimed_by.startswith("w2:")
    monkeypatch.undo()
    clock.advance(CLAIM_LEASE + timedelta(seconds=1))  # w2 never finished either
    assert run(app, clock, "w3").sent == 1
    assert [r.message_id for r in mail_to_smtp.to("second@example.org")] == [second_header]
    assert row(app, first_id).status is MessageStatus.SENT


# --- the commands -------------------------------------------------------------------------


def test_worker_once_on_the_command_line_delivers_what_is_due(app, runner, mail_to_smtp):
    queue_one(app)
    queue_one(app, address="grace@example.org")
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "2 delivered, 0 to retry, 0 given up" in result.output
    assert sorted(r.recipients[0] for r in mail_to_smtp.received) == [
        "ada@example.org",
        "grace@example.org",
    ]
    again = runner.invoke(args=["worker", "--once"])
    assert "0 delivered" in again.output
    assert len(mail_to_smtp.received) == 2


def test_mail_test_on_the_command_line_queues_a_message_the_worker_delivers(
    app, runner, mail_to_smtp
):
    result = runner.invoke(args=["mail", "test", "Ada@Example.org"])
    assert result.exit_code == 0, result.output
    assert "queued for Ada@Example.org" in result.output
    assert "0 delivered" not in runner.invoke(args=["worker", "--once"]).output
    [received] = mail_to_smtp.received
    assert received.recipients == ["Ada@example.org"]  # the domain normalised
    assert received.subject == "HireLadder test message"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.test"))
        assert event is not None and event.channel == "cli"


def test_mail_test_refuses_what_is_not_an_address(app, runner):
    result = runner.invoke(args=["mail", "test", "not-an-address"])
    assert result.exit_code != 0
    assert "'not-an-address' is not an e-mail address" in result.output
    assert count_messages(app) == 0


def test_the_worker_refuses_to_run_in_production_without_a_mail_server(app, runner):
    before = app.config["HIRELADDER_ENV"], app.config.get("SMTP_URL")
    app.config.update(HIRELADDER_ENV="production", SMTP_URL=None)
    try:
        result = runner.invoke(args=["worker", "--once"])
    finally:
        app.config["HIRELADDER_ENV"], app.config["SMTP_URL"] = before
    assert result.exit_code != 0
    assert "HIRELADDER_SMTP_URL is not set" in result.output


# --- periodic jobs ------------------------------------------------------------------------


def test_a_periodic_job_runs_once_per_slot_whichever_workers_ask(app):
    runs: list[datetime] = []

    def count(now: datetime) -> str:
        runs.append(now)
        return "counted"

    job = jobs.Job("count", timedelta(hours=1), count, "A job for the test.")
    nine_ten = datetime(2026, 12, 1, 9, 10, tzinfo=UTC)
    with app.app_context():
        assert jobs.run_due([job], "w1", nine_ten) == [("count", "ok: counted")]
        assert jobs.run_due([job], "w2", nine_ten) == []
        assert jobs.run_due([job], "w1", nine_ten + timedelta(minutes=49)) == []
        assert jobs.run_due([job], "w2", nine_ten + timedelta(minutes=50)) == [
            ("count", "ok: counted")
        ]
        rows = db.session.scalars(select(JobRun).where(JobRun.job == "count")).all()
    assert runs == [nine_ten, nine_ten + timedelta(minutes=50)]
    assert sorted((r.slot, r.worker) for r in rows) == [
        ("2026-12-01T09", "w1"),
        ("2026-12-01T10", "w2"),
    ]
    assert all(r.outcome == "ok: counted" and r.finished_at is not None for r in rows)


def test_a_failing_job_is_recorded_as_failed_and_its_slot_is_not_run_again(app, clock):
    def broken(now: datetime) -> str:
        raise RuntimeError("the reminders could not be computed")

    job = jobs.Job("broken", timedelta(days=1), broken, "A job that fails.")
    with app.app_context():
        [(_job, outcome)] = jobs.run_due([job], "w1", clock.now)
        assert outcome == "failed: RuntimeError: the reminders could not be computed"
        assert jobs.run_due([job], "w2", clock.now) == []
