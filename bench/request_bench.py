"""The request path: a signed-in page's floor beside a bare WSGI response of the same process.

Every signed-in page pays the same fixed cost before its own work: the WSGI and Flask
plumbing, the sign-in session and its user, the before-request checks, the layout (header,
navigation, banners) and its CSRF token. This script measures that floor, in one process and
one interleaved run, beside:

* ``bare WSGI``: a WSGI function answering a fixed body, called through the same test client
  (the cost of the harness and the WSGI call itself);
* ``sign-in page``: the app's own public page (layout, no user);
* ``/account``: the signed-in floor (a profile page: the layout plus the user's own rows);

with ``--users`` accounts in the users table (default 60,000), so that per-request work which
grows with a table shows. ``--profile`` adds where the floor's time goes: each part of the
request timed by wrapping the functions that do it (the session lookup, the checks before the
view, the view, the layout's navigation and CSRF token, template rendering) and each SQL
statement, per request; the parts are nested, the rest is Flask, Werkzeug and the test client.

    .venv/bin/python bench/request_bench.py [--users N] [--requests K] [--profile]
                                            [--database-url postgresql://…/postgres]

The script reports; it exits 0 whether or not the target (floor median at most 4 ms) is met.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import flask.templating  # noqa: E402
import flask_wtf.csrf  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import event, insert  # noqa: E402
from werkzeug.test import Client  # noqa: E402

from app.db import db  # noqa: E402
from app.models import Role, User, UserRole  # noqa: E402
from app.services import accounts, sessions  # noqa: E402
from app.serving import prepare_for_serving  # noqa: E402
from bench.support import (  # noqa: E402
    fresh_database,
    interleaved,
    migrated_app,
    p95,
    queries_per_request,
    requester,
    sign_in,
)

TARGET_MEDIAN_MS = 4.0
PASSWORD = "Correct-horse-battery-9"  # noqa: S105 - a throwaway account
BATCH = 5_000


def populate(app: Flask, users: int) -> int:
    """``users`` accounts (bulk-inserted, none of them demo accounts) and one team member
    who signs in; the signed-in user's id."""
    with app.app_context():
        me = accounts.create_user(
            "floor@bench.example.org",
            "Frankie Floor",
            PASSWORD,
            [Role.INTERVIEWER],
            actor=None,
            channel="system",
        )
        db.session.commit()
        template = {
            column.name: getattr(me, column.key)
            for column in User.__table__.columns
            if column.name not in ("id", "email", "display_name")
        }
        for start in range(0, users, BATCH):
            rows = [
                {**template, "email": f"person{n}@bench.example.org", "display_name": f"Person {n}"}
                for n in range(start, min(users, start + BATCH))
            ]
            ids = db.session.scalars(insert(User).returning(User.id), rows).all()
            db.session.execute(
                insert(UserRole), [{"user_id": i, "role": Role.INTERVIEWER} for i in ids]
            )
            db.session.commit()
        return me.id


