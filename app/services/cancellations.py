"""Calling interviews off: the interview leaves every calendar it was sent to (a CANCEL to
each interviewer, and to the candidate if they were invited), queued and audited in the
caller's transaction. Used when someone cancels an interview, and when an application
ends (declined, withdrawn) with interviews still to come.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.db import db
from app.models import Application, Candidate, Interview, Scorecard, User
from app.services import audit, invitations
from pipelines.interview_invitations import cancellation


def call_off(
    interview: Interview,
    application: Application,
    *,
    actor: User | None,
    channel: str,
    moment: datetime,
    why: str | None = None,
) -> None:
    """Cancel without committing: the CANCELs are queued and the audit row written in the
    caller's transaction."""
    before = invitations.arrangement_of(interview)
    invited = invitations.candidate_invited(interview.id)
    messages = cancellation(before, candidate_invited=invited)
    candidate_to = None
    if messages.candidate is not None:
        candidate = db.session.get(Candidate, application.candidate_id)
        assert candidate is not None
        candidate_to = invitations.candidate_recipient(candidate, required=False)
    interview.cancelled_at = moment
    interview.ics_sequence += 1
    db.session.flush()
    queued = invitations.queue_messages(
        invitations.subject_of(interview.id, application, interview.stage_id),
        messages,
        before=before,
        after=before,
        people=invitations.people_of(before),
        candidate=candidate_to,
        sequence=interview.ics_sequence,
        now=moment,
    )
    audit.record(
        "interview.cancel",
        actor=actor,
        channel=channel,
        object_type="interview",
        object_id=interview.id,
        summary={
            "application_id": application.id,
            "stage": interview.stage_id,
            "had_time": before.starts_at is not None,
            "sequence": interview.ics_sequence,
            "messages": queued,
            "candidate_told": candidate_to is not None,
            **({"because": why} if why else {}),
        },
    )


def cancel_upcoming(
    application: Application, *, actor: User | None, channel: str, now: datetime, why: str
) -> int:
    """Call off the application's interviews still to come (the candidate was declined or
    withdrew): each interviewer, and the candidate if invited, gets a CANCEL, queued in
    the caller's transaction. An interview with a submitted scorecard, or one whose time
    has passed, stays as it is. The number called off."""
    upcoming = db.session.scalars(
        select(Interview)
        .where(
            Interview.application_id == application.id,
            Interview.cancelled_at.is_(None),
            or_(Interview.starts_at.is_(None), Interview.starts_at > now),
            ~select(Scorecard.id)
            .where(Scorecard.interview_id == Interview.id, Scorecard.submitted_at.is_not(None))
            .exists(),
        )
        .options(selectinload(Interview.interviewers))
        .order_by(Interview.id)
    ).all()
    for interview in upcoming:
        call_off(interview, application, actor=actor, channel=channel, moment=now, why=why)
    return len(upcoming)


__all__ = ["call_off", "cancel_upcoming"]
