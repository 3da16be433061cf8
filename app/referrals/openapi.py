"""Referrals' part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from app.api.schema import DATE_TIME, ID, PER_PAGE, nullable, obj, ok, operation, path_id
from app.referrals import bodies
from pipelines.sources import ReferralStatus

TAGS = ("referrals",)

SCHEMAS: dict[str, Any] = {
    "Referral": obj(
        {
            "id": {**ID, "description": "The referral's application id."},
            "candidate": obj({"name": {"type": "string"}}),
            "requisition": obj({"id": ID, "title": {"type": "string"}}),
            "referred_at": DATE_TIME,
            "status": {
                "type": "string",
                "enum": [s.value for s in ReferralStatus],
                "description": "All a referrer learns of the application: never its stage, "
                "scorecards, notes or decline reason.",
            },
            "status_label": {"type": "string", "examples": ["In process"]},
        },
        description="A referral as its referrer sees it.",
    ),
    "ReferralPage": obj(
        {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Referral"}},
            "next": nullable(
                "string", description="The address of the next (older) page; null on the last."
            ),
        }
    ),
}

PATHS: dict[str, Any] = {
    "/referrals": {
        "get": operation(
            "listReferrals",
            "The caller's own referrals, newest first",
            tag="referrals",
            ok=ok("ReferralPage"),
            errors=("Unauthorized", "Invalid"),
            parameters=[
                {
                    "name": "after",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1},
                    "description": "Start after this referral (follow 'next' instead of "
                    "building it).",
                },
                PER_PAGE,
            ],
            description="Any signed-in user; only the referrals they made, status only.",
        ),
        "post": operation(
            "createReferral",
            "Refer someone to an open requisition",
            tag="referrals",
            ok=ok("Referral", "Created", "201"),
            errors=("BadRequest", "Unauthorized", "Forbidden", "Conflict", "Invalid"),
            body=bodies.REFERRAL,
            description="Any signed-in user (a 'write' token). The application lands in the "
            "first stage with source 'referral' and the caller as referrer. A requisition "
            "that is not open answers 422 on requisition_id; someone already in its pipeline "
            "409 'Not possible now' ('already being considered'), without saying more "
            "about them. No CV through "
            "the API: the web form takes one.",
        ),
    },
    "/referrals/{application_id}": {
        "get": operation(
            "getReferral",
            "One of the caller's referrals",
            tag="referrals",
            ok=ok("Referral"),
            errors=("Unauthorized", "NotFound"),
            parameters=[path_id("application_id", "The id a referral was created with.")],
            description="Only the referrer; any other application is 404.",
        )
    },
}
