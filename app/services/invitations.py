"""Interview invitations: the calendar file of an interview, and the messages that keep
the interviewers' calendars (and, when the scheduler chooses, the candidate's) right.

Which messages a change sends is decided by :mod:`pipelines.interview_invitations`; this
module writes them (an e-mail with its ``.ics`` per person) and adds them to the outbox
in the session of the change. The caller commits: a change that does not commit sends
nothing.

The interviewers' event has the UID ``interview-<id>@hireladder``; the candidate's, which
lists only the candidate and carries no internal link, ``interview-<id>-candidate@hireladder``.
Both take the interview's ``ics_sequence``, which rises with every change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.db import db
from app.hiring import ics
from app.models import (
    Application,
    Candidate,
    Interview,
    OutboxAttachment,
    OutboxMessage,
    Requisition,
    User,
)
from app.notifications.smtp import Attachment
from app.services import outbox
from app.services.errors import ServiceError
from app.services.plans import plan_for
from pipelines.interview_invitations import Arrangement, Messages, Method, Reason
from pipelines.plan import PlannedStage

INTERVIEWER_KIND = "interview_invitation"
CANDIDATE_KIND = "candidate_interview"


def uid_of(interview_id: int) -> str:
    return f"interview-{interview_id}@hireladder"


def candidate_uid_of(interview_id: int) -> str:
    return f"interview-{interview_id}-candidate@hireladder"


def filename_of(interview_id: int) -> str:
    return f"interview-{interview_id}.ics"


def arrangement_of(interview: Interview) -> Arrangement:
    """The interview as its calendar event says it (``interviewers`` must be loaded)."""
    return Arrangement(
        starts_at=interview.starts_at,
        duration_minutes=interview.duration_minutes,
        location=interview.location,
        interviewer_ids=tuple(sorted(seat.user_id for seat in interview.interviewers)),
        cancelled=interview.cancelled_at is not None,
    )


def candidate_invited(interview_id: int) -> bool:
    """Whether the candidate's calendar holds the interview: the last message to the
    candidate about it was an invitation, not a cancellation."""
    content_type = db.session.scalar(
        select(OutboxAttachment.content_type)
        .join(OutboxMessage, OutboxMessage.id == OutboxAttachment.message_id)
        .where(
            OutboxMessage.kind == CANDIDATE_KIND,
            OutboxMessage.object_type == "interview",
            OutboxMessage.object_id == interview_id,
        )
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return content_type is not None and f"method={Method.REQUEST.value}" in content_type


@dataclass(frozen=True)
class Subject:
    """What every message about one interview names: read once per change."""

    interview_id: int
    candidate: Candidate
    requisition: Requisition
    organizer: User
    stage: PlannedStage


def subject_of(interview_id: int, application: Application, stage_id: str) -> Subject:
    requisition = db.session.get(Requisition, application.requisition_id)
    candidate = db.session.get(Candidate, application.candidate_id)
    assert requisition is not None and candidate is not None
    organizer = db.session.get(User, requisition.hiring_manager_id)
    assert organizer is not None
    return Subject(
        interview_id=interview_id,
        candidate=candidate,
        requisition=requisition,
        organizer=organizer,
        stage=plan_for(requisition).stage(stage_id),
    )


class CandidateInvitationError(ServiceError):
    """The candidate cannot be sent the invitation asked for (no time, no address)."""


def candidate_recipient(candidate: Candidate, *, required: bool) -> outbox.Recipient | None:
    """The candidate as a recipient. Without an e-mail address: a
    :class:`CandidateInvitationError` when the scheduler asked for the message
    (``required``), else None (there is nobody to tell)."""
    try:
        return outbox.to_candidate(candidate)
    except ServiceError:
        if not required:
            return None
        raise CandidateInvitationError(
            f"{candidate.name} has no e-mail address, so no invitation can be sent to them."
        ) from None


# --- calendar files ------------------------------------------------------------------


def _person(user: User) -> ics.Person:
    return (user.display_name, user.email)


def scorecard_url(interview_id: int) -> str:
    return outbox.external_url("hiring.scorecard", interview_id=interview_id)


def interviewer_calendar(
    subject: Subject,
    arrangement: Arrangement,
    *,
    method: Method,
    attendees: Sequence[User],
    sequence: int,
    now: datetime,
) -> str:
    """The interviewers' ``.ics``: everyone on it as attendees, the scorecard linked."""
    assert arrangement.starts_at is not None
    stage, requisition = subject.stage, subject.requisition
    return ics.interview_invitation(
        uid=uid_of(subject.interview_id),
        start=arrangement.starts_at,
        duration_minutes=arrangement.duration_minutes,
        summary=f"{stage.name}: {subject.candidate.name} ({requisition.title})",
        description=(
            f"{stage.name} with {subject.candidate.name} for {requisition.title}.\n"
            f"Scorecard: {scorecard_url(subject.interview_id)}"
        ),
        organizer=_person(subject.organizer),
        attendees=[_person(user) for user in attendees],
        location=arrangement.location,
        sequence=sequence,
        now=now,
        method=method.value,
    )


