"""Answering once a change is committed, without trusting the database to answer again.

After a service commits, the change stands whatever happens next. Reading the object
back (expired attributes, the queries that build a JSON answer) can still fail, e.g. when
the connection drops; that must not turn a saved change into a 500, which a client would
retry and so write twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from app.db import db

T = TypeVar("T")

log = logging.getLogger(__name__)


def row_id(obj: object) -> int:
    """The primary key of a persistent object, read from the session's identity map (no
    query, even when the commit expired the object's attributes)."""
    identity = inspect(obj).identity
    assert identity is not None, "the object has no row yet"
    return int(identity[0])


def _rollback() -> None:
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection is gone: the next use takes a new one
        log.warning("rollback after a failed read failed too", exc_info=True)


def after_commit(build: Callable[[], T], fallback: Callable[[], T]) -> T:
    """``build()``, tried twice (a dropped connection is replaced on the second try); if
    the database still fails, ``fallback()``, which must not touch it."""
    for _attempt in range(2):
        try:
            return build()
        except SQLAlchemyError:
            log.warning("reading back a committed change failed", exc_info=True)
            _rollback()
    return fallback()
