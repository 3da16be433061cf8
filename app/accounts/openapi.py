"""The accounts' part of the OpenAPI document: who the caller is, their time zone and
notification choices."""

from __future__ import annotations

from typing import Any

from app.accounts.bodies import PREFERENCES
from app.api.schema import ID, nullable, obj, ok, operation
from app.services.preferences import CHOOSABLE
from pipelines.outbox import Delivery

TAGS = ("account",)

DELIVERY = {"type": "string", "enum": [d.value for d in Delivery]}

SCHEMAS: dict[str, Any] = {
    "Me": obj(
        {
            "id": ID,
            "email": {"type": "string"},
            "display_name": {"type": "string"},
            "roles": {"type": "array", "items": {"type": "string"}},
        }
    ),
    "Preferences": obj(
        {
            "timezone": nullable(
                "string",
                description="The caller's IANA time zone; null: the installation's default.",
            ),
            "default_timezone": {
                "type": "string",
                "description": "The installation's default zone (HIRELADDER_DEFAULT_TIMEZONE).",
            },
            "notifications": {
                **obj({kind.key: DELIVERY for kind in CHOOSABLE}),
                "description": "How each kind of notification comes: right away (immediate), "
                "in the daily digest (digest), or not at all (off).",
            },
            "version": {"type": "integer", "description": "The account's version."},
        }
    ),
}

PATHS: dict[str, Any] = {
    "/me": {
        "get": operation(
            "getMe", "The caller", tag="account", ok=ok("Me"), errors=("Unauthorized",)
        )
    },
    "/me/preferences": {
        "get": operation(
            "getMyPreferences",
            "The caller's time zone and notification choices",
            tag="account",
            ok=ok("Preferences"),
            errors=("Unauthorized",),
        ),
        "put": operation(
            "putMyPreferences",
            "Replace the caller's time zone and notification choices",
            tag="account",
            ok=ok("Preferences"),
            errors=("BadRequest", "Unauthorized", "Forbidden", "Conflict", "Invalid"),
            body=PREFERENCES,
            description="Times on pages, PDFs and messages are shown in this zone (the API "
            "itself keeps ISO 8601 in UTC). Messages to candidates and security messages "
            "always come right away.",
        ),
    },
}