def bare_wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    body = b"<!doctype html><title>floor</title><p>floor</p>"
    start_response(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


# --- where the time goes ----------------------------------------------------------------


class Parts:
    """Milliseconds spent in named parts of the requests, and per SQL statement."""

    def __init__(self) -> None:
        self.ms: defaultdict[str, float] = defaultdict(float)
        self.calls: defaultdict[str, int] = defaultdict(int)
        self.sql_ms: defaultdict[str, float] = defaultdict(float)
        self.sql_calls: defaultdict[str, int] = defaultdict(int)
        self._sql_started = 0.0

    def wrap(self, label: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.ms[label] += (time.perf_counter() - start) * 1000
                self.calls[label] += 1

        return timed

    def before_sql(self, *_args: Any) -> None:
        self._sql_started = time.perf_counter()

    def after_sql(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        key = " ".join(statement.split())[:90]
        self.sql_ms[key] += (time.perf_counter() - self._sql_started) * 1000
        self.sql_calls[key] += 1


@contextmanager
def patched(obj: Any, name: str, value: Any, *, item: bool = False) -> Iterator[None]:
    old = obj[name] if item else getattr(obj, name)
    if item:
        obj[name] = value
    else:
        setattr(obj, name, value)
    try:
        yield
    finally:
        if item:
            obj[name] = old
        else:
            setattr(obj, name, old)


def profile_parts(app: Flask, func: Callable[[], object], requests: int) -> tuple[Parts, float]:
    """Run ``func`` ``requests`` times with its parts timed; (parts, ms per request)."""
    import app.paging as paging
    import app.templating as templating

    parts = Parts()
    with app.app_context():
        engine = db.engine
    with (
        patched(sessions, "check", parts.wrap("session lookup and user load", sessions.check)),
        patched(
            app, "preprocess_request", parts.wrap("before-request checks", app.preprocess_request)
        ),
        patched(
            app, "dispatch_request", parts.wrap("the view (page's own work)", app.dispatch_request)
        ),
        patched(
            flask.templating, "_render", parts.wrap("template rendering", flask.templating._render)
        ),
        patched(
            templating,
            "visible_navigation",
            parts.wrap("navigation (permissions)", templating.visible_navigation),
        ),
        patched(
            flask_wtf.csrf, "generate_csrf", parts.wrap("CSRF tokens", flask_wtf.csrf.generate_csrf)
        ),
        patched(
            paging,
            "_page_rows",
            parts.wrap("a list's page (keyset statement, rows)", paging._page_rows),
        ),
        patched(
            app,
            "do_teardown_request",
            parts.wrap("teardown (ending the transaction)", app.do_teardown_request),
        ),
    ):
        event.listen(engine, "before_cursor_execute", parts.before_sql)
        event.listen(engine, "after_cursor_execute", parts.after_sql)
        try:
            start = time.perf_counter()
            for _ in range(requests):
                func()
            total = (time.perf_counter() - start) * 1000 / requests
        finally:
            event.remove(engine, "before_cursor_execute", parts.before_sql)
            event.remove(engine, "after_cursor_execute", parts.after_sql)
    return parts, total


def print_parts(parts: Parts, total: float, requests: int, page: str = "/account") -> None:
    print(f"\n--- where {page}'s time goes ({requests} requests, parts timed by wrapping)")
    print(f"{'part':<44} {'ms/request':>10} {'calls/req':>9}")
    print(f"{'whole request (through the test client)':<44} {total:10.2f}")
    for label, ms in parts.ms.items():
        print(f"{label:<44} {ms / requests:10.2f} {parts.calls[label] / requests:9.1f}")
    print("SQL statements (included in the parts above):")
    for key, ms in sorted(parts.sql_ms.items(), key=lambda kv: -kv[1]):
        print(f"  {ms / requests:6.3f} ms {parts.sql_calls[key] / requests:4.1f}x  {key}")
    print(
        "Parts nest: the session lookup runs inside the before-request checks; the navigation "
        "and CSRF tokens inside template rendering, which runs inside the view, as does a "
        "list's page; the teardown ends the request's transaction."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=60_000)
    parser.add_argument("--requests", type=int, default=1_000, help="timed requests per page")
    parser.add_argument("--database-url", help="a PostgreSQL server (default: a SQLite file)")
    parser.add_argument("--profile", action="store_true", help="where the floor's time goes")
    args = parser.parse_args(argv)
    if args.users < 0 or args.requests < 20:
        parser.error("need --users >= 0 and --requests >= 20")

    with tempfile.TemporaryDirectory(prefix="request-bench-") as tmp_name:
        tmp = Path(tmp_name)
        with fresh_database(args.database_url, tmp, "request") as (label, url):
            app = migrated_app(url, tmp)
            started = time.perf_counter()
            user_id = populate(app, args.users)
            print(
                f"data: {args.users + 1} users ({label}), inserted in "
                f"{time.perf_counter() - started:.1f} s"
            )
            prepare_for_serving(app)  # as wsgi.py does
            client = app.test_client()
            sign_in(app, client, user_id)
            pages: list[tuple[str, Callable[[], int]]] = [
                ("bare WSGI (same process, same client)", requester(Client(bare_wsgi), "/")),
                ("sign-in page /login (public)", requester(app.test_client(), "/login")),
                ("signed-in floor /account", requester(client, "/account")),
            ]
            sizes = [func() for _, func in pages]  # and the caches warm, as in a server
            queries = [queries_per_request(app, func) for _, func in pages[1:]]
            results = interleaved([func for _, func in pages], args.requests, warmup=50)
            print(
                f"\n{label}, Flask test client (no network); 50 warm-up rounds, then "
                f"{args.requests} requests per page, interleaved"
            )
            print(f"{'page':<40} {'median':>9} {'p95':>9} {'queries':>7} {'bytes':>7}")
            for index, ((name, _), timed) in enumerate(zip(pages, results, strict=True)):
                count = "-" if index == 0 else str(queries[index - 1])
                print(
                    f"{name:<40} {statistics.median(timed):6.2f} ms {p95(timed):6.2f} ms "
                    f"{count:>7} {sizes[index]:7d}"
                )
            floor = statistics.median(results[-1])
            bare = statistics.median(results[0])
            print(
                f"floor minus bare WSGI: {floor - bare:.2f} ms (the app's own share); "
                f"target: floor median at most {TARGET_MEDIAN_MS:.0f} ms: "
                + ("met" if floor <= TARGET_MEDIAN_MS else "MISSED")
            )
            if args.profile:
                parts, total = profile_parts(app, pages[-1][1], args.requests)
                print_parts(parts, total, args.requests)
            with app.app_context():
                db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
