"""How a request's transaction ends: one that only read is committed, not rolled back.

psycopg prepares a statement the fifth time a connection runs it, and PostgreSQL then
skips parsing and (once its generic plan holds) planning it; but psycopg forgets every
prepared statement of the connection on a ROLLBACK, since a rollback may undo what they
were planned against. Flask-SQLAlchemy ends each request by closing its session, which
rolls back: every request parsed and planned each of its statements anew, and the
planning of a page's few statements cost PostgreSQL more than running them (2 ms of a
requisitions list's 3).

A transaction that wrote nothing ends the same way committed or rolled back, so the end
of a request commits it when it only read: no pending changes in the session, and no
statement on its connections other than a SELECT. Anything else (a failed request, a
flush, an INSERT of a read's audit row not yet committed, a SET) still rolls back.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, SessionTransaction

from app.db import db

#: A statement that reads only. Anything else, a CTE included, counts as a write.
_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
#: Keys of ``Connection.info`` (which lives as long as the database connection) and of
#: ``Session.info``.
_WROTE = "hireladder.wrote"
_CONNECTIONS = "hireladder.connections"


def _began(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    connection.info[_WROTE] = False
    session.info.setdefault(_CONNECTIONS, []).append(connection)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CONNECTIONS, None)


def _executed(connection: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if not _READ.match(statement):
        connection.info[_WROTE] = True


def only_read(session: Session) -> bool:
    """Whether the session's transaction has run statements and all of them read."""
    connections = session.info.get(_CONNECTIONS)
    if not connections or session.new or session.dirty or session.deleted:
        return False
    return not any(connection.info.get(_WROTE, True) for connection in connections)


def commit_if_only_read(session: Session) -> None:
    """End the session's transaction by COMMIT if it only read (see the module's doc);
    leave it to be rolled back otherwise, or if the commit fails."""
    if not only_read(session):
        return
    # Nothing was changed: the objects read need not each be expired by the commit.
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    except SQLAlchemyError:
        session.rollback()
    finally:
        session.expire_on_commit = expire


def mark_written(connection: Connection) -> None:
    """Count the connection's transaction as one that wrote: for writes made on its
    driver's connection directly (a ``COPY``), which no SQLAlchemy event sees."""
    connection.info[_WROTE] = True


def init_transactions(app: Flask) -> None:
    """Track what each connection's transaction ran, and commit a request's read-only one
    before Flask-SQLAlchemy closes the session (at the end of the app context, which
    follows the request's teardown). Only requests: a command or a job ends its own
    transactions."""
    event.listen(db.session, "after_begin", _began)
    event.listen(db.session, "after_transaction_end", _ended)
    with app.app_context():
        for engine in db.engines.values():
            event.listen(engine, "before_cursor_execute", _executed)

    @app.teardown_request
    def _end_read_only(exc: BaseException | None) -> None:
        if exc is None and db.session.registry.has():
            commit_if_only_read(db.session.registry())
