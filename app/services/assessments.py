"""The written assessment: a private link for the candidate that expires and works once.

The questions come from :mod:`pipelines.assessment` and are stored with the invitation, so a
later change to the ladder does not change what the candidate was asked. Only the sha256 of
the link's token is stored; the raw token is returned once, for the recruiter to copy, and
(when the recruiter sends it by e-mail) written into the candidate's message, queued in the
same transaction as the invitation.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.clock import utcnow
from app.db import db
from app.ladder_access import get_ladder
from app.models import Application, AssessmentInvitation, Candidate, Requisition, User
from app.services import audit, candidate_messages, outbox
from app.services.errors import ServiceError, commit_or_conflict, stale
from app.services.hiring import plan_for, requisition_of, state_of
from pipelines.applications import ApplicationStatus, check_can_send_assessment
from pipelines.assessment import InvitationStatus, assessment_questions
from pipelines.assessment import invitation_status as pure_invitation_status

DEFAULT_VALIDITY = timedelta(days=7)
MAX_ANSWER_LENGTH = 10_000
#: Longer than any token this module issues; longer strings are not looked up.
MAX_TOKEN_LENGTH = 100


class AlreadyAnsweredError(ServiceError):
    """The link was used: the answers are in, and it does not work again."""


class InvitationClosedError(ServiceError):
    """The link expired, or the application no longer takes answers."""


class AnswersRejected(ServiceError):
    """Some answers are missing or too long; ``problems`` maps answer index to message."""

    def __init__(self, problems: dict[int, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def latest_invitation(application: Application) -> AssessmentInvitation | None:
    """The application's most recent invitation, if any was sent."""
    return db.session.scalar(
        select(AssessmentInvitation)
        .where(AssessmentInvitation.application_id == application.id)
        .order_by(AssessmentInvitation.sent_at.desc(), AssessmentInvitation.id.desc())
        .limit(1)
    )


def invitation_status(invitation: AssessmentInvitation, now: datetime) -> InvitationStatus:
    application = db.session.get(Application, invitation.application_id)
    return pure_invitation_status(
        answered=invitation.used_at is not None,
        application_active=application is not None
        and application.status is ApplicationStatus.ACTIVE,
        expires_at=invitation.expires_at,
        now=now,
    )


def role_title(invitation: AssessmentInvitation) -> str:
    """The requisition's title: the only thing about the application the candidate sees."""
    title = db.session.scalar(
        select(Requisition.title)
        .join(Application, Application.requisition_id == Requisition.id)
        .where(Application.id == invitation.application_id)
    )
    return title or ""


def _sendable(
    application: Application,
    requisition: Requisition,
    *,
    now: datetime,
    valid_for: timedelta,
    by_email: bool,
) -> tuple[outbox.Recipient | None, list[str], AssessmentInvitation | None]:
    """The checks of :func:`send_assessment`: the recipient (with ``by_email``), the
    questions and the previous invitation, or ServiceError/PipelineError saying why not."""
    if valid_for <= timedelta(0):
        raise ServiceError("The link must be valid for some time.")
    recipient = None
    if by_email:
        candidate = db.session.get(Candidate, application.candidate_id)
        assert candidate is not None
        recipient = candidate_messages.recipient_of(candidate, for_what="the written assessment")
    check_can_send_assessment(plan_for(requisition), state_of(application))
    previous = latest_invitation(application)
    if previous is not None and previous.used_at is not None:
        raise ServiceError(
            f"The candidate's answers were already received on {_day(previous.used_at)}; "
            "the written assessment is not sent again."
        )
    if previous is not None and previous.expires_at > now:
        raise ServiceError(
            f"A written assessment link was already sent on {_day(previous.sent_at)} and is "
            f"valid until {_day(previous.expires_at)}. A new link can be sent once it expires."
        )
    questions = assessment_questions(get_ladder(), requisition.level_id, requisition.specialty_id)
    if not questions:
        raise ServiceError(
            "The ladder holds no requirements or competencies for this level, so the written "
            "assessment has nothing to ask."
        )
    return recipient, [question.text for question in questions], previous


def preview_email(
    application: Application,
    *,
    sender: User,
    now: datetime | None = None,
    valid_for: timedelta = DEFAULT_VALIDITY,
    expected_version: int | None = None,
) -> tuple[outbox.Recipient, outbox.Rendered]:
    """The message :func:`send_assessment` with ``by_email`` would queue now, the link aside
    (:data:`~app.services.candidate_messages.PREVIEW_LINK` stands for it), after the same
    checks; nothing is written."""
    if expected_version is not None and application.version != expected_version:
        raise stale("This application")
    now = now or utcnow()
    _sendable(application, requisition_of(application), now=now, valid_for=valid_for, by_email=True)
    return candidate_messages.render_assessment_link(
        application, sender=sender, expires_at=now + valid_for
    )


