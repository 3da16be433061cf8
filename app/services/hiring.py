"""Hiring: requisitions, candidates and applications moving through their pipeline.

The rules live in ``pipelines``; this module loads what they need from the database,
applies their decisions, records the transition and the audit row, and commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from app.clock import utcnow
from app.db import db, in_parameter
from app.ladder_access import get_ladder
from app.models import (
    Application,
    Candidate,
    Interview,
    InterviewInterviewer,
    Offer,
    Requisition,
    Role,
    Scorecard,
    StageTransition,
    User,
)
from app.services import audit, cancellations, candidate_messages, referral_messages
from app.services.errors import (
    ServiceError,
    commit_or_conflict,
    flush_or_conflict,
    is_write_conflict,
    stale,
)
from app.services.plans import plan_for
from ladder.model import Level
from ladder.resolve import (
    SpecialtyNotApplicableError,
    UnknownSpecialtyError,
    specialty_for,
    specialty_labels,
)
from pipelines import applications as machine
from pipelines.applications import ApplicationState, ApplicationStatus, Moved, StageEvidence
from pipelines.errors import PipelineError
from pipelines.offers import OPEN_OFFER_STATUSES
from pipelines.plan import PipelinePlan, StageKind
from pipelines.privacy import CONSENT_TEXTS, CURRENT_CONSENT_VERSION
from pipelines.requisitions import RequisitionStatus
from pipelines.scorecards import Rating, ScorecardSummary
from pipelines.sources import ApplicationSource
from pipelines.timezones import zone_problem

T = TypeVar("T")


class DuplicateApplicationError(ServiceError):
    """The candidate is already in the requisition's pipeline: ``existing_id`` is that
    application."""

    def __init__(self, candidate_name: str, existing_id: int) -> None:
        super().__init__(
            f"{candidate_name} is already in this requisition's pipeline "
            f"(application {existing_id})."
        )
        self.existing_id = existing_id


class DuplicateCandidateError(ServiceError):
    def __init__(self, existing: Candidate) -> None:
        super().__init__(
            f"A candidate with the e-mail address {existing.email or ''} already exists: "
            f"{existing.name}. Add the existing candidate instead."
        )
        self.existing = existing


def _check_version(obj: Requisition | Application | Candidate, expected: int | None) -> None:
    if expected is not None and obj.version != expected:
        raise stale(f"This {type(obj).__name__.lower()}")


# --- requisitions -----------------------------------------------------------------


def hiring_level(level_id: str, specialty_id: str | None) -> Level:
    """The level a requisition hires for, checked against the ladder."""
    ladder = get_ladder()
    level = ladder.levels_by_id.get(level_id)
    if level is None:
        raise ServiceError(f"The ladder has no level {level_id!r}.")
    if level.defined_elsewhere:
        raise ServiceError(
            f"{level.title} is only named on this ladder (defined elsewhere); "
            "choose a level whose responsibilities and requirements the ladder holds."
        )
    if specialty_id:
        try:
            specialty_for(ladder, level_id, specialty_id)
        except UnknownSpecialtyError as exc:
            label = dict(specialty_labels(ladder)).get(specialty_id)
            if label is None:
                raise ServiceError(f"The ladder has no specialty {specialty_id!r}.") from None
            names = ", ".join(s.title for s in exc.family.specialties) or "none"
            raise ServiceError(
                f"The {label} specialty does not apply to {level.title}; the specialties "
                f"of {exc.family.title}: {names}."
            ) from None
        except SpecialtyNotApplicableError as exc:
            raise ServiceError(
                f"The {exc.specialty.title} specialty does not apply to {level.title}."
            ) from None
    return level


def _check_people(hiring_manager: User, recruiter: User) -> None:
    if not hiring_manager.active or not hiring_manager.has_role(Role.HIRING_MANAGER):
        raise ServiceError(f"{hiring_manager.display_name} is not an active hiring manager.")
    if not recruiter.active or not recruiter.has_role(Role.RECRUITER):
        raise ServiceError(f"{recruiter.display_name} is not an active recruiter.")


def create_requisition(
    *,
    title: str,
    level_id: str,
    specialty_id: str | None,
    hiring_manager: User,
    recruiter: User,
    headcount: int,
    actor: User,
    channel: str = "web",
) -> Requisition:
    level = hiring_level(level_id, specialty_id or None)
    _check_people(hiring_manager, recruiter)
    if headcount < 1:
        raise ServiceError("Headcount must be at least 1.")
    requisition = Requisition(
        title=title.strip() or level.title,
        level_id=level.id,
        specialty_id=specialty_id or None,
        hiring_manager_id=hiring_manager.id,
        recruiter_id=recruiter.id,
        headcount=headcount,
        status=RequisitionStatus.OPEN,
        ladder_version=get_ladder().version,
    )
    db.session.add(requisition)
    db.session.flush()
    audit.record(
        "requisition.create",
        actor=actor,
        channel=channel,
        object_type="requisition",
        object_id=requisition.id,
        summary={
            "level_id": level.id,
            "specialty_id": specialty_id or None,
            "hiring_manager_id": hiring_manager.id,
            "recruiter_id": recruiter.id,
            "headcount": headcount,
        },
    )
    db.session.commit()
    return requisition


def update_requisition(
    requisition: Requisition,
    *,
    title: str,
    level_id: str,
    specialty_id: str | None,
    hiring_manager: User,
    recruiter: User,
    headcount: int,
    status: RequisitionStatus | str,
    expected_version: int,
    actor: User,
    channel: str = "web",
) -> Requisition:
    _check_version(requisition, expected_version)
    if status not in RequisitionStatus.__members__.values():
        raise ServiceError(f"Unknown status {status!r}.")
    status = RequisitionStatus(status)
    if level_id != requisition.level_id or (specialty_id or None) != requisition.specialty_id:
        hiring_level(level_id, specialty_id or None)
        has_applications = db.session.scalar(
            select(Application.id).where(Application.requisition_id == requisition.id).limit(1)
        )
        if has_applications:
            raise ServiceError(
                "The level and specialty cannot change once candidates are in the pipeline; "
                "close this requisition and open a new one."
            )
    _check_people(hiring_manager, recruiter)
    if headcount < 1:
        raise ServiceError("Headcount must be at least 1.")
    before = {
        "title_changed": False,
        "level_id": requisition.level_id,
        "specialty_id": requisition.specialty_id,
        "hiring_manager_id": requisition.hiring_manager_id,
        "recruiter_id": requisition.recruiter_id,
        "headcount": requisition.headcount,
        "status": requisition.status,
    }
    after = {
        "title_changed": title.strip() != requisition.title,
        "level_id": level_id,
        "specialty_id": specialty_id or None,
        "hiring_manager_id": hiring_manager.id,
        "recruiter_id": recruiter.id,
        "headcount": headcount,
        "status": status,
    }
    summary = audit.changes(before, after)
    if not summary:
        return requisition
    requisition.title = title.strip() or requisition.title
    requisition.level_id = level_id
    requisition.specialty_id = specialty_id or None
    requisition.hiring_manager_id = hiring_manager.id
    requisition.recruiter_id = recruiter.id
    requisition.headcount = headcount
    requisition.status = status
    audit.record(
        "requisition.update",
        actor=actor,
        channel=channel,
        object_type="requisition",
        object_id=requisition.id,
        summary=summary,
    )
    commit_or_conflict("This requisition")
    return requisition


# --- candidates -------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateDetails:
    name: str
    email: str
    phone: str | None = None
    location: str | None = None
    source: str | None = None
    consent_on: date | None = None
    #: The consent text agreed to; the current one when consent is given without a version.
    consent_version: str | None = None
    #: An IANA zone for the times in messages to the candidate; None: the default zone.
    timezone: str | None = None
    #: Links the candidate gave (a profile, a portfolio).
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredCv:
    key: str
    kind: str
    size: int
    sha256: str
    #: The CV's text, for search (None: none could be read from it).
    text: str | None = None


class PendingCv(Protocol):
    """A checked CV upload not written anywhere yet.

    :func:`add_candidate` keeps it only once the candidate's row exists, and discards it
    again when the row does not commit, so a refused candidate leaves no file behind.
    """

    def keep(self) -> StoredCv: ...

    def discard(self, key: str) -> None: ...


def consent_version_for(consent_on: date | None, version: str | None) -> str | None:
    """The version to store with a consent date; ServiceError for an unknown one."""
    if consent_on is None:
        return None
    version = (version or "").strip() or CURRENT_CONSENT_VERSION
    if version not in CONSENT_TEXTS:
        known = ", ".join(sorted(CONSENT_TEXTS))
        raise ServiceError(f"Unknown consent text version {version!r} (known: {known}).")
    return version


def _zone_or_none(name: str | None) -> str | None:
    """A time zone as stored: stripped, None when empty; ServiceError for an unknown one."""
    problem = zone_problem(name)
    if problem:
        raise ServiceError(problem)
    return (name or "").strip() or None


def set_candidate_timezone(
    candidate: Candidate,
    zone_name: str | None,
    *,
    actor: User,
    expected_version: int | None,
    channel: str = "web",
) -> Candidate:
    """Set the zone the candidate's messages are written in (None: the default zone)."""
    _check_version(candidate, expected_version)
    if candidate.erased_at is not None:
        raise ServiceError("This candidate's personal data is erased.")
    stored = _zone_or_none(zone_name)
    if stored == candidate.timezone:
        return candidate
    before = candidate.timezone
    candidate.timezone = stored
    db.session.flush()
    audit.record(
        "candidate.timezone",
        actor=actor,
        channel=channel,
        object_type="candidate",
        object_id=candidate.id,
        # A zone says where someone is: only whether it was set.
        summary={"was_set": before is not None, "is_set": stored is not None},
    )
    commit_or_conflict("This candidate")
    return candidate


