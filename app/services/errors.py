"""Errors services raise; views turn them into form errors or flash messages."""


class ServiceError(Exception):
    """A request that cannot be carried out; the message says why, for a person."""


class ConflictError(ServiceError):
    """Someone else changed the object since it was loaded (optimistic locking)."""


def stale(what: str) -> ConflictError:
    """The message for an edit made on top of a version someone else has replaced."""
    return ConflictError(
        f"{what} was changed by someone else while you were working on it. "
        "Reload the page to see the current values, then make your change again."
    )


def is_write_conflict(error: BaseException) -> bool:
    """SQLite refuses a write whose transaction read data another writer has since changed
    ("database is locked"): for the user that is a concurrent edit, not a failure."""
    from sqlalchemy.exc import OperationalError

    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


def commit_or_conflict(what: str) -> None:
    """Commit; a concurrent edit (version mismatch, or SQLite's write lock) becomes a
    ConflictError and nothing is written."""
    _or_conflict(what, flush_only=False)


def flush_or_conflict(what: str) -> None:
    """Flush (to read the versions it writes); a concurrent edit becomes a ConflictError
    and the transaction is rolled back."""
    _or_conflict(what, flush_only=True)


def _or_conflict(what: str, *, flush_only: bool) -> None:
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    from app.db import db

    try:
        if flush_only:
            db.session.flush()
        else:
            db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise stale(what) from None
    except OperationalError as exc:
        db.session.rollback()
        if is_write_conflict(exc):
            raise stale(what) from None
        raise
