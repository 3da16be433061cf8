"""The promotions' part of the OpenAPI document: packets, their sections and decisions."""

from __future__ import annotations

from typing import Any

from app.api.schema import (
    CURSOR_PAGE,
    DATE_TIME,
    ID,
    JSON,
    PDF,
    cursor_page_of,
    error_response,
    error_with,
    nullable,
    obj,
    ok,
    operation,
    ref,
)
from app.pdf import PAPERS
from app.promotions.bodies import CREATE, DECIDE, SUBMIT, UPDATE, WITHDRAW
from pipelines.promotions import SECTION_GROUPS, MoveKind, PacketStatus, SectionKind

TAGS = ("promotions",)

_PERSON = obj({"id": ID, "display_name": {"type": "string"}, "email": {"type": "string"}})
_PACKET_LEVEL = obj(
    {
        "level_id": {"type": "string"},
        "title": nullable("string", description="null if the ladder no longer has it."),
        "grade": nullable("integer"),
        "specialty_id": nullable("string"),
    }
)
_SECTION = obj(
    {
        "key": {
            "type": "string",
            "description": "Stable for the same text; names the section in PATCH.",
        },
        "kind": {"type": "string", "enum": [k.value for k in SectionKind]},
        "group": {"type": "string", "enum": list(SECTION_GROUPS.values())},
        "heading": {"type": "string"},
        "items": {"type": "array", "items": {"type": "string"}},
        "description": nullable("string"),
        "origin": nullable("string"),
        "required": {
            "type": "boolean",
            "description": "Submitting needs evidence in every required section.",
        },
        "evidence": nullable("string"),
        "version": {
            "type": "integer",
            "description": "Send it back with the section's evidence in PATCH (required). "
            "In a PATCH answer, the version the caller's own save produced.",
        },
    }
)
_COMMON = {
    "id": ID,
    "version": {
        "type": "integer",
        "description": "Changes with every edit and status change; send it back as "
        "'version' (required) to submit, decide or withdraw.",
    },
    "status": {
        "type": "string",
        "enum": [s.value for s in PacketStatus],
        "description": "draft -> submitted -> approved or declined; an open (draft or "
        "submitted) packet can be withdrawn.",
    },
    "move": obj(
        {
            "value": {"type": "string", "enum": [m.value for m in MoveKind]},
            "label": {"type": "string"},
        }
    ),
    "subject": ref("PacketPerson"),
    "author": ref("PacketPerson"),
    "from": ref("PacketLevel"),
    "to": ref("PacketLevel"),
    "created_at": DATE_TIME,
    "updated_at": DATE_TIME,
    "submitted_at": nullable("string", format="date-time"),
    "decided_at": nullable("string", format="date-time"),
    "ladder_version": {
        "type": "string",
        "description": "The ladder the sections were copied from.",
    },
    "progress": obj(
        {
            "required": {"type": "integer", "minimum": 0},
            "done": {"type": "integer", "minimum": 0},
        },
        description="Required sections, and those of them with evidence.",
    ),
    "actions": obj(
        {
            "edit": {"type": "boolean"},
            "submit": {"type": "boolean"},
            "decide": {"type": "boolean"},
            "withdraw": {"type": "boolean"},
        },
        description="What the caller may do now.",
    ),
    "links": obj(
        {"self": {"type": "string"}, "document": {"type": "string"}},
    ),
}
_PACKET = obj(
    {
        **_COMMON,
        "decided_by": {
            "oneOf": [{"type": "null"}, ref("PacketPerson")],
            "description": "Who approved, declined or withdrew the packet.",
        },
        "decision_comment": nullable(
            "string", description="The decision's comment, or the reason for withdrawing."
        ),
        "effective_on": nullable(
            "string",
            format="date",
            description="An approved packet: the day the person's new level counts from.",
        ),
        "sections": {"type": "array", "items": ref("PacketSection")},
    }
)

SCHEMAS: dict[str, Any] = {
    "PacketPerson": _PERSON,
    "PacketLevel": _PACKET_LEVEL,
    "PacketSection": _SECTION,
    "PromotionPacket": _PACKET,
    "PromotionPacketSummary": obj(_COMMON, description="A packet without its sections."),
    "PromotionPacketPage": cursor_page_of("PromotionPacketSummary"),
    "PromotionConflict": error_with(
        existing_id={
            "type": "integer",
            "description": "POST /promotions: the person's open packet.",
        },
        current_version={
            "type": ["integer", "null"],
            "description": "The packet's version now.",
        },
        conflicts={
            "type": "array",
            "description": "PATCH: the sections someone else changed meanwhile; nothing "
            "was written. Merge, then send again with 'version' as given here.",
            "items": obj(
                {
                    "key": {"type": "string"},
                    "heading": {"type": "string"},
                    "yours": {"type": "string"},
                    "theirs": {"type": "string"},
                    "version": {"type": "integer"},
                }
            ),
        },
    ),
}


def _conflict(description: str) -> dict[str, Any]:
    return {
        "409": {
            "description": description,
            "content": {JSON: {"schema": ref("PromotionConflict")}},
        }
    }