def set_cv(candidate: Candidate, cv: StoredCv) -> None:
    candidate.cv_key, candidate.cv_kind = cv.key, cv.kind
    candidate.cv_size, candidate.cv_sha256 = cv.size, cv.sha256
    candidate.cv_text = cv.text


#: Store a kept CV on a candidate (the referral service adds one to a record without).


def find_candidate(email: str) -> Candidate | None:
    return db.session.scalar(select(Candidate).where(Candidate.email == email.strip().lower()))


def current_candidate(email: str) -> Candidate | None:
    """The record a new application by this e-mail address belongs to: a record merged
    into another stands for the one it was merged into (it is hidden from every list)."""
    candidate = find_candidate(email)
    if candidate is not None and candidate.merged_into_id is not None:
        candidate = db.session.get(Candidate, candidate.merged_into_id) or candidate
    return candidate


def add_candidate(
    details: CandidateDetails,
    *,
    actor: User | None,
    cv: StoredCv | None = None,
    cv_file: PendingCv | None = None,
    channel: str = "web",
) -> Candidate:
    """Add a candidate. A CV given as ``cv_file`` is written only after the row exists
    (a duplicate e-mail address stores nothing) and removed when the commit fails.

    ``actor`` None: the candidate themself, applying on the careers site."""
    email = details.email.strip().lower()
    existing = find_candidate(email)
    if existing is not None:
        raise DuplicateCandidateError(existing)
    consent_version = consent_version_for(details.consent_on, details.consent_version)
    zone_name = _zone_or_none(details.timezone)
    candidate = Candidate(
        name=details.name.strip(),
        email=email,
        phone=(details.phone or "").strip() or None,
        location=(details.location or "").strip() or None,
        source=(details.source or "").strip() or None,
        consent_on=details.consent_on,
        consent_version=consent_version,
        timezone=zone_name,
        created_by_id=actor.id if actor is not None else None,
        links=list(details.links) or None,
    )
    if cv is not None:
        set_cv(candidate, cv)
    db.session.add(candidate)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        again = find_candidate(email)
        if again is not None:
            raise DuplicateCandidateError(again) from None
        raise
    kept: StoredCv | None = None
    if cv_file is not None:
        try:
            kept = cv_file.keep()
        except BaseException:
            db.session.rollback()
            raise
        set_cv(candidate, kept)
    audit.record(
        "candidate.create",
        actor=actor,
        channel=channel,
        object_type="candidate",
        object_id=candidate.id,
        summary={
            "cv": cv is not None or kept is not None,
            "source": candidate.source,
            "consent_version": consent_version,
        },
    )
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if kept is not None:
            cv_file.discard(kept.key)  # type: ignore[union-attr]
        raise
    return candidate


