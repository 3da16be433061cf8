"""Fill an empty database with a company's worth of hiring data, for measuring list pages
and throughput at 10k, 100k and 1M applications.

    .venv/bin/python bench/generate.py [--applications N] [--database-url URL]
                                       [--seed S] [--today YYYY-MM-DD] [--batch-rows R]

Without ``--database-url`` it fills a SQLite file in a temporary folder and deletes it
afterwards (``make bench`` runs it so, with the default 10,000 applications: the
generation rate).

The database is migrated first (as ``flask db upgrade`` does) and must hold no users. The
rows are those the services would have written, over the two years before ``--today``:

* people: about one user per 16 applications. The five demo accounts of ``flask demo
  load`` (same e-mails, same password, same levels), leaders holding the level that
  conducts the executive interview, people managers (the hiring managers, in each family
  as many as it hires for), recruiters, and team members on the ladder's IC levels with a
  manager and a level history, 40% of them interviewers; plus the team members the
  history hired (no password: they cannot sign in). Every other account has the demo
  password, hashed once.
* requisitions: about one per 100 applications over the ladder's families and levels,
  each with its recruiter and hiring manager; filled, closed, on hold or open (half the
  open ones published on the careers site). Two more, open, of exactly 500 and 5,000
  applications (each when there are at least twice as many applications in all),
  recruited by the demo recruiter for the demo hiring manager; their applicants are
  weaker (most are declined early), and their hiring-manager seats go round the
  family's managers.
* candidates: about one per application; some people apply to several requisitions.
* applications moved through the family's plan by the rules of
  :mod:`pipelines.applications` (:mod:`app.services.demo_history` tells each one's story):
  stage transitions, declines with a listed reason at every stage, withdrawals, offers,
  hires; interviews with their interviewers, submitted scorecards and their ratings, the
  debrief's decisions, offers; later promotions of the hires.
* promotion packets of team members: approved ones in the past (with the level history
  to match), open ones (submitted or draft) now, a few declined.
* audit rows as the services record them: accounts and sign-ins, requisitions,
  candidates and a read of each one's record, every move of every application, screen
  outcomes, interviews scheduled, scorecards submitted, decisions, offers, promotion
  packets.

The demo interviewer sits on about 1% of the interviews: from about 100k applications on
the busiest interviewer; in a smaller company the hiring managers, who hold the
hiring-manager interview of each of their requisitions, interview more.

Rows are written by bulk inserts in batches of ``--batch-rows``, one transaction per
batch: on PostgreSQL by ``COPY`` from a second thread (the next batch is generated while
the server stores the last one), with the plain indexes dropped during the load and built
again at the end, then ``ANALYZE``. Progress goes to stderr; at the end a JSON summary
goes to stdout: rows per table, the ids of the 500 and 5,000 requisitions, the busiest
interviewer, the accounts and their password, the seconds taken and a digest of every
row (password hashes aside: they are salted). The same seed, today and size give the
same rows, and the same digest, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import queue
import random
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import JSON, Table, func, insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.db import db  # noqa: E402
from app.ladder_access import get_ladder  # noqa: E402
from app.models import (  # noqa: E402
    Application,
    AuditEvent,
    Candidate,
    HiringDecision,
    Interview,
    InterviewInterviewer,
    LevelSpan,
    Offer,
    PromotionPacket,
    PromotionSection,
    Requisition,
    Role,
    Scorecard,
    ScorecardRating,
    StageTransition,
    User,
    UserRole,
)
from app.services import demo_history as history  # noqa: E402
from app.services.demo import DEMO_PASSWORD, DEMO_PEOPLE, DEMO_USERS  # noqa: E402
from app.services.passwords import hash_password  # noqa: E402
from ladder.model import Ladder  # noqa: E402
from pipelines.level_history import LevelReason  # noqa: E402
from pipelines.plan import PlannedStage, StageKind, build_plan  # noqa: E402
from pipelines.postings import EmploymentType  # noqa: E402
from pipelines.promotions import PacketStatus  # noqa: E402
from pipelines.requisitions import RequisitionStatus  # noqa: E402
from pipelines.sources import ApplicationSource  # noqa: E402

#: Applications when none are asked for (``make bench`` runs every script bare).
DEFAULT_APPLICATIONS = 10_000
#: Rows buffered before a batch is written (and committed).
BATCH_ROWS = 5_000
#: Applications per ordinary requisition, and users per application (one in 16).
PER_REQUISITION = 100
APPLICATIONS_PER_USER = 16
#: The two big requisitions: (applications, level). Each exists when there are at least
#: twice as many applications in all.
BIG_REQUISITIONS = ((500, "senior-csm"), (5_000, "associate-csm"))
#: Hires the history makes per ordinary requisition and per application of a big one
#: (measured), so that the staff and the hires together come to one user per 16
#: applications.
HIRES_PER_REQUISITION = 1.3
HIRES_PER_BIG_APPLICATION = 0.01
#: How much weaker the applicants of a big requisition are (a posting that draws
#: thousands: most are declined at the screen), in the history's ability units.
BIG_SHIFT = 1.2
#: How often an applicant is someone who applied to an earlier requisition.
RETURNING = 0.08
#: The busiest interviewer's chance of a seat on a peer or panel interview (about 1% of
#: all interviews).
BUSIEST_SEAT = 0.021
#: Most sign-ins a member of staff has in the audit log.
SIGN_INS = 12
#: Team members who interview (peer and panel seats).
INTERVIEWER_SHARE = 0.4

TABLES: tuple[Table, ...] = (
    User.__table__,
    UserRole.__table__,
    Requisition.__table__,
    Candidate.__table__,
    Application.__table__,
    StageTransition.__table__,
    Interview.__table__,
    InterviewInterviewer.__table__,
    Scorecard.__table__,
    ScorecardRating.__table__,
    HiringDecision.__table__,
    Offer.__table__,
    PromotionPacket.__table__,
    PromotionSection.__table__,
    LevelSpan.__table__,
    AuditEvent.__table__,
)

# More names than the demo's, so that a million candidates are not a few thousand people.
FIRST = (
    *history.FIRST,
    "Adebayo", "Agnieszka", "Ahmed", "Aleksandra", "Alice", "Ana", "Andrea", "Arjun", "Astrid",
    "Ben", "Carmen", "Chen", "Clara", "Daniel", "David", "Diego", "Elif", "Ella", "Emil",
    "Emma", "Eva", "Fatou", "Fernando", "Giulia", "Hana", "Hiroshi", "Ingrid", "Ivan", "Jakob",
    "James", "Jana", "Javier", "Jin", "Kofi", "Lars", "Lea", "Lucia", "Malik", "Maria",
    "Mateo", "Max", "Mia", "Mohammed", "Nils", "Noor", "Oliver", "Pedro", "Pia", "Rafael",
    "Rosa", "Sara", "Sofia", "Tariq", "Thomas", "Tobias", "Valentina", "Wei", "Zainab",
)  # fmt: skip
LAST = (
    *history.LAST,
    "Ali", "Alves", "Baker", "Becker", "Brown", "Chen", "Costa", "Da Silva", "Eklund", "Fischer",
    "Garcia", "Gomez", "Hansen", "Hoffmann", "Huang", "Ivanova", "Jensen", "Johansson", "Khan",
    "Kim", "Klein", "Larsen", "Lee", "Lindberg", "Martin", "Meyer", "Müller", "Murphy",
    "Nguyen", "Novak", "O'Brien", "Okafor", "Olsen", "Park", "Patel", "Popescu", "Rossi",
    "Santos", "Schneider", "Shah", "Singh", "Smith", "Takahashi", "Virtanen", "Wagner",
    "Walsh", "Wang", "Wójcik", "Yamamoto", "Zhang",
)  # fmt: skip
CITIES = (
    "Berlin, Germany", "Amsterdam, Netherlands", "London, UK", "Dublin, Ireland",
    "Stockholm, Sweden", "Lisbon, Portugal", "Madrid, Spain", "Warsaw, Poland", "Paris, France",
    "Munich, Germany", "Toronto, Canada", "New York, USA", "Austin, USA", "Singapore",
    "Sydney, Australia", "Remote",
)  # fmt: skip
USER_AGENTS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
)
POSTING_INTRO = (
    "Join the team that makes our customers successful: you will own a portfolio of "
    "accounts from onboarding to renewal."
)

#: People managers per person, people per leader (the executive interviewers), and
#: requisitions per recruiter.
MANAGER_SHARE = 0.11
LEADER_EVERY = 250
REQUISITIONS_PER_RECRUITER = 50


# --- writing ---------------------------------------------------------------------------


Batch = list[tuple[Table, list[dict[str, Any]]]]


class Writer:
    """Rows buffered per table, written in foreign-key order with ids chosen here, one
    transaction per batch; counts, a digest of every row, and progress on stderr.

    On PostgreSQL the batches go by ``COPY`` from a thread with a connection of its own,
    so that the next batch is generated while the server stores the last one.

    It offers what :mod:`app.services.demo_history`'s story writers call (``new_id``,
    ``add``), so that their rows land here too."""

    def __init__(self, *, batch_rows: int, applications: int) -> None:
        self.batch_rows = batch_rows
        self.applications = applications
        self.copier = Copier() if db.session.get_bind().dialect.name == "postgresql" else None
        self.buffers: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
        self.counts: Counter[str] = Counter()
        self.next_id = {t.name: 1 for t in TABLES if "id" in t.c}
        self.buffered = 0
        self.digest = hashlib.sha256()
        self.seats: Counter[int] = Counter()
        self.started = time.perf_counter()
        self.reported = self.started

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.buffers[table].append(row)
        self.buffered += 1
        if table == "interview_interviewers":
            self.seats[row["user_id"]] += 1

    def maybe_flush(self) -> None:
        """Write the buffers once they are full (between applications, so that every row's
        parents are written with it or before)."""
        if self.buffered >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        batch: Batch = []
        for table in TABLES:
            rows = self.buffers[table.name]
            if not rows:
                continue
            for row in rows:
                # Every row of a table has the same keys, in the same order. A password
                # hash has a random salt: it is left out.
                values = tuple(v for k, v in row.items() if k != "password_hash")
                self.digest.update(repr(values).encode())
            batch.append((table, rows))
            self.counts[table.name] += len(rows)
            self.buffers[table.name] = []
        self.buffered = 0
        if self.copier is not None:
            self.copier.write(batch)
        else:
            for table, rows in batch:
                db.session.execute(insert(table), rows)
            db.session.commit()
        now = time.perf_counter()
        if now - self.reported >= 5:
            self.reported = now
            self.progress()

    def progress(self, final: bool = False) -> None:
        elapsed = time.perf_counter() - self.started
        total = sum(self.counts.values())
        done = self.counts["applications"]
        print(
            f"{'done' if final else 'progress'}: {done:,}/{self.applications:,} applications, "
            f"{total:,} rows in {elapsed:,.0f} s ({total / max(elapsed, 1e-9):,.0f} rows/s, "
            f"{done / max(elapsed, 1e-9):,.0f} applications/s)",
            file=sys.stderr,
            flush=True,
        )
        if final:
            for table in TABLES:
                print(f"  {table.name:<24}{self.counts[table.name]:>12,}", file=sys.stderr)

    def finish(self) -> None:
        self.flush()
        if self.copier is not None:
            self.copier.close()
            for name in self.next_id:
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - table names of the models
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                    )
                )
            # The planner's statistics, as autovacuum would gather them soon after.
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        self.progress(final=True)


class Copier:
    """Writes batches into PostgreSQL by ``COPY``, in order, one transaction each, from a
    thread on a connection of its own; a failure there is raised by the next call here."""

    def __init__(self) -> None:
        self.indexes = _drop_indexes()
        self.connection = db.engine.raw_connection()
        self.queue: queue.Queue[Batch | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="copy", daemon=True)
        self.thread.start()

    def write(self, batch: Batch) -> None:
        self._check()
        self.queue.put(batch)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.connection.close()
        self._check()
        started = time.perf_counter()
        for statement in self.indexes:
            db.session.execute(text(statement))
        db.session.commit()
        print(
            f"indexes: {len(self.indexes)} built in {time.perf_counter() - started:,.0f} s",
            file=sys.stderr,
        )

    def _check(self) -> None:
        if self.error is not None:
            raise RuntimeError("writing a batch failed") from self.error

    def _run(self) -> None:
        raw = self.connection.driver_connection
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain: the main thread raises the error
            try:
                with raw.transaction(), raw.cursor() as cursor:
                    # The data can be generated again: no need to wait for the disk.
                    cursor.execute("SET LOCAL synchronous_commit TO off")
                    for table, rows in batch:
                        _copy(cursor, table, rows)
            except BaseException as exc:  # handed to the main thread
                self.error = exc


def _drop_indexes() -> list[str]:
    """Drop the plain (not unique) indexes of the tables written, and return the
    statements that make them again: one build at the end is much cheaper than keeping
    them up to date row by row. (Unique ones stay: they check the rows.)"""
    found = db.session.execute(
        text(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE NOT x.indisunique AND NOT x.indisprimary AND t.relname = ANY(:tables) "
            "ORDER BY i.relname"
        ),
        {"tables": [table.name for table in TABLES]},
    ).all()
    for name, _definition in found:
        db.session.execute(text(f'DROP INDEX "{name}"'))
    db.session.commit()
    return [definition for _name, definition in found]


def _copy(cursor: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """``COPY`` the rows into a PostgreSQL table, each row's values taken by the first
    row's column names; JSON columns as JSON."""
    from psycopg.types.json import Json

    names = list(rows[0])
    as_json = [isinstance(table.c[name].type, JSON) for name in names]
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                tuple(
                    Json(row[name]) if json and row[name] is not None else row[name]
                    for name, json in zip(names, as_json, strict=True)
                )
            )


