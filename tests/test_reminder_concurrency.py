"""Two workers run the reminder job at the same moment on one PostgreSQL database (real
commits, two connections): the interviewer gets one reminder, and neither run fails.
SQLite runs one worker, so the test needs PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.db import db
from app.models import OutboxMessage, Role
from app.services import accounts, hiring, interviews, outbox, reminders
from tests.test_concurrency import PASSWORD, _migrated_app, _requisition_with_a_candidate

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _overdue_interview() -> None:
    recruiter, _, requisition, candidate = _requisition_with_a_candidate()
    interviewer = accounts.create_user(
        "ivy@example.org", "Ivy", PASSWORD, [Role.INTERVIEWER], actor=None
    )
    application = hiring.open_application(candidate, requisition, actor=recruiter)
    interviews.schedule_interview(
        application,
        stage_id="peer-interview",
        interviewers=[interviewer],
        starts_at=datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
        location=None,
        actor=recruiter,
    )


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="several workers need PostgreSQL"
)
def test_two_workers_at_once_queue_one_reminder(fresh_database_url, tmp_path, monkeypatch):
    app = _migrated_app(fresh_database_url, tmp_path)
    with app.app_context():
        _overdue_interview()
        db.session.remove()

    barrier = threading.Barrier(2)
    waited = threading.local()
    real_queue = outbox.queue

    def queue_then_wait(*args, **kwargs):
        # Both runs have looked for the day's reminder and found none before either
        # commits: the database alone can keep the second out.
        message = real_queue(*args, **kwargs)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait(timeout=10)
        return message

    monkeypatch.setattr(reminders.outbox, "queue", queue_then_wait)
    outcomes: list[str] = []

    def run() -> None:
        with app.app_context():
            try:
                outcomes.append(f"queued {reminders.send_scorecard_reminders(NOW)}")
            except Exception as exc:
                outcomes.append(f"error: {exc!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["queued 0", "queued 1"], outcomes
    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "scorecard_reminder")
        )
        assert count == 1
        db.session.remove()
        db.engine.dispose()
