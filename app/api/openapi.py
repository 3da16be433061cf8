"""The OpenAPI 3.1 document of /api/v1, served publicly at /api/v1/openapi.json.

Request bodies come from :mod:`app.api.bodies`, the definitions the views parse with, so
the two cannot drift apart; everything else is written out here.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from app.api import bodies
from app.api.payload import DEFAULT_PER_PAGE, MAX_PER_PAGE, Body
from app.api.routes import bp
from pipelines.applications import ApplicationStatus
from pipelines.plan import StageKind

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(type_: str, **extra: Any) -> dict[str, Any]:
    return {"type": [type_, "null"], **extra}


def obj(properties: dict[str, Any], *, description: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


def page_of(item: str) -> dict[str, Any]:
    return obj(
        {
            "items": {"type": "array", "items": ref(item)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "pages": {"type": "integer", "minimum": 0},
            "total": {"type": "integer", "minimum": 0},
        }
    )


DATE_TIME = {"type": "string", "format": "date-time"}
ID = {"type": "integer"}
STAGE_ID = {"type": "string", "description": "A stage id of the requisition's plan."}
STATUS = {"type": "string", "enum": [s.value for s in ApplicationStatus]}

SCHEMAS: dict[str, Any] = {
    "Error": obj(
        {
            "error": {
                "type": "object",
                "required": ["status", "title", "detail"],
                "properties": {
                    "status": {"type": "integer"},
                    "title": {"type": "string"},
                    "detail": {"type": "string", "description": "Why, in words for a person."},
                    "fields": {
                        "type": "object",
                        "description": "400 and 422: messages per field (for a scorecard: "
                        "per criterion id, 'recommendation' and 'notes').",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                    "existing_id": {
                        "type": "integer",
                        "description": "409 on POST /candidates: the candidate with that e-mail.",
                    },
                    "current_version": {
                        "type": "integer",
                        "description": "409 for a stale version: the application's version now.",
                    },
                },
            }
        }
    ),
    "Me": obj(
        {
            "id": ID,
            "email": {"type": "string"},
            "display_name": {"type": "string"},
            "roles": {"type": "array", "items": {"type": "string"}},
        }
    ),
    "Person": obj({"id": ID, "name": {"type": "string"}, "email": {"type": "string"}}),
    "Level": obj(
        {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "grade": nullable("integer"),
            "family": {"type": "string"},
            "track": {"type": "string", "enum": ["individual_contributor", "manager"]},
            "reports_to": {
                "oneOf": [
                    {"type": "null"},
                    obj(
                        {
                            "levels": {"type": "array", "items": {"type": "string"}},
                            "text": nullable("string"),
                        }
                    ),
                ]
            },
            "defined_elsewhere": nullable(
                "string",
                description="Set for levels only named on this ladder; no requisition can "
                "hire for them.",
            ),
        }
    ),
    "LevelList": obj(
        {"items": {"type": "array", "items": ref("Level")}, "ladder_version": {"type": "string"}}
    ),
    "Stage": obj(
        {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": [k.value for k in StageKind]},
            "duration_minutes": nullable("integer"),
        }
    ),
    "Requisition": obj(
        {
            "id": ID,
            "title": {"type": "string"},
            "level_id": {"type": "string"},
            "level_title": nullable("string"),
            "specialty": nullable("string"),
            "hiring_manager": ref("Person"),
            "recruiter": ref("Person"),
            "headcount": {"type": "integer", "minimum": 1},
            "status": {"type": "string", "enum": ["open", "on_hold", "filled", "closed"]},
            "ladder_version": {"type": "string"},
            "created_at": DATE_TIME,
            "version": {"type": "integer"},
            "stages": {
                "type": "array",
                "items": ref("Stage"),
                "description": "The plan from the level's family, in order.",
            },
        }
    ),
    "RequisitionPage": page_of("Requisition"),
    "Candidate": obj(
        {
            "id": ID,
            "name": {"type": "string"},
            "email": {"type": "string"},
            "phone": nullable("string"),
            "location": nullable("string"),
            "source": nullable("string"),
            "consent_on": nullable("string", format="date"),
            "has_cv": {"type": "boolean"},
            "created_at": DATE_TIME,
            "version": {"type": "integer"},
        }
    ),
    "CandidatePage": page_of("Candidate"),
    "HistoryEntry": obj(
        {
            "action": {"type": "string"},
            "actor": {
                "oneOf": [
                    {"type": "null"},
                    obj({"id": ID, "name": {"type": "string"}}),
                ]
            },
            "at": DATE_TIME,
            "from": {
                "oneOf": [{"type": "null"}, obj({"stage": STAGE_ID, "status": STATUS})],
                "description": "null for the opening of the application.",
            },
            "to": obj({"stage": STAGE_ID, "status": STATUS}),
            "reason": nullable("string"),
            "note": nullable("string"),
            "overridden": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Stages left on the hiring manager's override in this move.",
            },
        }
    ),
    "InterviewSummary": obj(
        {
            "id": ID,
            "stage": STAGE_ID,
            "scheduled_at": nullable("string", format="date-time"),
            "duration_minutes": {"type": "integer"},
            "location": nullable("string"),
            "interviewer_ids": {"type": "array", "items": ID},
        }
    ),
    "Application": obj(
        {
            "id": ID,
            "candidate": obj({"id": ID, "name": {"type": "string"}, "email": {"type": "string"}}),
            "requisition": obj({"id": ID, "title": {"type": "string"}}),
            "stage": ref("Stage"),
            "status": STATUS,
            "entered_stage_at": DATE_TIME,
            "screen_passed": nullable("boolean"),
            "overridden": {"type": "array", "items": {"type": "string"}},
            "decline_reason": nullable("string"),
            "version": {
                "type": "integer",
                "description": "Send it back as 'version' with a move to refuse lost updates.",
            },
            "history": {"type": "array", "items": ref("HistoryEntry")},
            "interviews": {"type": "array", "items": ref("InterviewSummary")},
        }
    ),
    "Criterion": obj(
        {
            "id": {"type": "string", "description": "req:<hash> or competency:<id>."},
            "text": {"type": "string"},
            "items": {"type": "array", "items": {"type": "string"}},
            "description": nullable("string"),
            "source": {"type": "string", "enum": ["requirement", "competency"]},
            "scope": {"type": "string"},
            "origin": nullable("string"),
        }
    ),
    "Scorecard": obj(
        {
            "id": ID,
            "interview_id": ID,
            "interviewer_id": ID,
            "ratings": {"type": "object", "additionalProperties": {"type": "string"}},
            "recommendation": nullable("string"),
            "notes": nullable("string"),
            "submitted": {"type": "boolean"},
            "submitted_at": nullable("string", format="date-time"),
            "version": {"type": "integer"},
        }
    ),
    "Interview": obj(
        {
            "id": ID,
            "stage": ref("Stage"),
            "scheduled_at": nullable("string", format="date-time"),
            "duration_minutes": {"type": "integer"},
            "location": nullable("string"),
            "interviewer_ids": {"type": "array", "items": ID},
            "application_id": ID,
            "candidate": obj({"id": ID, "name": {"type": "string"}}),
            "requisition": obj(
                {"id": ID, "title": {"type": "string"}, "level_id": {"type": "string"}}
            ),
            "criteria": {
                "type": "array",
                "items": ref("Criterion"),
                "description": "What this stage's scorecards rate.",
            },
            "my_scorecard": {
                "oneOf": [{"type": "null"}, ref("Scorecard")],
                "description": "The caller's own scorecard, if they are an interviewer.",
            },
        },
        description="Only what an interviewer needs about the candidate.",
    ),
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": ref("Error")}}}


RESPONSES = {
    "BadRequest": _error(
        "The body is not a JSON object, has an unknown field or a value of the wrong JSON type."
    ),
    "Unauthorized": _error("No API token, or one that is not valid."),
    "Forbidden": _error("The caller's roles do not allow this."),
    "NotFound": _error("No such object, or the caller may not see it."),
    "Conflict": _error(
        "The pipeline's rules refuse the change (the detail says why), or the version sent is "
        "stale."
    ),
    "Invalid": _error("Some fields are not valid; 'fields' lists the messages per field."),
}


def _use(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


def _ok(schema: str, description: str = "OK", status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {JSON: {"schema": ref(schema)}}}}


def _path_id(name: str, what: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": ID, "description": what}


PAGE = [
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
        "description": "A page past the last gives no items.",
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_PER_PAGE,
            "default": DEFAULT_PER_PAGE,
        },
    },
]


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    ok: dict[str, Any],
    errors: tuple[str, ...],
    body: Body | None = None,
    parameters: list[dict[str, Any]] | None = None,
    description: str | None = None,
    public: bool = False,
) -> dict[str, Any]:
    codes = {
        "BadRequest": "400",
        "Unauthorized": "401",
        "Forbidden": "403",
        "NotFound": "404",
        "Conflict": "409",
        "Invalid": "422",
    }
    result: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "responses": {**ok, **{codes[name]: _use(name) for name in errors}},
    }
    if description:
        result["description"] = description
    if parameters:
        result["parameters"] = parameters
    if body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": body.schema()}},
        }
    if public:
        result["security"] = []
    return result


READ = ("Unauthorized", "Forbidden")
WRITE = ("BadRequest", "Unauthorized", "Forbidden", "Invalid")
MOVE = ("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "Invalid")
APPLICATION_ID = _path_id("application_id", "An application of a requisition the caller sees.")
INTERVIEW_ID = _path_id("interview_id", "An interview the caller sees.")
MOVES = "Recruiters, admins and the requisition's hiring manager."

PATHS: dict[str, Any] = {
    "/me": {
        "get": operation(
            "getMe", "The caller", tag="account", ok=_ok("Me"), errors=("Unauthorized",)
        )
    },
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
    "/ladder/levels": {
        "get": operation(
            "listLevels",
            "Every level of the ladder",
            tag="ladder",
            ok=_ok("LevelList"),
            errors=("Unauthorized", "Invalid"),
            parameters=[
                {
                    "name": "family",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "Only this family's levels (an unknown family answers 422).",
                }
            ],
            description="Any signed-in user.",
        )
    },
    "/requisitions": {
        "get": operation(
            "listRequisitions",
            "Requisitions, newest first",
            tag="requisitions",
            ok=_ok("RequisitionPage"),
            errors=(*READ, "Invalid"),
            parameters=PAGE,
            description="Recruiters and admins see all, hiring managers their own; others 403.",
        ),
        "post": operation(
            "createRequisition",
            "Open a requisition",
            tag="requisitions",
            ok=_ok("Requisition", "Created", "201"),
            errors=WRITE,
            body=bodies.REQUISITION,
            description="Recruiters and admins.",
        ),
    },
    "/requisitions/{requisition_id}": {
        "get": operation(
            "getRequisition",
            "A requisition with its plan's stages",
            tag="requisitions",
            ok=_ok("Requisition"),
            errors=(*READ, "NotFound"),
            parameters=[_path_id("requisition_id", "A requisition the caller sees.")],
            description="Recruiters, admins and its hiring manager (another hiring manager: "
            "404); other roles 403.",
        )
    },
    "/candidates": {
        "get": operation(
            "listCandidates",
            "Candidates, newest first",
            tag="candidates",
            ok=_ok("CandidatePage"),
            errors=(*READ, "Invalid"),
            parameters=PAGE,
            description="Recruiters and admins.",
        ),
        "post": operation(
            "createCandidate",
            "Add a candidate",
            tag="candidates",
            ok=_ok("Candidate", "Created", "201"),
            errors=(*WRITE, "Conflict"),
            body=bodies.CANDIDATE,
            description="Recruiters and admins. A candidate with the same e-mail address "
            "(case-insensitively) answers 409 with 'existing_id'.",
        ),
    },
    "/applications": {
        "post": operation(
            "createApplication",
            "Put a candidate into a requisition's pipeline",
            tag="applications",
            ok=_ok("Application", "Created", "201"),
            errors=(*WRITE, "Conflict"),
            body=bodies.APPLICATION,
            description="Recruiters and admins. Unknown ids in the body answer 422; a closed "
            "requisition or a candidate already in its pipeline 409.",
        )
    },
    "/applications/{application_id}": {
        "get": operation(
            "getApplication",
            "An application: stage, status, history, interviews",
            tag="applications",
            ok=_ok("Application"),
            errors=("Unauthorized", "NotFound"),
            parameters=[APPLICATION_ID],
            description="Staff of the requisition; anyone else 404.",
        )
    },
    "/applications/{application_id}/screen": {
        "post": operation(
            "recordScreen",
            "Record the recruiter screen's outcome",
            tag="applications",
            ok=_ok("Application"),
            errors=MOVE,
            body=bodies.SCREEN,
            parameters=[APPLICATION_ID],
            description="Recruiters and admins (the hiring manager: 403), at the screen only.",
        )
    },
    "/applications/{application_id}/advance": {
        "post": operation(
            "advanceApplication",
            "Move to the next stage (into references, then to an offer)",
            tag="applications",
            ok=_ok("Application"),
            errors=MOVE,
            body=bodies.ADVANCE,
            parameters=[APPLICATION_ID],
            description=f"{MOVES} Only the hiring manager moves into references or to an offer, "
            "and only the hiring manager overrides a stage whose evidence does not pass.",
        )
    },
    "/applications/{application_id}/decline": {
        "post": operation(
            "declineApplication",
            "Decline with a reason",
            tag="applications",
            ok=_ok("Application"),
            errors=MOVE,
            body=bodies.DECLINE,
            parameters=[APPLICATION_ID],
            description=MOVES,
        )
    },
    "/applications/{application_id}/withdraw": {
        "post": operation(
            "withdrawApplication",
            "Record that the candidate withdrew",
            tag="applications",
            ok=_ok("Application"),
            errors=MOVE,
            body=bodies.WITHDRAW,
            parameters=[APPLICATION_ID],
            description=MOVES,
        )
    },
    "/applications/{application_id}/interviews": {
        "post": operation(
            "scheduleInterview",
            "Schedule (or reschedule) the interview of a stage",
            tag="interviews",
            ok={
                **_ok("Interview", "Created", "201"),
                **_ok("Interview", "Rescheduled (the stage had an interview)"),
            },
            errors=MOVE,
            body=bodies.INTERVIEW,
            parameters=[APPLICATION_ID],
            description=MOVES,
        )
    },
    "/interviews/{interview_id}": {
        "get": operation(
            "getInterview",
            "An interview with the criteria its scorecards rate",
            tag="interviews",
            ok=_ok("Interview"),
            errors=("Unauthorized", "NotFound"),
            parameters=[INTERVIEW_ID],
            description="Staff of the requisition and the interview's own interviewers; "
            "anyone else 404.",
        )
    },
    "/interviews/{interview_id}/scorecard": {
        "post": operation(
            "saveScorecard",
            "Submit (or save a draft of) the caller's scorecard",
            tag="interviews",
            ok={
                **_ok("Scorecard", "Created", "201"),
                **_ok("Scorecard", "Saved over the caller's draft"),
            },
            errors=("BadRequest", "Unauthorized", "NotFound", "Conflict", "Invalid"),
            body=bodies.SCORECARD,
            parameters=[INTERVIEW_ID],
            description="The interview's interviewers only (anyone else 404). A submitted "
            "scorecard is final (409).",
        )
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "HireLadder API",
        "version": "1",
        "description": (
            "Hiring pipelines derived from the career ladder. Authenticate with "
            "'Authorization: Bearer <token>' (tokens from 'flask users token EMAIL'); the "
            "browser's session cookie also works, and then POSTs need the CSRF token. "
            'Errors are {"error": {"status", "title", "detail"}}, with \'fields\' for '
            "400 and 422. Moves take an optional 'version': a stale one answers 409, as does "
            "any move the pipeline's rules refuse. The same permissions as the web pages."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "tags": [
        {"name": name}
        for name in (
            "account",
            "ladder",
            "requisitions",
            "candidates",
            "applications",
            "interviews",
            "meta",
        )
    ],
    "paths": PATHS,
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "An API token from 'flask users token EMAIL'.",
            }
        },
        "schemas": SCHEMAS,
        "responses": RESPONSES,
    },
}


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    return jsonify(DOCUMENT)
