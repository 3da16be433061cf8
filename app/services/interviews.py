"""Interviews and scorecards: scheduling, the criteria of each scorecard, blind feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.clock import utcnow
from app.db import db
from app.ladder_access import get_ladder
from app.models import (
    Application,
    Candidate,
    Interview,
    InterviewInterviewer,
    Requisition,
    Role,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
    User,
)
from app.services import audit, cancellations, invitations
from app.services.errors import ServiceError, commit_or_conflict, stale
from app.services.hiring import plan_for, requisition_of
from pipelines import interviewers as picking
from pipelines import reminders
from pipelines.applications import ApplicationStatus
from pipelines.focus import family_focus
from pipelines.interview_invitations import Arrangement, messages_for
from pipelines.kits import clean_notes, note_field, note_problems
from pipelines.plan import PlannedStage
from pipelines.scorecards import (
    Criterion,
    InvalidScorecardError,
    ScorecardProblem,
    SubmittedScorecard,
    build_scorecard,
    criteria_for,
    notes_problems,
    parse_mark,
    parse_rating,
    side_by_side,
    visible_scorecards,
)
from pipelines.scorecards import SideBySide as SideBySideView

CandidateInvitationError = invitations.CandidateInvitationError

__all__ = [
    "CandidateInvitationError",
    "InterviewerOption",
    "InvalidScorecardError",
    "SideBySideView",
    "amend_scorecard",
    "cancel_interview",
    "criteria_of",
    "eligible_interviewers",
    "interviewer_options",
    "interviewer_refusals",
    "is_overdue",
    "save_scorecard",
    "schedule_interview",
    "scorecards_visible_to",
    "side_by_side_for",
]


def interview_stage(application: Application, stage_id: str) -> PlannedStage:
    stage = plan_for(requisition_of(application)).stage(stage_id)
    if not stage.uses_scorecards:
        raise ServiceError(f"{stage.name} is not an interview; it has no interviewers.")
    return stage


@dataclass(frozen=True)
class InterviewerOption:
    """One person the interviewer picker offers, with their level's title."""

    user: User
    suggested: bool
    level_title: str | None


def _needs(stage: PlannedStage, requisition: Requisition) -> picking.StageNeeds:
    level = get_ladder().levels_by_id.get(stage.level or "")
    return picking.StageNeeds(
        kind=stage.kind,
        conducting_level=stage.level,
        hiring_manager_id=requisition.hiring_manager_id,
        requisition_level=requisition.level_id,
        conducting_title=level.title if level is not None else None,
    )


def _person(user: User) -> picking.Person:
    return picking.Person(
        id=user.id,
        name=user.display_name,
        roles=frozenset(str(r.role) for r in user.roles),
        level_id=user.level_id,
        active=bool(user.active),
        left_on=user.left_on,
    )


def interviewer_options(stage: PlannedStage, requisition: Requisition) -> list[InterviewerOption]:
    """Everyone who may conduct the stage (:mod:`pipelines.interviewers`), the suggested
    people first, each with the title of their current level."""
    users = list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)))
    by_id = {u.id: u for u in users}
    levels = get_ladder().levels_by_id
    offers = picking.interviewer_offers(
        [_person(u) for u in users], _needs(stage, requisition), utcnow().date()
    )
    options = []
    for offer in offers:
        user = by_id[offer.person.id]
        level = levels.get(user.level_id or "")
        options.append(InterviewerOption(user, offer.suggested, level.title if level else None))
    return options


def eligible_interviewers(stage: PlannedStage, requisition: Requisition) -> list[User]:
    """Who may conduct a stage, in the picker's order (see :func:`interviewer_options`)."""
    return [option.user for option in interviewer_options(stage, requisition)]


def interviewer_refusals(
    stage: PlannedStage, requisition: Requisition, people: list[User]
) -> list[str]:
    """Why each of ``people`` who may not conduct the stage is refused, naming them."""
    needs = _needs(stage, requisition)
    today = utcnow().date()
    found = (picking.refusal(_person(u), needs, stage.name, today) for u in people)
    return [reason for reason in found if reason is not None]


