"""Outgoing mail: the worker's delivery rate, and what queueing messages adds to a change.

Each database is fresh (SQLite in a temporary folder; PostgreSQL when a server is named,
in a database of its own that is dropped at the end), built by the migrations.

* **delivery rate**: ``--messages`` test messages are queued (and committed), then
  ``flask worker``'s round (``run_once``) delivers them all to a local SMTP server
  (aiosmtpd, on 127.0.0.1, accepting everything): messages per second from the first
  arrival to the last, with one worker, and on PostgreSQL also with ``--workers`` worker
  processes (`flask worker --once`) at once. Also the rate when no server is configured
  (messages kept for the admin Mail page, as in development). The SMTP server runs in
  this process (one asyncio thread): with several workers it may be what limits the rate.
* **cost of queueing**: the same state change through its service, rescheduling an
  interview with two interviewers (``interviews.schedule_interview``: checks, update, audit
  row, commit), with its own trigger (``invitations.queue_messages``: one invitation per
  interviewer, rendered subject, text and HTML and a .ics attachment, queued in the same
  transaction) switched off and on. The two alternate call by call after a warm-up; medians and
  their ratio, measured in the same run.

The script prints figures; it asserts no time. Exit 1 only when a message is lost or
delivered twice.

    .venv/bin/python bench/mail_bench.py [--messages N] [--changes M] [--workers W]
                                         [--database-url postgresql://user@host/name]

``--database-url`` defaults to ``BENCH_DATABASE_URL`` (a server; the bench creates and
drops a database ``<name>_mailbench_<random>`` next to the one named).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.clock import utcnow  # noqa: E402
from app.db import db  # noqa: E402
from app.models import Application, OutboxMessage, Role, User  # noqa: E402
from app.notifications import worker  # noqa: E402
from app.notifications.smtp import Attachment  # noqa: E402
from app.services import accounts, hiring, interviews, invitations, outbox  # noqa: E402
from bench.support import fresh_database, p95  # noqa: E402

PASSWORD = "correct horse battery staple"  # noqa: S105 - users of a throwaway database
WARMUP = 10
ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//HireLadder//bench//EN\r\nMETHOD:REQUEST\r\n"
    b"BEGIN:VEVENT\r\nUID:interview-1@hireladder\r\nSEQUENCE:1\r\n"
    b"DTSTAMP:20261201T090000Z\r\nDTSTART:20261201T150000Z\r\nDTEND:20261201T153000Z\r\n"
    b"SUMMARY:Peer interview: Casey Candidate (Senior CSM\\, EMEA)\r\n"
    b"ORGANIZER;CN=Hank Manager:mailto:hank@example.org\r\n"
    b"ATTENDEE;CN=Ivy Interviewer;ROLE=REQ-PARTICIPANT:mailto:ivy@example.org\r\n"
    b"ATTENDEE;CN=Ian Interviewer;ROLE=REQ-PARTICIPANT:mailto:ian@example.org\r\n"
    b"LOCATION:Video call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


# --- a local SMTP server ------------------------------------------------------------------


class Sink:
    """Accepts every message; counts them by Message-ID and notes when each arrived."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.arrivals: list[float] = []
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self.ids.clear()
            self.arrivals.clear()

    def steady_rate(self) -> float:
        """Messages per second from the first arrival to the last (start-up excluded)."""
        if len(self.arrivals) < 2:
            return 0.0
        return (len(self.arrivals) - 1) / (max(self.arrivals) - min(self.arrivals))

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.content
        start = content.find(b"Message-ID: ")
        message_id = (
            content[start + 12 : content.find(b"\r\n", start)].decode() if start >= 0 else ""
        )
        with self._lock:
            self.ids[message_id] += 1
            self.arrivals.append(time.perf_counter())
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[str, Sink]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}?timeout=10", sink
    finally:
        controller.stop()


# --- databases ----------------------------------------------------------------------------


def make_app(url: str, tmp: Path, smtp_url: str | None) -> Flask:
    os.environ["HIRELADDER_ENV"] = "testing"
    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "bench-secret-key",
            "SQLALCHEMY_DATABASE_URI": url,
            "CV_STORAGE_DIR": tmp / "cv",
            "SMTP_URL": smtp_url,
        }
    )
    logging.disable(logging.INFO)  # alembic's progress lines
    try:
        with app.app_context():
            upgrade()
    finally:
        logging.disable(logging.NOTSET)
    return app


def dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# --- (a) delivery rate --------------------------------------------------------------------


def queue_test_messages(app: Flask, count: int) -> float:
    """``count`` messages in one transaction; seconds taken."""
    start = time.perf_counter()
    with app.app_context():
        for i in range(count):
            recipient = outbox.Recipient(f"Person {i}", f"person{i}@example.org")
            outbox.queue(
                "test",
                recipient,
                {"queued_at": utcnow()},
                attachments=[Attachment("interview.ics", "text/calendar; method=REQUEST", ICS)],
            )
        db.session.commit()
        db.session.remove()
    return time.perf_counter() - start


def deliver_in_process(app: Flask) -> float:
    """Seconds for one worker round (``run_once``) to deliver everything due."""
    start = time.perf_counter()
    worker.run_once(app, worker="bench")
    return time.perf_counter() - start


def deliver_in_processes(url: str, smtp_url: str, tmp: Path, workers: int) -> list[str]:
    """``workers`` processes of `flask worker --once` at once; what each said."""
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "HIRELADDER_ENV": "testing",
        "SECRET_KEY": "bench-secret-key",
        "DATABASE_URL": url,
        "HIRELADDER_SMTP_URL": smtp_url,
        "HIRELADDER_CV_DIR": str(tmp / "cv"),
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "worker", "--once"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(workers)
    ]
    said = []
    for process in processes:
        out, _ = process.communicate(timeout=600)
        said.append(out.strip().removeprefix("Worker: ").split(",")[0])
    return said


def clear_outbox(app: Flask) -> None:
    with app.app_context():
        db.session.execute(OutboxMessage.__table__.delete())
        db.session.commit()
        db.session.remove()


def delivery_rate(label: str, url: str, tmp: Path, count: int, workers: int) -> bool:
    """Print the rates; False when a message was lost or delivered twice."""
    ok = True
    with smtp_server() as (smtp_url, sink):
        app = make_app(url, tmp, smtp_url)
        runs = [1] + ([workers] if label == "PostgreSQL" and workers > 1 else [])
        for n in runs:
            clear_outbox(app)
            sink.clear()
            queued = queue_test_messages(app, count)
            if n == 1:
                seconds = deliver_in_process(app)
                how = f"{count} in {seconds:5.2f} s"
            else:
                said = deliver_in_processes(url, smtp_url, tmp, n)
                how = f"{' + '.join(said)}"
            twice = sum(1 for v in sink.ids.values() if v > 1)
            lost = count - len(sink.ids)
            ok = ok and not twice and not lost
            kind = "1 worker" if n == 1 else f"{n} worker processes"
            print(
                f"  SMTP, {kind + ':':<21} {sink.steady_rate():5.0f} messages/s first to last"
                f" arrival ({how}; queued in {queued:4.2f} s; lost {lost}, twice {twice})"
            )
        dispose(app)
    app = make_app(url, tmp, None)
    clear_outbox(app)
    queue_test_messages(app, count)
    seconds = deliver_in_process(app)
    with app.app_context():
        kept = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "kept")
        )
    ok = ok and kept == count
    print(
        f"  {'kept (no server), 1 worker:':<27} {count / seconds:5.0f} messages/s"
        f" ({count} in {seconds:5.2f} s)"
    )
    dispose(app)
    return ok


# --- (b) the cost of queueing -------------------------------------------------------------


