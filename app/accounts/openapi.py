"""The accounts' part of the OpenAPI document: who the caller is, their time zone and
notification choices; for admins, the users and the audit log."""

from __future__ import annotations

from typing import Any

from app.accounts.bodies import PREFERENCES
from app.api.responses import DEFAULT_PER_PAGE, MAX_PER_PAGE
from app.api.schema import DATE_TIME, ID, cursor_page_of, nullable, obj, ok, operation, ref
from app.inputs import DB_INT_MAX
from app.models import Role
from app.services.audit import KINDS
from app.services.preferences import CHOOSABLE
from pipelines.level_history import LevelReason
from pipelines.outbox import Delivery

TAGS = ("account", "admin")

DELIVERY = {"type": "string", "enum": [d.value for d in Delivery]}


SCHEMAS: dict[str, Any] = {
    "AdminUser": obj(
        {
            "id": ID,
            "email": {"type": "string"},
            "display_name": {"type": "string"},
            "roles": {
                "type": "array",
                "items": {"type": "string", "enum": [r.value for r in Role]},
            },
            "active": {"type": "boolean", "description": "False: deactivated."},
            "is_demo": {"type": "boolean", "description": "A demo account."},
            "level_id": nullable("string", description="The person's level on the ladder."),
            "created_at": DATE_TIME,
        },
        description="An account, as the admin's users list shows it.",
    ),
    "AdminUserPage": cursor_page_of("AdminUser"),
    "AuditEvent": obj(
        {
            "id": ID,
            "occurred_at": DATE_TIME,
            "actor": {
                "oneOf": [{"type": "null"}, obj({"id": ID, "name": {"type": "string"}})],
                "description": "Who did it; null for the system, or a user since deleted.",
            },
            "channel": {
                "type": "string",
                "description": "Where it came from: web, api, cli or system.",
            },
            "action": {"type": "string", "description": "What happened, e.g. 'auth.login'."},
            "object_type": nullable("string"),
            "object_id": nullable("string"),
            "address": nullable(
                "string", description="The request's source address (null outside a request)."
            ),
            "user_agent": nullable("string"),
            "summary": {
                "type": "object",
                "description": "The facts of the row, e.g. {field: {before, after}}.",
            },
        },
        description="One row of the audit log.",
    ),
    "AuditEventPage": cursor_page_of("AuditEvent"),
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


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description}


PER_PAGE = _query(
    "per_page",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    "Items per page.",
)
USER_LIST = [
    _query(
        "q",
        {"type": "string", "maxLength": 100},
        "Part of the e-mail address or the name (case ignored).",
    ),
    _query("role", {"type": "string", "enum": [r.value for r in Role]}, "Holding this role."),
    _query(
        "status",
        {"type": "string", "enum": ["active", "inactive"]},
        "Active or deactivated accounts.",
    ),
    _query(
        "after",
        {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX},
        "A user id: the page after that user (from the previous 'next').",
    ),
    PER_PAGE,
]
AUDIT_LIST = [
    _query(
        "kind",
        {"type": "string", "enum": list(KINDS)},
        "; ".join(f"{key}: {label}" for key, label in KINDS.items()) + ".",
    ),
    _query("action", {"type": "string", "maxLength": 64}, "The action starts with this."),
    _query(
        "actor",
        {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX},
        "The user id of who did it.",
    ),
    _query("address", {"type": "string", "maxLength": 64}, "The source address, exactly."),
    _query("object_type", {"type": "string", "maxLength": 64}, "The object's type, exactly."),
    _query("object_id", {"type": "string", "maxLength": 64}, "The object's id, exactly."),
    _query("since", {"type": "string", "format": "date"}, "On or after this day (UTC)."),
    _query("until", {"type": "string", "format": "date"}, "On or before this day (UTC)."),
    _query(
        "after",
        {"type": "string", "pattern": "^[0-9]{20}-[0-9]{1,10}$"},
        "A position in the log (from the previous 'next'): the rows older than it.",
    ),
    PER_PAGE,
]

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
    "/users": {
        "get": operation(
            "listUsers",
            "Users, by e-mail address, filtered",
            tag="admin",
            ok=ok("AdminUserPage"),
            errors=("Forbidden", "Invalid"),
            parameters=USER_LIST,
            description="Admins only (others 403). The filters of the admin's users page; pages "
            "by e-mail address: follow 'next'. A bad filter, a damaged 'after' or '?page=' "
            "answer 422 naming the parameter.",
        )
    },
    "/audit": {
        "get": operation(
            "listAuditEvents",
            "The audit log, newest first, filtered",
            tag="admin",
            ok=ok("AuditEventPage"),
            errors=("Forbidden", "Invalid"),
            parameters=AUDIT_LIST,
            description="Admins only (others 403). The filters of the admin's audit page, all "
            "at once if given; pages newest first, by the moment and id of the rows: follow "
            "'next'. A bad filter, a damaged 'after' or '?page=' answer 422 naming the parameter.",
        )
    },
}
