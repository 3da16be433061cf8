"""Candidate data lifecycle: consent, export (audited), erasure and retention.

Erasure keeps the anonymous skeleton (applications, stages, dates, ratings, decisions) so
that reports stay true, and removes everything that names or describes the person: name,
contact data, the CV file, and every free text written by or about them. The rules of
retention live in :mod:`pipelines.privacy`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, delete, or_, select

from app.clock import utcnow
from app.db import db
from app.models import (
    Application,
    AssessmentInvitation,
    Candidate,
    CandidateTag,
    Interview,
    OutboxAttachment,
    OutboxMessage,
    Scorecard,
    ScorecardAmendment,
    StageTransition,
    User,
)
from app.services import audit
from app.services.errors import ServiceError, commit_or_conflict, stale
from app.services.hiring import consent_version_for
from pipelines.applications import TERMINAL_STATUSES, Action
from pipelines.privacy import (
    ApplicationFacts,
    RetentionFacts,
    due_for_erasure,
    erased_label,
    months_before,
)

log = logging.getLogger(__name__)

#: Removes a stored CV file by its key; tolerates a file that is already gone.
RemoveCv = Callable[[str], object]


class AlreadyErasedError(ServiceError):
    """The candidate's personal data is erased already; erasing again changes nothing."""

    def __init__(self, candidate: Candidate) -> None:
        super().__init__(f"{erased_label(candidate.id)} is erased already.")


def _check_version(candidate: Candidate, expected: int | None) -> None:
    if expected is not None and candidate.version != expected:
        raise stale("This candidate")


def renew_consent(
    candidate: Candidate,
    *,
    consent_on: date,
    version: str | None,
    expected_version: int | None,
    actor: User | None,
    channel: str = "web",
) -> Candidate:
    """Record consent given (or renewed) on ``consent_on`` to the text ``version``; the
    retention period runs again from that date."""
    if candidate.erased:
        raise AlreadyErasedError(candidate)
    _check_version(candidate, expected_version)
    if consent_on > utcnow().date():
        raise ServiceError("The consent date cannot be in the future.")
    stored = consent_version_for(consent_on, version)
    summary = audit.changes(
        {"consent_on": _iso(candidate.consent_on), "consent_version": candidate.consent_version},
        {"consent_on": consent_on.isoformat(), "consent_version": stored},
    )
    if not summary:
        return candidate
    candidate.consent_on = consent_on
    candidate.consent_version = stored
    audit.record(
        "candidate.consent",
        actor=actor,
        channel=channel,
        object_type="candidate",
        object_id=candidate.id,
        summary=summary,
    )
    commit_or_conflict("This candidate")
    return candidate


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def record_export(candidate: Candidate, *, actor: User, channel: str = "web") -> None:
    """Audit that ``actor`` took a copy of everything held about the candidate."""
    audit.record(
        "candidate.export",
        actor=actor,
        channel=channel,
        object_type="candidate",
        object_id=candidate.id,
        summary={"erased": candidate.erased},
    )
    db.session.commit()


@dataclass(frozen=True)
class Erased:
    """What an erasure changed, counted (never what it removed)."""

    candidate_id: int
    applications: int
    scorecards: int
    answers: int
    cv_removed: bool
    #: Messages to or about the candidate deleted, sent or not (none goes out after the
    #: erasure).
    messages: int = 0


def _delete_messages_to(candidate: Candidate) -> int:
    """Delete every message to the candidate and every message about them (an interview
    invitation or a reminder naming them, to whoever it went), with the attachments: sent
    ones hold their name, address and private links, and those still waiting must not go
    out after the erasure. Returns how many were deleted."""
    applications = select(Application.id).where(Application.candidate_id == candidate.id)
    interviews = select(Interview.id).where(Interview.application_id.in_(applications))
    concerned = or_(
        OutboxMessage.candidate_id == candidate.id,
        and_(OutboxMessage.object_type == "candidate", OutboxMessage.object_id == candidate.id),
        and_(
            OutboxMessage.object_type == "application",
            OutboxMessage.object_id.in_(applications),
        ),
        and_(OutboxMessage.object_type == "interview", OutboxMessage.object_id.in_(interviews)),
    )
    doomed = select(OutboxMessage.id).where(concerned)
    db.session.execute(
        delete(OutboxAttachment)
        .where(OutboxAttachment.message_id.in_(doomed))
        .execution_options(synchronize_session=False)
    )
    deleted = db.session.execute(
        delete(OutboxMessage).where(concerned).execution_options(synchronize_session=False)
    )
    return int(deleted.rowcount)  # type: ignore[attr-defined]


