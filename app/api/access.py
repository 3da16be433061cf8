"""Who is calling the API, and role checks (object checks happen in the views)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort

from app.api.routes import api_login_required, api_user
from app.models import Role, User

F = TypeVar("F", bound=Callable[..., Any])

STAFF = (Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER)
RECRUITING = (Role.ADMIN, Role.RECRUITER)


def caller() -> User:
    user = api_user()
    if user is None:
        abort(401, description="Send an API token as 'Authorization: Bearer <token>'.")
    return user


def api_roles(*roles: Role) -> Callable[[F], F]:
    """Authenticated (else 401) and holding one of ``roles`` (else 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not caller().has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return api_login_required(wrapped)  # type: ignore[no-any-return]

    return decorator