# --- applications -----------------------------------------------------------------


def requisition_of(application: Application) -> Requisition:
    """The application's requisition (from the session when it is loaded already)."""
    requisition = db.session.get(Requisition, application.requisition_id)
    assert requisition is not None
    return requisition


def state_of(application: Application) -> ApplicationState:
    return ApplicationState(
        stage_id=application.stage_id,
        status=application.status,
        overridden=frozenset(application.overridden or ()),
        reason=application.decline_reason,
    )


def _actor(user: User | None, requisition: Requisition) -> machine.Actor:
    """The pipeline's actor; None is the candidate applying on the careers site."""
    if user is None:
        return machine.Actor(id=None)
    return machine.Actor(id=user.id, is_hiring_manager=user.id == requisition.hiring_manager_id)


def open_application(
    candidate: Candidate,
    requisition: Requisition,
    *,
    actor: User | None,
    at: datetime | None = None,
    channel: str = "web",
    attempts: int = 3,
    acknowledge: bool = False,
    source: ApplicationSource = ApplicationSource.SOURCED,
    referrer: User | None = None,
    referral_note: str | None = None,
    referred_name: str | None = None,
    candidate_note: str | None = None,
) -> Application:
    """Put the candidate into the requisition's pipeline, once: a second application, also
    one sent at the same moment as the first, is a DuplicateApplicationError naming it.

    ``acknowledge``: the candidate applied on the careers site and gets a message saying
    the application was received (queued with it: no application, no message).
    ``source`` says where the application came from; a referral names its ``referrer``
    (and only a referral does). ``actor`` None: the candidate, on the careers site.
    """
    if (source is ApplicationSource.REFERRAL) != (referrer is not None):
        raise ServiceError("A referral, and only a referral, names the person who referred.")
    if candidate.erased_at is not None:
        raise ServiceError(
            f"{candidate.name}'s personal data is erased; an erased candidate cannot be put "
            "into a pipeline again. Add them as a new candidate if they apply again."
        )
    if not requisition.status.takes_candidates:
        raise ServiceError(
            f"This requisition is {requisition.status.label.lower()}; "
            "candidates can only be added while it is open."
        )
    candidate_id, requisition_id, name = candidate.id, requisition.id, candidate.name
    exists = application_of(candidate_id, requisition_id)
    if exists is not None:
        raise DuplicateApplicationError(name, exists)
    plan = plan_for(requisition)
    moved = machine.open_application(plan, actor=_actor(actor, requisition), at=at or utcnow())
    application = Application(
        candidate_id=candidate_id,
        requisition_id=requisition_id,
        stage_id=moved.state.stage_id,
        status=moved.state.status,
        entered_stage_at=moved.transition.at,
        overridden=[],
        ladder_version=get_ladder().version,
        source=source,
        referrer_id=referrer.id if referrer is not None else None,
        referral_note=(referral_note or "").strip() or None,
        referred_name=(referred_name or "").strip() or None,
        candidate_note=(candidate_note or "").strip() or None,
    )
    try:
        db.session.add(application)
        db.session.flush()
        _record(
            application,
            moved,
            channel=channel,
            extra={
                "source": source.value,
                **({"referrer_id": referrer.id} if referrer is not None else {}),
            },
        )
        if acknowledge:
            candidate_messages.queue_application_received(
                application, plan, received_at=moved.transition.at
            )
        db.session.commit()
    except (IntegrityError, OperationalError) as exc:
        # Another request added the same application first: the unique constraint refused
        # this one (PostgreSQL), or SQLite refused the write of a stale snapshot, maybe
        # before the other write committed.
        db.session.rollback()
        if isinstance(exc, OperationalError) and not is_write_conflict(exc):
            raise
        existing = _after_other_writers(lambda: application_of(candidate_id, requisition_id))
        if existing is not None:
            raise DuplicateApplicationError(name, existing) from None
        if attempts <= 1:
            raise stale("This requisition's pipeline") from None
        # Another write (not this application) made SQLite's snapshot stale: try again.
        return open_application(
            candidate,
            requisition,
            actor=actor,
            at=at,
            channel=channel,
            attempts=attempts - 1,
            acknowledge=acknowledge,
            source=source,
            referrer=referrer,
            referral_note=referral_note,
            referred_name=referred_name,
            candidate_note=candidate_note,
        )
    return application


