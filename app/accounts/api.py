"""JSON API of the caller's own account: who they are, their time zone and notifications."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from app.accounts.bodies import PREFERENCES
from app.api.auth import api_login_required, caller
from app.api.errors import invalid, stale_version
from app.careers import history
from app.ladder_access import get_ladder
from app.models import User
from app.routing import Routes
from app.services import levels, preferences
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
