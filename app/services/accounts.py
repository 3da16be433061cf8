"""Accounts: users, roles, sign-in with throttling, sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.attributes import flag_modified

from app.clock import utcnow
from app.db import db
from app.models import ApiToken, LoginAttempt, Role, User, UserRole, UserSession
from app.services import audit
from app.services.errors import ServiceError, commit_or_conflict, is_write_conflict, stale
from app.services.passwords import hash_password, needs_rehash, password_problem, verify_password
from app.services.throttle import describe_wait, locked_until

TOKEN_USE_RESOLUTION = timedelta(hours=1)
API_TOKEN_PREFIX = "hl_"  # noqa: S105 - a prefix, not a secret


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _parse_roles(roles: Iterable[str | Role]) -> list[Role]:
    parsed: set[Role] = set()
    for role in roles:
        try:
            parsed.add(Role(str(role).strip()))
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise ServiceError(f"Unknown role {str(role)!r}; roles are: {known}.") from None
    return sorted(parsed)


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    email: str,
    display_name: str,
    password: str | None,
    roles: Iterable[str | Role],
    *,
    actor: User | None,
    channel: str = "web",
    is_demo: bool = False,
) -> User:
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ServiceError(f"E-mail address {email.strip()!r} is not valid: {exc}") from None
    display_name = display_name.strip()
    if not display_name:
        raise ServiceError("Display name is required.")
    if password is not None and (problem := password_problem(password)):
        raise ServiceError(f"Password not accepted: {problem}")
    parsed_roles = _parse_roles(roles)
    if get_user_by_email(email) is not None:
        raise ServiceError(f"A user with the e-mail address {email} already exists.")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password) if password is not None else None,
        active=True,
        is_demo=is_demo,
    )
    user.roles = [UserRole(role=r) for r in parsed_roles]
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(f"A user with the e-mail address {email} already exists.") from None
    audit.record(
        "user.create",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={"roles": {"before": None, "after": [r.value for r in parsed_roles]}},
    )
    db.session.commit()
    return user


def update_user(
    user: User,
    *,
    display_name: str,
    roles: Iterable[str | Role],
    expected_version: int,
    actor: User | None,
    channel: str = "web",
) -> User:
    """Change a user's display name and roles; refuses a stale edit."""
    if user.version != expected_version:
        raise stale("This user")
    display_name = display_name.strip()
    if not display_name:
        raise ServiceError("Display name is required.")
    new_roles = _parse_roles(roles)
    before_roles = sorted(r.role for r in user.roles)
    after_roles = [r.value for r in new_roles]
    if (
        actor is not None
        and actor.id == user.id
        and "admin" in before_roles
        and ("admin" not in after_roles)
    ):
        raise ServiceError("You cannot remove your own admin role; ask another admin.")
    summary = audit.changes({"roles": before_roles}, {"roles": after_roles})
    if display_name != user.display_name:
        summary["display_name"] = {"changed": True}
    if not summary:
        return user
    user.display_name = display_name
    keep = {r.role: r for r in user.roles}
    user.roles = [keep.get(r, UserRole(role=r)) for r in after_roles]
    # Force an UPDATE of the user row so its version moves (and is checked) even when
    # only the roles changed.
    flag_modified(user, "display_name")
    audit.record(
        "user.update",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary=summary,
    )
    commit_or_conflict("This user")
    return user


def set_roles(
    user: User, roles: Iterable[str | Role], *, actor: User | None, channel: str = "cli"
) -> User:
    return update_user(
        user,
        display_name=user.display_name,
        roles=roles,
        expected_version=user.version,
        actor=actor,
        channel=channel,
    )


def set_active(
    user: User,
    active: bool,
    *,
    expected_version: int | None = None,
    actor: User | None,
    channel: str = "web",
) -> User:
    """Deactivate (ending every session of the user) or reactivate an account."""
    if expected_version is not None and user.version != expected_version:
        raise stale("This user")
    if actor is not None and actor.id == user.id and not active:
        raise ServiceError("You cannot deactivate your own account.")
    if user.active == active:
        return user
    user.active = active
    if not active:
        _revoke_sessions(user)
    audit.record(
        "user.deactivate" if not active else "user.reactivate",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={"active": {"before": not active, "after": active}},
    )
    commit_or_conflict("This user")
    return user


