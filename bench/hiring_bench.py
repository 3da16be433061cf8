"""Hiring pages: server time of the pipeline board and the requisitions list.

Builds a fresh SQLite file database in a temporary directory (schema from the migrations,
rows through the services), then times requests through Flask's test client, no network:

* the board of one requisition holding ``--applications`` applications spread over its
  stages (some declined, some with interviews scheduled and scorecards submitted);
* the requisitions list with ``--requisitions`` requisitions: the first page and a later one;
* ``GET /account`` as the floor: the layout plus the signed-in user's row.

All pages are requested by the same signed-in recruiter, round by round in alternating
order so that the machine's background load weighs on each alike, after warm-up rounds.
The garbage collector stays on, as in a server; its share is reported. The script reports:
it exits 0 whether or not the target is met (and 1 only when a page does not answer 200).
``--profile`` adds a cProfile table (top 15 by cumulative time) for each page over target.

    .venv/bin/python bench/hiring_bench.py [--applications N] [--requisitions M]
                                          [--requests K] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import logging
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import event, select  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from app import create_app  # noqa: E402
from app.db import db  # noqa: E402
from app.ladder_access import get_ladder  # noqa: E402
from app.models import Application, Interview, Requisition, Role, User  # noqa: E402
from app.rate_limits import LIMITS  # noqa: E402
from app.services import accounts, hiring, interviews  # noqa: E402
from app.serving import prepare_for_serving  # noqa: E402
from bench.support import p95, queries_per_request, requester, sign_in  # noqa: E402

TARGET_P95_MS = 100.0
PASSWORD = "correct horse battery staple"  # noqa: S105 - benchmark users in a temp database
BIG_LEVEL = "senior-csm"
WARMUP_ROUNDS = 3
PROFILE_REQUESTS = 20
LATER_PAGE = 5

# Where the applications of the big requisition end up, as (stage, what happened there);
# the pattern repeats every 20 applications.
SCREEN = "recruiter-screening"
ASSESSMENT = "written-assessment"
HM = "hiring-manager-interview"
PEER = "peer-interview"
PANEL = "panel-interview"
EXECUTIVE = "executive-interview"
REFERENCES = "reference-and-background-check"
ROUTE = [SCREEN, ASSESSMENT, HM, PEER, PANEL, EXECUTIVE, REFERENCES]
PATTERN: list[tuple[str, str]] = [
    (SCREEN, "new"),
    (SCREEN, "new"),
    (SCREEN, "passed"),
    (SCREEN, "declined"),
    (ASSESSMENT, "new"),
    (ASSESSMENT, "new"),
    (ASSESSMENT, "declined"),
    (HM, "new"),
    (HM, "scheduled"),
    (HM, "scored"),
    (HM, "declined"),
    (PEER, "scheduled"),
    (PEER, "partly"),
    (PEER, "scored"),
    (PEER, "declined"),
    (PANEL, "scheduled"),
    (PANEL, "scored"),
    (PANEL, "declined"),
    (EXECUTIVE, "new"),
    (REFERENCES, "new"),
]
DECLINE_AT = {SCREEN: "experience", ASSESSMENT: "assessment"}


@dataclass
class People:
    recruiter: User
    manager: User
    interviewers: list[User]


@dataclass
class Fixture:
    board_id: int
    recruiter_id: int
    applications: Counter[str] = field(default_factory=Counter)
    requisitions: int = 0
    seconds: float = 0.0


# --- population -------------------------------------------------------------------------


def make_app(tmp: Path) -> Flask:
    os.environ["HIRELADDER_ENV"] = "testing"
    return create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "bench-secret-key",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
            "CV_STORAGE_DIR": tmp / "cv",
            # Counted as in production (in memory), with limits no bench run reaches.
            "RATE_LIMITS_ENABLED": True,
            "RATE_LIMITS": dict.fromkeys(LIMITS, "1000000 per minute"),
        }
    )


def make_people() -> People:
    def user(email: str, name: str, roles: list[Role]) -> User:
        return accounts.create_user(email, name, PASSWORD, roles, actor=None, channel="system")

    return People(
        recruiter=user("recruiter@bench.example.org", "Riley Recruiter", [Role.RECRUITER]),
        manager=user(
            "manager@bench.example.org", "Morgan Manager", [Role.HIRING_MANAGER, Role.INTERVIEWER]
        ),
        interviewers=[
            user(f"interviewer{i}@bench.example.org", f"Interviewer {i}", [Role.INTERVIEWER])
            for i in range(4)
        ],
    )


def panel_for(stage: str, people: People, index: int) -> list[User]:
    pool = people.interviewers
    if stage == HM:
        return [people.manager]
    if stage == PEER:
        return [pool[index % 4], pool[(index + 1) % 4]]
    return [people.manager, pool[index % 4], pool[(index + 2) % 4]]


def interview(
    application: Application, stage: str, people: People, index: int, when: datetime
) -> Interview:
    return interviews.schedule_interview(
        application,
        stage_id=stage,
        interviewers=panel_for(stage, people, index),
        starts_at=when,
        location="Video call",
        actor=people.recruiter,
    )


def submit(application: Application, booked: Interview, who: User, recommendation: str) -> None:
    booked = db.session.scalar(
        select(Interview)
        .where(Interview.id == booked.id)
        .options(selectinload(Interview.interviewers))
    )
    criteria = interviews.criteria_of(booked, application)
    interviews.save_scorecard(
        booked,
        application,
        interviewer=who,
        ratings={c.id: recommendation for c in criteria},
        recommendation=recommendation,
        notes="Evidence noted against each criterion.",
        submit=True,
        expected_version=None,
    )


def leave(application: Application, stage: str, people: People, index: int, at: datetime) -> None:
    """Move the application out of ``stage`` the way the rules allow."""
    if stage == SCREEN:
        hiring.record_screen_outcome(
            application, passed=True, actor=people.recruiter, expected_version=None
        )
        hiring.advance_application(
            application, actor=people.recruiter, expected_version=None, at=at
        )
    elif stage in (ASSESSMENT, EXECUTIVE):
        hiring.advance_application(
            application,
            actor=people.manager,
            expected_version=None,
            override_reason="Reviewed outside the tool.",
            at=at,
        )
    else:
        booked = interview(application, stage, people, index, at - timedelta(days=1))
        for who in panel_for(stage, people, index):
            submit(application, booked, who, "yes")
        hiring.advance_application(
            application, actor=people.recruiter, expected_version=None, at=at
        )


def finish(application: Application, stage: str, outcome: str, people: People, index: int) -> None:
    """What happened at the application's last stage."""
    soon = datetime.now(UTC) + timedelta(days=3 + index % 5)
    past = datetime.now(UTC) - timedelta(days=1 + index % 3)
    if outcome == "passed":
        hiring.record_screen_outcome(
            application, passed=True, actor=people.recruiter, expected_version=None
        )
    elif outcome == "scheduled":
        interview(application, stage, people, index, soon)
    elif outcome in ("partly", "scored"):
        booked = interview(application, stage, people, index, past)
        seats = panel_for(stage, people, index)
        for who in seats[:1] if outcome == "partly" else seats:
            submit(application, booked, who, "strong_yes")
    elif outcome == "declined":
        if stage in (HM, PEER, PANEL):
            booked = interview(application, stage, people, index, past)
            submit(application, booked, panel_for(stage, people, index)[0], "no")
        hiring.decline_application(
            application,
            actor=people.recruiter,
            reason_code=DECLINE_AT.get(stage, "interviews"),
            note=None,
            expected_version=None,
        )


