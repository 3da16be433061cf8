"""The careers site: publishing a requisition's posting, its recruiter-written text, and
applications made on it by candidates who have no account.

The posting's text beyond the recruiter's fields comes from the ladder
(:func:`pipelines.postings.build_posting`); nothing here stores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.clock import utcnow
from app.ladder_access import get_ladder
from app.models import Candidate, Requisition, User
from app.services import audit, hiring
from app.services.errors import ServiceError, commit_or_conflict, stale
from pipelines.postings import (
    MAX_INTRO,
    MAX_LOCATION,
    EmploymentType,
    Posting,
    PostingFields,
    build_posting,
    publish_problems,
)
from pipelines.sources import ApplicationSource

#: The audit channel of what candidates do on the careers site themselves.
CAREERS_CHANNEL = "careers"


class PostingError(ServiceError):
    """A posting change refused because of one field (``field`` names it)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def fields_of(requisition: Requisition) -> PostingFields:
    return PostingFields(
        intro=requisition.posting_intro,
        location=requisition.posting_location,
        remote=bool(requisition.posting_remote),
        employment_type=requisition.employment_type or EmploymentType.FULL_TIME,
        valid_through=requisition.posting_valid_through,
    )


def posting_of(requisition: Requisition) -> Posting:
    """The requisition's posting, derived from the ladder as loaded now."""
    return build_posting(
        get_ladder(),
        posting_id=requisition.id,
        title=requisition.title,
        level_id=requisition.level_id,
        specialty_id=requisition.specialty_id,
        fields=fields_of(requisition),
        published_at=requisition.published_at,
    )


def _check_version(requisition: Requisition, expected: int | None) -> None:
    if expected is not None and requisition.version != expected:
        raise stale("This requisition")


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def check_fields(fields: PostingFields) -> None:
    """PostingError for a field beyond its limit."""
    if fields.intro is not None and len(fields.intro) > MAX_INTRO:
        raise PostingError("posting_intro", f"The intro is at most {MAX_INTRO} characters.")
    if fields.location is not None and len(fields.location) > MAX_LOCATION:
        raise PostingError("posting_location", f"At most {MAX_LOCATION} characters.")


def update_posting(
    requisition: Requisition,
    fields: PostingFields,
    *,
    expected_version: int | None,
    actor: User,
    channel: str = "web",
) -> Requisition:
    """Save the posting's own text (intro, location, remote, employment type, last day).

    A published posting keeps what publishing needs: a location, a last day not past."""
    _check_version(requisition, expected_version)
    fields = PostingFields(
        intro=_clean(fields.intro),
        location=_clean(fields.location),
        remote=fields.remote,
        employment_type=EmploymentType(fields.employment_type),
        valid_through=fields.valid_through,
    )
    check_fields(fields)
    if requisition.published_at is not None:
        _refuse(publish_problems(fields, today=utcnow().date()))
    before = fields_of(requisition)
    changed = sorted(
        name
        for name in ("intro", "location", "remote", "employment_type", "valid_through")
        if getattr(before, name) != getattr(fields, name)
    )
    if not changed:
        return requisition
    requisition.posting_intro = fields.intro
    requisition.posting_location = fields.location
    requisition.posting_remote = fields.remote
    requisition.employment_type = fields.employment_type
    requisition.posting_valid_through = fields.valid_through
    audit.record(
        "requisition.posting",
        actor=actor,
        channel=channel,
        object_type="requisition",
        object_id=requisition.id,
        # The posting's text is public, not personal: which fields changed is enough.
        summary={"changed": changed},
    )
    commit_or_conflict("This requisition")
    return requisition


def _refuse(problems: dict[str, str]) -> None:
    for field, message in problems.items():
        raise PostingError(field, message)


def publish(
    requisition: Requisition, *, expected_version: int | None, actor: User, channel: str = "web"
) -> Requisition:
    """Show the posting on the careers site (an open requisition only)."""
    _check_version(requisition, expected_version)
    if not requisition.status.takes_candidates:
        raise PostingError(
            "published",
            f"This requisition is {requisition.status.label.lower()}; only an open "
            "requisition can be published.",
        )
    _refuse(publish_problems(fields_of(requisition), today=utcnow().date()))
    if requisition.published_at is not None:
        return requisition
    requisition.published_at = utcnow()
    audit.record(
        "requisition.publish",
        actor=actor,
        channel=channel,
        object_type="requisition",
        object_id=requisition.id,
    )
    commit_or_conflict("This requisition")
    return requisition