def _after_other_writers(read: Callable[[], T]) -> T:
    """``read()`` once the writer that beat this request has committed. SQLite may refuse
    a stale write while the other writer is still at work; taking the write lock first (a
    write that changes nothing waits, up to the busy timeout, for it) makes the read see
    what it wrote. PostgreSQL reports the unique violation only after that commit."""
    try:
        if db.session.get_bind().dialect.name == "sqlite":
            db.session.execute(text("UPDATE applications SET id = id WHERE 0 = 1"))
        return read()
    finally:
        db.session.rollback()


def application_of(candidate_id: int, requisition_id: int) -> int | None:
    return db.session.scalar(
        select(Application.id).where(
            Application.candidate_id == candidate_id,
            Application.requisition_id == requisition_id,
        )
    )


def evidence_for(application: Application) -> dict[str, StageEvidence]:
    """What the application has to show, per stage, from the database."""
    return evidences_for([application], plan_for(requisition_of(application)))[application.id]


@dataclass(frozen=True)
class Seat:
    """One interviewer's seat at an interview, with the state of their scorecard."""

    interview_id: int
    application_id: int
    stage_id: str
    cancelled: bool
    user_id: int | None  # None: an interview nobody sits on
    name: str | None
    submitted: bool
    recommendation: str | None


