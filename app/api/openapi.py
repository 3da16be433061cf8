"""The OpenAPI 3.1 document of /api/v1, put together from the features' parts.

Each feature describes its own operations and schemas in ``app/<feature>/openapi.py``
(``TAGS``, ``SCHEMAS``, ``PATHS``); this module adds what belongs to the API as a whole
(authentication, the error shapes, this document's own path) and serves the result,
publicly, at /api/v1/openapi.json.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from app.accounts import openapi as accounts
from app.api.schema import ERROR, JSON, RESPONSES, operation, with_refusals
from app.careers import openapi as careers
from app.hiring import debrief_openapi as debrief
from app.hiring import offer_openapi as offers
from app.hiring import openapi as hiring
from app.hiring import process_openapi as process
from app.jobs import openapi as jobs
from app.promotions import openapi as promotions
from app.referrals import openapi as referrals
from app.reports import calibration_openapi as calibration
from app.reports import openapi as reports
from app.routing import Routes

routes = Routes()

#: The features' parts, in the order their tags are listed.
PARTS: tuple[ModuleType, ...] = (
    accounts,
    careers,
    hiring,
    process,
    referrals,
    promotions,
    jobs,
    debrief,
    offers,
    reports,
    calibration,
)

DESCRIPTION = (
    "Hiring pipelines derived from the career ladder. Authenticate with "
    "'Authorization: Bearer <token>' (tokens from 'flask users token EMAIL [--scope "
    "read|write] [--days N]'; a token expires after 90 days unless given fewer or more, at "
    "most 365, and a 'read' token may only GET); the browser's session cookie also works, "
    "and then POSTs need the CSRF token. Without either, every call but this document "
    "answers 401 (the public job postings aside). Calls are rate-limited per token "
    "(429 with Retry-After). "
    'Errors are {"error": {"status", "title", "detail"}}, with \'fields\' for '
    "400 and 422. Moves take an optional 'version': a stale one answers 409 'Changed "
    "meanwhile' (conflict 'stale', with current_version); a move the pipeline's rules "
    "refuse answers 409 'Not possible now' (conflict 'rule'). The same permissions as the "
    "web pages."
)

OWN_PATHS: dict[str, Any] = {
    "/openapi.json": {
        "get": operation(
            "getOpenApi",
            "This document",
            tag="meta",
            ok={"200": {"description": "OpenAPI 3.1", "content": {JSON: {"schema": {}}}}},
            errors=(),
            public=True,
            description="Public: no token needed.",
        )
    },
}


def build_document(parts: tuple[ModuleType, ...] = PARTS) -> dict[str, Any]:
    """The whole document; two parts that name the same path or schema are an error."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Error": ERROR}
    tags: list[str] = []
    for part in parts:
        for name, target, source in (
            ("path", paths, part.PATHS),
            ("schema", schemas, part.SCHEMAS),
        ):
            clash = sorted(set(target) & set(source))
            if clash:
                raise ValueError(f"{part.__name__} defines the {name}s {clash} again")
            target.update(source)
        tags += part.TAGS
    paths.update(OWN_PATHS)
    paths = {
        path: {method: with_refusals(method, op) for method, op in operations.items()}
        for path, operations in paths.items()
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "HireLadder API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": name} for name in (*tags, "meta")],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from 'flask users token EMAIL'.",
                }
            },
            "schemas": schemas,
            "responses": RESPONSES,
        },
    }


DOCUMENT = build_document()


@routes.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    return jsonify(DOCUMENT)