def audit(
    writer: Writer,
    action: str,
    at: datetime,
    actor_id: int | None,
    object_type: str,
    object_id: int,
    summary: dict[str, Any],
) -> None:
    """An audit row as :func:`app.services.audit.record` writes it for a web request."""
    writer.add(
        "audit_events",
        {
            "id": writer.new_id("audit_events"),
            "occurred_at": at,
            "actor_id": actor_id,
            "channel": "web",
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "summary": summary,
            # Candidates' own requests (no actor) keep no address.
            "address": None if actor_id is None else _address(actor_id),
            "user_agent": None if actor_id is None else USER_AGENTS[actor_id % len(USER_AGENTS)],
        },
    )


def _address(user_id: int) -> str:
    return f"10.{user_id >> 16 & 255}.{user_id >> 8 & 255}.{user_id & 255}"


# --- people ----------------------------------------------------------------------------


@dataclass
class Staff:
    """Who works at the company before the history's hires: ids by what they do."""

    admin_id: int
    recruiter_id: int
    manager_id: int
    interviewer_id: int
    member_id: int
    recruiters: list[int]
    #: Hiring managers by family (the demo manager in the CSM family).
    managers: dict[str, list[int]]
    interviewers: list[int]
    #: Team members on IC levels: (id, level, manager, level since).
    members: list[tuple[int, str, int, date]]
    people: history.HistoryPeople