#: The seats at some applications' interviews, and their scorecards (built once: a board
#: asks for them on every view).
_SEATS = (
    select(
        Interview.id,
        Interview.application_id,
        Interview.stage_id,
        Interview.cancelled_at,
        InterviewInterviewer.user_id,
        User.display_name,
    )
    .outerjoin(InterviewInterviewer, InterviewInterviewer.interview_id == Interview.id)
    .outerjoin(User, User.id == InterviewInterviewer.user_id)
    .where(in_parameter(Interview.application_id, "ids"))
    .order_by(Interview.id, InterviewInterviewer.user_id)
)
_SEAT_CARDS = select(
    Scorecard.interview_id,
    Scorecard.interviewer_id,
    Scorecard.submitted_at,
    Scorecard.recommendation,
).where(in_parameter(Scorecard.interview_id, "ids"))


def interview_seats(application_ids: Sequence[int]) -> list[Seat]:
    """Every seat at the applications' interviews (by interview, then interviewer) with
    its scorecard's state, in two queries of the columns needed, whatever their number."""
    if not application_ids:
        return []
    rows = db.session.execute(_SEATS, {"ids": list(application_ids)}).all()
    interview_ids = sorted({row[0] for row in rows})
    cards: dict[tuple[int, int], tuple[datetime | None, str | None]] = {
        (interview_id, interviewer_id): (submitted_at, recommendation)
        for interview_id, interviewer_id, submitted_at, recommendation in (
            db.session.execute(_SEAT_CARDS, {"ids": interview_ids}) if interview_ids else []
        )
    }
    seats = []
    for interview_id, application_id, stage_id, cancelled_at, user_id, name in rows:
        submitted_at, recommendation = cards.get((interview_id, user_id or 0), (None, None))
        seats.append(
            Seat(
                interview_id=interview_id,
                application_id=application_id,
                stage_id=stage_id,
                cancelled=cancelled_at is not None,
                user_id=user_id,
                name=name,
                submitted=submitted_at is not None,
                recommendation=recommendation,
            )
        )
    return seats


def scorecard_progress(seats: Sequence[Seat]) -> dict[tuple[int, str], tuple[int, int]]:
    """``(application, stage) -> (interviewers, submitted scorecards)`` of the interviews
    not called off (what a board's card shows)."""
    progress: dict[tuple[int, str], tuple[int, int]] = {}
    for seat in seats:
        if seat.cancelled or seat.user_id is None:
            continue
        key = (seat.application_id, seat.stage_id)
        seated, done = progress.get(key, (0, 0))
        progress[key] = (seated + 1, done + seat.submitted)
    return progress


