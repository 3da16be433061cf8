"""Messages to candidates: the written assessment's private link, the decline message a
recruiter wrote, and the acknowledgement of an application made on the careers site.

Each is queued by the service whose change causes it (:mod:`app.services.assessments`,
:mod:`app.services.hiring`), before that service commits. The functions here never
commit. The ``render_*`` functions give the message exactly as the candidate will get it,
for the recruiter to read before confirming.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from app.db import db
from app.models import Application, Candidate, OutboxMessage, Requisition, User
from app.services import outbox
from app.services.errors import ServiceError
from pipelines.messages import MessageTextError, check_message_text, paragraphs
from pipelines.plan import PipelinePlan

#: Stands for the written assessment's link in the preview: the link is made on sending.
PREVIEW_LINK = "[the private link, made when you send]"


def recipient_of(candidate: Candidate, *, for_what: str) -> outbox.Recipient:
    """The candidate as a recipient; ServiceError saying what to do when there is no
    address to write to (``for_what`` ends the sentence: "the written assessment")."""
    if candidate.erased or not candidate.email:
        raise ServiceError(
            f"{candidate.name} has no e-mail address in HireLadder, so {for_what} cannot be "
            "sent by e-mail."
        )
    return outbox.to_candidate(candidate)


def _parts(application: Application) -> tuple[Candidate, Requisition]:
    candidate = db.session.get(Candidate, application.candidate_id)
    requisition = db.session.get(Requisition, application.requisition_id)
    assert candidate is not None and requisition is not None
    return candidate, requisition


def _about(application: Application) -> tuple[str, int]:
    return ("application", application.id)


# --- the written assessment ---------------------------------------------------------


def _assessment_context(
    candidate: Candidate, requisition: Requisition, sender: User, link: str, expires_at: datetime
) -> dict[str, Any]:
    return {
        "candidate_name": candidate.name,
        "role_title": requisition.title,
        "sender_name": sender.display_name,
        "link": link,
        "expires_at": expires_at,
    }


def render_assessment_link(
    application: Application, *, sender: User, expires_at: datetime
) -> tuple[outbox.Recipient, outbox.Rendered]:
    """The message as it will go, the link aside (:data:`PREVIEW_LINK` stands for it);
    ServiceError when the candidate has no e-mail address."""
    candidate, requisition = _parts(application)
    recipient = recipient_of(candidate, for_what="the written assessment")
    context = _assessment_context(candidate, requisition, sender, PREVIEW_LINK, expires_at)
    return recipient, outbox.render("assessment_link", recipient, context)


def queue_assessment_link(
    application: Application,
    *,
    recipient: outbox.Recipient,
    sender: User,
    token: str,
    expires_at: datetime,
) -> OutboxMessage:
    """Queue the private link (the raw token goes into this message and nowhere else)."""
    candidate, requisition = _parts(application)
    link = outbox.external_url("assessment.answer", token=token)
    context = _assessment_context(candidate, requisition, sender, link, expires_at)
    message = outbox.queue("assessment_link", recipient, context, about=_about(application))
    assert message is not None  # messages to candidates have no preference that drops them
    return message


# --- the decline message ------------------------------------------------------------


def decline_default_text(application: Application, sender: User) -> str:
    """The polite default a recruiter starts from: no reason, no note, nothing internal."""
    candidate, requisition = _parts(application)
    template = current_app.jinja_env.get_template("mail/decline.default.txt")
    text = template.render(
        candidate_name=candidate.name,
        role_title=requisition.title,
        sender_name=sender.display_name,
    )
    return check_message_text(text)


def decline_text(text: str | None) -> str:
    """The recruiter's text, cleaned; ServiceError when it is empty or too long."""
    try:
        return check_message_text(text, "The message to the candidate")
    except MessageTextError as exc:
        raise ServiceError(str(exc)) from None


def _decline_context(requisition: Requisition, text: str) -> dict[str, Any]:
    return {"role_title": requisition.title, "text": text, "paragraphs": paragraphs(text)}


def render_decline(
    application: Application, text: str | None
) -> tuple[outbox.Recipient, outbox.Rendered]:
    """The decline message as the candidate will get it; ServiceError for a text that
    cannot be sent or a candidate without an e-mail address."""
    candidate, requisition = _parts(application)
    recipient = recipient_of(candidate, for_what="a decline message")
    context = _decline_context(requisition, decline_text(text))
    return recipient, outbox.render("decline", recipient, context)


def queue_decline(
    application: Application, *, recipient: outbox.Recipient, text: str
) -> OutboxMessage:
    """Queue the decline message (``text`` as checked by :func:`decline_text`)."""
    _candidate, requisition = _parts(application)
    message = outbox.queue(
        "decline", recipient, _decline_context(requisition, text), about=_about(application)
    )
    assert message is not None
    return message


# --- the acknowledgement of an application ------------------------------------------


def queue_application_received(
    application: Application, plan: PipelinePlan, *, received_at: datetime
) -> OutboxMessage | None:
    """Queue the acknowledgement of an application made on the careers site: what was
    received and the steps of the process. None when the candidate has no address."""
    candidate, requisition = _parts(application)
    if candidate.erased or not candidate.email:
        return None
    context = {
        "candidate_name": candidate.name,
        "role_title": requisition.title,
        "received_at": received_at,
        "stages": [stage.name for stage in plan.stages],
    }
    return outbox.queue(
        "application_received",
        outbox.to_candidate(candidate),
        context,
        about=_about(application),
        dedupe_key=f"application_received:{application.id}",
    )
