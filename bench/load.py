"""The scaled-out deployment under load, with failures midway: are accepted writes kept?

Models the production layout of the README on one machine: ``--machines`` gunicorn
servers (each ``--workers`` sync worker processes, as on separate web machines behind a
load balancer: the clients here take them in turn), one ``flask worker`` (the outbox's
mail, to an SMTP server this script runs), one PostgreSQL, and Redis holding the rate
limits every process shares. The database is new, filled by ``bench/generate.py`` with
``--applications`` (10,000), and dropped at the end.

``--clients`` threads send a mixed workload for ``--seconds`` (60): web pages (home,
requisitions list, a board, candidates list, My interviews), API reads (candidates,
requisitions, one candidate's record), API writes (new candidates; scorecard drafts
saved again and again, each carrying a sequence number in its notes), and PDFs (a role
description). A third of the way in, one gunicorn worker process is killed (SIGKILL: its
server starts another); two thirds in, every database connection of the servers and the
worker is dropped (``pg_terminate_backend``), as a database failover would.

Printed: requests per second, p95 per kind of request, errors by class and by phase
(before, after the kill, after the drop), and the lost writes: accepted writes (201/200)
missing from the database at the end (a candidate not there, a scorecard draft whose notes
are older than the last accepted save). Lost writes must be 0; errors while a process dies
or connections drop are expected (the request in flight fails) and are reported, not
hidden.

    .venv/bin/python bench/load.py [--server postgresql://postgres@127.0.0.1:5432/postgres]
            [--applications 10000] [--machines 3] [--workers 2] [--clients 8] [--seconds 60]
            [--redis redis://127.0.0.1:6379/15]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import and_, create_engine, func, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.db import db  # noqa: E402
from app.models import (  # noqa: E402
    Application,
    Candidate,
    Interview,
    InterviewInterviewer,
    Requisition,
    Scorecard,
    User,
)
from app.services import api_tokens, sessions  # noqa: E402
from bench.serve_bench import free_port, get  # noqa: E402
from bench.support import fresh_database, p95  # noqa: E402

SECRET_KEY = "load-bench-secret-key-" + "x" * 40
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
#: Scorecard drafts rewritten over and over (each by its own interviewer).
DRAFTS = 40
#: Kinds of request and how often each is chosen.
MIX = {
    "page": 30,
    "api read": 30,
    "api write: candidate": 12,
    "api write: scorecard": 20,
    "pdf": 3,
    "health": 5,
}


def settings(url: str, smtp_port: int, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "HIRELADDER_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": url,
        "HIRELADDER_MFA_REQUIRED_ROLES": "",
        "HIRELADDER_BASE_URL": "http://127.0.0.1",
        "HIRELADDER_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "HIRELADDER_WORKER_POLL_SECONDS": "1",
        # Shared by every process, as on several machines; high enough to stay out of
        # the way of one address sending everything.
        "HIRELADDER_RATELIMIT_STORAGE_URL": redis_url,
        "HIRELADDER_RATELIMIT_KEY_PREFIX": f"hireladder-load-{os.getpid()}",
        "HIRELADDER_RATELIMIT_DEFAULT": "100000000 per minute",
        "HIRELADDER_RATELIMIT_WRITE": "100000000 per minute",
        "HIRELADDER_RATELIMIT_EXPENSIVE": "100000000 per minute",
        "HIRELADDER_PDF_CACHE_DIR": str(Path(tempfile.gettempdir()) / f"hl-load-pdf-{os.getpid()}"),
    }


# --- who does what -----------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    interview_id: int
    interviewer_id: int
    token: str


@dataclass(frozen=True)
class Cast:
    cookie: str  # the recruiter's web session
    recruiter_token: str
    admin_token: str
    interviewer_cookie: str
    board: int
    candidates: tuple[int, ...]
    level: str
    drafts: tuple[Draft, ...]


def cast(url: str, env: dict[str, str]) -> Cast:
    os.environ.update(env)
    app = create_app()
    with app.app_context():

        def by_email(email: str) -> User:
            user = db.session.scalar(select(User).where(User.email == email))
            assert user is not None, email
            return user

        recruiter = by_email("recruiter@example.com")
        admin = by_email("admin@example.com")
        interviewer = by_email("interviewer@example.com")
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        name = app.config["SESSION_COOKIE_NAME"]

        def cookie(user: User) -> str:
            token = sessions.start(user)
            return f"{name}={serializer.dumps({'_user_id': token, '_fresh': True})}"

        owed = db.session.execute(
            select(InterviewInterviewer.interview_id, InterviewInterviewer.user_id)
            .join(Interview, Interview.id == InterviewInterviewer.interview_id)
            .join(Application, Application.id == Interview.application_id)
            .join(User, User.id == InterviewInterviewer.user_id)
            .outerjoin(
                Scorecard,
                and_(
                    Scorecard.interview_id == InterviewInterviewer.interview_id,
                    Scorecard.interviewer_id == InterviewInterviewer.user_id,
                ),
            )
            .where(
                Scorecard.id.is_(None),
                Interview.cancelled_at.is_(None),
                Application.status == "active",
                User.active.is_(True),
            )
            .order_by(InterviewInterviewer.interview_id)
            .limit(DRAFTS)
        ).all()
        tokens: dict[int, str] = {}
        drafts = []
        for interview_id, user_id in owed:
            if user_id not in tokens:
                user = db.session.get(User, user_id)
                assert user is not None
                tokens[user_id] = api_tokens.issue(user, actor=None, days=1)[1]
            drafts.append(Draft(interview_id, user_id, tokens[user_id]))
        board = db.session.execute(
            select(Application.requisition_id, func.count())
            .group_by(Application.requisition_id)
            .order_by(func.abs(func.count() - 500))
            .limit(1)
        ).one()[0]
        candidates = tuple(
            db.session.scalars(select(Candidate.id).order_by(Candidate.id.desc()).limit(200))
        )
        level = db.session.scalar(select(Requisition.level_id).limit(1))
        out = Cast(
            cookie=cookie(recruiter),
            recruiter_token=api_tokens.issue(recruiter, actor=None, days=1)[1],
            admin_token=api_tokens.issue(admin, actor=None, scope="read", days=1)[1],
            interviewer_cookie=cookie(interviewer),
            board=board,
            candidates=candidates,
            level=str(level),
            drafts=tuple(drafts),
        )
        db.session.commit()
        db.engine.dispose()
    return out


# --- the processes -------------------------------------------------------------------------


@contextmanager
def smtp_sink() -> Iterator[tuple[int, list[bytes]]]:
    received: list[bytes] = []

    class Handler:
        async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
            received.append(envelope.content)
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


@contextmanager
def process(
    command: list[str], env: dict[str, str], log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``command`` running (its output to ``log`` when given); stopped at the end."""
    out = log.open("ab") if log is not None else None
    proc = subprocess.Popen(  # noqa: S603 - our own commands
        command, cwd=ROOT, env=env, stdout=out, stderr=out
    )
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if out is not None:
            out.close()