def evidences_for(
    applications: Sequence[Application],
    plan: PipelinePlan,
    seats: Sequence[Seat] | None = None,
) -> dict[int, dict[str, StageEvidence]]:
    """:func:`evidence_for` of applications of one requisition (its ``plan``), from their
    ``seats`` (:func:`interview_seats`, read here when not given)."""
    if seats is None:
        seats = interview_seats([a.id for a in applications])
    # Per interview, its seats; the latest interview of a stage gives its evidence.
    by_interview: dict[int, tuple[int, str, list[ScorecardSummary]]] = {}
    for seat in seats:
        _, _, summaries = by_interview.setdefault(
            seat.interview_id, (seat.application_id, seat.stage_id, [])
        )
        if seat.user_id is None:
            continue
        summaries.append(
            ScorecardSummary(
                interviewer_id=seat.user_id,
                submitted=seat.submitted,
                recommendation=Rating(seat.recommendation) if seat.recommendation else None,
                stage_id=seat.stage_id,
                interviewer_name=seat.name,
            )
        )
    scored: dict[int, dict[str, StageEvidence]] = defaultdict(dict)
    for application_id, stage_id, summaries in by_interview.values():
        scored[application_id][stage_id] = StageEvidence(scorecards=tuple(summaries))
    return {a.id: _stage_evidence(a, plan, scored[a.id]) for a in applications}


def move_on_offers(
    applications: Sequence[Application],
    requisition: Requisition,
    user: User,
    seats: Sequence[Seat] | None = None,
) -> dict[int, machine.MoveOnOffer | None]:
    """For each application (of ``requisition``), whether ``user`` can move it on now, and
    the rule that refuses it otherwise (what the board and the application page offer).
    ``seats``: the applications' interview seats when the caller has read them already."""
    plan = plan_for(requisition)
    active = [a for a in applications if a.status is ApplicationStatus.ACTIVE]
    evidences = evidences_for(active, plan, seats) if active else {}
    who, now = _actor(user, requisition), utcnow()
    return {
        a.id: machine.move_on_offer(
            plan, state_of(a), actor=who, at=now, evidence=evidences.get(a.id)
        )
        for a in applications
    }


def _stage_evidence(
    application: Application, plan: PipelinePlan, scored: dict[str, StageEvidence]
) -> dict[str, StageEvidence]:
    # The interview stages' evidence is their scorecards (``scored``); a stage without an
    # entry has none yet, as the pipeline's rules read a mapping. The other kinds' evidence
    # is the application's own columns.
    evidence = dict(scored)
    for stage in plan.stages:
        kind = stage.kind
        if kind is StageKind.RECRUITER_SCREEN:
            evidence[stage.id] = StageEvidence(screen_passed=application.screen_passed)
        elif kind is StageKind.WRITTEN_ASSESSMENT:
            evidence[stage.id] = StageEvidence(
                assessment_sent=application.assessment_sent_at is not None,
                assessment_received=application.assessment_received_at is not None,
            )
        elif kind is StageKind.REFERENCES:
            evidence[stage.id] = StageEvidence(references_passed=application.references_passed)
    return evidence


def _record(
    application: Application,
    moved: Moved,
    *,
    channel: str,
    extra: dict[str, object] | None = None,
) -> None:
    t = moved.transition
    db.session.add(
        StageTransition(
            application_id=application.id,
            action=t.action,
            actor_id=t.actor_id,
            at=t.at,
            from_status=t.from_status,
            from_stage=t.from_stage,
            to_status=t.to_status,
            to_stage=t.to_stage,
            reason=t.reason,
            note=t.note,
            overridden=list(t.overridden),
        )
    )
    # The audit row names stages and statuses only: reasons and notes are about a person.
    audit.record(
        f"application.{t.action.value}",
        actor=db.session.get(User, t.actor_id) if t.actor_id is not None else None,
        channel=channel,
        object_type="application",
        object_id=application.id,
        summary={
            "stage": {"before": t.from_stage, "after": t.to_stage},
            "status": {
                "before": t.from_status.value if t.from_status else None,
                "after": t.to_status.value,
            },
            **({"overridden": list(t.overridden)} if t.overridden else {}),
            **(extra or {}),
        },
    )


