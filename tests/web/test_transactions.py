"""A request's transaction that only read ends by COMMIT (PostgreSQL's prepared statements
survive it); one that wrote anything, or failed, still rolls back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, text, update

from app.db import db
from app.models import User
from app.services.transactions import commit_if_only_read, mark_written, only_read


@contextmanager
def ends() -> Iterator[list[str]]:
    """How the session's transactions ended while inside: "commit" or "rollback"."""
    seen: list[str] = []

    def committed(_session: object) -> None:
        seen.append("commit")

    def rolled_back(_session: object) -> None:
        seen.append("rollback")

    event.listen(db.session, "after_commit", committed)
    event.listen(db.session, "after_soft_rollback", rolled_back)
    try:
        yield seen
    finally:
        event.remove(db.session, "after_commit", committed)
        event.remove(db.session, "after_soft_rollback", rolled_back)


def test_a_transaction_that_only_read_is_committed(app, users):
    with app.app_context():
        db.session.scalar(select(User.email).where(User.id == users["recruiter"]))
        assert only_read(db.session())
        with ends() as seen:
            commit_if_only_read(db.session())
        assert seen == ["commit"]


def test_a_transaction_that_wrote_is_left_to_roll_back(app, users):
    with app.app_context():
        db.session.execute(
            update(User).where(User.id == users["recruiter"]).values(display_name="Changed")
        )
        assert not only_read(db.session())
        with ends() as seen:
            commit_if_only_read(db.session())
        assert seen == []
        db.session.rollback()
        name = db.session.scalar(select(User.display_name).where(User.id == users["recruiter"]))
        assert name != "Changed"


def test_pending_changes_and_writes_no_event_sees_are_not_committed(app, users):
    with app.app_context():
        user = db.session.get(User, users["recruiter"])
        assert user is not None and only_read(db.session())
        user.display_name = "Not flushed"
        assert not only_read(db.session())
        db.session.rollback()

        db.session.scalar(select(User.id).limit(1))
        mark_written(db.session.connection())
        assert not only_read(db.session())


def test_a_transaction_that_ran_nothing_is_not_committed(app):
    with app.app_context():
        assert not only_read(db.session())


def test_a_read_only_page_ends_by_commit(app, client, auth, users):
    auth.login(users["recruiter"])
    with ends() as seen:
        assert client.get("/hiring/requisitions").status_code == 200
    assert seen == ["commit"]


def test_a_request_that_failed_is_not_committed_even_if_it_only_read(app, users):
    context = app.test_request_context("/")
    context.push()
    db.session.scalar(select(User.id).limit(1))
    with ends() as seen:
        context.pop(RuntimeError("the view failed"))
    assert "commit" not in seen


def test_prepared_statements_outlive_a_read_only_request(app, client, auth, users):
    """psycopg prepares a statement on its fifth run and forgets them all on ROLLBACK."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL's prepared statements")
    auth.login(users["recruiter"])
    for _ in range(7):
        assert client.get("/hiring/requisitions").status_code == 200
    with app.app_context():
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM user_sessions" in statement for statement in prepared), prepared
