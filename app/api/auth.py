"""Who is calling the API: a bearer token, or else the browser's session; role checks.

Object checks happen in the views, through the features' permission predicates.

Authentication comes before the CSRF check here, so that a call without credentials
answers 401 whatever its method; only a call that rides on the session cookie needs the
CSRF token (a bearer token is not sent by the browser on its own, so it cannot be forged).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, request
from flask_login import current_user

from app.api.errors import ApiError
from app.models import Role, User
from app.routing import Routes
from app.security import UNSAFE_METHODS, bearer_token, check_csrf, client_address
from app.services import api_tokens, token_rules

F = TypeVar("F", bound=Callable[..., Any])

routes = Routes()

SIGN_IN_NEEDED = "Send an API token as 'Authorization: Bearer <token>'."


@routes.before_request
def _authenticate() -> None:
    token = bearer_token(request)
    if token is not None:
        # A bearer token wins over any cookie, and a bad one is never silently ignored.
        try:
            row = api_tokens.authenticate_request(token, address=client_address())
        except api_tokens.TokenRefused as exc:
            raise ApiError(401, str(exc)) from None
        if not token_rules.method_allowed(row.scope, request.method):
            raise ApiError(
                403,
                f"The API token {row.prefix}… is read-only (scope 'read'): it may "
                f"only GET. A {request.method} needs a token with scope 'write' "
                "('flask users token EMAIL --scope write').",
            )
        g.api_user = row.user
        g.api_token = row
    elif current_user.is_authenticated:
        check_csrf()
        g.api_user = current_user._get_current_object()  # type: ignore[attr-defined]
    else:
        g.api_user = None
        if request.method in UNSAFE_METHODS:
            raise ApiError(401, SIGN_IN_NEEDED)


def api_user() -> User | None:
    user: User | None = g.get("api_user")
    return user


def caller() -> User:
    """The authenticated caller; 401 when there is none."""
    user = api_user()
    if user is None:
        abort(401, description=SIGN_IN_NEEDED)
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
