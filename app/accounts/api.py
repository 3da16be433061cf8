"""JSON API of the caller's own account."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, caller
from app.routing import Routes

routes = Routes()


@routes.get("/me")
@api_login_required
def me() -> ResponseReturnValue:
    user = caller()
    return jsonify(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        roles=sorted(r.role for r in user.roles),
    )