def _apply(
    application: Application,
    moved: Moved,
    *,
    channel: str,
    extra: dict[str, object] | None = None,
) -> None:
    state = moved.state
    before = application.status
    if state.stage_id != application.stage_id or state.status is not application.status:
        application.entered_stage_at = moved.transition.at
    application.stage_id = state.stage_id
    application.status = state.status
    application.overridden = sorted(state.overridden)
    _record(application, moved, channel=channel, extra=extra)
    if application.referrer_id is not None and state.status is not before:
        # The referrer hears of a hire or of the end of the process (queued with it).
        referral_messages.queue_outcome(application, before)
    if state.status in _ENDED_BY_PEOPLE and state.status is not before:
        # Interviews still to come are called off: the interviewers get a CANCEL (queued
        # with the change), rather than meeting nobody.
        flush_or_conflict("This application")  # a stale application stops here, cleanly
        cancellations.cancel_upcoming(
            application,
            actor=db.session.get(User, moved.transition.actor_id),
            channel=channel,
            now=utcnow(),
            why=state.status.value,
        )


#: The ends of an application that call off its interviews still to come.
_ENDED_BY_PEOPLE = frozenset({ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN})


def advance_application(
    application: Application,
    *,
    actor: User,
    expected_version: int | None,
    override_reason: str | None = None,
    at: datetime | None = None,
    channel: str = "web",
) -> Application:
    """Move to the next stage (into references after the last interview). The offer is
    not a move on: it is drafted with its terms (:mod:`app.services.offers`)."""
    _check_version(application, expected_version)
    requisition = requisition_of(application)
    plan = plan_for(requisition)
    state = state_of(application)
    if state.status is ApplicationStatus.ACTIVE and (
        machine.next_move(plan, state) is machine.Action.MAKE_OFFER
    ):
        raise ServiceError(
            f"{plan.stage(state.stage_id).name} is the last stage: the offer is drafted with "
            "its terms (level, start date, compensation) on the application's offer form, "
            "once the hiring manager's hire decision is recorded."
        )
    who = _actor(actor, requisition)
    when = at or utcnow()
    moved = machine.move_on(
        plan,
        state,
        actor=who,
        at=when,
        evidence=evidence_for(application),
        override_reason=override_reason,
    )
    _apply(application, moved, channel=channel)
    commit_or_conflict("This application")
    return application


def decline_application(
    application: Application,
    *,
    actor: User,
    reason_code: str,
    note: str | None,
    expected_version: int | None,
    at: datetime | None = None,
    channel: str = "web",
    message: str | None = None,
) -> Application:
    """Decline at the current stage. ``message``: the text the recruiter wrote (and
    confirmed) for the candidate, queued with the decline; the reason and the note stay
    internal and are never put into it."""
    _check_version(application, expected_version)
    reason = machine.decline_reason(reason_code, note)
    recipient = text = None
    if message is not None:
        text = candidate_messages.decline_text(message)
        candidate = db.session.get(Candidate, application.candidate_id)
        assert candidate is not None
        recipient = candidate_messages.recipient_of(candidate, for_what="a decline message")
    requisition = requisition_of(application)
    moved = machine.decline(
        plan_for(requisition),
        state_of(application),
        actor=_actor(actor, requisition),
        at=at or utcnow(),
        reason=reason,
        note=note,
    )
    application.decline_reason = reason
    application.decline_note = (note or "").strip() or None
    _apply(application, moved, channel=channel, extra={"message_to_candidate": text is not None})
    if recipient is not None and text is not None:
        candidate_messages.queue_decline(application, recipient=recipient, text=text)
    commit_or_conflict("This application")
    return application


def withdraw_application(
    application: Application,
    *,
    actor: User,
    reason: str | None,
    expected_version: int | None,
    at: datetime | None = None,
    channel: str = "web",
) -> Application:
    _check_version(application, expected_version)
    if application.status is ApplicationStatus.OFFER and has_open_offer(application.id):
        raise ServiceError(
            "An offer is open: record the candidate's answer on it (a declined offer ends "
            "the application) or withdraw the offer first."
        )
    requisition = requisition_of(application)
    moved = machine.withdraw(
        plan_for(requisition),
        state_of(application),
        actor=_actor(actor, requisition),
        at=at or utcnow(),
        reason=reason,
    )
    application.decline_note = (reason or "").strip() or None
    _apply(application, moved, channel=channel)
    commit_or_conflict("This application")
    return application


def has_open_offer(application_id: int) -> bool:
    """Whether the application has an offer not yet accepted, declined or withdrawn."""
    found = db.session.scalar(
        select(Offer.id)
        .where(Offer.application_id == application_id, Offer.status.in_(OPEN_OFFER_STATUSES))
        .limit(1)
    )
    return found is not None


