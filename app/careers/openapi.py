"""The career ladder's part of the OpenAPI document: levels, diffs, role descriptions."""

from __future__ import annotations

from typing import Any, get_args

from app.api.schema import PDF, error_response, nullable, obj, ok, operation, ref
from app.pdf import PAPERS
from ladder.model import KINDS
from ladder.resolve import OriginKind, Relation

TAGS = ("ladder",)

SCHEMAS: dict[str, Any] = {
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
    "DiffItem": obj(
        {
            "text": {"type": "string"},
            "items": {"type": "array", "items": {"type": "string"}},
            "origin": {"type": "string", "description": "The level, family or specialty id."},
            "origin_kind": {"type": "string", "enum": list(get_args(OriginKind))},
        }
    ),
    "DiffChanges": obj(
        {
            "added": {
                "type": "array",
                "items": ref("DiffItem"),
                "description": "New at 'to'.",
            },
            "kept": {
                "type": "array",
                "items": ref("DiffItem"),
                "description": "At both levels.",
            },
            "dropped": {
                "type": "array",
                "items": ref("DiffItem"),
                "description": "At 'from' only.",
            },
        }
    ),
    "DiffLevel": obj(
        {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "grade": nullable("integer"),
            "family": {"type": "string"},
            "specialty": nullable("string"),
        }
    ),
    "LadderDiff": obj(
        {
            "from": ref("DiffLevel"),
            "to": ref("DiffLevel"),
            "relation": {"type": "string", "enum": list(get_args(Relation))},
            "ladder_version": {"type": "string"},
            **{kind: ref("DiffChanges") for kind in KINDS},
        }
    ),
}

_DIFF_QUERY: list[dict[str, Any]] = [
    {"name": "from", "in": "query", "required": True, "schema": {"type": "string"}},
    {"name": "to", "in": "query", "required": True, "schema": {"type": "string"}},
    {"name": "from_specialty", "in": "query", "schema": {"type": "string"}},
    {"name": "to_specialty", "in": "query", "schema": {"type": "string"}},
]

_DESCRIPTION_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "level_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": "A level id of the ladder (an unknown level answers 404).",
    },
    {
        "name": "specialty",
        "in": "query",
        "schema": {"type": "string"},
        "description": "A specialty of the level's family that applies to the level.",
    },
    {
        "name": "paper",
        "in": "query",
        "schema": {"type": "string", "enum": list(PAPERS), "default": "a4"},
    },
]

PATHS: dict[str, Any] = {
    "/ladder/levels": {
        "get": operation(
            "listLevels",
            "Every level of the ladder",
            tag="ladder",
            ok=ok("LevelList"),
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
    "/ladder/diff": {
        "get": operation(
            "getLadderDiff",
            "What changes from one level to another",
            tag="ladder",
            ok={
                **ok("LadderDiff"),
                "404": error_response("An unknown level or specialty; the detail says which."),
            },
            errors=("Unauthorized", "Invalid"),
            parameters=_DIFF_QUERY,
            description="Any signed-in user. Items are compared by normalised text. A "
            "missing 'from' or 'to' answers 422.",
        )
    },
    "/ladder/levels/{level_id}/description.pdf": {
        "get": operation(
            "getLevelDescriptionPdf",
            "A level's role description as a PDF",
            tag="ladder",
            ok={
                "200": {
                    "description": "The PDF, as an attachment named "
                    "<level>[-<specialty>]-<paper>.pdf.",
                    "headers": {"ETag": {"schema": {"type": "string"}}},
                    "content": PDF,
                },
                "304": {"description": "The caller's copy (If-None-Match) is current."},
                "400": error_response("'paper' is neither a4 nor letter."),
            },
            errors=("Unauthorized", "NotFound"),
            parameters=_DESCRIPTION_PARAMETERS,
            description="Any signed-in user. The same ladder version, level, specialty "
            "and paper always give the same bytes, served from a cache.",
        )
    },
}
