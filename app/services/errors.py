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


def commit_or_conflict(what: str) -> None:
    """Commit; a version-column mismatch (a concurrent edit) becomes a ConflictError."""
    from sqlalchemy.orm.exc import StaleDataError

    from app.extensions import db

    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise stale(what) from None
