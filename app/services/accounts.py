"""Accounts: users, their roles, passwords and places on the ladder."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified

from app.db import db
from app.models import Role, User, UserRole
from app.services import audit, sessions
from app.services.errors import ServiceError, commit_or_conflict, stale
from app.services.password_policy import password_problem as policy_problem
from app.services.passwords import hash_password, verify_password


def normalize_email(email: str) -> str:
    return email.strip().lower()


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
    must_change_password: bool = False,
) -> User:
    """A new account. ``must_change_password``: the password was chosen by someone else
    (an admin), so the person must replace it at their first sign-in."""
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ServiceError(f"E-mail address {email.strip()!r} is not valid: {exc}") from None
    display_name = display_name.strip()
    if not display_name:
        raise ServiceError("Display name is required.")
    if (
        password is not None
        and not is_demo
        and (problem := policy_problem(password, personal=(email, display_name)))
    ):
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
        must_change_password=must_change_password and password is not None,
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
        sessions.end_all(user, reason="deactivated")
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


def password_problem(user: User, new: str) -> str | None:
    """Why ``new`` cannot be ``user``'s password (the policy, and not the same again)."""
    if problem := policy_problem(new, personal=(user.email, user.display_name)):
        return problem
    if user.password_hash and verify_password(user.password_hash, new):
        return "Choose a password different from the one you have now."
    return None


def change_password(user: User, current: str, new: str, *, actor: User) -> None:
    """The user replaces their own password; every other session of theirs ends."""
    if not verify_password(user.password_hash, current):
        raise ServiceError("Your current password is not right.")
    if problem := password_problem(user, new):
        raise ServiceError(f"New password not accepted: {problem}")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    ended = sessions.end_all(user, reason="password", keep_token=user.current_session_token)
    audit.record(
        "user.password_change",
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary={"sessions_ended": ended},
    )
    commit_or_conflict("Your account")


def set_password(user: User, new: str, *, actor: User | None, channel: str = "cli") -> None:
    """Someone else (an operator, an admin) sets the password: the person must change it
    at their next sign-in, and every session of theirs ends now."""
    if problem := password_problem(user, new):
        raise ServiceError(f"Password not accepted: {problem}")
    user.password_hash = hash_password(new)
    user.must_change_password = True
    ended = sessions.end_all(user, reason="password")
    audit.record(
        "user.password_set",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={"sessions_ended": ended},
    )
    commit_or_conflict("This user")


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
    today: date | None = None,
) -> User:
    """Where a person stands on the career ladder, and who manages them.

    A new level or specialty starts a span of level history ("changed by an admin") on
    ``level_since`` (``today`` when not given; never in the future, never before the start
    of the level in effect); the same level with another ``level_since`` moves the first
    day of the span in effect; clearing the level ends the history. ``today`` is the day in
    the admin's zone (their own zone's today by default). Refusals of a date are
    :class:`~app.services.levels.LevelDateProblem` naming the field.
    """
    from app.ladder_access import get_ladder
    from app.services import levels
    from pipelines.level_changes import LevelDateError, check_level_since
    from pipelines.level_history import LevelReason, level_on

    if user.version != expected_version:
        raise stale("This user")
    if today is None:
        today = levels.local_today(actor)
    ladder = get_ladder()
    level_id = level_id or None
    specialty_id = specialty_id or None
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
    level_changed = (level_id, specialty_id) != (user.level_id, user.specialty_id)
    history = levels.spans_of(levels.history_of(user.id)) if level_id else []
    current = level_on(history, today) if level_id else None
    since: date | None = None
    if level_id and (level_changed or current is None):
        try:
            since = check_level_since(level_since, history, today=today)
        except LevelDateError as exc:
            raise levels.LevelDateProblem(exc) from None
    elif level_id and level_since is not None and level_since != user.level_since:
        since = level_since
    before = {
        "level_id": user.level_id,
        "specialty_id": user.specialty_id,
        "manager_id": user.manager_id,
        "level_since": user.level_since.isoformat() if user.level_since else None,
    }
    since_after = since or (user.level_since if level_id else None)
    after = {
        "level_id": level_id,
        "specialty_id": specialty_id,
        "manager_id": manager.id if manager else None,
        "level_since": since_after.isoformat() if since_after else None,
    }
    summary = audit.changes(before, after)
    if not summary:
        return user
    if level_id and (level_changed or current is None):
        assert since is not None
        levels.start_level(
            user,
            level_id=level_id,
            specialty_id=specialty_id,
            starts_on=since,
            reason=LevelReason.CHANGED,
            actor=actor,
            today=today,
            channel=channel,
        )
    elif level_id and since is not None:
        levels.correct_current_start(user, since, actor=actor, today=today, channel=channel)
    elif not level_id and user.level_id:
        levels.end_levels(user, actor=actor, today=today, channel=channel)
    user.manager_id = manager.id if manager else None
    # The user row changes (its version moves and is checked) even when only the history
    # did.
    flag_modified(user, "level_id")
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


def set_left_on(
    user: User,
    left_on: date | None,
    *,
    expected_version: int,
    actor: User | None,
    channel: str = "web",
    today: date | None = None,
) -> User:
    """Record a person's last day at the company (None: they did not leave after all).
    Not before their first level began, at most a year ahead; audited as ``user.left``."""
    from app.services import levels
    from pipelines.level_changes import LevelDateError, check_left_on

    if user.version != expected_version:
        raise stale("This user")
    if today is None:
        today = levels.local_today(actor)
    rows = levels.history_of(user.id)
    first_day = rows[0].starts_on if rows else None
    try:
        left_on = check_left_on(left_on, today=today, first_day=first_day)
    except LevelDateError as exc:
        raise levels.LevelDateProblem(exc) from None
    if left_on == user.left_on:
        return user
    summary = {
        "left_on": {
            "before": user.left_on.isoformat() if user.left_on else None,
            "after": left_on.isoformat() if left_on else None,
        }
    }
    user.left_on = left_on
    audit.record(
        "user.left",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary=summary,
    )
    commit_or_conflict("This user")
    return user