class Company:
    def __init__(self, writer: Writer, ladder: Ladder, rng: random.Random, today: date) -> None:
        self.writer = writer
        self.ladder = ladder
        self.rng = rng
        self.today = today
        self.password_hash = hash_password(DEMO_PASSWORD)
        #: Who creates the accounts (the demo admin, the first one created).
        self.admin_id: int | None = None
        # The staff's rows while they are still buffered (promotions change them).
        self.user_rows: dict[int, dict[str, Any]] = {}
        self.span_rows: dict[int, dict[str, Any]] = {}

    def family(self, level_id: str) -> str:
        return self.ladder.levels_by_id[level_id].family

    def user(
        self,
        name: str,
        roles: Sequence[Role],
        *,
        email: str | None = None,
        level_id: str | None = None,
        manager_id: int | None = None,
        since: date | None = None,
        is_demo: bool = False,
    ) -> int:
        rng = self.rng
        writer = self.writer
        user_id = writer.new_id("users")
        first, _, last = name.partition(" ")
        joined = since or self.today - timedelta(days=rng.randint(800, 2400))
        created_at = history._working_hour(
            datetime(joined.year, joined.month, joined.day, tzinfo=UTC) - timedelta(days=14), rng
        )
        row = self.user_rows[user_id] = {
            "id": user_id,
            "email": email or f"{history._slug(first)}.{history._slug(last)}.{user_id}@example.com",
            "display_name": name,
            "password_hash": self.password_hash,
            "active": True,
            "is_demo": is_demo,
            "created_at": created_at,
            "level_id": level_id,
            "specialty_id": None,
            "level_since": joined if level_id else None,
            "manager_id": manager_id,
            "left_on": None,
            "must_change_password": False,
            "timezone": None,
            "notification_preferences": {},
            "version": 1,
        }
        writer.add("users", row)
        for role in sorted(roles):
            writer.add("user_roles", {"user_id": user_id, "role": role})
        audit(
            writer,
            "user.create",
            created_at,
            self.admin_id,
            "user",
            user_id,
            {"roles": sorted(str(r) for r in roles)},
        )
        if level_id is not None:
            span = self.span_rows[user_id] = {
                "id": writer.new_id("level_history"),
                "user_id": user_id,
                "level_id": level_id,
                "specialty_id": None,
                "starts_on": joined,
                "reason": LevelReason.HIRED,
                "application_id": None,
                "packet_id": None,
                "recorded_by_id": self.admin_id,
                "recorded_at": created_at,
                "ends_on": None,
                "note": None,
            }
            writer.add("level_history", span)
        self.sign_ins(user_id, created_at)
        return user_id

    def sign_ins(self, user_id: int, created_at: datetime) -> None:
        """A few sign-ins over the history (the audit log's security rows)."""
        rng = self.rng
        end = datetime(self.today.year, self.today.month, self.today.day, tzinfo=UTC)
        start = max(created_at, end - timedelta(days=365 * history.YEARS))
        for _ in range(rng.randint(2, SIGN_INS)):
            at = start + (end - start) * rng.random()
            remember = rng.random() < 0.3
            audit(
                self.writer,
                "auth.sign_in",
                at,
                user_id,
                "user",
                user_id,
                {"remember": remember, "new_device": False},
            )

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def hire_staff(self, size: int, requisitions: int) -> Staff:
        """The demo accounts, then leaders, people managers, recruiters and team members:
        ``size`` people in all, every manager written before the people they manage."""
        rng = self.rng
        ids: dict[str, int] = {}
        for email, name, roles in DEMO_USERS:
            level_id, _specialty, manager_email = DEMO_PEOPLE.get(email, (None, None, None))
            ids[email] = self.user(
                name,
                roles,
                email=email,
                level_id=level_id,
                manager_id=ids[manager_email] if manager_email else None,
                since=date(2025, 2, 1) if level_id else None,
                is_demo=True,
            )
            self.admin_id = ids["admin@example.com"]
        admin_id = ids["admin@example.com"]
        manager_id = ids["manager@example.com"]
        by_level: dict[str, list[int]] = {
            "senior-director-csm": [admin_id],
            "manager-csm": [manager_id],
            "senior-csm": [ids["interviewer@example.com"]],
            "csm": [ids["member@example.com"]],
        }
        # Leaders: whoever holds the levels that conduct executive interviews, and the VPs.
        leaders = [admin_id]
        executive_levels = sorted(
            {
                stage.level
                for family in self.ladder.families_by_id
                for stage in self._plan_stages(family)
                if stage.kind is StageKind.EXECUTIVE and stage.level
            }
        )
        n_leaders = max(2, round(size / LEADER_EVERY))
        for number in range(n_leaders):
            level_id = (
                executive_levels[number % len(executive_levels)] if executive_levels else "vp-cs"
            )
            if number == n_leaders - 1:
                level_id = "vp-cs" if "vp-cs" in self.ladder.levels_by_id else level_id
            user_id = self.user(
                self.name(),
                (Role.INTERVIEWER, Role.TEAM_MEMBER),
                level_id=level_id,
                manager_id=admin_id,
            )
            leaders.append(user_id)
            by_level.setdefault(level_id, []).append(user_id)
        # People managers, who are the hiring managers: by family, on the lead levels.
        # As many in each family as it hires for.
        lead_levels: dict[str, list[str]] = {}
        for level_id in self.ladder.levels_by_id:
            if history._leads(level_id) and not any(
                w in level_id for w in ("vp", "senior-director")
            ):
                lead_levels.setdefault(self.family(level_id), []).append(level_id)
        demand: Counter[str] = Counter()
        for level_id, weight in history.LEVEL_WEIGHTS.items():
            if level_id in self.ladder.levels_by_id and self.family(level_id) in lead_levels:
                demand[self.family(level_id)] += weight
        families = sorted(demand.items())
        managers: dict[str, list[int]] = {self.family("manager-csm"): [manager_id]}
        n_managers = max(3, round(size * MANAGER_SHARE))
        for _ in range(n_managers):
            level_id = rng.choice(lead_levels[history._weighted(rng, families)])
            user_id = self.user(
                self.name(),
                (Role.HIRING_MANAGER, Role.INTERVIEWER, Role.TEAM_MEMBER),
                level_id=level_id,
                manager_id=rng.choice(leaders),
            )
            managers.setdefault(self.family(level_id), []).append(user_id)
            by_level.setdefault(level_id, []).append(user_id)
        recruiters = [ids["recruiter@example.com"]]
        for _ in range(max(1, round(requisitions / REQUISITIONS_PER_RECRUITER))):
            recruiters.append(self.user(self.name(), (Role.RECRUITER, Role.TEAM_MEMBER)))
        # Team members on the IC levels, each managed by a manager of the family.
        ic_levels = [
            (level_id, weight)
            for level_id, weight in history.LEVEL_WEIGHTS.items()
            if level_id in self.ladder.levels_by_id and not history._leads(level_id)
        ]
        everyone = [m for group in managers.values() for m in group]
        interviewers = [ids["interviewer@example.com"]]
        members: list[tuple[int, str, int, date]] = [
            (ids["interviewer@example.com"], "senior-csm", manager_id, date(2025, 2, 1)),
            (ids["member@example.com"], "csm", manager_id, date(2025, 2, 1)),
        ]
        remaining = size - (len(DEMO_USERS) + n_leaders + n_managers + len(recruiters) - 1)
        for _ in range(max(10, remaining)):
            level_id = history._weighted(rng, ic_levels)
            boss = rng.choice(managers.get(self.family(level_id)) or everyone)
            interviews = rng.random() < INTERVIEWER_SHARE
            roles = (Role.INTERVIEWER, Role.TEAM_MEMBER) if interviews else (Role.TEAM_MEMBER,)
            since = self.today - timedelta(days=rng.randint(90, 2200))
            user_id = self.user(self.name(), roles, level_id=level_id, manager_id=boss, since=since)
            by_level.setdefault(level_id, []).append(user_id)
            members.append((user_id, level_id, boss, since))
            if interviews:
                interviewers.append(user_id)
        habits = {
            user_id: (rng.gauss(0, 0.35), min(0.6, rng.expovariate(1 / 0.08)))
            for group in (interviewers, everyone, leaders)
            for user_id in group
        }
        habits[ids["interviewer@example.com"]] = (0.0, 0.06)
        people = history.HistoryPeople(
            recruiter_id=recruiters[0],
            admin_id=admin_id,
            csm_manager_id=manager_id,
            other_manager_id=manager_id,
            panel=[(i, *habits[i]) for i in interviewers],
            habits=habits,
            by_level=by_level,
            referrers=[m[0] for m in members],
        )
        return Staff(
            admin_id=admin_id,
            recruiter_id=ids["recruiter@example.com"],
            manager_id=manager_id,
            interviewer_id=ids["interviewer@example.com"],
            member_id=ids["member@example.com"],
            recruiters=recruiters,
            managers=managers,
            interviewers=interviewers,
            members=members,
            people=people,
        )

    def _plan_stages(self, family: str) -> tuple[PlannedStage, ...]:
        return tuple(build_plan(self.ladder, family).stages)


