"""JSON API for the end of the process: the written assessment by e-mail, the reference
check, and the retired single-move offer and hire (410: offers with terms are in
:mod:`app.hiring.offer_api`).

Each endpoint is the web's action through the same service (``app.services.assessments``,
``app.services.hiring``), with the same permissions: the assessment is sent by recruiters
and admins; the reference check, the offer and the hire are moves of the requisition's
staff (the pipeline's rules then say that only the hiring manager makes the offer).
Refusals as in :mod:`app.hiring.application_api`: 404 for an application the caller may not
see, 403 for a role that may never do it, 409 "Changed meanwhile" for a stale version,
409 "Not possible now" for a move the rules refuse, 422 naming the field.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, caller
from app.api.errors import ApiError, refused
from app.clock import utcnow
from app.hiring import bodies, represent
from app.hiring.access import application_or_404
from app.hiring.application_api import audit_contact_read, check_version, move
from app.models import Application, User
from app.routing import Routes
from app.services import assessments, hiring
from app.services.errors import ConflictError, ServiceError
from pipelines.errors import PipelineError

routes = Routes()

#: Said when the candidate has no e-mail address: the web can still show the link once.
NO_ADDRESS = (
    " The application's page can show the link once (“Only show me the link”) for you to "
    "pass on another way."
)


@routes.post("/applications/<int:application_id>/assessment")
@api_login_required
def application_assessment(application_id: int) -> ResponseReturnValue:
    """E-mail the written assessment's private link to the candidate (the web's "E-mail it
    to the candidate…"); the message is queued in the invitation's transaction.

    The link is never in the answer: the web shows it once to a person at a screen, who may
    pass it on by hand; an API answer lands in integration logs and stores nobody here
    controls, and the API only sends by e-mail, so the link goes to the candidate alone.
    """

    def valid_for(values: dict[str, Any]) -> timedelta:
        return timedelta(days=values["expires_in_days"])

    def run(application: Application, values: dict[str, Any], user: User) -> object:
        without_address = _without_address(application)
        try:
            return assessments.send_assessment(
                application,
                actor=user,
                valid_for=valid_for(values),
                expected_version=values["version"],
                channel="api",
                by_email=True,
            )
        except ConflictError:
            raise
        except ServiceError as exc:
            if without_address:
                raise ServiceError(f"{exc}{NO_ADDRESS}") from None
            raise

    def preview(application: Application, values: dict[str, Any], user: User) -> dict[str, Any]:
        check_version(application, values)
        try:
            recipient, rendered = assessments.preview_email(
                application, sender=user, now=utcnow(), valid_for=valid_for(values)
            )
        except (ServiceError, PipelineError) as exc:
            extra = NO_ADDRESS if _without_address(application) else ""
            raise refused(f"{exc}{extra}") from None
        audit_contact_read(application, user, "assessment_email")
        return represent.message_preview(
            recipient, rendered, sender=current_app.config["MAIL_FROM"]
        )

    return move(
        application_id,
        bodies.ASSESSMENT,
        run,
        recruiting_only=True,
        preview=preview,
        creates=True,
    )


def _without_address(application: Application) -> bool:
    candidate = application.candidate
    return bool(candidate.erased or not candidate.email)


@routes.post("/applications/<int:application_id>/references")
@api_login_required
def application_references(application_id: int) -> ResponseReturnValue:
    """Record the reference and background check's outcome (the web's "Record the reference
    check"), at that stage only."""

    def run(application: Application, values: dict[str, Any], user: User) -> object:
        return hiring.record_references_outcome(
            application,
            passed=values["passed"],
            actor=user,
            expected_version=values["version"],
            channel="api",
        )

    return move(application_id, bodies.REFERENCES, run)


def _retired(application_id: int, detail: str) -> ResponseReturnValue:
    """410: the single-move offer and hire are replaced by offers with terms (404 first for
    an application the caller may not see)."""
    application_or_404(application_id, caller())
    raise ApiError(410, detail, title="Gone")


@routes.post("/applications/<int:application_id>/offer")
@api_login_required
def application_offer(application_id: int) -> ResponseReturnValue:
    """Retired: an offer is drafted with its terms, from the hire decision, with
    POST /applications/{id}/offers."""
    return _retired(
        application_id,
        "This move is retired: draft the offer with its terms (level, start date, "
        f"compensation) with POST /api/v1/applications/{application_id}/offers, once the "
        "hiring manager's hire decision is recorded; then extend it and record the answer "
        "with POST /api/v1/offers/{offer_id}/extend and /accept.",
    )


@routes.post("/applications/<int:application_id>/hire")
@api_login_required
def application_hire(application_id: int) -> ResponseReturnValue:
    """Retired: the hire follows an accepted offer, POST /offers/{id}/hire."""
    return _retired(
        application_id,
        "This move is retired: mark an accepted offer hired with "
        "POST /api/v1/offers/{offer_id}/hire (GET "
        f"/api/v1/applications/{application_id}/offers lists the application's offers); "
        "that also makes or links the new member's account.",
    )