def candidate_calendar(
    subject: Subject, arrangement: Arrangement, *, method: Method, sequence: int, now: datetime
) -> str:
    """The candidate's ``.ics``: the candidate the only attendee, no internal link."""
    assert arrangement.starts_at is not None and subject.candidate.email
    stage, requisition = subject.stage, subject.requisition
    return ics.interview_invitation(
        uid=candidate_uid_of(subject.interview_id),
        start=arrangement.starts_at,
        duration_minutes=arrangement.duration_minutes,
        summary=f"{stage.name}: {requisition.title}",
        description=(
            f"Your {stage.name.lower()} for the {requisition.title} role "
            f"({arrangement.duration_minutes} minutes)."
        ),
        organizer=_person(subject.organizer),
        attendees=[(subject.candidate.name, subject.candidate.email)],
        location=arrangement.location,
        sequence=sequence,
        now=now,
        method=method.value,
    )


def calendar_file(interview: Interview, application: Application, now: datetime) -> str:
    """The interviewers' ``.ics`` of the interview as it is now (a CANCEL once it is
    cancelled), for download. ``interviewers`` with their users must be loaded; the
    interview must have a time."""
    subject = subject_of(interview.id, application, interview.stage_id)
    arrangement = arrangement_of(interview)
    return interviewer_calendar(
        subject,
        arrangement,
        method=Method.CANCEL if arrangement.cancelled else Method.REQUEST,
        attendees=[seat.user for seat in interview.interviewers],
        sequence=interview.ics_sequence,
        now=now,
    )


# --- messages ------------------------------------------------------------------------


def _context(subject: Subject, arrangement: Arrangement, reason: Reason) -> dict[str, Any]:
    assert arrangement.starts_at is not None
    return {
        "reason": reason.value,
        "update": reason is Reason.UPDATED,
        "cancelled": reason.method is Method.CANCEL,
        "candidate_name": subject.candidate.name,
        "role": subject.requisition.title,
        "stage_name": subject.stage.name,
        "starts_at": arrangement.starts_at,
        "ends_at": arrangement.starts_at + timedelta(minutes=arrangement.duration_minutes),
        "duration_minutes": arrangement.duration_minutes,
        "location": arrangement.location,
        "organizer_name": subject.organizer.display_name,
    }


def _zone_of(recipient: outbox.Recipient) -> str:
    return recipient.zone or current_app.config["DEFAULT_TIMEZONE"]


def queue_messages(
    subject: Subject,
    messages: Messages,
    *,
    before: Arrangement | None,
    after: Arrangement,
    people: dict[int, User],
    candidate: outbox.Recipient | None,
    sequence: int,
    now: datetime,
) -> int:
    """Add the messages of a change to the session; returns how many were queued (a
    person who turned invitations off gets none)."""
    queued = 0
    about = ("interview", subject.interview_id)
    filename = filename_of(subject.interview_id)
    for user_id, reason in messages.interviewers:
        method = reason.method
        shown = after if method is Method.REQUEST else before
        assert shown is not None
        if reason is Reason.REMOVED:
            attendee_ids: Iterable[int] = (user_id,)
        else:
            attendee_ids = shown.interviewer_ids
        recipient = outbox.to_user(people[user_id])
        text = interviewer_calendar(
            subject,
            shown,
            method=method,
            attendees=[people[i] for i in attendee_ids],
            sequence=sequence,
            now=now,
        )
        context = {
            **_context(subject, shown, reason),
            "interviewer_names": [people[i].display_name for i in shown.interviewer_ids],
            "scorecard_url": scorecard_url(subject.interview_id),
            "zone_name": _zone_of(recipient),
        }
        message = outbox.queue(
            INTERVIEWER_KIND,
            recipient,
            context,
            about=about,
            attachments=[
                Attachment(filename, ics.content_type(method.value), text.encode("utf-8"))
            ],
        )
        queued += message is not None
    if messages.candidate is not None and candidate is not None:
        reason = messages.candidate
        method = reason.method
        shown = after if method is Method.REQUEST else before
        assert shown is not None
        text = candidate_calendar(subject, shown, method=method, sequence=sequence, now=now)
        message = outbox.queue(
            CANDIDATE_KIND,
            candidate,
            {
                **_context(subject, shown, reason),
                "recruiter_name": _recruiter_name(subject.requisition),
                "zone_name": _zone_of(candidate),
            },
            about=about,
            attachments=[
                Attachment(filename, ics.content_type(method.value), text.encode("utf-8"))
            ],
        )
        queued += message is not None
    return queued


def _recruiter_name(requisition: Requisition) -> str:
    recruiter = db.session.get(User, requisition.recruiter_id)
    return recruiter.display_name if recruiter is not None else ""


def people_of(*arrangements: Arrangement | None) -> dict[int, User]:
    """The users named by the arrangements, in one query."""
    ids = {i for a in arrangements if a is not None for i in a.interviewer_ids}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