_PACKET_ID = {
    "name": "packet_id",
    "in": "path",
    "required": True,
    "schema": ID,
    "description": "A packet the caller may read (any other answers 404).",
}
_CHANGE = ("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Invalid")

PATHS: dict[str, Any] = {
    "/promotions": {
        "get": operation(
            "listPromotions",
            "Promotion packets the caller may read, latest change first",
            tag="promotions",
            ok=ok("PromotionPacketPage"),
            errors=("Unauthorized", "Invalid"),
            parameters=CURSOR_PAGE,
            description="The person's own packets, those they wrote or manage, those "
            "submitted to them as the author's manager; admins see all. Pages latest change "
            "first: follow 'next'. '?page=' answers 422 (this list used numbered pages "
            "before).",
        ),
        "post": operation(
            "createPromotion",
            "Start a promotion packet for a direct report",
            tag="promotions",
            ok={
                **ok("PromotionPacket", "Created: sections from the ladder diff", "201"),
                **_conflict("The person has an open packet ('existing_id')."),
            },
            errors=("BadRequest", "Unauthorized", "Forbidden", "Invalid"),
            body=CREATE,
            description="The person's manager only. The manager relation is checked "
            "first: an unknown address, someone else's report and a deactivated account "
            "that is not the caller's report all answer the same 403, which names nobody. "
            "Only to the manager does a 422 say that the account is deactivated or has no "
            "level; a target that is not a step up answers 422 on target_level_id.",
        ),
    },
    "/promotions/{packet_id}": {
        "get": operation(
            "getPromotion",
            "A promotion packet with its sections",
            tag="promotions",
            ok=ok("PromotionPacket"),
            errors=("Unauthorized", "NotFound"),
            parameters=[_PACKET_ID],
            description="The person, the author, the person's manager, admins, and the "
            "author's manager once submitted.",
        ),
        "patch": operation(
            "updatePromotionSections",
            "Write the evidence of some sections of a draft",
            tag="promotions",
            ok={
                **ok("PromotionPacket"),
                **_conflict(
                    "A section changed meanwhile ('conflicts'), or the packet is no "
                    "longer a draft; nothing was written."
                ),
            },
            errors=_CHANGE,
            body=UPDATE,
            parameters=[_PACKET_ID],
            description="The author and the person's manager (other readers 403). Every "
            "section names the version its text was written on (required: a missing, null "
            "or non-integer version is a 422). Sections are locked one by one: edits of "
            "different sections never conflict. 422 'fields' are keyed by section key. "
            "The answer carries the section versions and the packet version this save "
            "produced, even when another save has landed since.",
        ),
    },
    "/promotions/{packet_id}/submit": {
        "post": operation(
            "submitPromotion",
            "Submit a draft to the author's manager",
            tag="promotions",
            ok={
                **ok("PromotionPacket"),
                **_conflict("Not a draft, or the version is stale."),
            },
            errors=_CHANGE,
            body=SUBMIT,
            parameters=[_PACKET_ID],
            description="The author and the person's manager; 'version' is the packet's "
            "(required). Required sections without evidence answer 422 with 'fields' "
            "keyed by section key.",
        )
    },
    "/promotions/{packet_id}/decision": {
        "post": operation(
            "decidePromotion",
            "Approve or decline a submitted packet",
            tag="promotions",
            ok={
                **ok("PromotionPacket"),
                **_conflict("Not submitted, or the version is stale."),
            },
            errors=_CHANGE,
            body=DECIDE,
            parameters=[_PACKET_ID],
            description="The author's own manager or an admin, never the author, the "
            "person or the person's current manager (other readers 403). 'version' is "
            "required. Declining needs a comment (422). Approving changes the person's level "
            "to the packet's target from 'effective_on' (today by default): their level "
            "history gets a 'promoted' span, and a later day takes effect on that day.",
        )
    },
    "/promotions/{packet_id}/withdraw": {
        "post": operation(
            "withdrawPromotion",
            "Withdraw an open (draft or submitted) packet",
            tag="promotions",
            ok={
                **ok("PromotionPacket"),
                **_conflict("Not open (already decided or withdrawn), or the version is stale."),
            },
            errors=_CHANGE,
            body=WITHDRAW,
            parameters=[_PACKET_ID],
            description="The author, the person's manager and admins, never the person "
            "(other readers 403). 'version' is required. A new packet can then be started "
            "for the person.",
        )
    },
    "/promotions/{packet_id}/document.pdf": {
        "get": operation(
            "getPromotionPdf",
            "A promotion packet as a PDF",
            tag="promotions",
            ok={
                "200": {
                    "description": "The PDF, as an attachment.",
                    "headers": {"ETag": {"schema": {"type": "string"}}},
                    "content": PDF,
                },
                "304": {"description": "The caller's copy (If-None-Match) is current."},
                "400": error_response("'paper' is neither a4 nor letter."),
            },
            errors=("Unauthorized", "NotFound"),
            parameters=[
                _PACKET_ID,
                {
                    "name": "paper",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(PAPERS), "default": "a4"},
                },
            ],
            description="Whoever may read the packet.",
        )
    },
}