def schedule_interview(
    application: Application,
    *,
    stage_id: str,
    interviewers: list[User],
    starts_at: datetime | None,
    location: str | None,
    actor: User,
    channel: str = "web",
    invite_candidate: bool = False,
    expected_version: int | None = None,
) -> Interview:
    """Create or reschedule the interview of a stage with its interviewers, and queue the
    invitations, updates and cancellations that keep calendars right (see
    :mod:`pipelines.interview_invitations`). Scheduling a cancelled interview again puts
    it back on. Nothing changed: nothing is written or sent.

    ``invite_candidate`` sends the candidate an invitation too (the interview needs a
    time, the candidate an e-mail address). ``expected_version``: the interview's version
    as the scheduler last saw it.
    """
    if application.status is not ApplicationStatus.ACTIVE:
        raise ServiceError("Interviews can only be scheduled for an active application.")
    requisition = requisition_of(application)
    plan = plan_for(requisition)
    stage = interview_stage(application, stage_id)
    current = plan.stage(application.stage_id)
    if stage.position < current.position:
        raise ServiceError(f"{stage.name} is behind the application's current stage.")
    if not interviewers:
        raise ServiceError("Choose at least one interviewer.")
    refusals = interviewer_refusals(stage, requisition, interviewers)
    if refusals:
        raise ServiceError(" ".join(refusals))
    if starts_at is not None and starts_at.tzinfo is None:
        raise ServiceError("The interview time needs a time zone.")
    if invite_candidate and starts_at is None:
        raise invitations.CandidateInvitationError(
            "Set a time to send the candidate an invitation."
        )
    interview = db.session.scalar(
        select(Interview)
        .where(Interview.application_id == application.id, Interview.stage_id == stage.id)
        .options(selectinload(Interview.interviewers))
    )
    if (
        interview is not None
        and expected_version is not None
        and interview.version != expected_version
    ):
        raise stale("This interview")
    keep_ids = {u.id for u in interviewers}
    if interview is not None:
        submitted = set(
            db.session.scalars(
                select(Scorecard.interviewer_id).where(
                    Scorecard.interview_id == interview.id, Scorecard.submitted_at.is_not(None)
                )
            )
        )
        if submitted - keep_ids:
            raise ServiceError("An interviewer who has submitted a scorecard cannot be removed.")
    place = (location or "").strip() or None
    before = invitations.arrangement_of(interview) if interview is not None else None
    after = Arrangement(
        starts_at=starts_at,
        duration_minutes=(
            interview.duration_minutes if interview is not None else stage.duration_minutes or 30
        ),
        location=place,
        interviewer_ids=tuple(u.id for u in interviewers),
    )
    invited = interview is not None and invitations.candidate_invited(interview.id)
    messages = messages_for(
        before, after, candidate_invited=invited, invite_candidate=invite_candidate
    )
    if interview is not None and not messages.changed and not messages.any:
        return interview
    # Before anything changes: a candidate without an e-mail address is refused here.
    candidate_to = None
    if messages.candidate is not None:
        candidate = db.session.get(Candidate, application.candidate_id)
        assert candidate is not None
        candidate_to = invitations.candidate_recipient(
            candidate, required=invite_candidate and not invited
        )
    audit_before: dict[str, object] = {}
    if interview is None:
        interview = Interview(
            application_id=application.id,
            stage_id=stage.id,
            duration_minutes=after.duration_minutes,
            ics_sequence=0,
        )
        interview.interviewers = []
        db.session.add(interview)
        action = "interview.schedule"
    else:
        audit_before = {
            "interviewer_ids": sorted(i.user_id for i in interview.interviewers),
            "starts_at": interview.starts_at.isoformat() if interview.starts_at else None,
            "cancelled": interview.cancelled_at is not None,
        }
        if messages.changed:
            interview.ics_sequence += 1
        action = "interview.reschedule"
    existing = {i.user_id: i for i in interview.interviewers}
    interview.interviewers = [
        existing.get(u.id) or InterviewInterviewer(user_id=u.id) for u in interviewers
    ]
    interview.starts_at = starts_at
    interview.location = place
    interview.cancelled_at = None
    db.session.flush()
    audit_after: dict[str, object] = {
        "interviewer_ids": sorted(keep_ids),
        "starts_at": starts_at.isoformat() if starts_at else None,
    }
    if before is not None:
        audit_after["cancelled"] = False
    people = {u.id: u for u in interviewers} | invitations.people_of(before)
    queued = invitations.queue_messages(
        invitations.subject_of(interview.id, application, stage.id),
        messages,
        before=before,
        after=after,
        people=people,
        candidate=candidate_to,
        sequence=interview.ics_sequence,
        now=utcnow(),
    )
    audit.record(
        action,
        actor=actor,
        channel=channel,
        object_type="interview",
        object_id=interview.id,
        summary={
            "application_id": application.id,
            "stage": stage.id,
            **audit.changes(audit_before, audit_after),
            # The place may be a private video link: only whether it changed.
            "location_changed": before is not None and before.location != place,
            "sequence": interview.ics_sequence,
            "messages": queued,
            "candidate_invited": candidate_to is not None,
        },
    )
    commit_or_conflict("This interview")
    return interview


