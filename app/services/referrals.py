"""Referrals: a team member puts someone forward for an open requisition.

The person becomes a candidate (or, when their e-mail address is known already, the
existing record is used and left as it is), and an application with the source
"referral" and its referrer lands in the first stage. The referrer is told nothing about
an application they did not make: someone already in the pipeline is answered with
:data:`pipelines.referrals.ALREADY_CONSIDERED` only.
"""

from __future__ import annotations

from app.db import db
from app.models import Application, Requisition, User
from app.services import audit, hiring, referral_messages
from app.services.errors import ServiceError
from pipelines.referrals import ALREADY_CONSIDERED, note_problem
from pipelines.requisitions import RequisitionStatus
from pipelines.sources import ApplicationSource


class AlreadyConsideredError(ServiceError):
    """The person is already in the requisition's pipeline (nothing more is said)."""

    def __init__(self) -> None:
        super().__init__(ALREADY_CONSIDERED)


class NotOpenError(ServiceError):
    """No open requisition has this id (closed ones are answered the same way)."""

    def __init__(self, requisition_id: int) -> None:
        super().__init__(f"There is no open requisition {requisition_id}.")


def open_requisition(requisition_id: int) -> Requisition:
    requisition = db.session.get(Requisition, requisition_id)
    if requisition is None or requisition.status is not RequisitionStatus.OPEN:
        raise NotOpenError(requisition_id)
    return requisition


def refer(
    requisition: Requisition,
    *,
    name: str,
    email: str,
    note: str,
    referrer: User,
    cv_file: hiring.PendingCv | None = None,
    channel: str = "web",
) -> Application:
    """Refer ``name`` <``email``> to ``requisition``: the new application.

    A known e-mail address gets a new application on the existing record (its name and
    contact details are not changed; a CV is kept only when the record has none).
    AlreadyConsideredError when the person is already in the requisition's pipeline.
    The referrer's confirmation that the person agreed to be referred is recorded in the
    audit log; the candidate's consent to the privacy notice is not (the recruiter asks
    for it at the screen).
    """
    problem = note_problem(note)
    if problem:
        raise ServiceError(problem)
    if requisition.status is not RequisitionStatus.OPEN:
        raise NotOpenError(requisition.id)
    if not referrer.active:
        raise ServiceError("Only an active team member can refer someone.")
    candidate = hiring.current_candidate(email)
    if candidate is not None and hiring.application_of(candidate.id, requisition.id):
        raise AlreadyConsideredError()
    kept: hiring.StoredCv | None = None
    if candidate is None:
        try:
            candidate = hiring.add_candidate(
                hiring.CandidateDetails(name=name, email=email),
                actor=referrer,
                cv_file=cv_file,
                channel=channel,
            )
        except hiring.DuplicateCandidateError as exc:
            # Added by someone else at the same moment: refer that record.
            candidate = exc.existing
    elif cv_file is not None and candidate.cv_key is None and candidate.erased_at is None:
        kept = cv_file.keep()
        hiring.set_cv(candidate, kept)
    # Recorded with the application (one commit): what the referrer confirmed.
    audit.record(
        "referral.create",
        actor=referrer,
        channel=channel,
        object_type="candidate",
        object_id=candidate.id,
        summary={
            "requisition_id": requisition.id,
            "agreement_confirmed": True,
            "cv_added_to_existing": kept is not None,
        },
    )
    referral_messages.queue_received(requisition, candidate, referrer, referred_name=name)
    try:
        return hiring.open_application(
            candidate,
            requisition,
            actor=referrer,
            channel=channel,
            source=ApplicationSource.REFERRAL,
            referrer=referrer,
            referral_note=note,
            referred_name=name,
        )
    except hiring.DuplicateApplicationError:
        db.session.rollback()
        if kept is not None:
            cv_file.discard(kept.key)  # type: ignore[union-attr]
        raise AlreadyConsideredError() from None
    except BaseException:
        db.session.rollback()
        if kept is not None:
            cv_file.discard(kept.key)  # type: ignore[union-attr]
        raise