def populate(app: Flask) -> dict[str, Any]:
    with app.app_context():

        def user(email: str, name: str, roles: list[Role]) -> User:
            return accounts.create_user(email, name, PASSWORD, roles, actor=None, channel="system")

        recruiter = user("rita@example.org", "Rita Recruiter", [Role.RECRUITER])
        manager = user("hank@example.org", "Hank Manager", [Role.HIRING_MANAGER])
        panel = [
            user("ivy@example.org", "Ivy Interviewer", [Role.INTERVIEWER]),
            user("ian@example.org", "Ian Interviewer", [Role.INTERVIEWER]),
        ]
        requisition = hiring.create_requisition(
            title="Senior CSM, EMEA",
            level_id="senior-csm",
            specialty_id=None,
            hiring_manager=manager,
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        candidate = hiring.add_candidate(
            hiring.CandidateDetails(name="Casey Candidate", email="casey@example.org"),
            actor=recruiter,
        )
        application = hiring.open_application(candidate, requisition, actor=recruiter)
        ids = {
            "application": application.id,
            "recruiter": recruiter.id,
            "panel": [u.id for u in panel],
        }
        db.session.remove()
    return ids


class Invitations:
    """Switches the scheduling service's own trigger (``invitations.queue_messages``, which
    renders and queues one invitation with its .ics per interviewer) on and off, and
    counts what it queued."""

    def __init__(self) -> None:
        self.on = True
        self.queued = 0
        self._real = invitations.queue_messages

    def __call__(self, *args: Any, **kwargs: Any) -> int:
        if not self.on:
            return 0
        queued = self._real(*args, **kwargs)
        self.queued += queued
        return queued


def queueing_cost(label: str, url: str, tmp: Path, changes: int) -> None:
    app = make_app(url, tmp, None)
    ids = populate(app)
    trigger = Invitations()
    starts = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    with app.app_context():
        application = db.session.get(Application, ids["application"])
        recruiter = db.session.get(User, ids["recruiter"])
        panel = [db.session.get(User, uid) for uid in ids["panel"]]
        before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        invitations.queue_messages = trigger  # type: ignore[assignment]
        counter = [0]

        def reschedule() -> None:
            counter[0] += 1
            interviews.schedule_interview(
                application,
                stage_id="peer-interview",
                interviewers=panel,
                starts_at=starts + timedelta(minutes=counter[0]),
                location="Video call",
                actor=recruiter,
            )

        def without() -> None:
            trigger.on = False
            reschedule()

        def with_messages() -> None:
            trigger.on = True
            reschedule()

        try:
            for _ in range(WARMUP):
                without()
                with_messages()
            plain: list[float] = []
            queued: list[float] = []
            for round_ in range(changes):
                pair = [(without, plain), (with_messages, queued)]
                for func_, samples in pair if round_ % 2 == 0 else reversed(pair):
                    start = time.perf_counter()
                    func_()
                    samples.append((time.perf_counter() - start) * 1000)
        finally:
            invitations.queue_messages = trigger._real  # type: ignore[assignment]
        messages = db.session.scalar(select(func.count()).select_from(OutboxMessage)) - before
        db.session.remove()
    dispose(app)
    # Every rescheduling with the trigger on queued one invitation per interviewer.
    assert messages == trigger.queued == (WARMUP + changes) * len(ids["panel"])
    ratio = statistics.median(queued) / statistics.median(plain)
    print(
        f"  reschedule, no message:        median {statistics.median(plain):6.2f} ms"
        f"   p95 {p95(plain):6.2f} ms   (n={len(plain)})"
    )
    print(
        f"  reschedule, 2 queued messages: median {statistics.median(queued):6.2f} ms"
        f"   p95 {p95(queued):6.2f} ms   (n={len(queued)})"
    )
    print(
        f"  with / without: {ratio:.2f}x the time "
        f"(+{statistics.median(queued) - statistics.median(plain):.2f} ms for 2 messages)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500, help="messages to deliver")
    parser.add_argument("--changes", type=int, default=200, help="timed changes of each kind")
    parser.add_argument("--workers", type=int, default=3, help="workers at once (PostgreSQL)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="a PostgreSQL server to measure on too (default BENCH_DATABASE_URL)",
    )
    args = parser.parse_args(argv)
    if args.messages < 1 or args.changes < 2 or args.workers < 1:
        parser.error("need --messages >= 1, --changes >= 2 and --workers >= 1")
    logging.getLogger("hireladder.worker").setLevel(logging.WARNING)
    ok = True
    tmp = Path(tempfile.mkdtemp(prefix="hireladder-mail-bench-"))
    try:
        for server in [None] + ([args.database_url] if args.database_url else []):
            with fresh_database(server, tmp, "mail") as (label, url):
                print(f"{label}: delivery of {args.messages} messages (with a .ics attachment)")
                ok = delivery_rate(label, url, tmp, args.messages, args.workers) and ok
            with fresh_database(server, tmp, "mail") as (label, url):
                print(f"{label}: cost of queueing a change's messages, {args.changes} changes each")
                queueing_cost(label, url, tmp, args.changes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not ok:
        print("a message was lost or delivered twice", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
