"""Offers' part of the OpenAPI document (:mod:`app.hiring.offer_api`)."""

from __future__ import annotations

from typing import Any

from app.api.schema import DATE_TIME, ID, nullable, obj, ok, operation, path_id, ref
from app.hiring.openapi import APPLICATION_ID, MOVE
from app.offers import bodies
from pipelines.offers import OfferDeclineReason, OfferMove, OfferStatus

TAGS: tuple[str, ...] = ("offers",)

WHO = (
    "Anyone who sees the application reads its offers (staff of the requisition); "
    "'compensation' is null except for the requisition's recruiter and hiring manager and "
    "admins, who also write offers (others 403). Approving and rejecting are admins'."
)
RULES = (
    "A stale version answers 409 'Changed meanwhile' (conflict 'stale', with "
    "current_version); a move the rules refuse 409 'Not possible now' (conflict 'rule'); a "
    "term that is not valid 422 naming the field."
)
MOVE_PATHS = {move: move.value.replace("_", "-") for move in OfferMove}

SCHEMAS: dict[str, Any] = {
    "Offer": obj(
        {
            "id": ID,
            "application_id": ID,
            "status": {"type": "string", "enum": [s.value for s in OfferStatus]},
            "level": obj({"id": {"type": "string"}, "title": {"type": "string"}}),
            "specialty_id": nullable("string"),
            "start_date": nullable("string", format="date"),
            "location": nullable("string"),
            "needs_approval": {"type": "boolean"},
            "approved_at": nullable("string", format="date-time"),
            "approved_by_id": nullable("integer"),
            "extended_at": nullable("string", format="date-time"),
            "responded_at": nullable("string", format="date-time"),
            "decline_reason": {
                "type": ["string", "null"],
                "enum": [*(r.value for r in OfferDeclineReason), None],
            },
            "response_note": nullable("string"),
            "created_at": DATE_TIME,
            "created_by_id": nullable("integer"),
            "hired_user_id": nullable(
                "integer", description="The account the hire made or linked."
            ),
            "compensation": {
                "oneOf": [
                    {"type": "null"},
                    obj(
                        {
                            "currency": nullable("string"),
                            "base_salary": nullable("integer"),
                            "bonus": nullable("integer"),
                            "equity": nullable("string"),
                            "note": nullable("string"),
                        }
                    ),
                ],
                "description": "null unless the caller is the requisition's recruiter or "
                "hiring manager or an admin.",
            },
            "moves": {
                "type": "array",
                "items": {"type": "string", "enum": [*MOVE_PATHS.values(), "hire"]},
                "description": "What the caller may do with the offer now.",
            },
            "history": {
                "type": "array",
                "items": obj(
                    {
                        "at": DATE_TIME,
                        "what": {"type": "string"},
                        "by": nullable("string"),
                        "fields": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "For a change of terms: the fields changed.",
                        },
                    }
                ),
            },
            "version": {
                "type": "integer",
                "description": "Send it back as 'version' with a change to refuse lost updates.",
            },
        }
    ),
    "OfferList": obj({"items": {"type": "array", "items": ref("Offer")}}),
}

OFFER_ID = path_id("offer_id", "An offer of an application the caller sees.")
READ = ("Unauthorized", "NotFound")