def unpublish(
    requisition: Requisition, *, expected_version: int | None, actor: User, channel: str = "web"
) -> Requisition:
    """Take the posting off the careers site."""
    _check_version(requisition, expected_version)
    if requisition.published_at is None:
        return requisition
    requisition.published_at = None
    audit.record(
        "requisition.unpublish",
        actor=actor,
        channel=channel,
        object_type="requisition",
        object_id=requisition.id,
    )
    commit_or_conflict("This requisition")
    return requisition


# --- applying --------------------------------------------------------------------------


class Outcome(StrEnum):
    """What became of an application on the careers site (never shown to the applicant:
    every outcome answers the same page)."""

    NEW_CANDIDATE = "new_candidate"
    KNOWN_CANDIDATE = "known_candidate"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Applicant:
    name: str
    email: str
    phone: str | None
    links: tuple[str, ...]
    note: str | None
    consent_version: str
    consent_on: date


def apply(
    requisition: Requisition, applicant: Applicant, cv_file: hiring.PendingCv | None
) -> Outcome:
    """A candidate's own application (no signed-in actor): a new candidate, or a new
    application of the candidate with this e-mail address; a second application to the
    same requisition changes nothing.

    A known candidate's record is kept as it is (an anonymous form cannot change someone's
    name, phone or CV); the uploaded CV and links are added only where the record has none.
    """
    if requisition.published_at is None or not requisition.status.takes_candidates:
        raise ServiceError("This position is no longer open for applications.")
    outcome = Outcome.KNOWN_CANDIDATE
    candidate = hiring.current_candidate(applicant.email)
    if candidate is None:
        try:
            candidate = hiring.add_candidate(
                hiring.CandidateDetails(
                    name=applicant.name,
                    email=applicant.email,
                    phone=applicant.phone,
                    consent_on=applicant.consent_on,
                    consent_version=applicant.consent_version,
                    links=applicant.links,
                ),
                actor=None,
                cv_file=cv_file,
                channel=CAREERS_CHANNEL,
            )
            outcome = Outcome.NEW_CANDIDATE
        except hiring.DuplicateCandidateError as exc:
            # Sent at the same moment as another application with this address.
            candidate = exc.existing
    if outcome is Outcome.KNOWN_CANDIDATE:
        if hiring.application_of(candidate.id, requisition.id) is not None:
            return Outcome.DUPLICATE
        _complete_known(candidate, applicant, cv_file)
    try:
        hiring.open_application(
            candidate,
            requisition,
            actor=None,
            channel=CAREERS_CHANNEL,
            acknowledge=True,
            source=ApplicationSource.CAREERS_SITE,
            candidate_note=applicant.note,
        )
    except hiring.DuplicateApplicationError:
        return Outcome.DUPLICATE
    return outcome


def _complete_known(
    candidate: Candidate, applicant: Applicant, cv_file: hiring.PendingCv | None
) -> None:
    """Fill what a known candidate's record lacks (a CV, links); change nothing else."""
    missing_cv = candidate.cv_key is None and cv_file is not None
    missing_links = not candidate.links and bool(applicant.links)
    if not (missing_cv or missing_links):
        return
    kept = cv_file.keep() if missing_cv and cv_file is not None else None
    if kept is not None:
        hiring.set_cv(candidate, kept)
    if missing_links:
        candidate.links = list(applicant.links)
    audit.record(
        "candidate.completed",
        actor=None,
        channel=CAREERS_CHANNEL,
        object_type="candidate",
        object_id=candidate.id,
        summary={"cv": kept is not None, "links": missing_links},
    )
    try:
        commit_or_conflict("This candidate")
    except BaseException:
        if kept is not None and cv_file is not None:
            cv_file.discard(kept.key)
        raise


__all__ = [
    "CAREERS_CHANNEL",
    "Applicant",
    "Outcome",
    "PostingError",
    "apply",
    "fields_of",
    "posting_of",
    "publish",
    "unpublish",
    "update_posting",
]