@contextmanager
def unsynced_writes(app: Flask) -> Iterator[None]:
    """While populating: ``PRAGMA synchronous=OFF`` (no fsync per commit) and objects kept
    loaded across the services' commits. The connections are dropped and the session setting
    restored afterwards, so the timed requests run on the application's own settings."""

    def no_fsync(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous=OFF")

    with app.app_context():
        engine = db.engine
        db.session.remove()
        engine.dispose()
        event.listen(engine, "connect", no_fsync)
        db.session.configure(expire_on_commit=False)
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
            db.session.configure(expire_on_commit=True)
            event.remove(engine, "connect", no_fsync)
            engine.dispose()


def populate(app: Flask, n_applications: int, n_requisitions: int) -> Fixture:
    started = time.perf_counter()
    with unsynced_writes(app), app.app_context():
        from flask_migrate import upgrade

        logging.disable(logging.INFO)
        try:
            upgrade()
        finally:
            logging.disable(logging.NOTSET)
        people = make_people()
        now = datetime.now(UTC)
        big = hiring.create_requisition(
            title=f"Senior CSM, EMEA ({n_applications} applications)",
            level_id=BIG_LEVEL,
            specialty_id=None,
            hiring_manager=people.manager,
            recruiter=people.recruiter,
            headcount=2,
            actor=people.recruiter,
        )
        fixture = Fixture(board_id=big.id, recruiter_id=people.recruiter.id)
        candidates = []
        for index in range(n_applications):
            candidate = hiring.add_candidate(
                hiring.CandidateDetails(
                    name=f"Candidate {index:04d}",
                    email=f"candidate{index:04d}@bench.example.org",
                    source="referral" if index % 3 else "job board",
                ),
                actor=people.recruiter,
            )
            candidates.append(candidate)
            stage, outcome = PATTERN[index % len(PATTERN)]
            opened = now - timedelta(days=60) + timedelta(minutes=100 * index)
            application = hiring.open_application(candidate, big, actor=people.recruiter, at=opened)
            for step, passed in enumerate(ROUTE[: ROUTE.index(stage)], start=1):
                at = min(opened + timedelta(days=2 * step), now)
                leave(application, passed, people, index, at)
            finish(application, stage, outcome, people, index)
            fixture.applications[f"{application.stage_id} ({application.status})"] += 1

        levels = [
            level.id for level in get_ladder().levels_by_id.values() if not level.defined_elsewhere
        ]
        for number in range(1, n_requisitions):
            level = get_ladder().levels_by_id[levels[number % len(levels)]]
            requisition = hiring.create_requisition(
                title=f"{level.title} #{number}",
                level_id=level.id,
                specialty_id=None,
                hiring_manager=people.manager,
                recruiter=people.recruiter,
                headcount=1 + number % 2,
                actor=people.recruiter,
            )
            for k in range(number % 4):
                if candidates:
                    candidate = candidates[(number * 3 + k) % len(candidates)]
                    hiring.open_application(candidate, requisition, actor=people.recruiter)
            if number % 10 == 0:
                hiring.update_requisition(
                    requisition,
                    title=requisition.title,
                    level_id=requisition.level_id,
                    specialty_id=None,
                    hiring_manager=people.manager,
                    recruiter=people.recruiter,
                    headcount=requisition.headcount,
                    status="on_hold" if number % 20 else "closed",
                    expected_version=requisition.version,
                    actor=people.recruiter,
                )
        fixture.requisitions = len(db.session.scalars(select(Requisition.id)).all())
        db.session.remove()
    fixture.seconds = time.perf_counter() - started
    return fixture


def later_page(client: FlaskClient, url: str, pages: int) -> str:
    """The address of the ``pages``-th page of a list (or its last), by its "next" links."""
    for _ in range(pages - 1):
        found = re.search(r'<a href="([^"]+)" rel="next">', client.get(url).text)
        if found is None:
            break
        url = found[1].replace("&amp;", "&")
    return url


# --- measuring --------------------------------------------------------------------------


class GcClock:
    """Time the garbage collector spends, and how many full (generation 2) collections ran."""

    def __init__(self) -> None:
        self.ms = 0.0
        self.full = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.ms += (time.perf_counter() - self._started) * 1000
            self.full += info["generation"] == 2


@dataclass
class Timings:
    ms: list[float] = field(default_factory=list)
    gc_ms: float = 0.0
    gc_full: int = 0


def interleaved(funcs: list[Callable[[], object]], repeat: int) -> list[Timings]:
    """Milliseconds per call of each function, alternating them call by call; warm-up first.
    The collector's share is recorded beside each call's time (it is included in it)."""
    for _ in range(WARMUP_ROUNDS):
        for func in funcs:
            func()
    out = [Timings() for _ in funcs]
    clock = GcClock()
    gc.callbacks.append(clock)
    try:
        for round_ in range(repeat):
            order = range(len(funcs)) if round_ % 2 == 0 else reversed(range(len(funcs)))
            for index in order:
                gc_ms, gc_full = clock.ms, clock.full
                start = time.perf_counter()
                funcs[index]()
                out[index].ms.append((time.perf_counter() - start) * 1000)
                out[index].gc_ms += clock.ms - gc_ms
                out[index].gc_full += clock.full - gc_full
    finally:
        gc.callbacks.remove(clock)
    return out


PLUMBING = ("werkzeug/test.py", "flask/app.py", "flask/testing.py", "flask_login/utils.py")


def profile(label: str, func: Callable[[], object]) -> None:
    """Top 15 functions by cumulative time, below the test client's and Flask's own frames."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILE_REQUESTS):
        func()
    profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = [
        (cumulative, own, calls, where(filename, line, name))
        for (filename, line, name), (_, calls, own, cumulative, _) in stats.items()
        if not filename.endswith(PLUMBING) and filename != __file__
    ]
    rows.sort(reverse=True)
    top = rows[0][0]
    n = PROFILE_REQUESTS
    print(f"\n--- profile: {label}; {n} requests under cProfile (slower than untraced)")
    print("top 15 by cumulative time, per request; % of the first row")
    print(f"{'cumulative':>11} {'own':>9} {'calls':>7} {'%':>4}  function")
    for cumulative, own, calls, place in rows[:15]:
        print(
            f"{cumulative / n * 1000:8.1f} ms {own / n * 1000:6.1f} ms {calls / n:7.0f} "
            f"{cumulative / top * 100:4.0f}  {place}"
        )


def where(filename: str, line: int, name: str) -> str:
    """``package: file:line(function)`` for installed packages, ``path:line(function)`` else."""
    if "site-packages/" in filename:
        package, _, rest = filename.split("site-packages/")[-1].partition("/")
        return f"{package}: {Path(rest).name}:{line}({name})"
    if filename.startswith(str(ROOT)):
        return f"{Path(filename).relative_to(ROOT)}:{line}({name})"
    return f"{Path(filename).name}:{line}({name})" if filename != "~" else name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--requisitions", type=int, default=200)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument(
        "--profile", action="store_true", help="profile the pages over target (cProfile)"
    )
    args = parser.parse_args(argv)
    if args.applications < 0 or args.requisitions < 1 or args.requests < 2:
        parser.error("need --applications >= 0, --requisitions >= 1 and --requests >= 2")

    with tempfile.TemporaryDirectory(prefix="hiring-bench-") as tmp:
        app = make_app(Path(tmp))
        fixture = populate(app, args.applications, args.requisitions)
        # As wsgi.py does before a server process takes requests.
        prepare_for_serving(app)
        print(
            f"data: {fixture.requisitions} requisitions; the board's requisition holds "
            f"{sum(fixture.applications.values())} applications (populated through the "
            f"services in {fixture.seconds:.1f} s)"
        )
        for place, count in sorted(fixture.applications.items()):
            print(f"  {place:<48} {count:4d}")

        client = app.test_client()
        sign_in(app, client, fixture.recruiter_id)
        later = later_page(client, "/hiring/requisitions", LATER_PAGE)
        pages = [  # (label, URL, held to the target); the floor comes last
            ("board", f"/hiring/requisitions/{fixture.board_id}", True),
            ("list", "/hiring/requisitions", True),
            ("list", later, True),
            ("floor", "/account", False),
        ]
        funcs: list[Callable[[], object]] = [requester(client, url) for _, url, _ in pages]
        sizes = [requester(client, url)() for _, url, _ in pages]
        queries = [queries_per_request(app, func) for func in funcs]
        print(
            f"\nSQLite file database, Flask test client (no network), signed in as the "
            f"recruiter; {WARMUP_ROUNDS} warm-up rounds, then {args.requests} timed requests "
            "per page, interleaved"
        )
        results = interleaved(funcs, args.requests)
        floor_median, floor_p95 = statistics.median(results[-1].ms), p95(results[-1].ms)
        print(
            f"{'page':<38} {'median':>9} {'p95':>9} {'x floor':>12} {'queries':>7} "
            f"{'KiB':>6} {'GC/req':>9} {'full GCs':>8}  p95 < {TARGET_P95_MS:.0f} ms"
        )
        missed: list[int] = []
        for index, ((kind, url, targeted), timed) in enumerate(zip(pages, results, strict=True)):
            median, high = statistics.median(timed.ms), p95(timed.ms)
            verdict = "-"
            if targeted:
                verdict = "met" if high < TARGET_P95_MS else "MISSED"
                if high >= TARGET_P95_MS:
                    missed.append(index)
            print(
                f"{kind:<5} {url:<32} {median:6.1f} ms {high:6.1f} ms "
                f"{median / floor_median:5.1f} /{high / floor_p95:5.1f} {queries[index]:7d} "
                f"{sizes[index] / 1024:6.1f} {timed.gc_ms / len(timed.ms):6.1f} ms "
                f"{timed.gc_full:8d}  {verdict}"
            )
        print("x floor: median / p95, each divided by the floor's, from the same run")
        print(
            "GC/req: mean time in the garbage collector per request (included in the times); "
            "full GCs: generation-2 collections during that page's requests"
        )
        if missed:
            names = ", ".join(pages[i][1] for i in missed)
            print(f"TARGET MISSED (p95 under {TARGET_P95_MS:.0f} ms on SQLite): {names}")
        else:
            print(f"target met: p95 under {TARGET_P95_MS:.0f} ms on SQLite for the board and list")
        if args.profile:
            for index in missed or [0]:
                profile(pages[index][1], funcs[index])
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