_MOVE_TEXT = {
    OfferMove.ASK_APPROVAL: "Ask an admin's approval (a draft that needs it).",
    OfferMove.APPROVE: "Approve (admins; an offer awaiting approval).",
    OfferMove.REJECT: "Reject: back to draft (admins; an offer awaiting approval).",
    OfferMove.EXTEND: "Extend to the candidate: a draft that needs no approval, or an approved "
    "offer; needs a start date not in the past.",
    OfferMove.ACCEPT: "Record that the candidate accepted (an extended offer).",
    OfferMove.DECLINE: "Record that the candidate declined, with a reason: the application "
    "ends as withdrawn with that reason.",
    OfferMove.WITHDRAW: "Withdraw the offer (any offer not yet answered); the application "
    "stays at 'offer', where a new offer may be drafted.",
}
_MOVE_BODIES = {
    OfferMove.ASK_APPROVAL: bodies.OFFER_MOVE,
    OfferMove.APPROVE: bodies.OFFER_MOVE,
    OfferMove.REJECT: bodies.OFFER_MOVE,
    OfferMove.EXTEND: bodies.OFFER_MOVE,
    OfferMove.ACCEPT: bodies.OFFER_ANSWER,
    OfferMove.DECLINE: bodies.OFFER_DECLINE,
    OfferMove.WITHDRAW: bodies.OFFER_ANSWER,
}


def _move_id(move: OfferMove) -> str:
    return "offer" + "".join(part.capitalize() for part in move.value.split("_"))


PATHS: dict[str, Any] = {
    "/applications/{application_id}/offers": {
        "get": operation(
            "listOffers",
            "The application's offers, newest first",
            tag="offers",
            ok=ok("OfferList"),
            errors=READ,
            parameters=[APPLICATION_ID],
            description=f"{WHO} Audited as a read (candidate.view, page 'offers').",
        ),
        "post": operation(
            "createOffer",
            "Draft an offer from the hire decision",
            tag="offers",
            ok=ok("Offer", "Drafted", "201"),
            errors=MOVE,
            body=bodies.OFFER,
            parameters=[APPLICATION_ID],
            description="Needs the hiring manager's hire decision (409 otherwise); the level "
            "and specialty are the decision's unless others are named within the leveling "
            "rules. The first offer moves the application to 'offer', at the reference check "
            "once it is passed ('override_reason': the hiring manager's override). At most one "
            "open offer per application; after a withdrawn one a new one may follow, after a "
            f"declined one not (the application ended). Audited (offer.create). {WHO} {RULES}",
        ),
    },
    "/offers/{offer_id}": {
        "get": operation(
            "getOffer",
            "An offer",
            tag="offers",
            ok=ok("Offer"),
            errors=READ,
            parameters=[OFFER_ID],
            description=f"{WHO} Audited as a read (candidate.view, page 'offers').",
        ),
        "patch": operation(
            "updateOffer",
            "Change a draft's terms",
            tag="offers",
            ok=ok("Offer"),
            errors=MOVE,
            body=bodies.OFFER_EDIT,
            parameters=[OFFER_ID],
            description="Only the fields sent change; a draft only (409 otherwise). Audited "
            f"(offer.update) with the names of the fields changed, never the figures. {WHO} "
            f"{RULES}",
        ),
    },
    **{
        f"/offers/{{offer_id}}/{path}": {
            "post": operation(
                _move_id(move),
                _MOVE_TEXT[move].split(" (")[0].split(":")[0].rstrip("."),
                tag="offers",
                ok=ok("Offer"),
                errors=MOVE,
                body=_MOVE_BODIES[move],
                parameters=[OFFER_ID],
                description=f"{_MOVE_TEXT[move]} Audited (offer.{move.value}). {WHO} {RULES}",
            )
        }
        for move, path in MOVE_PATHS.items()
    },
    "/offers/{offer_id}/hire": {
        "post": operation(
            "offerHire",
            "Mark the candidate of an accepted offer hired",
            tag="offers",
            ok=ok("Offer"),
            errors=MOVE,
            body=bodies.HIRE,
            parameters=[OFFER_ID],
            description="The start date is the offer's unless given. The account with the "
            "candidate's e-mail address is linked, or a new one is made (team member, no "
            "password: a welcome message with a link to choose one is queued); its level and "
            "specialty are the offer's from the start date (level history, reason 'hired'), "
            "its manager the requisition's hiring manager. The application is hired; the "
            "requisition is filled when its hires reach its headcount. Audited (offer.hire, "
            f"user.level, application.hire). {WHO} {RULES}",
        )
    },
}