def cancel_interview(
    interview: Interview,
    application: Application,
    *,
    actor: User,
    expected_version: int | None,
    channel: str = "web",
    now: datetime | None = None,
) -> Interview:
    """Call an interview off: it leaves the interviewers' calendars (a CANCEL each, and
    one to the candidate if they were invited) and no longer counts as upcoming or
    overdue. Refused once a scorecard is submitted. Scheduling it again puts it back on.
    ``interviewers`` must be loaded."""
    if expected_version is not None and interview.version != expected_version:
        raise stale("This interview")
    if interview.cancelled_at is not None:
        raise ServiceError("This interview is cancelled already.")
    submitted = db.session.scalar(
        select(Scorecard.id)
        .where(Scorecard.interview_id == interview.id, Scorecard.submitted_at.is_not(None))
        .limit(1)
    )
    if submitted is not None:
        raise ServiceError(
            "This interview has a submitted scorecard, which is part of the record: it "
            "cannot be cancelled."
        )
    cancellations.call_off(
        interview, application, actor=actor, channel=channel, moment=now or utcnow()
    )
    commit_or_conflict("This interview")
    return interview


def stage_criteria(requisition: Requisition, stage_id: str) -> tuple[Criterion, ...]:
    """What a stage's scorecards rate: the level's criteria, narrowed by the stage's focus
    (the family's ``scorecard_focus`` in the ladder data, else the default for its kind)."""
    ladder = get_ladder()
    stage = plan_for(requisition).stage(stage_id)
    family_id = ladder.level(requisition.level_id).family
    return criteria_for(
        ladder,
        requisition.level_id,
        requisition.specialty_id,
        stage.kind,
        stage_id=stage.id,
        focus=family_focus(ladder, family_id),
    )


def criteria_of(interview: Interview, application: Application) -> tuple[Criterion, ...]:
    return stage_criteria(requisition_of(application), interview.stage_id)


def is_assigned(interview: Interview, user_id: int) -> bool:
    seat = db.session.scalar(
        select(InterviewInterviewer.user_id).where(
            InterviewInterviewer.interview_id == interview.id,
            InterviewInterviewer.user_id == user_id,
        )
    )
    return seat is not None


def save_scorecard(
    interview: Interview,
    application: Application,
    *,
    interviewer: User,
    ratings: dict[str, str],
    recommendation: str | None,
    notes: str | None,
    submit: bool,
    expected_version: int | None,
    channel: str = "web",
    criterion_notes: dict[str, str] | None = None,
) -> Scorecard:
    """Save a draft, or submit (final: later changes are amendments).

    ``criterion_notes``: the interviewer's note per criterion id (``None`` keeps the notes
    saved with the draft)."""
    if not is_assigned(interview, interviewer.id):
        raise ServiceError("Only the interview's interviewers can write its scorecards.")
    if interview.cancelled_at is not None:
        raise ServiceError(
            "This interview was cancelled: it takes no scorecard unless it is scheduled again."
        )
    card = db.session.scalar(
        select(Scorecard).where(
            Scorecard.interview_id == interview.id, Scorecard.interviewer_id == interviewer.id
        )
    )
    if card is not None and card.submitted_at is not None:
        raise ServiceError(
            "This scorecard was submitted and cannot change; add an amendment instead."
        )
    if card is not None and expected_version is not None and card.version != expected_version:
        raise stale("This scorecard")
    too_long = notes_problems(notes)
    if too_long:
        raise InvalidScorecardError(too_long)
    criteria = criteria_of(interview, application)
    known = {c.id for c in criteria}
    note_issues = [
        ScorecardProblem(note_field(cid), message, cid)
        for cid, message in note_problems(criterion_notes or {}, criteria).items()
    ]
    if note_issues and not submit:
        raise InvalidScorecardError(note_issues)
    clean = {k: v for k, v in ratings.items() if k in known and parse_mark(v) is not None}
    if submit:
        try:
            checked: SubmittedScorecard = build_scorecard(
                criteria, interviewer.id, interview.stage_id, clean, recommendation, notes
            )
        except InvalidScorecardError as exc:
            raise InvalidScorecardError([*exc.problems, *note_issues]) from None
        if note_issues:
            raise InvalidScorecardError(note_issues)
        clean = {k: str(v) for k, v in checked.ratings.items()}
    if card is None:
        card = Scorecard(
            interview_id=interview.id,
            interviewer_id=interviewer.id,
            ladder_version=get_ladder().version,
        )
        db.session.add(card)
    card.ratings = clean
    rating = parse_rating(recommendation)
    card.recommendation = rating.value if rating else None
    card.notes = (notes or "").strip() or None
    if criterion_notes is not None:
        card.criterion_notes = clean_notes(criterion_notes, [c.id for c in criteria]) or None
    if submit:
        card.submitted_at = utcnow()
    db.session.flush()
    if submit:
        # The marks as rows, for the reports' SQL (the JSON above stays the record).
        db.session.add_all(
            ScorecardRating(
                scorecard_id=card.id,
                criterion_id=criterion_id,
                points=rating.points if (rating := parse_rating(mark)) else None,
            )
            for criterion_id, mark in clean.items()
        )
    if submit:
        audit.record(
            "scorecard.submit",
            actor=interviewer,
            channel=channel,
            object_type="scorecard",
            object_id=card.id,
            summary={
                "interview_id": interview.id,
                "application_id": application.id,
                "stage": interview.stage_id,
                "recommendation": card.recommendation,
            },
        )
    else:
        audit.record(
            "scorecard.save_draft",
            actor=interviewer,
            channel=channel,
            object_type="scorecard",
            object_id=card.id,
            summary={"interview_id": interview.id},
        )
    commit_or_conflict("This scorecard")
    return card


