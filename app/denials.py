"""Refusals that reach the audit log: an object that exists refused to the caller, a 403,
a failed CSRF check.

A 404 for an id that names nothing is not a refusal and is not recorded: only the views
know whether the object exists, so they call :func:`deny` instead of ``abort(404)`` when
it does.
"""

from __future__ import annotations

from typing import NoReturn

from flask import abort, g, request
from flask_login import current_user

from app.models import User
from app.services import audit


def requester() -> tuple[User | None, str]:
    """Who is asking (None when nobody is signed in) and through which channel."""
    channel = "api" if request.blueprint == "api" else "web"
    user: User | None = g.get("api_user")
    if user is None and current_user.is_authenticated:
        user = current_user._get_current_object()  # type: ignore[attr-defined]
    return user, channel


def object_of_request() -> tuple[str | None, int | None]:
    """The object a URL names, from its last ``<int:…_id>`` part (``application_id=5`` is
    ``("application", 5)``); other parts (tokens, keys) are never recorded."""
    found: tuple[str | None, int | None] = (None, None)
    for name, value in (request.view_args or {}).items():
        if name.endswith("_id") and isinstance(value, int):
            found = (name.removesuffix("_id"), value)
    return found


def record_refused(status: int, object_type: str | None, object_id: object | None) -> None:
    actor, channel = requester()
    audit.record_denial(
        actor=actor,
        channel=channel,
        endpoint=request.endpoint,
        status=status,
        object_type=object_type,
        object_id=object_id,
    )


def deny(object_type: str, object_id: object) -> NoReturn:
    """Record that the caller was refused an object that exists, then answer 404: to the
    caller it is as if the object did not exist."""
    record_refused(404, object_type, object_id)
    abort(404)


def record_forbidden() -> None:
    """Record a 403 (a role or an action refused), naming the object of the URL if any."""
    object_type, object_id = object_of_request()
    record_refused(403, object_type, object_id)


def record_csrf_failure(reason: str) -> None:
    actor, channel = requester()
    audit.record_csrf_failure(
        actor=actor,
        channel=channel,
        endpoint=request.endpoint,
        method=request.method,
        reason=reason,
    )
