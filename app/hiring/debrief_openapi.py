"""The debrief's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from app.api.schema import DATE_TIME, ID, nullable, obj, ok, operation, path_id, ref
from app.hiring import bodies
from pipelines.debrief import NOT_ASKED, RowFlag
from pipelines.leveling import Outcome, Step
from pipelines.scorecards import NOT_ASSESSED, Rating

TAGS: tuple[str, ...] = ("debrief",)

_RATINGS = [r.value for r in Rating]
_CELLS = [*_RATINGS, NOT_ASSESSED.value, NOT_ASKED.value]
_CRITERION = obj({"id": {"type": "string"}, "text": {"type": "string"}})
_COUNT = {"type": "integer", "minimum": 0}

SCHEMAS: dict[str, Any] = {
    "Decision": obj(
        {
            "outcome": {"type": "string", "enum": [o.value for o in Outcome]},
            "level_id": nullable("string", description="The level of a hire; null for no hire."),
            "specialty_id": nullable("string"),
            "step": {
                "type": ["string", "null"],
                "enum": [*(s.value for s in Step), None],
                "description": "Where the level sits against the requisition's.",
            },
            "rationale": nullable("string"),
            "decided_by": {
                "oneOf": [{"type": "null"}, obj({"id": ID, "name": nullable("string")})]
            },
            "decided_at": DATE_TIME,
            "ladder_version": {"type": "string"},
            "version": {"type": "integer", "description": "Send it to change the decision."},
        },
        description="The hiring manager's decision at the debrief.",
    ),
    "DebriefColumn": obj(
        {
            "scorecard_id": ID,
            "interviewer": obj({"id": ID, "name": {"type": "string"}}),
            "stage": ref("Stage"),
            "recommendation": {"type": "string", "enum": _RATINGS},
            "notes": {"type": "string"},
            "submitted_at": nullable("string", format="date-time"),
            "amendments": {
                "type": "array",
                "items": obj({"text": {"type": "string"}, "at": DATE_TIME}),
            },
        },
        description="One submitted scorecard: an interviewer at a stage.",
    ),
    "DebriefRow": obj(
        {
            "criterion": _CRITERION,
            "cells": {
                "type": "array",
                "items": {"type": "string", "enum": _CELLS},
                "description": "One per column: the rating, not_assessed, or not_asked (the "
                "criterion was not on that scorecard).",
            },
            "flags": {
                "type": "array",
                "items": {"type": "string", "enum": [f.value for f in RowFlag]},
                "description": "disagreement: ratings on both sides of yes/no or 2+ points "
                "apart; unassessed: nobody rated it; single_assessor: one person did.",
            },
            "spread": nullable("integer", description="Points between the highest and lowest."),
        }
    ),
    "Debrief": obj(
        {
            "application_id": ID,
            "requisition": obj(
                {
                    "id": ID,
                    "title": {"type": "string"},
                    "level_id": {"type": "string"},
                    "specialty_id": nullable("string"),
                }
            ),
            "ready": {
                "type": "boolean",
                "description": "The debrief is open: the application reached the last "
                "interview stage (or went past it) and every interview held has all its "
                "scorecards. Until then columns and rows are empty.",
            },
            "reason": nullable("string", description="Why it is not open, in plain words."),
            "waiting": {
                "type": "array",
                "items": obj(
                    {"stage": {"type": "string"}, "submitted": _COUNT, "expected": _COUNT}
                ),
            },
            "columns": {"type": "array", "items": ref("DebriefColumn")},
            "rows": {"type": "array", "items": ref("DebriefRow")},
            "unmatched": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Criterion ids rated on a scorecard that the ladder no longer has.",
            },
            "summary": {
                "oneOf": [
                    {"type": "null"},
                    obj(
                        {
                            name: _COUNT
                            for name in (
                                "scorecards",
                                "interviewers",
                                "yes",
                                "no",
                                "strong_yes",
                                "strong_no",
                                "disagreed",
                                "unassessed",
                                "single_assessor",
                            )
                        }
                    ),
                ]
            },
            "coverage": {
                "oneOf": [
                    {"type": "null"},
                    obj(
                        {
                            "complete": {"type": "boolean"},
                            "uncovered": {"type": "array", "items": _CRITERION},
                            "single_interviewer": {"type": "array", "items": _CRITERION},
                        },
                        description="The plan's coverage check with the real interviewers.",
                    ),
                ]
            },
            "level_options": {
                "type": "array",
                "items": obj(
                    {
                        "level": obj(
                            {
                                "id": {"type": "string"},
                                "title": {"type": "string"},
                                "grade": nullable("integer"),
                            }
                        ),
                        "step": {"type": "string", "enum": [s.value for s in Step]},
                        "diff": {
                            "oneOf": [{"type": "null"}, ref("LadderDiff")],
                            "description": "From the requisition's level to this one (null "
                            "for the requisition's level itself).",
                        },
                    }
                ),
            },
            "decision": {"oneOf": [{"type": "null"}, ref("Decision")]},
        }
    ),
}

_ID = path_id("application_id", "The application.")

PATHS: dict[str, Any] = {
    "/applications/{application_id}/debrief": {
        "get": operation(
            "getDebrief",
            "The debrief of an application",
            tag="debrief",
            ok=ok("Debrief"),
            errors=("Unauthorized", "NotFound"),
            parameters=[_ID],
            description="The requisition's hiring manager, its recruiter and admins; anyone "
            "else 404. The scorecards' notes are about the candidate: the read is audited.",
        )
    },
    "/applications/{application_id}/decision": {
        "put": operation(
            "putDecision",
            "Record or change the hiring decision",
            tag="debrief",
            ok=ok("Decision"),
            errors=("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "Invalid"),
            body=bodies.DECISION,
            parameters=[_ID],
            description="The requisition's hiring manager or an admin (its recruiter: 403; "
            "anyone else 404), once the debrief is open. 422 names the field a leveling rule "
            "refuses ('fields' and 'pointer'): a level that is not the requisition's or one "
            "beside it on the same track, a level for no hire, no rationale off-level. 409 "
            "'stale' (with current_version: the decision's) when a decision is recorded and "
            "'version' is not its version; 409 'rule' when the debrief is not open, the "
            "application is no longer active or an offer is open. A no-hire declines the "
            "application.",
        )
    },
}