def send_assessment(
    application: Application,
    *,
    actor: User,
    now: datetime | None = None,
    valid_for: timedelta = DEFAULT_VALIDITY,
    expected_version: int | None = None,
    channel: str = "web",
    by_email: bool = False,
) -> tuple[AssessmentInvitation, str]:
    """Create the candidate's link; returns the invitation and the raw token (never stored).

    With ``by_email`` the link is also e-mailed to the candidate (queued with the
    invitation: both commit or neither does).

    Refused unless the application is at the written assessment stage (after a passed
    screen), and while an earlier link is still valid or was answered; with ``by_email``,
    also when the candidate has no e-mail address.
    """
    if expected_version is not None and application.version != expected_version:
        raise stale("This application")
    now = now or utcnow()
    # The requisition stays referenced (so in the session's identity map) until the commit:
    # the message's rendering reads it again, and a new SELECT would flush too early.
    requisition = requisition_of(application)
    recipient, questions, previous = _sendable(
        application, requisition, now=now, valid_for=valid_for, by_email=by_email
    )
    raw = secrets.token_urlsafe(32)
    invitation = AssessmentInvitation(
        application_id=application.id,
        token_hash=_digest(raw),
        sent_by_id=actor.id,
        sent_at=now,
        expires_at=now + valid_for,
        questions=questions,
        answers=None,
    )
    db.session.add(invitation)
    application.assessment_sent_at = now
    if recipient is not None:
        candidate_messages.queue_assessment_link(
            application,
            recipient=recipient,
            sender=actor,
            token=raw,
            expires_at=invitation.expires_at,
        )
    audit.record(
        "application.assessment_sent",
        actor=actor,
        channel=channel,
        object_type="application",
        object_id=application.id,
        summary={
            "questions": len(questions),
            "expires_at": invitation.expires_at.isoformat(),
            "replaces_expired_link": previous is not None,
            "emailed": recipient is not None,
        },
    )
    commit_or_conflict("This application")
    return invitation, raw


def load_invitation(raw_token: str) -> AssessmentInvitation | None:
    """The invitation a link's token names, whatever its status; ``None`` for an unknown one."""
    if not raw_token or len(raw_token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.scalar(
        select(AssessmentInvitation).where(AssessmentInvitation.token_hash == _digest(raw_token))
    )


def answer_problems(question_count: int, answers: list[str]) -> dict[int, str]:
    """Per answer index, what is wrong with it (empty when all can be accepted)."""
    problems: dict[int, str] = {}
    for index in range(question_count):
        text = answers[index] if index < len(answers) else ""
        if not text.strip():
            problems[index] = f"Answer question {index + 1}."
        elif len(text) > MAX_ANSWER_LENGTH:
            problems[index] = (
                f"Shorten the answer to question {index + 1} to at most "
                f"{MAX_ANSWER_LENGTH:,} characters (it has {len(text):,})."
            )
    if len(answers) > question_count:
        problems[question_count] = f"There are only {question_count} questions to answer."
    return problems


def _clean(answer: str) -> str:
    return answer.replace("\r\n", "\n").replace("\r", "\n").strip()


def submit_answers(
    invitation: AssessmentInvitation,
    answers: list[str],
    now: datetime | None = None,
    *,
    channel: str = "web",
) -> None:
    """Store the candidate's answers on the invitation and mark the application received.

    Works once: the invitation is marked used by a conditional UPDATE, so of two submissions
    racing on the same link exactly one gets through.
    """
    now = now or utcnow()
    status = invitation_status(invitation, now)
    if status is InvitationStatus.ANSWERED:
        raise AlreadyAnsweredError(
            "Your answers were already received. The link works once, so nothing was changed."
        )
    if status is InvitationStatus.EXPIRED:
        raise InvitationClosedError(
            f"This link expired on {_day(invitation.expires_at)}. "
            "Contact the recruiter if you would like a new one."
        )
    if status is InvitationStatus.CLOSED:
        raise InvitationClosedError(
            "This written assessment is no longer open. Contact the recruiter if you have "
            "questions."
        )
    cleaned = [_clean(answer) for answer in answers]
    problems = answer_problems(len(invitation.questions), cleaned)
    if problems:
        raise AnswersRejected(problems)
    invitation_id, application_id = invitation.id, invitation.application_id
    marked = db.session.execute(
        update(AssessmentInvitation)
        .where(AssessmentInvitation.id == invitation_id, AssessmentInvitation.used_at.is_(None))
        .values(used_at=now, answers=cleaned)
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise AlreadyAnsweredError(
            "Your answers were already received. The link works once, so nothing was changed."
        )
    db.session.execute(
        update(Application)
        .where(Application.id == application_id)
        .values(assessment_received_at=now, version=Application.version + 1)
        .execution_options(synchronize_session=False)
    )
    # Counts only: the answers are the candidate's own words.
    audit.record(
        "application.assessment_received",
        actor=None,
        channel=channel,
        object_type="application",
        object_id=application_id,
        summary={"invitation_id": invitation_id, "answers": len(cleaned)},
    )
    db.session.commit()


__all__ = [
    "DEFAULT_VALIDITY",
    "MAX_ANSWER_LENGTH",
    "AlreadyAnsweredError",
    "AnswersRejected",
    "InvitationClosedError",
    "InvitationStatus",
    "answer_problems",
    "invitation_status",
    "latest_invitation",
    "load_invitation",
    "preview_email",
    "role_title",
    "send_assessment",
    "submit_answers",
]
