"""Every list and page at several sizes of data: is each one flat?

For each size asked for (applications: default 10,000 and 100,000; add 1,000,000 with
``--sizes``), a PostgreSQL database ``hireladder_scale_<size>`` on ``--server`` filled by
``bench/generate.py`` (generated when missing, kept for the next run: a million takes
about twenty minutes), migrated to the newest revision. Each page is requested through
Flask's test client in-process (server time, no network) by the user it is for: the
requisitions list and the board of the 5,000-application requisition by the recruiter,
My interviews by the busiest interviewer, the audit log, the users and the home page by
the admin, the API lists with an admin's token (the interviews API with the busiest
interviewer's). Deep pages start from a cursor near the end of the list (what the last
page of an OFFSET list cost).

All pages of one size are timed round by round in alternating order (the machine's
background load weighs on each alike), beside ``GET /account`` (the signed-in floor) of
the same run. For each page: median and p95 (ms), SQL statements per request, size of the
answer; then, for each page, its p95 at each size and the growth per 10x of data.

``--explain`` (PostgreSQL) runs EXPLAIN on every statement each page sends and names the
sequential scans of tables over 10,000 rows: a page's plan should not read a large table
whole.

    .venv/bin/python bench/scale.py [--sizes 10000,100000,1000000] [--rounds 30]
            [--server postgresql://postgres@127.0.0.1:5432/postgres] [--explain]
            [--only PATTERN]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import create_engine, event, func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.db import db  # noqa: E402
from app.models import (  # noqa: E402
    Application,
    AuditEvent,
    Candidate,
    InterviewInterviewer,
    PromotionPacket,
    Requisition,
    User,
)
from app.paging import encode_cursor  # noqa: E402
from app.services import api_tokens  # noqa: E402
from bench.support import interleaved, migrated_app, p95, sign_in  # noqa: E402

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_SIZES = (10_000, 100_000)
#: A table this large read whole by a page's plan is named by --explain.
LARGE_TABLE_ROWS = 10_000


@dataclass(frozen=True)
class Page:
    label: str
    who: str  # a key of People.clients
    url: str


@dataclass
class People:
    clients: dict[str, FlaskClient]
    tokens: dict[str, str]


@dataclass(frozen=True)
class Measure:
    median: float
    p95: float
    queries: int
    size: int


# --- the databases ---------------------------------------------------------------------


def database_url(server: str, size: int) -> str:
    base = make_url(server).set(drivername="postgresql+psycopg")
    return base.set(database=f"hireladder_scale_{size}").render_as_string(hide_password=False)


def ensure_filled(server: str, size: int) -> str:
    """The URL of the database of ``size`` applications, generated first when missing or
    empty."""
    url = database_url(server, size)
    name = make_url(url).database
    admin = create_engine(
        make_url(server).set(drivername="postgresql+psycopg", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}
        ).first()
        if not exists:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        # PostgreSQL resolves every table a statement names before running it: ask whether
        # the users table exists first, then whether it holds anyone.
        filled = (
            conn.exec_driver_sql("SELECT to_regclass('users') IS NOT NULL").scalar()
            and conn.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM users)").scalar()
        )
    engine.dispose()
    if not filled:
        print(f"generating {size:,} applications in {name} (kept for the next run)", flush=True)
        subprocess.run(  # noqa: S603 - our own script
            [
                sys.executable,
                str(ROOT / "bench/generate.py"),
                "--applications",
                str(size),
                "--database-url",
                url,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # A live database has been vacuumed by autovacuum (visibility map set, so that
        # index-only scans stay index-only); a freshly loaded one not yet.
        vacuum = create_engine(url, isolation_level="AUTOCOMMIT")
        with vacuum.connect() as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
        vacuum.dispose()
    return url


# --- who asks, and for what ------------------------------------------------------------


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise SystemExit(f"{email} is not in the database: was it filled by bench/generate.py?")
    return user


def busiest_interviewer() -> User:
    row = db.session.execute(
        select(InterviewInterviewer.user_id, func.count())
        .group_by(InterviewInterviewer.user_id)
        .order_by(func.count().desc(), InterviewInterviewer.user_id)
        .limit(1)
    ).first()
    assert row is not None, "no interviews"
    user = db.session.get(User, row[0])
    assert user is not None
    return user


def biggest_requisition() -> int:
    row = db.session.execute(
        select(Application.requisition_id, func.count())
        .group_by(Application.requisition_id)
        .order_by(func.count().desc())
        .limit(1)
    ).first()
    assert row is not None, "no applications"
    return int(row[0])


def near_the_end_by_id(column: Any, per_page: int) -> str:
    """``after=`` of the last page of a list newest first by id."""
    value = db.session.scalar(select(column).order_by(column).offset(per_page).limit(1))
    return str(value or 0)


def near_the_end(moment: Any, row_id: Any, per_page: int) -> str:
    """``after=`` of the last page of a list newest first by (moment, id)."""
    row = db.session.execute(
        select(moment, row_id).order_by(moment, row_id).offset(per_page).limit(1)
    ).first()
    assert row is not None
    return encode_cursor(row[0], row[1])


def people_and_pages(app: Flask) -> tuple[People, list[Page]]:
    clients: dict[str, FlaskClient] = {}
    tokens: dict[str, str] = {}
    with app.app_context():
        admin = _user("admin@example.com")
        recruiter = _user("recruiter@example.com")
        busiest = busiest_interviewer()
        board = biggest_requisition()
        for key, user in (("admin", admin), ("recruiter", recruiter), ("busiest", busiest)):
            clients[key] = app.test_client()
            tokens[key] = api_tokens.issue(user, actor=None, scope="read", days=1)[1]
        db.session.commit()
        ids = {"admin": admin.id, "recruiter": recruiter.id, "busiest": busiest.id}
        deep_requisitions = near_the_end(Requisition.created_at, Requisition.id, 20)
        deep_candidates = near_the_end_by_id(Candidate.id, 20)
        deep_audit = near_the_end(AuditEvent.occurred_at, AuditEvent.id, 25)
        deep_promotions = near_the_end(PromotionPacket.updated_at, PromotionPacket.id, 20)
        deep_applications = near_the_end(Application.created_at, Application.id, 20)
        deep_users = db.session.scalar(
            select(User.id).order_by(User.email.desc()).offset(25).limit(1)
        )
    for key, client in clients.items():
        sign_in(app, client, ids[key])
    pages = [
        Page("floor (/account)", "recruiter", "/account"),
        Page("home (admin)", "admin", "/"),
        Page("home (recruiter)", "recruiter", "/"),
        Page("requisitions list", "recruiter", "/hiring/requisitions"),
        Page(
            "requisitions list, last page",
            "recruiter",
            f"/hiring/requisitions?after={deep_requisitions}",
        ),
        Page("board of the biggest requisition", "recruiter", f"/hiring/requisitions/{board}"),
        Page("candidates list", "recruiter", "/hiring/candidates"),
        Page(
            "candidates list, last page", "recruiter", f"/hiring/candidates?after={deep_candidates}"
        ),
        Page("My interviews (busiest)", "busiest", "/hiring/my-interviews"),
        Page("promotions page", "admin", "/promotions/"),
        Page("promotions page, last page", "admin", f"/promotions/?after={deep_promotions}"),
        Page("audit log", "admin", "/admin/audit"),
        Page("audit log, last page", "admin", f"/admin/audit?after={deep_audit}"),
        Page("audit log of one user", "admin", f"/admin/audit?actor={ids['recruiter']}"),
        Page("users", "admin", "/admin/users"),
        Page("users, last page", "admin", f"/admin/users?after={deep_users}"),
        Page("API candidates", "admin:api", "/api/v1/candidates"),
        Page(
            "API candidates, last page", "admin:api", f"/api/v1/candidates?after={deep_candidates}"
        ),
        Page("API requisitions", "admin:api", "/api/v1/requisitions"),
        Page(
            "API requisitions, last page",
            "admin:api",
            f"/api/v1/requisitions?after={deep_requisitions}",
        ),
        Page("API promotions", "admin:api", "/api/v1/promotions"),
        Page(
            "API promotions, last page", "admin:api", f"/api/v1/promotions?after={deep_promotions}"
        ),
        Page("API applications", "admin:api", "/api/v1/applications"),
        Page(
            "API applications, last page",
            "admin:api",
            f"/api/v1/applications?after={deep_applications}",
        ),
        Page(
            "API applications of the biggest req.",
            "admin:api",
            f"/api/v1/applications?requisition_id={board}",
        ),
        Page("API interviews (busiest)", "busiest:api", "/api/v1/interviews"),
        Page(
            "API interviews upcoming (busiest)",
            "busiest:api",
            "/api/v1/interviews?section=upcoming",
        ),
        Page("API users", "admin:api", "/api/v1/users"),
        Page("API users, last page", "admin:api", f"/api/v1/users?after={deep_users}"),
        Page("API audit", "admin:api", "/api/v1/audit"),
        Page("API audit, last page", "admin:api", f"/api/v1/audit?after={deep_audit}"),
    ]
    return People(clients, tokens), pages


def caller(app: Flask, people: People, page: Page) -> Callable[[], int]:
    """A GET of the page as its user; the size of the answer. Stops the run unless it
    answers 200."""
    who, _, channel = page.who.partition(":")
    if channel == "api":
        client = app.test_client()
        headers = {"Authorization": f"Bearer {people.tokens[who]}"}
    else:
        client, headers = people.clients[who], {}

    def get() -> int:
        response = client.get(page.url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"GET {page.url} answered {response.status_code}, not 200")
        return len(response.data)

    return get


def answering(
    app: Flask, people: People, pages: list[Page]
) -> tuple[list[Page], list[Callable[[], int]]]:
    """The pages that answer 200, with their getters; the others are named, not timed."""
    kept: list[Page] = []
    getters: list[Callable[[], int]] = []
    for page in pages:
        get = caller(app, people, page)
        try:
            get()
        except SystemExit as exc:
            print(f"  not measured: {page.label}: {exc}", flush=True)
            continue
        kept.append(page)
        getters.append(get)
    return kept, getters


# --- statements and their plans ----------------------------------------------------------


@contextmanager
def statements(app: Flask) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def count_statements(app: Flask, get: Callable[[], int]) -> int:
    counted: list[int] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if (
            not statement.lstrip()
            .upper()
            .startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"))
        ):
            counted.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        get()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(counted)


def _seq_scans(plan: dict[str, Any]) -> Iterator[str]:
    if plan.get("Node Type") == "Seq Scan":
        yield plan["Relation Name"]
    for child in plan.get("Plans", ()):
        yield from _seq_scans(child)


def large_seq_scans(app: Flask, get: Callable[[], int]) -> list[str]:
    """The tables over LARGE_TABLE_ROWS rows that a plan of the page reads whole."""
    with statements(app) as seen:
        get()
    found: list[str] = []
    with app.app_context():
        sizes = _table_rows()
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters in seen:
                cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
                plan = cursor.fetchone()[0][0]["Plan"]
                for table in _seq_scans(plan):
                    if sizes.get(table, 0) > LARGE_TABLE_ROWS and table not in found:
                        found.append(table)
            raw.rollback()
        finally:
            raw.close()
    return found


def _table_rows() -> dict[str, int]:
    rows = db.session.execute(
        db.text(
            "SELECT relname, reltuples::bigint FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
    ).all()
    return {name: int(count) for name, count in rows}


# --- one size ----------------------------------------------------------------------------


def measure_size(
    url: str, rounds: int, only: str | None, explain: bool
) -> tuple[dict[str, Measure], dict[str, list[str]], dict[str, int]]:
    with tempfile.TemporaryDirectory(prefix="hireladder-scale-") as tmp:
        app = migrated_app(url, Path(tmp))
        with app.app_context():
            counts = {
                "applications": db.session.scalar(select(func.count(Application.id))) or 0,
                "audit rows": db.session.scalar(select(func.count(AuditEvent.id))) or 0,
            }
        people, pages = people_and_pages(app)
        if only:
            pages = [
                p for p in pages if only.lower() in p.label.lower() or p.label.startswith("floor")
            ]
        pages, getters = answering(app, people, pages)
        sizes = [get() for get in getters]
        queries = [count_statements(app, get) for get in getters]
        plans = (
            {
                page.label: large_seq_scans(app, get)
                for page, get in zip(pages, getters, strict=True)
            }
            if explain
            else {}
        )
        timings = interleaved(getters, rounds)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    out = {
        page.label: Measure(statistics.median(ms), p95(ms), q, size)
        for page, ms, q, size in zip(pages, timings, queries, sizes, strict=True)
    }
    return out, plans, counts


def print_size(
    size: int, counts: dict[str, int], figures: dict[str, Measure], plans: dict[str, list[str]]
) -> None:
    floor = figures.get("floor (/account)")
    print(f"\n== {size:,} applications ({counts['audit rows']:,} audit rows), PostgreSQL")
    print(f"{'page':<36} {'median ms':>10} {'p95 ms':>8} {'x floor':>8} {'queries':>8} {'KB':>8}")
    for label, m in figures.items():
        ratio = f"{m.p95 / floor.p95:.1f}" if floor else "-"
        print(
            f"{label:<36} {m.median:>10.1f} {m.p95:>8.1f} {ratio:>8} {m.queries:>8}"
            f" {m.size / 1024:>8.1f}"
        )
    for label, tables in plans.items():
        if tables:
            print(f"  sequential scan of a large table: {label}: {', '.join(tables)}")
    if plans and not any(plans.values()):
        print(f"  plans: no sequential scan of a table over {LARGE_TABLE_ROWS:,} rows on any page")


def print_growth(results: dict[int, dict[str, Measure]]) -> None:
    sizes = sorted(results)
    if len(sizes) < 2:
        return
    print("\n== growth of p95 with the data (per 10x of applications)")
    head = " ".join(f"{f'{s:,}':>10}" for s in sizes)
    print(f"{'page':<36} {head} {'per 10x':>8} {'first-last':>11}")
    for label in results[sizes[0]]:
        values = [results[s][label].p95 for s in sizes if label in results[s]]
        if len(values) < len(sizes):
            continue
        span = math.log10(sizes[-1] / sizes[0])
        total = values[-1] / values[0]
        per_ten = total ** (1 / span)
        cells = " ".join(f"{v:>10.1f}" for v in values)
        print(f"{label:<36} {cells} {per_ten:>7.2f}x {total:>10.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument(
        "--server", default=os.environ.get("HIRELADDER_BENCH_SERVER", DEFAULT_SERVER)
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", help="only the pages whose label contains this")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    os.environ["HIRELADDER_MFA_REQUIRED_ROLES"] = ""
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    results: dict[int, dict[str, Measure]] = {}
    for size in sizes:
        url = ensure_filled(args.server, size)
        figures, plans, counts = measure_size(url, args.rounds, args.only, args.explain)
        results[size] = figures
        print_size(size, counts, figures, plans)
    print_growth(results)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {s: {k: vars(m) for k, m in r.items()} for s, r in results.items()}, indent=2
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