# --- the history -----------------------------------------------------------------------


class Generator(history._Generator):
    """The demo history's stories, with a big interviewer pool in which one person (the
    busiest) takes a fixed share of the peer and panel seats.

    On a big requisition the hiring manager's seats (their own interview and the panel's)
    go round the managers of the family, ``stand_ins``: no one person interviews a
    thousand candidates."""

    def __init__(self, *args: Any, busiest_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.busiest_id = busiest_id
        self.pool = [i for i, *_ in self.people.panel if i != busiest_id]
        self.stand_ins: list[int] = []

    def interviewers(self, stage: PlannedStage, manager_id: int) -> list[int]:
        rng = self.rng
        if self.stand_ins and stage.kind in (StageKind.HIRING_MANAGER, StageKind.PANEL):
            manager_id = rng.choice(self.stand_ins)
        if stage.kind is StageKind.HIRING_MANAGER:
            return [manager_id]
        if stage.kind not in (StageKind.PEER, StageKind.PANEL, StageKind.INTERVIEW):
            return super().interviewers(stage, manager_id)
        seats = 2 if stage.kind is StageKind.PANEL else 1
        chosen = [self.busiest_id] if rng.random() < BUSIEST_SEAT else []
        while len(chosen) < seats:
            pick = rng.choice(self.pool)
            if pick != manager_id and pick not in chosen:
                chosen.append(pick)
        return [manager_id, *chosen] if stage.kind is StageKind.PANEL else chosen


def _move_summary(row: dict[str, Any]) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "stage": {"before": row["from_stage"], "after": row["to_stage"]},
        "status": {
            "before": str(row["from_status"]) if row["from_status"] else None,
            "after": str(row["to_status"]),
        },
    }
    if row["overridden"]:
        summary["overridden"] = list(row["overridden"])
    return summary


