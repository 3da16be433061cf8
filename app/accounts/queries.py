"""Read-only queries of accounts and the audit log, for the admin pages and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic

from flask import current_app
from sqlalchemy import ColumnElement, Select, exists, or_, select, true
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from app.db import db
from app.models import ApiToken, AuditEvent, User, UserRole
from app.services import audit


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def user_list(
    *, search: str | None = None, role: str | None = None, active: bool | None = None
) -> Select[tuple[User]]:
    """Users with their roles, by e-mail address, filtered (for a paginated list)."""
    query: Select[tuple[User]] = select(User).options(selectinload(User.roles))
    if search:
        pattern = f"%{_escape_like(search.lower())}%"
        query = query.where(
            or_(
                User.email.like(pattern, escape="\\"),
                User.display_name.ilike(pattern, escape="\\"),
            )
        )
    if role:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if active is not None:
        query = query.where(User.active.is_(active))
    return query.order_by(User.email)


def user_with_roles(user_id: int) -> User | None:
    return db.session.get(User, user_id, options=[selectinload(User.roles)])


def api_tokens(user_id: int, *, newest_first: bool = True) -> Sequence[ApiToken]:
    """The user's API tokens, newest first (or in the order they were made)."""
    order = (ApiToken.created_at.desc(),) if newest_first else (ApiToken.id,)
    return db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(*order)
    ).all()


def possible_managers(user: User) -> Sequence[User]:
    """Everyone active but the user, by name: who may be the user's manager."""
    return db.session.scalars(
        select(User).where(User.active.is_(True), User.id != user.id).order_by(User.display_name)
    ).all()


def _kind_condition(kind: str) -> ColumnElement[bool]:
    """The rows of one of :data:`app.services.audit.KINDS`."""
    if kind == "reads":
        return AuditEvent.action.in_(audit.READ_ACTIONS)
    if kind == "denied":
        return AuditEvent.action == audit.ACCESS_DENIED
    if kind == "security":
        return or_(AuditEvent.action.like("auth.%"), AuditEvent.action.like("security.%"))
    raise ValueError(f"Unknown kind of audit row: {kind!r}.")


def audit_list(
    *,
    kind: str | None = None,
    action: str | None = None,
    actor_id: int | None = None,
    address: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Select[tuple[AuditEvent]]:
    """Audit events with their actor, newest first, filtered (for a paginated list).

    ``since`` and ``until`` are whole days in UTC, both included.
    """
    # The actors in a second query by id: the page's query then reads one index of
    # audit_events and nothing else.
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))
    if kind:
        query = query.where(_kind_condition(kind))
    if action:
        query = query.where(AuditEvent.action.like(f"{_escape_like(action)}%", escape="\\"))
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if address:
        query = query.where(AuditEvent.address == address)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if since:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(since, time.min, UTC))
    if until:
        end = datetime.combine(until, time.min, UTC) + timedelta(days=1)
        query = query.where(AuditEvent.occurred_at < end)
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


#: Where each app keeps what it last read about demo accounts (``app.extensions``).
DEMO_STATE = "hireladder.demo_accounts"


def demo_accounts_exist() -> bool:
    """Whether any demo account exists (the banner that warns about them).

    Read from the database at most once every ``DEMO_BANNER_RECHECK`` per process (one
    probe of a partial index on demo accounts, whatever the number of users), and at once
    after this process loads demo data (:func:`forget_demo_accounts`); another process
    that loads them is seen within that time. Signed-in pages used to scan the users table
    on every request for it.

    False when the database cannot answer, so that an error page still renders when the
    database is the problem (and that answer is not kept).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    now = monotonic()
    known: tuple[float, bool] | None = app.extensions.get(DEMO_STATE)
    if known is not None and now < known[0]:
        return known[1]
    try:
        present = bool(db.session.scalar(select(exists().where(User.is_demo == true()))))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    recheck: timedelta = app.config["DEMO_BANNER_RECHECK"]
    app.extensions[DEMO_STATE] = (now + recheck.total_seconds(), present)
    return present


def forget_demo_accounts() -> None:
    """Make the next :func:`demo_accounts_exist` read the database (after demo data was
    loaded and committed in this process)."""
    current_app.extensions.pop(DEMO_STATE, None)


def display_names(user_ids: Sequence[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(
        db.session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()
    )
