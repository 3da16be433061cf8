"""JSON API of the caller's own account (who they are, their time zone and notifications)
and, for admins, the lists of users and of the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from app.accounts import queries, represent
from app.accounts.bodies import PREFERENCES
from app.api.auth import api_login_required, api_roles, caller
from app.api.errors import Problems, invalid, stale_version
from app.api.responses import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    NO_PAGE_NUMBERS,
    next_page,
    query_date,
)
from app.careers import history
from app.inputs import DB_INT_MAX
from app.ladder_access import get_ladder
from app.models import AuditEvent, Role, User
from app.paging import decode_cursor, newest_page, unique_column_page
from app.routing import Routes
from app.services import audit, levels, preferences
from app.services.errors import ConflictError
from app.services.preferences import PreferenceError
from pipelines.outbox import Delivery

routes = Routes()


@routes.get("/me")
@api_login_required
def me() -> ResponseReturnValue:
    """Who the caller is, and where they stand on the ladder: their current level and
    specialty, since when, and their level history (newest first)."""
    user = caller()
    ladder = get_ladder()
    today = levels.local_today(user)
    rows = history.history_rows(ladder, levels.history_of(user.id), today)
    level = None
    specialty = None
    if user.level_id:
        level = {"id": user.level_id, "title": history.level_title(ladder, user.level_id)}
        if user.specialty_id:
            specialty = {
                "id": user.specialty_id,
                "name": history.specialty_name(ladder, user.level_id, user.specialty_id),
            }
    return jsonify(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        roles=sorted(r.role for r in user.roles),
        level=level,
        specialty=specialty,
        level_since=user.level_since.isoformat() if user.level_id and user.level_since else None,
        level_history=history.history_json(rows),
    )


def _preferences(user: User) -> dict[str, Any]:
    return {
        "timezone": user.timezone,
        "default_timezone": current_app.config["DEFAULT_TIMEZONE"],
        "notifications": {k: v.value for k, v in preferences.deliveries(user).items()},
        "version": user.version,
    }


@routes.get("/me/preferences")
@api_login_required
def my_preferences() -> ResponseReturnValue:
    return jsonify(_preferences(caller()))


@routes.put("/me/preferences")
@api_login_required
def my_preferences_update() -> ResponseReturnValue:
    """Replace the caller's time zone and notification choices (a kind not named: right
    away; no time zone: the installation's default)."""
    user = caller()
    values, problems = PREFERENCES.parse()
    problems.check()
    given: dict[str, str] = values["notifications"] or {}
    choices = {kind.key: Delivery.IMMEDIATE.value for kind in preferences.CHOOSABLE}
    try:
        choices.update(given)
        preferences.update(
            user,
            timezone=values["timezone"],
            choices=choices,
            expected_version=values["version"],
            actor=user,
            channel="api",
        )
    except PreferenceError as error:
        field = "timezone" if error.field == "timezone" else "notifications"
        raise invalid(field, str(error)) from None
    except ConflictError as error:
        raise stale_version(str(error), current_version=user.version) from None
    return jsonify(_preferences(user))


# --- the admin's lists: users and the audit log ----------------------------------------

#: The query parameters of GET /users and GET /audit (documented in the OpenAPI document):
#: the filters of the admin's web pages, then the page.
USER_PARAMETERS = ("q", "role", "status", "after", "per_page")
AUDIT_PARAMETERS = (
    "kind",
    "action",
    "actor",
    "address",
    "object_type",
    "object_id",
    "since",
    "until",
    "after",
    "per_page",
)


def _whole(raw: str) -> bool:
    """Digits 0-9 only (``str.isdigit`` also takes "²", which ``int`` refuses)."""
    return raw.isascii() and raw.isdigit()


def _text(name: str, problems: Problems, *, longest: int) -> str | None:
    value = request.args.get(name, "").strip()
    if len(value) > longest:
        problems.add(name, f"At most {longest} characters.")
        return None
    return value or None


def _choice(name: str, choices: Iterable[str], problems: Problems) -> str | None:
    value = request.args.get(name, "").strip()
    if value and value not in choices:
        problems.add(name, f"One of: {', '.join(choices)}.")
        return None
    return value or None


def _per_page(problems: Problems) -> int:
    raw = request.args.get("per_page", "").strip()
    if not raw:
        return DEFAULT_PER_PAGE
    if not _whole(raw) or not 1 <= int(raw) <= MAX_PER_PAGE:
        problems.add("per_page", f"Expected a whole number between 1 and {MAX_PER_PAGE}.")
        return DEFAULT_PER_PAGE
    return int(raw)


def _no_page_numbers(problems: Problems) -> None:
    if "page" in request.args:
        problems.add("page", NO_PAGE_NUMBERS)


@routes.get("/users")
@api_roles(Role.ADMIN)
def users() -> ResponseReturnValue:
    """Every account by e-mail address, filtered as the admin's users page filters."""
    problems = Problems()
    _no_page_numbers(problems)
    search = _text("q", problems, longest=100)
    role = _choice("role", [r.value for r in Role], problems)
    status = _choice("status", ("active", "inactive"), problems)
    after = None
    raw_after = request.args.get("after", "").strip()
    if raw_after:
        if not _whole(raw_after) or not 1 <= int(raw_after) <= DB_INT_MAX:
            problems.add("after", "Not a list position: a user id from the previous 'next'.")
        else:
            after = int(raw_after)
    per_page = _per_page(problems)
    problems.check()
    query = queries.user_list(
        search=search,
        role=role,
        active=(status == "active") if status else None,
    )
    page = unique_column_page(
        query.order_by(None),
        column=User.email,
        row_id=User.id,
        key=lambda row: row[0].id,
        per_page=per_page,
        after=after,
    )
    return jsonify(
        items=[represent.admin_user(row[0]) for row in page.items],
        per_page=per_page,
        next=next_page("api.users", page.after),
    )


@routes.get("/audit")
@api_roles(Role.ADMIN)
def audit_log() -> ResponseReturnValue:
    """The audit log, newest first, filtered as the admin's audit page filters."""
    problems = Problems()
    _no_page_numbers(problems)
    kind = _choice("kind", list(audit.KINDS), problems)
    actor = None
    raw_actor = request.args.get("actor", "").strip()
    if raw_actor:
        if not _whole(raw_actor) or not 1 <= int(raw_actor) <= DB_INT_MAX:
            problems.add("actor", f"Expected a user id, a whole number from 1 to {DB_INT_MAX}.")
        else:
            actor = int(raw_actor)
    query = queries.audit_list(
        kind=kind,
        action=_text("action", problems, longest=64),
        actor_id=actor,
        address=_text("address", problems, longest=64),
        object_type=_text("object_type", problems, longest=64),
        object_id=_text("object_id", problems, longest=64),
        since=query_date("since", problems),
        until=query_date("until", problems),
    )
    after = None
    raw_after = request.args.get("after", "").strip()
    if raw_after:
        after = decode_cursor(raw_after)
        if after is None:
            problems.add("after", "Not a list position: follow the previous answer's 'next'.")
    per_page = _per_page(problems)
    problems.check()
    page = newest_page(
        query.order_by(None),
        moment=AuditEvent.occurred_at,
        row_id=AuditEvent.id,
        key=lambda row: (row[0].occurred_at, row[0].id),
        per_page=per_page,
        after=after,
    )
    return jsonify(
        items=[represent.audit_event(row[0]) for row in page.items],
        per_page=per_page,
        next=next_page("api.audit_log", page.after),
    )