def amend_scorecard(
    card: Scorecard, *, author: User, text: str, channel: str = "web"
) -> ScorecardAmendment:
    if card.submitted_at is None:
        raise ServiceError("A draft can still be edited; amendments are for submitted scorecards.")
    if card.interviewer_id != author.id:
        raise ServiceError("Only the scorecard's author can amend it.")
    if not text.strip():
        raise ServiceError("Write the amendment.")
    amendment = ScorecardAmendment(scorecard_id=card.id, author_id=author.id, text=text.strip())
    db.session.add(amendment)
    db.session.flush()
    audit.record(
        "scorecard.amend",
        actor=author,
        channel=channel,
        object_type="scorecard",
        object_id=card.id,
        summary={"amendment_id": amendment.id},
    )
    db.session.commit()
    return amendment


@dataclass(frozen=True)
class CardView:
    """A scorecard as blind-feedback rules see it."""

    card: Scorecard
    stage_id: str

    @property
    def interviewer_id(self) -> int:
        return self.card.interviewer_id

    @property
    def submitted(self) -> bool:
        return self.card.submitted_at is not None


def application_scorecards(application: Application) -> list[tuple[Interview, Scorecard]]:
    rows = db.session.execute(
        select(Interview, Scorecard)
        .join(Scorecard, Scorecard.interview_id == Interview.id)
        .where(Interview.application_id == application.id)
        .order_by(Interview.id, Scorecard.id)
    ).all()
    return [(interview, card) for interview, card in rows]


def has_unsubmitted(viewer: User, application: Application) -> bool:
    """Whether the viewer interviews for this application and has a scorecard to submit."""
    assigned = set(
        db.session.scalars(
            select(Interview.id)
            .join(InterviewInterviewer, InterviewInterviewer.interview_id == Interview.id)
            .where(
                Interview.application_id == application.id,
                InterviewInterviewer.user_id == viewer.id,
            )
        )
    )
    if not assigned:
        return False
    done = set(
        db.session.scalars(
            select(Scorecard.interview_id).where(
                Scorecard.interview_id.in_(assigned),
                Scorecard.interviewer_id == viewer.id,
                Scorecard.submitted_at.is_not(None),
            )
        )
    )
    return bool(assigned - done)


def scorecards_visible_to(
    viewer: User, application: Application, *, pending: bool | None = None
) -> list[Scorecard]:
    """Blind feedback: others' scorecards only once the viewer has submitted their own.

    ``pending`` is :func:`has_unsubmitted` for the viewer, when the caller already has it.
    """
    requisition = requisition_of(application)
    if pending is None:
        pending = has_unsubmitted(viewer, application)
    if pending:
        # Blind: only the viewer's own drafts until every scorecard of theirs is in.
        own = application_scorecards(application)
        return [card for _, card in own if card.interviewer_id == viewer.id]
    cards = [CardView(card, i.stage_id) for i, card in application_scorecards(application)]
    if viewer.has_role(Role.ADMIN, Role.RECRUITER) and not any(
        c.interviewer_id == viewer.id for c in cards
    ):
        return [c.card for c in cards if c.submitted]
    visible = visible_scorecards(viewer.id, cards, hiring_manager_id=requisition.hiring_manager_id)
    return [c.card for c in visible]


def side_by_side_for(
    application: Application, stage_id: str, cards: list[Scorecard]
) -> tuple[tuple[Criterion, ...], SideBySideView]:
    criteria = stage_criteria(requisition_of(application), stage_id)
    submitted = []
    for card in cards:
        rating = parse_rating(card.recommendation)
        if card.submitted_at is None or rating is None:
            continue
        marks = {k: m for k, v in card.ratings.items() if (m := parse_mark(v)) is not None}
        submitted.append(
            SubmittedScorecard(card.interviewer_id, stage_id, marks, rating, card.notes or "")
        )
    return criteria, side_by_side(criteria, submitted)


def is_overdue(interview: Interview, now: datetime) -> bool:
    """More than one working day after the interview (weekends do not count)."""
    if interview.starts_at is None or interview.cancelled_at is not None:
        return False
    return reminders.is_overdue(
        interview.starts_at + timedelta(minutes=interview.duration_minutes), now
    )