def audit_story(writer: Writer, marks: dict[str, int], recruiter_id: int) -> None:
    """The audit rows of the rows one story just added (those past ``marks``)."""
    fresh = {name: writer.buffers[name][marks[name] :] for name in marks}
    for row in fresh["candidates"]:
        audit(
            writer,
            "candidate.create",
            row["created_at"],
            row["created_by_id"],
            "candidate",
            row["id"],
            {"cv": False, "source": row["source"], "consent_version": row["consent_version"]},
        )
    (application,) = fresh["applications"]
    moves = fresh["stage_transitions"]
    for number, row in enumerate(moves):
        if number == 1:
            # The recruiter reads the candidate's record before the first decision.
            audit(
                writer,
                "candidate.view",
                row["at"] - timedelta(minutes=40),
                recruiter_id,
                "candidate",
                application["candidate_id"],
                {"page": "candidate"},
            )
        if number == 1 and application["screen_passed"] is not None:
            audit(
                writer,
                "application.screen_outcome",
                row["at"] - timedelta(minutes=20),
                recruiter_id,
                "application",
                application["id"],
                {"screen_passed": {"before": None, "after": application["screen_passed"]}},
            )
        audit(
            writer,
            f"application.{row['action']}",
            row["at"],
            row["actor_id"],
            "application",
            application["id"],
            _move_summary(row),
        )
    seats: dict[int, list[int]] = {}
    for row in fresh["interview_interviewers"]:
        seats.setdefault(row["interview_id"], []).append(row["user_id"])
    for row in fresh["interviews"]:
        audit(
            writer,
            "interview.schedule",
            row["created_at"],
            recruiter_id,
            "interview",
            row["id"],
            {
                "application_id": application["id"],
                "stage": row["stage_id"],
                "interviewer_ids": {"before": None, "after": sorted(seats[row["id"]])},
                "starts_at": {"before": None, "after": row["starts_at"].isoformat()},
                "location_changed": False,
                "sequence": 0,
                "messages": len(seats[row["id"]]) + 1,
                "candidate_invited": True,
            },
        )
    for row in fresh["scorecards"]:
        audit(
            writer,
            "scorecard.submit",
            row["submitted_at"],
            row["interviewer_id"],
            "scorecard",
            row["id"],
            {
                "interview_id": row["interview_id"],
                "application_id": application["id"],
                "recommendation": str(row["recommendation"]),
            },
        )
    for row in fresh["hiring_decisions"]:
        audit(
            writer,
            "application.decision",
            row["decided_at"],
            row["decided_by_id"],
            "application",
            application["id"],
            {"outcome": str(row["outcome"]), "level_id": row["level_id"]},
        )
    for row in fresh["offers"]:
        audit(
            writer,
            "offer.create",
            row["created_at"],
            row["created_by_id"],
            "offer",
            row["id"],
            {"application_id": application["id"], "level_id": row["level_id"]},
        )
    for row in fresh["users"]:
        audit(
            writer,
            "user.create",
            row["created_at"],
            recruiter_id,
            "user",
            row["id"],
            {"roles": [str(Role.TEAM_MEMBER)], "application_id": application["id"]},
        )


