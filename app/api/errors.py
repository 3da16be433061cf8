"""JSON errors: every refusal of the API is ``{"error": {"status", "title", "detail", ...}}``.

Status codes: 400 when the body is not a JSON object or a field has the wrong JSON type
(or is not a field of the endpoint); 422 when the values are of the right types but not
valid (missing, too long, unknown e-mail address, a domain rule about the input), with
``{"error": {..., "fields": {"field": ["message", ...]}}}``.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.typing import ResponseReturnValue

from app.errors import MESSAGES
from app.routing import Routes

TITLES = {**{code: title for code, (title, _message) in MESSAGES.items()}, 422: "Not valid"}

routes = Routes()


class ApiError(Exception):
    """An error answered as ``{"error": {"status", "title", "detail", ...}}``."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        fields: dict[str, list[str]] | None = None,
        title: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.fields = fields
        self.extra = extra

    def response(self) -> tuple[Response, int]:
        body: dict[str, Any] = {
            "status": self.status,
            "title": self.title or TITLES.get(self.status, "Error"),
            "detail": self.detail,
            **self.extra,
        }
        if self.fields is not None:
            body["fields"] = self.fields
        return jsonify(error=body), self.status


@routes.errorhandler(ApiError)
def _api_error(error: ApiError) -> ResponseReturnValue:
    return error.response()


class Problems(dict[str, list[str]]):
    """Field problems collected before answering 422 with all of them at once."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def check(self) -> None:
        if self:
            raise ApiError(
                422, "Some fields are not valid; see 'fields'.", fields=dict(sorted(self.items()))
            )


#: The title of a 409 the rules give (nothing changed meanwhile: the move is not possible
#: now); a stale version keeps the 409's own title, "Changed meanwhile".
REFUSED = "Not possible now"


def refused(detail: str, **extra: Any) -> ApiError:
    """A 409 for a change the rules refuse (the detail says which rule and what to do)."""
    return ApiError(409, detail, title=REFUSED, conflict="rule", **extra)


def stale_version(detail: str, **extra: Any) -> ApiError:
    """A 409 for a change sent on top of a version someone else has replaced meanwhile."""
    return ApiError(409, detail, conflict="stale", **extra)


def invalid(field: str, message: str) -> ApiError:
    """A 422 for one field."""
    problems = Problems()
    problems.add(field, message)
    return ApiError(422, "Some fields are not valid; see 'fields'.", fields=dict(problems))