def change_password(user: User, current: str, new: str, *, actor: User) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError("Your current password is not right.")
    if problem := password_problem(new):
        raise ServiceError(f"New password not accepted: {problem}")
    user.password_hash = hash_password(new)
    audit.record(
        "user.password_change", actor=actor, object_type="user", object_id=user.id, summary={}
    )
    commit_or_conflict("Your account")


def set_password(user: User, new: str, *, actor: User | None, channel: str = "cli") -> None:
    if problem := password_problem(new):
        raise ServiceError(f"Password not accepted: {problem}")
    user.password_hash = hash_password(new)
    audit.record(
        "user.password_set",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={},
    )
    commit_or_conflict("This user")


# --- sign-in ---------------------------------------------------------------------


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    error: str | None
    session_token: str | None = None


GENERIC_FAILURE = "E-mail address or password is not right."


def _failures_since_last_success(column: object, value: str, since: datetime) -> list[datetime]:
    last_success = (
        select(func.max(LoginAttempt.attempted_at))
        .where(column == value, LoginAttempt.succeeded.is_(True))  # type: ignore[operator]
        .scalar_subquery()
    )
    rows = db.session.scalars(
        select(LoginAttempt.attempted_at).where(
            column == value,  # type: ignore[operator]
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at >= since,
            (last_success.is_(None)) | (LoginAttempt.attempted_at > last_success),
        )
    )
    return list(rows)


def _throttled_until(email: str, address: str, now: datetime) -> datetime | None:
    cfg = current_app.config
    window = cfg["LOGIN_THROTTLE_WINDOW"]
    since = now - window
    by_account = locked_until(
        _failures_since_last_success(LoginAttempt.email, email, since),
        now=now,
        limit=cfg["LOGIN_THROTTLE_ACCOUNT_LIMIT"],
        window=window,
    )
    address_failures = db.session.scalars(
        select(LoginAttempt.attempted_at).where(
            LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at >= since,
        )
    )
    by_address = locked_until(
        list(address_failures),
        now=now,
        limit=cfg["LOGIN_THROTTLE_ADDRESS_LIMIT"],
        window=window,
    )
    candidates = [t for t in (by_account, by_address) if t is not None]
    return max(candidates) if candidates else None


def sign_in(
    email: str, password: str, *, address: str, now: datetime | None = None
) -> SignInResult:
    """Check a password, with throttling per account and per address.

    Every attempt is counted in the database, so several server processes share the
    count. A throttled attempt is refused before the password is looked at.
    """
    now = now or utcnow()
    email = normalize_email(email)
    address = address[:64]
    until = _throttled_until(email, address, now)
    user = get_user_by_email(email)
    if until is not None:
        audit.record(
            "auth.sign_in_throttled",
            actor=None,
            object_type="user" if user else None,
            object_id=user.id if user else None,
            summary={},
        )
        db.session.commit()
        return SignInResult(
            None,
            f"Too many failed sign-in attempts. Try again {describe_wait(until, now)}.",
        )
    ok = verify_password(user.password_hash if user else None, password)
    if ok and user is not None and not user.active:
        ok = False
        failure = "This account has been deactivated. Ask an administrator to reactivate it."
    else:
        failure = GENERIC_FAILURE
    db.session.add(LoginAttempt(email=email, address=address, succeeded=ok, attempted_at=now))
    if not ok or user is None:
        audit.record(
            "auth.sign_in_failed",
            actor=None,
            object_type="user" if user else None,
            object_id=user.id if user else None,
            summary={},
        )
        db.session.commit()
        return SignInResult(None, failure)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token = start_session(user, now)
    audit.record("auth.sign_in", actor=user, object_type="user", object_id=user.id, summary={})
    db.session.commit()
    return SignInResult(user, None, token)