def erase_candidate(
    candidate: Candidate,
    *,
    actor: User | None,
    expected_version: int | None,
    remove_cv: RemoveCv | None,
    channel: str = "web",
) -> Erased:
    """Erase the candidate's personal data, keep the anonymous skeleton, then remove the
    CV file (after the commit: a failed commit must not lose the file of a kept row).

    A candidate erased already raises :class:`AlreadyErasedError` (the API answers 409).
    """
    if candidate.erased:
        raise AlreadyErasedError(candidate)
    _check_version(candidate, expected_version)
    cv_key = candidate.cv_key
    application_ids = list(
        db.session.scalars(select(Application.id).where(Application.candidate_id == candidate.id))
    )
    cards = answers = 0
    if application_ids:
        for application in db.session.scalars(
            select(Application).where(Application.id.in_(application_ids))
        ):
            application.decline_note = None
            # What the candidate wrote, and what a referrer wrote and called them.
            application.candidate_note = None
            application.referral_note = None
            application.referred_name = None
        for transition in db.session.scalars(
            select(StageTransition).where(StageTransition.application_id.in_(application_ids))
        ):
            transition.note = None
            # A decline's reason is a code from a fixed list (kept for reports); every other
            # reason (a withdrawal's, an override's) is free text.
            if transition.action is not Action.DECLINE:
                transition.reason = None
        interview_ids = select(Interview.id).where(Interview.application_id.in_(application_ids))
        for card in db.session.scalars(
            select(Scorecard).where(Scorecard.interview_id.in_(interview_ids))
        ):
            cards += 1
            # A submitted scorecard must keep a (now empty) note; ratings stay.
            card.notes = "" if card.submitted_at is not None else None
            card.criterion_notes = None
        card_ids = select(Scorecard.id).where(Scorecard.interview_id.in_(interview_ids))
        for amendment in db.session.scalars(
            select(ScorecardAmendment).where(ScorecardAmendment.scorecard_id.in_(card_ids))
        ):
            amendment.text = ""
        for invitation in db.session.scalars(
            select(AssessmentInvitation).where(
                AssessmentInvitation.application_id.in_(application_ids)
            )
        ):
            if invitation.answers is not None:
                answers += 1
                invitation.answers = None
    messages = _delete_messages_to(candidate)
    db.session.execute(delete(CandidateTag).where(CandidateTag.candidate_id == candidate.id))
    candidate.name = erased_label(candidate.id)
    candidate.email = None
    candidate.phone = None
    candidate.location = None
    candidate.consent_on = None
    candidate.consent_version = None
    candidate.cv_key = candidate.cv_kind = None
    candidate.cv_size = None
    candidate.cv_sha256 = None
    candidate.cv_text = None
    candidate.links = None
    candidate.notes = None
    candidate.timezone = None
    candidate.erased_at = utcnow()
    result = Erased(
        candidate_id=candidate.id,
        applications=len(application_ids),
        scorecards=cards,
        answers=answers,
        cv_removed=cv_key is not None,
        messages=messages,
    )
    audit.record(
        "candidate.erase",
        actor=actor,
        channel=channel,
        object_type="candidate",
        object_id=candidate.id,
        summary={
            "applications": result.applications,
            "scorecards": result.scorecards,
            "answers": result.answers,
            "cv": result.cv_removed,
            "messages": result.messages,
        },
    )
    commit_or_conflict("This candidate")
    if cv_key is not None and remove_cv is not None:
        try:
            remove_cv(cv_key)
        except OSError:
            # The row no longer points at the file: `flask privacy cv-cleanup` removes it.
            log.warning("CV file of erased candidate %s could not be removed", result.candidate_id)
    return result


# --- retention ----------------------------------------------------------------------


def due_candidates(*, now: datetime, months: int) -> list[Candidate]:
    """Candidates whose personal data has outlived the retention period, by id.

    SQL narrows the search to candidates created before the cutoff with no open
    application; :func:`pipelines.privacy.due_for_erasure` decides for each of them.
    """
    if months < 1:
        return []
    cutoff = months_before(now, months)
    is_open = (
        select(Application.id)
        .where(
            Application.candidate_id == Candidate.id,
            Application.status.not_in([s.value for s in TERMINAL_STATUSES]),
        )
        .exists()
    )
    candidates = db.session.scalars(
        select(Candidate)
        .where(Candidate.erased_at.is_(None), Candidate.created_at < cutoff, ~is_open)
        .order_by(Candidate.id)
    ).all()
    due: list[Candidate] = []
    for start in range(0, len(candidates), _CHUNK):
        chunk = candidates[start : start + _CHUNK]
        by_candidate: dict[int, list[ApplicationFacts]] = defaultdict(list)
        rows = db.session.execute(
            select(
                Application.candidate_id, Application.status, Application.entered_stage_at
            ).where(Application.candidate_id.in_([c.id for c in chunk]))
        )
        for candidate_id, status, since in rows:
            by_candidate[candidate_id].append(ApplicationFacts(status, since))
        due += [
            candidate
            for candidate in chunk
            if due_for_erasure(
                RetentionFacts(
                    created_at=candidate.created_at,
                    consent_on=candidate.consent_on,
                    applications=tuple(by_candidate.get(candidate.id, ())),
                ),
                now=now,
                months=months,
            )
        ]
    return due


_CHUNK = 500


@dataclass(frozen=True)
class RetentionRun:
    erased: int
    #: (candidate id, why) for each candidate whose erasure failed; a later run retries.
    failed: list[tuple[int, str]]


def run_retention(
    candidates: list[Candidate],
    *,
    remove_cv: RemoveCv | None,
    channel: str,
    after_each: Callable[[], None] | None = None,
) -> RetentionRun:
    """Erase each of ``candidates`` (from :func:`due_candidates`), one commit each; a
    failure is recorded and the run goes on."""
    erased = 0
    failed: list[tuple[int, str]] = []
    for candidate in candidates:
        candidate_id = candidate.id
        try:
            erase_candidate(
                candidate,
                actor=None,
                expected_version=None,
                remove_cv=remove_cv,
                channel=channel,
            )
        except ServiceError as exc:
            failed.append((candidate_id, str(exc)))
        else:
            erased += 1
        if after_each is not None:
            after_each()
    return RetentionRun(erased, failed)


__all__ = [
    "AlreadyErasedError",
    "Erased",
    "due_candidates",
    "erase_candidate",
    "record_export",
    "renew_consent",
    "run_retention",
]