def wait_healthy(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(port, "/health", {})[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


# --- the load ------------------------------------------------------------------------------


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: (kind, phase) -> milliseconds of the requests that answered as expected.
    times: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    #: (class, phase) -> count of the others.
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: e-mail -> accepted new candidates.
    candidates: set[str] = field(default_factory=set)
    #: (interview, interviewer) -> the highest sequence number a save was accepted with.
    drafts: dict[tuple[int, int], int] = field(default_factory=dict)


class Phase:
    def __init__(self) -> None:
        self.name = "before"


def request(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def client(
    seed: int,
    clients: int,
    ports: list[int],
    who: Cast,
    deadline: float,
    phase: Phase,
    tally: Tally,
    run: str,
) -> None:
    rng = random.Random(seed)  # noqa: S311 - a workload, not a secret
    kinds, weights = list(MIX), list(MIX.values())
    turn = itertools.cycle(ports[seed % len(ports) :] + ports[: seed % len(ports)])
    web = {"Cookie": who.cookie}
    web_interviewer = {"Cookie": who.interviewer_cookie}
    admin = {"Authorization": f"Bearer {who.admin_token}"}
    recruiter = {
        "Authorization": f"Bearer {who.recruiter_token}",
        "Content-Type": "application/json",
    }
    # Each draft is saved by one client only, so that its sequence numbers only grow.
    mine = [d for i, d in enumerate(who.drafts) if i % clients == seed]
    sequence = itertools.count(1)
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        method, body, expected = "GET", None, (200,)
        if kind == "page":
            path, headers = rng.choice(
                [
                    ("/", web),
                    ("/hiring/requisitions", web),
                    (f"/hiring/requisitions/{who.board}", web),
                    ("/hiring/candidates", web),
                    ("/hiring/my-interviews", web_interviewer),
                ]
            )
        elif kind == "api read":
            path, headers = rng.choice(
                [
                    ("/api/v1/candidates", admin),
                    ("/api/v1/requisitions", admin),
                    (f"/api/v1/candidates/{rng.choice(who.candidates)}", admin),
                ]
            )
        elif kind == "pdf":
            path, headers = f"/api/v1/ladder/levels/{who.level}/description.pdf", admin
        elif kind == "health":
            path, headers = "/health", {}
        elif kind == "api write: candidate":
            email = f"load-{run}-{seed}-{next(sequence)}@example.org"
            method, path, headers, expected = "POST", "/api/v1/candidates", recruiter, (201,)
            body = json.dumps(
                {"name": f"Load {seed}", "email": email, "consent_on": "2026-01-01"}
            ).encode()
        else:
            if not mine:
                continue
            draft = rng.choice(mine)
            number = next(sequence)
            method, expected = "POST", (200, 201)
            path = f"/api/v1/interviews/{draft.interview_id}/scorecard"
            headers = {"Authorization": f"Bearer {draft.token}", "Content-Type": "application/json"}
            body = json.dumps({"submit": False, "notes": f"save {seed}:{number:09d}"}).encode()
        port = next(turn)
        start = time.perf_counter()
        try:
            status, data = request(port, method, path, headers, body)
        except (OSError, http.client.HTTPException) as exc:
            with tally.lock:
                tally.errors[(f"connection: {type(exc).__name__}", phase.name)] += 1
            continue
        elapsed = (time.perf_counter() - start) * 1000
        with tally.lock:
            if status not in expected:
                tally.errors[(f"{kind}: HTTP {status}", phase.name)] += 1
                continue
            tally.times[(kind, phase.name)].append(elapsed)
            if kind == "api write: candidate":
                tally.candidates.add(email)
            elif kind == "api write: scorecard":
                key = (draft.interview_id, draft.interviewer_id)
                mark = int(json.loads(data)["notes"].split(":")[1])
                tally.drafts[key] = max(tally.drafts.get(key, 0), mark)


def lost_writes(url: str, tally: Tally, seeds: int) -> tuple[int, int]:
    """(lost candidates, lost scorecard saves)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        present = set(
            conn.execute(
                select(Candidate.email).where(Candidate.email.like("load-%@example.org"))
            ).scalars()
        )
        notes = {
            (interview_id, interviewer_id): text_
            for interview_id, interviewer_id, text_ in conn.execute(
                select(Scorecard.interview_id, Scorecard.interviewer_id, Scorecard.notes)
            )
        }
    engine.dispose()
    lost_candidates = len(tally.candidates - present)
    lost_drafts = 0
    for key, mark in tally.drafts.items():
        saved = notes.get(key) or ""
        if ":" not in saved or int(saved.split(":")[1]) < mark:
            lost_drafts += 1
    return lost_candidates, lost_drafts


def drop_connections(url: str) -> int:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        dropped = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    engine.dispose()
    return int(dropped or 0)


def generate(url: str, applications: int) -> None:
    subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            str(ROOT / "bench/generate.py"),
            "--applications",
            str(applications),
            "--database-url",
            url,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def report(
    tally: Tally,
    seconds: float,
    lost: tuple[int, int],
    events: list[str],
    mail: int,
    outbox: dict[str, int],
) -> None:
    total_ok = sum(len(v) for v in tally.times.values())
    total_errors = sum(tally.errors.values())
    print(
        f"\n{total_ok + total_errors:,} requests in {seconds:.0f} s: "
        f"{(total_ok + total_errors) / seconds:.0f}/s, {total_errors} errors"
    )
    for line in events:
        print(f"  {line}")
    print(f"\n{'kind':<24} {'answered':>9} {'per s':>7} {'median ms':>10} {'p95 ms':>8}")
    for kind in MIX:
        values = [t for (k, _), ts in tally.times.items() if k == kind for t in ts]
        if values:
            print(
                f"{kind:<24} {len(values):>9,} {len(values) / seconds:>7.1f} "
                f"{statistics.median(values):>10.1f} {p95(values):>8.1f}"
            )
    print("\nerrors by class and phase")
    if not tally.errors:
        print("  none")
    for (klass, phase), count in sorted(tally.errors.items()):
        print(f"  {klass:<44} {phase:<18} {count:>5}")
    print(
        f"\naccepted writes: {len(tally.candidates):,} new candidates, "
        f"{len(tally.drafts):,} scorecard drafts (last save of each checked)"
    )
    print(f"lost writes: {lost[0] + lost[1]} ({lost[0]} candidates, {lost[1]} scorecard saves)")
    print(
        f"mail: {mail} messages received by the SMTP server; outbox at the end: "
        + ", ".join(f"{k} {v}" for k, v in sorted(outbox.items()))
    )


def outbox_states(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, count(*) FROM outbox_messages GROUP BY status"))
        out = {str(status): int(count) for status, count in rows}
    engine.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--machines", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args(argv)
    run = f"{os.getpid()}"
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hireladder-load-")))
        _, url = stack.enter_context(fresh_database(args.server, tmp, "load"))
        print(f"filling a new database with {args.applications:,} applications", flush=True)
        generate(url, args.applications)
        smtp_port, received = stack.enter_context(smtp_sink())
        env = settings(url, smtp_port, args.redis)
        who = cast(url, env)
        ports, servers = [], []
        for _ in range(args.machines):
            port = free_port()
            server = stack.enter_context(
                process(
                    [
                        str(ROOT / ".venv/bin/gunicorn"),
                        "--workers",
                        str(args.workers),
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--log-level",
                        "error",
                        "wsgi:app",
                    ],
                    env,
                    tmp / f"server-{port}.log",
                )
            )
            ports.append(port)
            servers.append(server)
        for port, server in zip(ports, servers, strict=True):
            wait_healthy(port, server)
        stack.enter_context(
            process([str(ROOT / ".venv/bin/flask"), "worker"], env, tmp / "worker.log")
        )
        print(
            f"{args.machines} servers x {args.workers} workers, 1 mail worker, "
            f"{args.clients} clients for {args.seconds} s",
            flush=True,
        )
        tally, phase, events = Tally(), Phase(), []
        start = time.monotonic()
        deadline = start + args.seconds
        threads = [
            threading.Thread(
                target=client,
                args=(n, args.clients, ports, who, deadline, phase, tally, run),
                daemon=True,
            )
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 3)
        victim = children(servers[0].pid)[0]
        os.kill(victim, signal.SIGKILL)
        phase.name = "after the kill"
        events.append(
            f"{time.monotonic() - start:.0f} s: killed worker process {victim} of the first server"
        )
        time.sleep(args.seconds / 3)
        dropped = drop_connections(url)
        phase.name = "after the drop"
        events.append(f"{time.monotonic() - start:.0f} s: dropped {dropped} database connections")
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
        time.sleep(3)  # the mail worker's next look at the outbox
        lost = lost_writes(url, tally, args.clients)
        report(tally, elapsed, lost, events, len(received), outbox_states(url))
        failures = sum(
            log.read_text(errors="replace").count("Traceback") for log in tmp.glob("*.log")
        )
        print(f"tracebacks in the servers' and the worker's logs: {failures}")
        os.environ.pop("DATABASE_URL", None)
    return 1 if sum(lost) else 0


if __name__ == "__main__":
    sys.exit(main())
