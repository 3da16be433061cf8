"""The end of the process in the OpenAPI document: the written assessment by e-mail, the
reference check, and the retired single-move offer and hire (:mod:`app.hiring.process_api`;
offers with terms are :mod:`app.hiring.offer_openapi`).

A part of its own (beside :mod:`app.hiring.openapi`, whose tags it uses) so that the
operations that finish the process are read together.
"""

from __future__ import annotations

from typing import Any

from app.api.bodies import Body
from app.api.schema import error_response, nullable, obj, ok, operation
from app.hiring import bodies
from app.hiring.openapi import APPLICATION_ID, MOVE, MOVES

TAGS: tuple[str, ...] = ()

SCHEMAS: dict[str, Any] = {
    "MessagePreview": obj(
        {
            "to": obj(
                {
                    "name": nullable("string"),
                    "address": {"type": "string"},
                    "timezone": nullable(
                        "string",
                        description="The zone the message's times are written in; null: "
                        "the installation's default.",
                    ),
                }
            ),
            "from": {"type": "string"},
            "subject": {"type": "string"},
            "text": {"type": "string"},
            "html": {"type": "string"},
            "message": nullable(
                "string",
                description="The decline message's own text (the default when none was "
                "given): change it and send it back as 'message'. null for the assessment.",
            ),
        },
        description="A message to the candidate as it would be sent; nothing was sent.",
    ),
}


#: What the retired endpoints accept: nothing is read (the answer is 410 whatever is sent).
RETIRED = Body((), description="Not read: the endpoint is retired.")

RULES = (
    "A stale version answers 409 'Changed meanwhile' (with current_version); a move the "
    "rules refuse answers 409 'Not possible now', the detail saying which rule."
)

PATHS: dict[str, Any] = {
    "/applications/{application_id}/assessment": {
        "post": operation(
            "sendAssessment",
            "E-mail the written assessment to the candidate",
            tag="applications",
            ok={
                **ok("Application", "Sent: the message to the candidate is queued", "201"),
                **ok("MessagePreview", "With 'preview': true, the message; nothing sent"),
            },
            errors=MOVE,
            body=bodies.ASSESSMENT,
            parameters=[APPLICATION_ID],
            description="Recruiters and admins (the hiring manager: 403). A private link that "
            "works once, until it expires, is e-mailed to the candidate: the message is "
            "queued in the same transaction as the invitation. The link is never in the "
            "answer (only the candidate gets it); 'assessment' in the application says when "
            "it was sent, until when it works and when the answers came in. Refused (409) "
            "unless the application is active at the written assessment stage, while an "
            "earlier link still works or was answered, and for a candidate without an e-mail "
            f"address (erased). Audited (application.assessment_sent). {RULES}",
        )
    },
    "/applications/{application_id}/references": {
        "post": operation(
            "recordReferences",
            "Record the reference check's outcome",
            tag="applications",
            ok=ok("Application"),
            errors=MOVE,
            body=bodies.REFERENCES,
            parameters=[APPLICATION_ID],
            description=f"{MOVES} At the reference and background check only (else 409); "
            "the offer needs it passed. Audited (application.references_outcome, before and "
            f"after). {RULES}",
        )
    },
    "/applications/{application_id}/offer": {
        "post": {
            **operation(
                "makeOffer",
                "Retired: draft an offer with POST /applications/{application_id}/offers",
                tag="applications",
                ok={"410": error_response("Retired; the detail names the endpoint to use.")},
                errors=("Unauthorized", "NotFound"),
                body=RETIRED,
                parameters=[APPLICATION_ID],
                description="Retired (410 Gone for anyone who sees the application, 404 for "
                "anyone else): an offer has terms (level, start date, compensation) and is "
                "drafted from the hiring manager's hire decision with POST "
                "/applications/{application_id}/offers, then extended and answered.",
            ),
            "deprecated": True,
        }
    },
    "/applications/{application_id}/hire": {
        "post": {
            **operation(
                "hireApplication",
                "Retired: mark an accepted offer hired with POST /offers/{offer_id}/hire",
                tag="applications",
                ok={"410": error_response("Retired; the detail names the endpoint to use.")},
                errors=("Unauthorized", "NotFound"),
                body=RETIRED,
                parameters=[APPLICATION_ID],
                description="Retired (410 Gone for anyone who sees the application, 404 for "
                "anyone else): the hire follows an accepted offer, POST /offers/{offer_id}/hire, "
                "which also makes or links the new member's account.",
            ),
            "deprecated": True,
        }
    },
}
