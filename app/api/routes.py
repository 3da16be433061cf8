"""JSON API, version 1. Authenticated by a bearer token or the browser session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.models import User
from app.security import bearer_token
from app.services.accounts import load_api_token_user

bp = Blueprint("api", __name__)


@bp.before_request
def _authenticate() -> None:
    token = bearer_token(request)
    if token is not None:
        # A bearer token wins over any cookie, and a bad one is never silently ignored.
        user = load_api_token_user(token)
        if user is None:
            abort(401, description="The API token is not valid or has been revoked.")
        g.api_user = user
    elif current_user.is_authenticated:
        g.api_user = current_user._get_current_object()  # type: ignore[attr-defined]
    else:
        g.api_user = None


def api_user() -> User | None:
    user: User | None = g.get("api_user")
    return user


def api_login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if api_user() is None:
            abort(401, description="Send an API token as 'Authorization: Bearer <token>'.")
        return view(*args, **kwargs)

    return wrapped


@bp.get("/me")
@api_login_required
def me() -> ResponseReturnValue:
    user = api_user()
    assert user is not None
    return jsonify(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        roles=sorted(r.role for r in user.roles),
    )


# Routes of the other areas, on this blueprint.
from app.api import documents as _documents  # noqa: E402, F401
from app.api import hiring as _hiring  # noqa: E402, F401
from app.api import promotions as _promotions  # noqa: E402, F401
