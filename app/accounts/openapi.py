"""The accounts' part of the OpenAPI document: who the caller is."""

from __future__ import annotations

from typing import Any

from app.api.schema import ID, obj, ok, operation

TAGS = ("account",)

SCHEMAS: dict[str, Any] = {
    "Me": obj(
        {
            "id": ID,
            "email": {"type": "string"},
            "display_name": {"type": "string"},
            "roles": {"type": "array", "items": {"type": "string"}},
        }
    ),
}

PATHS: dict[str, Any] = {
    "/me": {
        "get": operation(
            "getMe", "The caller", tag="account", ok=ok("Me"), errors=("Unauthorized",)
        )
    },
}
