"""Hiring reports: server time of each report over a large generated history, on SQLite
and PostgreSQL.

Each database is fresh (SQLite in a temporary folder; PostgreSQL in a database of its own
on the server named, dropped at the end), built by the migrations, then filled by the demo
history generator (app.services.demo_history) with ``--applications`` applications over
two years and everything they bring: requisitions, candidates, stage transitions,
interviews, scorecards and their rating rows, decisions, offers, hires with their
accounts and level history, promotion packets. Then ``ANALYZE``.

Timed, through Flask's test client (no network), as an admin, interleaved request by
request after warm-up rounds: every report of the API (``/api/v1/reports/…``, with an API
token) and its page (``/reports/…``, signed in), beside a floor of each kind in the same
run (``GET /api/v1/me`` for the API, ``GET /account`` for the pages). Median and p95 per
endpoint, each divided by its floor's from the same run, and the SQL queries per request.
An endpoint that answers 404 is not there (yet) on this branch: it is skipped, and the
output says so. The script reports: it asserts no time (exit 1 only when an endpoint
answers neither 200 nor 404).

    .venv/bin/python bench/report_bench.py [--applications N] [--db sqlite|postgresql|both]
                                          [--runs K] [--database-url postgresql://…]

``--database-url`` (default ``BENCH_DATABASE_URL``) names the PostgreSQL server;
``--db`` defaults to both when one is named, else SQLite. The default size keeps
``make bench`` short; the issue's figure is ``--applications 100000``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app.clock import utcnow  # noqa: E402
from app.db import db  # noqa: E402
from app.services import accounts, api_tokens, demo, demo_history  # noqa: E402
from app.serving import prepare_for_serving  # noqa: E402
from bench.support import (  # noqa: E402
    fresh_database,
    interleaved,
    migrated_app,
    p95,
    queries_per_request,
    sign_in,
)

TARGET_P95_MS = 300.0
WARMUP_ROUNDS = 2
SEED = 2024
REPORTS = (
    "funnel",
    "time-in-stage",
    "sources",
    "open-requisitions",
    "overdue-scorecards",
    "calibration",
    "quality-of-hire",
)
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Endpoint:
    label: str
    url: str
    api: bool
    floor: bool = False


ENDPOINTS = [
    Endpoint("floor: API", "/api/v1/me", api=True, floor=True),
    *(Endpoint(f"api {slug}", f"/api/v1/reports/{slug}", api=True) for slug in REPORTS),
    Endpoint("floor: page", "/account", api=False, floor=True),
    *(Endpoint(f"page {slug}", f"/reports/{slug}", api=False) for slug in REPORTS),
]


def populate(app: Flask, applications: int, today: date) -> tuple[int, str, str]:
    """The admin's id and API token, and a line saying what was generated and how fast."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        for email, name, roles in demo.DEMO_USERS:
            accounts.create_user(email, name, None, roles, actor=None, channel="system")
        demo._load_demo_people()
        people = demo_history.ensure_people(None)
        result = demo_history.generate_history(
            seed=SEED, today=today, applications=applications, people=people
        )
        started = time.perf_counter()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        analyze = time.perf_counter() - started
        admin = accounts.get_user_by_email("admin@example.com")
        assert admin is not None
        _token, raw = api_tokens.issue(admin, actor=None, channel="system", scope="read")
        admin_id = admin.id
        db.session.remove()
    counts = ", ".join(f"{n:,} {table}" for table, n in demo_history.iter_counts(result))
    line = (
        f"generated in {result.seconds:.1f} s ({result.cpu_seconds:.1f} s of this process's "
        f"processor time; + ANALYZE {analyze:.1f} s), digest "
        f"{result.digest} (seed {SEED}, today {today.isoformat()}): {counts}"
    )
    return admin_id, raw, line


def requester(client: FlaskClient, url: str, headers: dict[str, str]) -> Callable[[], int]:
    def get() -> int:
        return client.get(url, headers=headers).status_code

    return get


def measure(label: str, url: str, tmp: Path, args: argparse.Namespace) -> bool:
    """Populate and time one database; False when an endpoint answered neither 200 nor 404."""
    app = migrated_app(url, tmp)
    admin_id, token, generated = populate(app, args.applications, args.today)
    prepare_for_serving(app)
    print(f"{label}: {args.applications:,} applications of history")
    print(f"  {generated}")
    client = app.test_client()
    sign_in(app, client, admin_id)
    bearer = {"Authorization": f"Bearer {token}"}
    present: list[Endpoint] = []
    funcs: list[Callable[[], object]] = []
    missing: list[str] = []
    broken = False
    for endpoint in ENDPOINTS:
        get = requester(client, endpoint.url, bearer if endpoint.api else {})
        status = get()
        if status == 404:
            missing.append(endpoint.url)
            continue
        if status != 200:
            print(f"  skipped {endpoint.url}: answered {status}, not 200")
            broken = True
            continue
        present.append(endpoint)
        funcs.append(get)
    if missing:
        print(f"  skipped, 404 (not on this branch yet): {', '.join(missing)}")
    queries = [queries_per_request(app, func) for func in funcs]
    results = interleaved(funcs, args.runs, warmup=WARMUP_ROUNDS)
    floors = {
        endpoint.api: (statistics.median(timed), p95(timed))
        for endpoint, timed in zip(present, results, strict=True)
        if endpoint.floor
    }
    print(
        f"  {args.runs} timed requests per endpoint after {WARMUP_ROUNDS} warm-up rounds, "
        "interleaved; Flask test client, as an admin (API: bearer token; pages: signed in)"
    )
    print(
        f"  {'endpoint':<34} {'median':>9} {'p95':>9} {'x floor':>13} {'queries':>7}"
        f"  p95 < {TARGET_P95_MS:.0f} ms"
    )
    for endpoint, timed, count in zip(present, results, queries, strict=True):
        median, high = statistics.median(timed), p95(timed)
        floor_median, floor_p95 = floors.get(endpoint.api, (median, high))
        verdict = "-" if endpoint.floor else ("met" if high < TARGET_P95_MS else "MISSED")
        print(
            f"  {endpoint.url:<34} {median:6.1f} ms {high:6.1f} ms "
            f"{median / floor_median:5.1f} /{high / floor_p95:5.1f} {count:7d}  {verdict}"
        )
    print("  x floor: median / p95, each divided by its floor's (API or page), same run")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return not broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per endpoint")
    parser.add_argument(
        "--db",
        choices=("sqlite", "postgresql", "both"),
        help="the databases to measure (default: both with a server named, else sqlite)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help=f"the PostgreSQL server (default BENCH_DATABASE_URL, else {DEFAULT_SERVER})",
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=utcnow().date(),
        help="the day the history ends (default: today)",
    )
    args = parser.parse_args(argv)
    if args.applications < 1 or args.runs < 2:
        parser.error("need --applications >= 1 and --runs >= 2")
    choice = args.db or ("both" if args.database_url else "sqlite")
    server = args.database_url or DEFAULT_SERVER
    servers: list[str | None] = []
    if choice in ("sqlite", "both"):
        servers.append(None)
    if choice in ("postgresql", "both"):
        servers.append(server)
    tmp = Path(tempfile.mkdtemp(prefix="hireladder-report-bench-"))
    ok = True
    try:
        for named in servers:
            with fresh_database(named, tmp, "report") as (label, url):
                ok = measure(label, url, tmp, args) and ok
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
