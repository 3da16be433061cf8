"""Printable documents on the api blueprint: role descriptions as PDF."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue

from app.api.payload import ApiError
from app.api.routes import api_login_required, bp
from app.ladder_access import get_ladder
from app.role_descriptions import (
    PAPERS,
    UnknownPaper,
    cache_key,
    file_name,
    get_role_description_pdf,
)
from ladder.resolve import UnknownIdError

#: The browser may keep its copy for a day; the ETag lets it revalidate cheaply after that.
CACHE_CONTROL = "private, max-age=86400"


@bp.get("/ladder/levels/<level_id>/description.pdf")
@api_login_required
def level_description_pdf(level_id: str) -> ResponseReturnValue:
    """The role description of a level (``?specialty=``) as a PDF (``?paper=a4|letter``).

    The ETag is the hash of the cache key, so a matching ``If-None-Match`` is answered 304
    without reading or rendering the PDF.
    """
    ladder = get_ladder()
    specialty_id = request.args.get("specialty") or None
    paper = request.args.get("paper", "a4").lower()
    try:
        key = cache_key(ladder, level_id, specialty_id, paper)
    except UnknownIdError as exc:
        raise ApiError(404, f"{str(exc).capitalize()}.") from None
    except UnknownPaper:
        raise ApiError(400, f"'paper' must be one of: {', '.join(PAPERS)}.") from None
    if request.if_none_match.contains_weak(key.digest):
        response = Response(status=304)
    else:
        result = get_role_description_pdf(ladder, level_id, specialty_id, paper)
        response = Response(result.data, mimetype="application/pdf")
        name = file_name(level_id, specialty_id, paper)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(key.digest)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def openapi_paths() -> dict[str, Any]:
    """This module's operations, for the OpenAPI document."""
    from app.api.openapi import JSON, operation, ref

    pdf = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    parameters = [
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
    ok = {
        "200": {
            "description": "The PDF, as an attachment named <level>[-<specialty>]-<paper>.pdf.",
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": pdf,
        },
        "304": {"description": "The caller's copy (If-None-Match) is current."},
        "400": {
            "description": "'paper' is neither a4 nor letter.",
            "content": {JSON: {"schema": ref("Error")}},
        },
    }
    return {
        "/ladder/levels/{level_id}/description.pdf": {
            "get": operation(
                "getLevelDescriptionPdf",
                "A level's role description as a PDF",
                tag="ladder",
                ok=ok,
                errors=("Unauthorized", "NotFound"),
                parameters=parameters,
                description="Any signed-in user. The same ladder version, level, specialty "
                "and paper always give the same bytes, served from a cache.",
            )
        }
    }


@bp.record_once
def _document(state: BlueprintSetupState) -> None:
    from app.api.openapi import DOCUMENT

    DOCUMENT["paths"].update(openapi_paths())
