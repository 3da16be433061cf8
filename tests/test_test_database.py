"""``TEST_DATABASE_URL=postgresql://…/name make test`` works as the README writes it: the
database is created when missing (also without pytest-xdist), and a server that does not
answer stops the run once, saying what to do, instead of a traceback per test."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import test_database_url as database_url

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def _server_answers() -> bool:
    engine = create_engine(make_url(SERVER).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect():
            return True
    except Exception:
        return False
    finally:
        engine.dispose()


def _databases(engine, like: str) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE :n"), {"n": like}
        )
        return {row[0] for row in rows}


@pytest.mark.parametrize("worker", [None, "gw7"])
def test_a_missing_test_database_is_created(monkeypatch, tmp_path, worker):
    if not _server_answers():
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432")
    name = f"hl_missing_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("TEST_DATABASE_URL", f"postgresql://postgres@127.0.0.1:5432/{name}")
    if worker:
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    else:
        monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    admin = create_engine(
        make_url(SERVER).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    try:
        url = database_url(tmp_path)
        expected = f"{name}_{worker}" if worker else name
        assert make_url(url).database == expected
        assert _databases(admin, f"{name}%") == {expected}
        assert database_url(tmp_path) == url  # the second time finds it
    finally:
        with admin.connect() as conn:
            for found in _databases(admin, f"{name}%"):
                conn.execute(text(f'DROP DATABASE "{found}"'))
        admin.dispose()


@pytest.mark.parametrize("worker", [None, "gw0"])
def test_an_unreachable_server_stops_the_run_once_saying_what_to_do(monkeypatch, tmp_path, worker):
    monkeypatch.setenv("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/hireladder_test")
    if worker:
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    else:
        monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    with pytest.raises(pytest.exit.Exception) as stopped:
        database_url(tmp_path)
    message = str(stopped.value)
    assert "PostgreSQL does not answer at 127.0.0.1:1" in message
    assert "unset TEST_DATABASE_URL" in message
    assert (
        "scripts/create_pg_database.py postgresql://postgres@127.0.0.1:1/postgres "
        "hireladder_test" in message
    )
    assert "Traceback" not in message
