"""The accounts' part of the OpenAPI document: who the caller is, their time zone and
notification choices."""

from __future__ import annotations

from typing import Any

from app.accounts.bodies import PREFERENCES
from app.api.schema import ID, nullable, obj, ok, operation, ref
from app.services.preferences import CHOOSABLE
from pipelines.level_history import LevelReason
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
            "level": {
                "oneOf": [
                    {"type": "null"},
                    obj({"id": {"type": "string"}, "title": {"type": "string"}}),
                ],
                "description": "The caller's current level on the ladder (null: not set).",
            },
            "specialty": {
                "oneOf": [
                    {"type": "null"},
                    obj({"id": {"type": "string"}, "name": nullable("string")}),
                ],
                "description": "The caller's specialty (null: none).",
            },
            "level_since": nullable(
                "string", format="date", description="The first day of the current level."
            ),
            "level_history": {
                "type": "array",
                "items": ref("LevelSpan"),
                "description": "The caller's levels over time, newest first (a span still to "
                "come, such as a promotion approved for a later day, comes first).",
            },
        }
    ),
    "LevelSpan": obj(
        {
            "level_id": {"type": "string"},
            "level_title": {
                "type": "string",
                "description": "The level's title (its id when the ladder no longer has it).",
            },
            "specialty_id": nullable("string"),
            "starts_on": {"type": "string", "format": "date"},
            "ends_on": nullable(
                "string", format="date", description="The last day; null while current."
            ),
            "reason": {
                "type": "string",
                "enum": [r.value for r in LevelReason],
                "description": "Why the span began: hired, promoted, or changed by an admin.",
            },
        },
        description="One span of a person's level history.",
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
