"""Who is calling the API: a bearer token, or else the browser's session; role checks.

Object checks happen in the views, through the features' permission predicates.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, request
from flask_login import current_user

from app.models import Role, User
from app.routing import Routes
from app.security import bearer_token
from app.services import api_tokens

F = TypeVar("F", bound=Callable[..., Any])

routes = Routes()


@routes.before_request
def _authenticate() -> None:
    token = bearer_token(request)
    if token is not None:
        # A bearer token wins over any cookie, and a bad one is never silently ignored.
        user = api_tokens.load_user(token)
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


def caller() -> User:
    """The authenticated caller; 401 when there is none."""
    user = api_user()
    if user is None:
        abort(401, description="Send an API token as 'Authorization: Bearer <token>'.")
    return user


def api_login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        caller()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def api_roles(*roles: Role) -> Callable[[F], F]:
    """Authenticated (else 401) and holding one of ``roles`` (else 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not caller().has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
