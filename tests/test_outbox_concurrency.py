"""Workers at the same time, over a database that really commits: every message delivered
exactly once, every periodic job slot run once.

On PostgreSQL the workers are threads, each with its own app context and connection,
started together; on SQLite (one writer at a time: one worker, as the README says) the
worker is a real `flask worker --once` process.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.clock import utcnow
from app.db import db
from app.models import JobRun, OutboxMessage
from app.notifications import worker
from app.services import jobs, outbox
from pipelines.outbox import MessageStatus

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = 500


def migrated_app(database_url: str, tmp_path: Path, **config: object) -> Flask:
    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CV_STORAGE_DIR": tmp_path / "cv",
            **config,
        }
    )
    with app.app_context():
        upgrade()
    return app


def queue_many(app: Flask, count: int) -> set[str]:
    """``count`` test messages to distinct addresses, in one transaction; their Message-IDs."""
    with app.app_context():
        ids = set()
        rendered = None
        for i in range(count):
            recipient = outbox.Recipient(f"Person {i}", f"person{i}@example.org")
            if rendered is None:
                rendered = outbox.render("test", recipient, {"queued_at": utcnow()})
            message = outbox.queue("test", recipient, {}, rendered=rendered)
            assert message is not None
            ids.add(message.message_id)
        db.session.commit()
        db.session.remove()
    return ids


def run_together(count: int, work) -> list[object]:
    """Run ``work(i)`` in ``count`` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def one(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as error:
            results[i] = error

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    return results


def test_each_of_500_messages_is_delivered_exactly_once(fresh_database_url, tmp_path, smtp_server):
    postgres = fresh_database_url.startswith("postgresql")
    app = migrated_app(fresh_database_url, tmp_path, SMTP_URL=smtp_server.url)
    queued = queue_many(app, MESSAGES)
    assert len(queued) == MESSAGES

    if postgres:
        reports = run_together(3, lambda i: worker.run_once(app, worker=f"w{i}"))
        delivered = [r.sent for r in reports]  # type: ignore[attr-defined]
        assert sum(delivered) == MESSAGES
        assert sum(1 for n in delivered if n) >= 2, delivered  # the work was really shared
    else:
        env = {
            **os.environ,
            "FLASK_APP": "wsgi.py",
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "x",
            "DATABASE_URL": fresh_database_url,
            "HIRELADDER_SMTP_URL": smtp_server.url,
            "HIRELADDER_CV_DIR": str(tmp_path / "cv"),
        }
        done = subprocess.run(
            [sys.executable, "-m", "flask", "worker", "--once"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert f"{MESSAGES} delivered, 0 to retry, 0 given up" in done.stdout

    arrived = Counter(r.message_id for r in smtp_server.received)
    assert set(arrived) == queued
    assert max(arrived.values()) == 1
    assert sorted(r.recipients[0] for r in smtp_server.received) == sorted(
        f"person{i}@example.org" for i in range(MESSAGES)
    )
    with app.app_context():
        states = dict(
            db.session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
        assert states == {MessageStatus.SENT: MESSAGES}
        assert db.session.scalar(select(func.max(OutboxMessage.attempts))) == 1
        db.session.remove()
        db.engine.dispose()


def test_a_delivery_is_recorded_while_the_web_server_holds_the_write_lock(
    fresh_database_url, tmp_path, smtp_server, monkeypatch
):
    """SQLite: the web server writes (holds the write lock) at the moment the worker
    records a delivery. The worker waits for the lock instead of failing, which would leave
    the message claimed and send it again once the claim ran out."""
    if not fresh_database_url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock; PostgreSQL locks rows")
    app = migrated_app(fresh_database_url, tmp_path, SMTP_URL=smtp_server.url)
    queue_many(app, 1)
    held, release = threading.Event(), threading.Event()

    def web_server_writing() -> None:
        connection = sqlite3.connect(fresh_database_url.removeprefix("sqlite:///"))
        connection.isolation_level = None
        connection.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait(timeout=10)
        connection.execute("ROLLBACK")
        connection.close()

    real_transport_for = worker.transport_for

    class Transport:
        def __init__(self) -> None:
            self.inner = real_transport_for(app)

        def send(self, message) -> None:
            self.inner.send(message)
            threading.Thread(target=web_server_writing).start()
            assert held.wait(timeout=10)
            threading.Timer(0.3, release.set).start()

        def close(self) -> None:
            self.inner.close()

    monkeypatch.setattr(worker, "transport_for", lambda app: Transport())
    report = worker.run_once(app, worker="w1")
    assert report.sent == 1
    assert len(smtp_server.received) == 1
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) is MessageStatus.SENT
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("workers", [2, 4])
def test_workers_racing_for_the_same_job_slot_run_it_once(fresh_database_url, tmp_path, workers):
    app = migrated_app(fresh_database_url, tmp_path)
    runs: list[tuple[str, datetime]] = []
    lock = threading.Lock()

    def count(now: datetime) -> str:
        with lock:
            runs.append((threading.current_thread().name, now))
        return "counted"

    job = jobs.Job("race", timedelta(days=1), count, "A job for the test.")
    days = [datetime(2026, 12, d, 6, 0, tzinfo=UTC) for d in range(1, 21)]
    for day in days:

        def ask(i: int, day: datetime = day) -> list[tuple[str, str]]:
            with app.app_context():
                try:
                    return jobs.run_due([job], f"w{i}", day)
                finally:
                    db.session.remove()

        outcomes = run_together(workers, ask)
        assert sorted(map(len, outcomes)) == [0] * (workers - 1) + [1], (day, outcomes)  # type: ignore[arg-type]

    assert [now for _thread, now in runs] == days
    with app.app_context():
        slots = db.session.scalars(select(JobRun.slot).where(JobRun.job == "race")).all()
        assert sorted(slots) == [d.strftime("%Y-%m-%d") for d in days]
        db.session.remove()
        db.engine.dispose()