def start_session(user: User, now: datetime | None = None) -> str:
    """Open a sign-in session for ``user`` (the caller commits); return its token."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user_id=user.id, token_hash=_digest(token), created_at=now or utcnow())
    )
    return token


def load_session_user(token: str) -> User | None:
    """The user of a live sign-in session, or None if it was ended or revoked."""
    row = db.session.scalar(
        select(UserSession).where(
            UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.active:
        return None
    row.user.current_session_token = token
    return row.user


def sign_out(user: User, token: str | None) -> None:
    if token is not None:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    audit.record("auth.sign_out", actor=user, object_type="user", object_id=user.id, summary={})
    db.session.commit()


def _revoke_sessions(user: User) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def sign_out_everywhere(user: User, *, actor: User | None, channel: str = "web") -> None:
    _revoke_sessions(user)
    audit.record(
        "auth.sign_out_everywhere",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={},
    )
    db.session.commit()


# --- API tokens --------------------------------------------------------------------


def issue_api_token(
    user: User, *, actor: User | None, channel: str = "cli"
) -> tuple[ApiToken, str]:
    """A new API token for ``user``; the raw value is returned once and never stored."""
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, token_hash=_digest(raw), prefix=raw[:10])
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_token.create",
        actor=actor,
        channel=channel,
        object_type="api_token",
        object_id=token.id,
        summary={"user_id": user.id},
    )
    db.session.commit()
    return token, raw


def revoke_api_token(token: ApiToken, *, actor: User | None, channel: str = "cli") -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    audit.record(
        "api_token.revoke",
        actor=actor,
        channel=channel,
        object_type="api_token",
        object_id=token.id,
        summary={"user_id": token.user_id},
    )
    db.session.commit()


def load_api_token_user(raw: str) -> User | None:
    if not raw.startswith(API_TOKEN_PREFIX):
        return None
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(raw), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.active:
        return None
    user: User = token.user
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
        # Bookkeeping, not a change anyone made: no audit row, at most one write an hour.
        # Two requests with one token at the same moment may race for it; the loser's
        # request goes on without writing (on SQLite its write would be refused).
        token.last_used_at = now
        try:
            db.session.commit()
        except OperationalError as exc:
            db.session.rollback()
            if not is_write_conflict(exc):
                raise
    return user


def set_placement(
    user: User,
    *,
    level_id: str | None,
    specialty_id: str | None,
    manager: User | None,
    level_since: date | None,
    expected_version: int,
    actor: User | None,
    channel: str = "web",
) -> User:
    """Where a person stands on the career ladder, and who manages them."""
    from app.ladder_access import get_ladder

    if user.version != expected_version:
        raise stale("This user")
    ladder = get_ladder()
    if level_id:
        level = ladder.levels_by_id.get(level_id)
        if level is None:
            raise ServiceError(f"The ladder has no level {level_id!r}.")
        if specialty_id and ladder.family(level.family).specialty(specialty_id) is None:
            raise ServiceError(f"{level.title}'s family has no specialty {specialty_id!r}.")
    elif specialty_id:
        raise ServiceError("Choose a level before a specialty.")
    if manager is not None:
        boss: User | None = manager
        seen: set[int] = set()
        while boss is not None and boss.id not in seen:
            if boss.id == user.id:
                raise ServiceError(
                    f"{manager.display_name} cannot manage {user.display_name}: "
                    "that would make a loop of managers."
                )
            seen.add(boss.id)
            boss = db.session.get(User, boss.manager_id) if boss.manager_id else None
    before = {
        "level_id": user.level_id,
        "specialty_id": user.specialty_id,
        "manager_id": user.manager_id,
        "level_since": user.level_since.isoformat() if user.level_since else None,
    }
    after = {
        "level_id": level_id or None,
        "specialty_id": specialty_id or None,
        "manager_id": manager.id if manager else None,
        "level_since": level_since.isoformat() if level_since else None,
    }
    summary = audit.changes(before, after)
    if not summary:
        return user
    user.level_id = level_id or None
    user.specialty_id = specialty_id or None
    user.manager_id = manager.id if manager else None
    user.level_since = level_since
    audit.record(
        "user.placement",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary=summary,
    )
    commit_or_conflict("This user")
    return user
