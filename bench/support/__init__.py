"""What the benchmark scripts share: a throwaway database, interleaved timing, the p95,
counting queries.

A package rather than a ``bench/*.py`` file, so that ``make bench`` (which runs every
``bench/*.py``) does not run it.
"""

from __future__ import annotations

import logging
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url
from werkzeug.test import Client

from app import create_app
from app.db import db
from app.rate_limits import LIMITS


def migrated_app(url: str, tmp: Path) -> Flask:
    """The app on the database ``url``, migrated to the newest revision, with rate limits
    out of the way of the timed requests."""
    os.environ["HIRELADDER_ENV"] = "testing"
    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "bench-secret-key",
            "SQLALCHEMY_DATABASE_URI": url,
            "CV_STORAGE_DIR": tmp / "cv",
            "RATE_LIMITS_ENABLED": True,
            "RATE_LIMITS": dict.fromkeys(LIMITS, "1000000 per minute"),
        }
    )
    logging.disable(logging.INFO)  # alembic's progress lines
    try:
        with app.app_context():
            upgrade()
    finally:
        logging.disable(logging.NOTSET)
    return app


@contextmanager
def fresh_database(server_url: str | None, tmp: Path, tag: str) -> Iterator[tuple[str, str]]:
    """(label, URL) of an empty database named after ``tag``: a SQLite file in ``tmp``, or
    a PostgreSQL database on ``server_url``, dropped afterwards."""
    if server_url is None:
        yield "SQLite", f"sqlite:///{tmp / f'{tag}-{uuid.uuid4().hex[:6]}.db'}"
        return
    base = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"{base.database or 'hireladder'}_{tag}bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield "PostgreSQL", base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def interleaved(
    funcs: list[Callable[[], object]], repeat: int, *, warmup: int = 2
) -> list[list[float]]:
    """Milliseconds per call of each function, alternating them call by call (and the
    order round by round) so that the machine's background load weighs on each alike;
    ``warmup`` untimed rounds first."""
    for _ in range(warmup):
        for func in funcs:
            func()
    out: list[list[float]] = [[] for _ in funcs]
    for round_ in range(repeat):
        order = range(len(funcs)) if round_ % 2 == 0 else reversed(range(len(funcs)))
        for index in order:
            start = time.perf_counter()
            funcs[index]()
            out[index].append((time.perf_counter() - start) * 1000)
    return out


def sign_in(app: Flask, client: FlaskClient, user_id: int) -> None:
    """Sign ``client`` in as the user, as the sign-in page does (a session row and its
    token in the cookie)."""
    from app.models import User
    from app.services import sessions

    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        token = sessions.start(user)
        db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = token
        sess["_fresh"] = True


def requester(client: Client, url: str) -> Callable[[], int]:
    """A GET of ``url`` by ``client`` that stops the run unless it answers 200; returns the
    size of the answer."""

    def get() -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}, not 200")
        return len(response.data)

    return get


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


class QueryCounter:
    IGNORED = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA")

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(self.IGNORED):
            self.count += 1


@contextmanager
def counting_queries(app: Flask) -> Iterator[QueryCounter]:
    with app.app_context():
        engine = db.engine
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def queries_per_request(app: Flask, func: Callable[[], object]) -> int:
    with counting_queries(app) as counter:
        func()
    return counter.count