@dataclass
class Plan:
    """One requisition to generate: when it opened, how many applications, and for the
    big ones, their size."""

    offset: float
    share: int
    big: int | None = None


def generate(
    *,
    applications: int,
    seed: int,
    today: date,
    batch_rows: int = BATCH_ROWS,
) -> dict[str, Any]:
    """Write the company (see the module's docstring) into the app's empty database;
    the summary."""
    if applications < 1:
        raise ValueError("give at least one application")
    started = time.perf_counter()
    ladder = get_ladder()
    writer = Writer(batch_rows=batch_rows, applications=applications)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    company = Company(writer, ladder, rng, today)

    bigs = [(size, level) for size, level in BIG_REQUISITIONS if applications >= 2 * size]
    n_requisitions = max(2, round(applications / PER_REQUISITION))
    users_wanted = round(applications / APPLICATIONS_PER_USER)
    big_applications = sum(size for size, _ in bigs)
    hires = HIRES_PER_REQUISITION * (n_requisitions - len(bigs))
    hires += HIRES_PER_BIG_APPLICATION * big_applications
    staff_size = max(20, round(users_wanted - hires))
    staff = company.hire_staff(staff_size, n_requisitions)
    gen = Generator(seed, today, staff.people, ladder, busiest_id=staff.interviewer_id)
    gen.rng = rng
    promote_staff(company, gen, staff)
    writer.flush()
    span_days = 365 * history.YEARS
    first_day = gen.cutoff - timedelta(days=span_days)
    rest = applications - big_applications
    n_other = max(1, n_requisitions - len(bigs))
    shares = history._spread(rest, n_other, rng)
    recent = max(1, n_other // 7)
    offsets = sorted(
        [rng.uniform(0, span_days - 100) for _ in range(n_other - recent)]
        + [rng.uniform(span_days - 100, span_days - 12) for _ in range(recent)]
    )
    plans = [Plan(o, s) for o, s in zip(offsets, shares, strict=True)]
    plans += [Plan(span_days - 90 - 30 * n, size, size) for n, (size, _) in enumerate(bigs)]
    plans.sort(key=lambda p: (p.offset, p.share))
    big_levels = dict(bigs)
    levels = [
        (level_id, w)
        for level_id, w in history.LEVEL_WEIGHTS.items()
        if level_id in ladder.levels_by_id
    ]
    hiring_managers = {
        family: [m for m in group if m != staff.manager_id]
        for family, group in staff.managers.items()
    }
    all_managers = [m for group in hiring_managers.values() for m in group]
    # Earlier applicants, who may apply again: (candidate id, requisition id, created at).
    earlier: deque[tuple[int, int, datetime]] = deque(maxlen=20_000)
    big_ids: dict[str, int | None] = {str(size): None for size, _ in BIG_REQUISITIONS}
    for plan in plans:
        big = plan.big is not None
        level_id = big_levels[plan.big] if plan.big is not None else history._weighted(rng, levels)
        level = ladder.levels_by_id[level_id]
        recruiter_id = staff.recruiter_id if big else rng.choice(staff.recruiters)
        # The demo hiring manager owns the big requisitions only.
        manager_id = (
            staff.manager_id
            if big
            else rng.choice(hiring_managers.get(level.family) or all_managers)
        )
        gen.people = replace(staff.people, recruiter_id=recruiter_id)
        gen.stand_ins = staff.managers[level.family] if big else []
        requisition: dict[str, Any] = {
            "id": writer.new_id("requisitions"),
            "level_id": level_id,
            "specialty_id": None if big else gen.specialty(level_id),
            "hiring_manager_id": manager_id,
            "created_at": history._working_hour(first_day + timedelta(days=plan.offset), rng),
            "headcount": history._weighted(rng, [(1, 0.72), (2, 0.22), (3, 0.06)]),
        }
        if plan.big is not None:
            big_ids[str(plan.big)] = requisition["id"]
            last_open = gen.cutoff - timedelta(days=1)
        else:
            window = timedelta(days=rng.uniform(45, 110))
            last_open = min(requisition["created_at"] + window, gen.cutoff - timedelta(days=1))
        stories = []
        for _ in range(plan.share):
            opened = requisition["created_at"] + (last_open - requisition["created_at"]) * (
                rng.random() ** (1.0 if big else 1.3)
            )
            opened = min(
                history._working_hour(opened + timedelta(days=1), rng),
                gen.cutoff - timedelta(hours=1),
            )
            with _weaker_applicants(BIG_SHIFT if big else 0.0):
                story = gen.story(len(stories), opened, requisition)
            story.first, story.last = rng.choice(FIRST), rng.choice(LAST)
            stories.append(story)
        stories.sort(key=lambda s: (s.opened_at, s.index))
        hires = sorted(
            (s for s in stories if s.hired_at is not None), key=lambda s: (s.hired_at, s.index)
        )
        if big:
            # Hiring many, still open: the board keeps candidates at every stage.
            requisition["headcount"] = len(hires) + rng.randint(2, 5)
            status = RequisitionStatus.OPEN
        else:
            status = history.settle_requisition(
                gen, stories, hires, requisition["headcount"], last_open
            )
        title = history.requisition_title(ladder, level, requisition, rng)
        published = status is RequisitionStatus.OPEN and (big or rng.random() < 0.5)
        writer.add(
            "requisitions",
            {
                "id": requisition["id"],
                "title": title,
                "level_id": level_id,
                "specialty_id": requisition["specialty_id"],
                "hiring_manager_id": manager_id,
                "recruiter_id": recruiter_id,
                "headcount": requisition["headcount"],
                "status": status,
                "ladder_version": gen.version,
                "created_at": requisition["created_at"],
                "published_at": requisition["created_at"] + timedelta(days=1)
                if published
                else None,
                "posting_intro": POSTING_INTRO if published else None,
                "posting_location": rng.choice(CITIES) if published else None,
                "posting_remote": published and rng.random() < 0.3,
                "employment_type": EmploymentType.FULL_TIME,
                "posting_valid_through": None,
                "version": 1,
            },
        )
        audit(
            writer,
            "requisition.create",
            requisition["created_at"],
            recruiter_id,
            "requisition",
            requisition["id"],
            {
                "level_id": level_id,
                "specialty_id": requisition["specialty_id"],
                "hiring_manager_id": manager_id,
                "recruiter_id": recruiter_id,
                "headcount": requisition["headcount"],
            },
        )
        applied: set[int] = set()
        fresh_candidates: list[tuple[int, int, datetime]] = []
        for story in stories:
            if not story.moves:
                continue
            marks = {name: len(rows) for name, rows in writer.buffers.items()}
            history._write_story(gen, writer, requisition, story)
            candidate = writer.buffers["candidates"][-1]
            application = writer.buffers["applications"][-1]
            again = _returning(rng, earlier, story, requisition["id"], applied)
            if again is not None:
                writer.buffers["candidates"].pop()
                writer.buffered -= 1
                application["candidate_id"] = again
            else:
                candidate["phone"] = _phone(rng)
                candidate["location"] = rng.choice(CITIES)
                fresh_candidates.append(
                    (candidate["id"], requisition["id"], candidate["created_at"])
                )
            applied.add(application["candidate_id"])
            audit_story(writer, marks, recruiter_id)
            writer.maybe_flush()
        earlier.extend(fresh_candidates)
    writer.finish()
    busiest_id, busiest_seats = max(writer.seats.items(), key=lambda item: (item[1], -item[0]))
    emails = dict(
        db.session.execute(select(User.id, User.email).where(User.id == busiest_id)).all()
    )
    return {
        "applications": applications,
        "seed": seed,
        "today": today.isoformat(),
        "database": db.session.get_bind().dialect.name,
        "rows": {table.name: writer.counts[table.name] for table in TABLES},
        "requisitions": big_ids,
        "busiest_interviewer": {
            "email": emails[busiest_id],
            "interviews": busiest_seats,
            "share": round(busiest_seats / max(1, writer.counts["interviews"]), 4),
        },
        "accounts": {
            "admin": "admin@example.com",
            "recruiter": "recruiter@example.com",
            "hiring_manager": "manager@example.com",
            "interviewer": "interviewer@example.com",
            "member": "member@example.com",
        },
        "password": DEMO_PASSWORD,
        "seconds": round(time.perf_counter() - started, 1),
        "digest": writer.digest.hexdigest()[:16],
    }


@contextmanager
def _weaker_applicants(shift: float) -> Iterator[None]:
    """The history's applicants, ``shift`` weaker on average (its stories draw each one's
    ability around their source's mean, :data:`app.services.demo_history.SOURCES`)."""
    if not shift:
        yield
        return
    sources = history.SOURCES
    history.SOURCES = tuple((source, w, mean - shift) for source, w, mean in sources)
    try:
        yield
    finally:
        history.SOURCES = sources


def _phone(rng: random.Random) -> str:
    return f"+{rng.randint(30, 49)} {rng.randint(100, 999)} {rng.randint(1_000_000, 9_999_999)}"


def _returning(
    rng: random.Random,
    earlier: deque[tuple[int, int, datetime]],
    story: history._Story,
    requisition_id: int,
    applied: set[int],
) -> int | None:
    """An earlier applicant who applies again (to this requisition for the first time),
    or None for someone new. Hires and referrals are always new people."""
    if not earlier or story.hired_at is not None or story.source is ApplicationSource.REFERRAL:
        return None
    if rng.random() >= RETURNING:
        return None
    candidate_id, was_for, created_at = earlier[rng.randrange(len(earlier))]
    if was_for == requisition_id or candidate_id in applied or created_at > story.opened_at:
        return None
    return candidate_id


def promote_staff(company: Company, gen: Generator, staff: Staff) -> None:
    """Promotion packets of the team members: approved in the past (with the level
    history to match), open now (submitted or draft, one per person), a few declined."""
    rng = company.rng
    writer = company.writer
    today = company.today
    for user_id, level_id, manager_id, since in staff.members:
        following = gen.next_level(level_id)
        if following is None:
            continue
        roll = rng.random()
        if roll < 0.05 and (today - since).days > 240:
            # Approved earlier: the packet and its decision (the level history starts with
            # the span the member was hired at; the promoted span is recorded from it).
            effective = since + timedelta(days=rng.randint(200, (today - since).days - 30))
            effective = date(effective.year, effective.month, 1)
            if effective <= since:
                continue
            packet_id = history._write_packet(
                gen, writer, user_id, manager_id, level_id, None, following, effective
            )
            packet = writer.buffers["promotion_packets"][-1]
            _packet_audit(writer, packet, manager_id, staff.admin_id)
            writer.add(
                "level_history",
                {
                    "id": writer.new_id("level_history"),
                    "user_id": user_id,
                    "level_id": following,
                    "specialty_id": None,
                    "starts_on": effective,
                    "reason": LevelReason.PROMOTED,
                    "application_id": None,
                    "packet_id": packet_id,
                    "recorded_by_id": staff.admin_id,
                    "recorded_at": packet["decided_at"],
                    "ends_on": None,
                    "note": None,
                },
            )
            company.span_rows[user_id]["ends_on"] = effective - timedelta(days=1)
            company.user_rows[user_id]["level_id"] = following
            company.user_rows[user_id]["level_since"] = effective
        elif roll < 0.09:
            # Open now, or declined lately: started one to eight weeks ago.
            status = _weighted_status(rng)
            effective = today + timedelta(days=rng.randint(20, 60))
            first_section = len(writer.buffers["promotion_sections"])
            history._write_packet(
                gen, writer, user_id, manager_id, level_id, None, following, effective
            )
            packet = writer.buffers["promotion_packets"][-1]
            created = _at(today, rng, rng.randint(7, 56))
            submitted = created + (
                datetime.combine(today, datetime.min.time(), UTC) - created
            ) * rng.uniform(0.3, 0.8)
            packet["status"] = status
            packet["created_at"] = created
            packet["effective_on"] = None
            packet["submitted_at"] = None if status is PacketStatus.DRAFT else submitted
            packet["updated_at"] = submitted
            packet["updated_by_id"] = manager_id
            if status is PacketStatus.DECLINED:
                packet["decided_at"] = submitted + timedelta(days=rng.uniform(1, 5))
                packet["decided_by_id"] = staff.admin_id
                packet["decision_comment"] = (
                    "Not yet: the evidence shows the current level's scope."
                )
                packet["updated_at"] = packet["decided_at"]
            else:
                packet["decided_at"] = packet["decided_by_id"] = packet["decision_comment"] = None
            for section in writer.buffers["promotion_sections"][first_section:]:
                section["updated_at"] = submitted - timedelta(hours=2)
                if status is PacketStatus.DRAFT and rng.random() < 0.5:
                    section["evidence"] = None
                    section["updated_at"] = None
                    section["updated_by_id"] = None
            _packet_audit(writer, packet, manager_id, staff.admin_id)


def _weighted_status(rng: random.Random) -> PacketStatus:
    status: PacketStatus = history._weighted(
        rng,
        [(PacketStatus.SUBMITTED, 0.5), (PacketStatus.DRAFT, 0.4), (PacketStatus.DECLINED, 0.1)],
    )
    return status


def _at(today: date, rng: random.Random, days_ago: int) -> datetime:
    return history._working_hour(
        datetime(today.year, today.month, today.day, tzinfo=UTC) - timedelta(days=days_ago), rng
    )


def _packet_audit(writer: Writer, packet: dict[str, Any], author_id: int, admin_id: int) -> None:
    summary = {"subject_id": packet["subject_id"], "target_level_id": packet["target_level_id"]}
    audit(
        writer,
        "promotion.start",
        packet["created_at"],
        author_id,
        "promotion",
        packet["id"],
        summary,
    )
    if packet["submitted_at"] is not None:
        audit(
            writer,
            "promotion.submit",
            packet["submitted_at"],
            author_id,
            "promotion",
            packet["id"],
            summary,
        )
    if packet["decided_at"] is not None:
        action = (
            "promotion.approve"
            if packet["status"] is PacketStatus.APPROVED
            else "promotion.decline"
        )
        audit(writer, action, packet["decided_at"], admin_id, "promotion", packet["id"], summary)


# --- the command -----------------------------------------------------------------------


def open_app(url: str) -> Flask:
    """The app on ``url``, migrated to the newest revision (alembic's lines kept quiet)."""
    overrides: dict[str, Any] = {"SQLALCHEMY_DATABASE_URI": url}
    if not os.environ.get("SECRET_KEY"):
        overrides["SECRET_KEY"] = "bench-generate"  # noqa: S105 - never serves requests
    app = create_app(overrides)
    logging.disable(logging.INFO)
    try:
        with app.app_context():
            upgrade()
    finally:
        logging.disable(logging.NOTSET)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=DEFAULT_APPLICATIONS)
    parser.add_argument(
        "--database-url",
        help="an empty database, SQLite or PostgreSQL (default: a SQLite file in a "
        "temporary folder, deleted afterwards: how `make bench` runs it)",
    )
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=datetime.now(UTC).date(),
        help="the day the history ends (default: today, UTC)",
    )
    parser.add_argument("--batch-rows", type=int, default=BATCH_ROWS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hireladder-generate-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'generated.db'}"
        app = open_app(url)
        with app.app_context():
            if db.session.scalar(select(func.count()).select_from(User)):
                print("the database already has users: give an empty one", file=sys.stderr)
                return 2
            summary = generate(
                applications=args.applications,
                seed=args.seed,
                today=args.today,
                batch_rows=args.batch_rows,
            )
            db.session.remove()
            db.engine.dispose()
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