def _record_outcome(
    application: Application,
    *,
    kind: StageKind,
    field: str,
    passed: bool,
    actor: User,
    expected_version: int | None,
    refusal: str,
    channel: str,
) -> Application:
    """Record a stage's own outcome (the screen, the reference check) on the application."""
    _check_version(application, expected_version)
    stage = plan_for(requisition_of(application)).stage(application.stage_id)
    if application.status is not ApplicationStatus.ACTIVE or stage.kind is not kind:
        raise ServiceError(refusal)
    before = getattr(application, field)
    setattr(application, field, passed)
    audit.record(
        f"application.{field.removesuffix('_passed')}_outcome",
        actor=actor,
        channel=channel,
        object_type="application",
        object_id=application.id,
        summary={field: {"before": before, "after": passed}},
    )
    commit_or_conflict("This application")
    return application


def record_screen_outcome(
    application: Application,
    *,
    passed: bool,
    actor: User,
    expected_version: int | None,
    channel: str = "web",
) -> Application:
    return _record_outcome(
        application,
        kind=StageKind.RECRUITER_SCREEN,
        field="screen_passed",
        passed=passed,
        actor=actor,
        expected_version=expected_version,
        refusal="The screen outcome can only be recorded at the recruiter screen.",
        channel=channel,
    )


def record_references_outcome(
    application: Application,
    *,
    passed: bool,
    actor: User,
    expected_version: int | None,
    channel: str = "web",
) -> Application:
    """The reference and background check's result, recorded by the recruiter or the
    hiring manager; an offer needs it passed."""
    return _record_outcome(
        application,
        kind=StageKind.REFERENCES,
        field="references_passed",
        passed=passed,
        actor=actor,
        expected_version=expected_version,
        refusal="The reference check can only be recorded while it runs.",
        channel=channel,
    )


def enter_offer(
    application: Application,
    *,
    actor: User,
    decided: bool,
    override_reason: str | None = None,
    at: datetime | None = None,
    channel: str = "web",
) -> None:
    """Move the application to "offer" as its offer is drafted (:mod:`app.services.offers`;
    the caller commits). ``decided``: the hiring manager's hire decision is recorded, so
    the recruiter may draft it; the reference check must be passed (or overridden by the
    hiring manager) either way."""
    requisition = requisition_of(application)
    moved = machine.make_offer(
        plan_for(requisition),
        state_of(application),
        actor=_actor(actor, requisition),
        at=at or utcnow(),
        evidence=evidence_for(application),
        override_reason=override_reason,
        decided=decided,
    )
    _apply(application, moved, channel=channel)


def enter_hired(
    application: Application, *, actor: User, at: datetime | None = None, channel: str = "web"
) -> None:
    """Move the application to "hired" (:func:`app.services.offers.hire`, which creates or
    links the account; the caller commits)."""
    requisition = requisition_of(application)
    moved = machine.hire(
        plan_for(requisition),
        state_of(application),
        actor=_actor(actor, requisition),
        at=at or utcnow(),
    )
    _apply(application, moved, channel=channel)


def enter_withdrawn(
    application: Application,
    *,
    actor: User,
    reason: str,
    note: str | None,
    at: datetime | None = None,
    channel: str = "web",
) -> None:
    """End the application as withdrawn because the candidate declined the offer (the
    caller commits)."""
    requisition = requisition_of(application)
    moved = machine.withdraw(
        plan_for(requisition),
        state_of(application),
        actor=_actor(actor, requisition),
        at=at or utcnow(),
        reason=reason,
    )
    application.decline_note = (note or "").strip() or reason
    _apply(application, moved, channel=channel)


__all__ = [
    "CandidateDetails",
    "DuplicateCandidateError",
    "PendingCv",
    "PipelineError",
    "StoredCv",
    "add_candidate",
    "advance_application",
    "consent_version_for",
    "create_requisition",
    "decline_application",
    "enter_hired",
    "enter_offer",
    "enter_withdrawn",
    "evidence_for",
    "find_candidate",
    "has_open_offer",
    "open_application",
    "plan_for",
    "record_references_outcome",
    "record_screen_outcome",
    "requisition_of",
    "state_of",
    "update_requisition",
    "withdraw_application",
]
