"""What waits for each user, for the home page: one section per role that applies (the
most urgent first), each item one click from its action, each list bounded with a true
count. Which to-do a fact makes, and in what words, is :mod:`pipelines.todos`'; here the
facts are read, in a constant number of queries whatever the data's size:

* recruiter: their open requisitions' active applications with the current stage's
  interview counts (1), and the scorecards overdue in them (1);
* interviewer: the interviews they still owe (1);
* hiring manager: applications that may wait for a debrief (1) with their interviews
  (2) and submitted scorecards (1), open offers (1), hires without an offer (1), and
  their open requisitions' health (1);
* approver: packets waiting (up to 3); admins also offers awaiting approval (2);
* team member: the newest packet about them (1) (the level comes from the ladder).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for
from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased, load_only, selectinload

from app.db import db
from app.ladder_access import get_ladder
from app.models import (
    Application,
    Candidate,
    HiringDecision,
    Interview,
    InterviewInterviewer,
    Offer,
    PromotionPacket,
    Requisition,
    Role,
    Scorecard,
    User,
)
from app.promotions.queries import awaiting_count, awaiting_decision, packets_about
from app.services import offers as offer_service
from app.services.debrief import readiness_of
from app.services.hiring import plan_for
from app.services.reminders import overdue_scorecards
from ladder.resolve import next_levels
from pipelines import reminders
from pipelines.applications import ApplicationStatus
from pipelines.errors import PipelineError
from pipelines.leveling import Outcome
from pipelines.offers import OPEN_OFFER_STATUSES
from pipelines.plan import PipelinePlan, StageKind
from pipelines.promotions import OPEN_STATUSES
from pipelines.scorecards import Rating
from pipelines.todos import (
    OFFER_TO_DRAFT,
    SECTION_LIMIT,
    Bounded,
    InterviewTodo,
    RecruiterTodo,
    StageFacts,
    Urgency,
    bounded,
    interview_todo,
    most_urgent,
    offer_todo,
    recruiter_todo,
    requisition_health,
    stalled_before,
)

# --- what the template shows ---------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing to do: ``action`` links to ``url``; ``who`` and ``what`` name the person
    and the thing; ``when`` is shown in the viewer's time zone."""

    url: str
    action: str
    who: str
    what: str = ""
    when: datetime | None = None
    when_label: str = ""
    note: str | None = None
    urgency: Urgency = Urgency.ACTION
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    items: Bounded[Item]
    urgency: Urgency
    more_url: str | None = None
    empty: str | None = None

    @property
    def total(self) -> int:
        return self.items.total


def group(
    key: str,
    title: str,
    items: Sequence[Item],
    *,
    more_url: str | None = None,
    total: int | None = None,
    empty: str | None = None,
    urgency: Urgency | None = None,
) -> Group:
    """``total`` and ``urgency`` when the caller counted more items than it made."""
    return Group(
        key,
        title,
        bounded(items, SECTION_LIMIT, total),
        most_urgent(item.urgency for item in items) if urgency is None else urgency,
        more_url,
        empty,
    )


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    groups: list[Group]
    position: int
    empty: str = "Nothing waits for you here."
    intro: str | None = None

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups if g.key != "requisitions" and g.key != "path")

    @property
    def urgency(self) -> Urgency:
        return most_urgent(g.urgency for g in self.groups)

    @property
    def visible_groups(self) -> list[Group]:
        return [g for g in self.groups if g.total or g.empty]


# --- helpers ---------------------------------------------------------------------------------


def _stage_name(plan: PipelinePlan, stage_id: str) -> str:
    try:
        return plan.stage(stage_id).name
    except PipelineError:
        return stage_id


_POSITIVE = [rating.value for rating in Rating if rating.is_positive]


def _ago(moment: datetime, now: datetime) -> str:
    days = (now - moment).days
    if days <= 0:
        return "today"
    return "1 day ago" if days == 1 else f"{days} days ago"


# --- recruiter -------------------------------------------------------------------------------


_RECRUITER_ORDER = (
    RecruiterTodo.RECORD_SCREEN,
    RecruiterTodo.SEND_ASSESSMENT,
    RecruiterTodo.SCHEDULE_INTERVIEW,
    RecruiterTodo.ADVANCE,
    RecruiterTodo.DECIDE,
    RecruiterTodo.RECORD_REFERENCES,
)


def _stage_counts(*scope: Any) -> Any:
    """Per application in ``scope`` (conditions on Application and its Requisition), at
    its current stage: the interview's people (not cancelled), their submitted scorecards,
    and the positive ones among those. Scoped, so that it reads the interviews of those
    applications and not every interview there is."""
    submitted = Scorecard.submitted_at.is_not(None)
    return (
        select(
            Interview.application_id.label("application_id"),
            Interview.stage_id.label("stage_id"),
            func.count(InterviewInterviewer.user_id).label("interviewers"),
            func.count(Scorecard.submitted_at).label("submitted"),
            func.count(case((and_(submitted, Scorecard.recommendation.in_(_POSITIVE)), 1))).label(
                "positive"
            ),
        )
        .join(InterviewInterviewer, InterviewInterviewer.interview_id == Interview.id)
        .join(
            Application,
            and_(
                Application.id == Interview.application_id,
                Application.stage_id == Interview.stage_id,
            ),
        )
        .join(Requisition, Requisition.id == Application.requisition_id)
        .outerjoin(
            Scorecard,
            and_(
                Scorecard.interview_id == Interview.id,
                Scorecard.interviewer_id == InterviewInterviewer.user_id,
            ),
        )
        .where(Interview.cancelled_at.is_(None), *scope)
        .group_by(Interview.application_id, Interview.stage_id)
        .subquery()
    )


def _recruiter_link(todo: RecruiterTodo, application: Application) -> str:
    if todo is RecruiterTodo.RECORD_SCREEN:
        return url_for("hiring.application", application_id=application.id, _anchor="outcome")
    if todo is RecruiterTodo.SEND_ASSESSMENT:
        return url_for("hiring.application", application_id=application.id, _anchor="assessment")
    if todo is RecruiterTodo.SCHEDULE_INTERVIEW:
        return url_for(
            "hiring.schedule", application_id=application.id, stage_id=application.stage_id
        )
    if todo is RecruiterTodo.RECORD_REFERENCES:
        return url_for(
            "hiring.application", application_id=application.id, _anchor="references-outcome"
        )
    return url_for("hiring.application", application_id=application.id)


_ACTION_WORDS = {
    RecruiterTodo.RECORD_SCREEN: "Record the screen",
    RecruiterTodo.SEND_ASSESSMENT: "Send the assessment",
    RecruiterTodo.SCHEDULE_INTERVIEW: "Schedule",
    RecruiterTodo.ADVANCE: "Advance",
    RecruiterTodo.DECIDE: "Decide",
    RecruiterTodo.RECORD_REFERENCES: "Record the check",
}


#: To-dos whose link alone does not say why: their words follow the names.
_SAY_WHY = frozenset({RecruiterTodo.ADVANCE, RecruiterTodo.DECIDE})


def recruiter_section(user: User, now: datetime) -> Section:
    scope = (
        Requisition.recruiter_id == user.id,
        Requisition.status == "open",
        Application.status == ApplicationStatus.ACTIVE,
    )
    counts = _stage_counts(*scope)
    referrer = aliased(User)
    rows = db.session.execute(
        select(
            Application,
            Candidate.name,
            Requisition,
            counts.c.interviewers,
            counts.c.submitted,
            counts.c.positive,
            referrer.display_name,
        )
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(Requisition, Requisition.id == Application.requisition_id)
        .outerjoin(
            counts,
            and_(
                counts.c.application_id == Application.id,
                counts.c.stage_id == Application.stage_id,
            ),
        )
        .outerjoin(referrer, referrer.id == Application.referrer_id)
        .where(*scope)
        .options(
            load_only(
                Application.stage_id,
                Application.screen_passed,
                Application.assessment_sent_at,
                Application.assessment_received_at,
                Application.references_passed,
                Application.entered_stage_at,
            )
        )
        .order_by(Application.entered_stage_at, Application.id)
    ).all()
    found: dict[RecruiterTodo, list[Item]] = defaultdict(list)
    # Every to-do is counted; only the few each group shows are made into items (links).
    counted: dict[RecruiterTodo, int] = defaultdict(int)
    urgencies: dict[RecruiterTodo, Urgency] = defaultdict(lambda: Urgency.INFO)
    for application, name, requisition, seats, submitted, positive, referred_by in rows:
        plan = plan_for(requisition)
        try:
            stage = plan.stage(application.stage_id)
        except PipelineError:
            continue
        following = plan.next_after(stage.id)
        facts = StageFacts(
            kind=stage.kind,
            stage_name=stage.name,
            next_stage_name=following.name if following else None,
            next_is_references=following is not None and following.kind is StageKind.REFERENCES,
            screen_passed=application.screen_passed,
            assessment_sent=application.assessment_sent_at is not None,
            assessment_received=application.assessment_received_at is not None,
            interview_scheduled=seats is not None,
            interviewers=seats or 0,
            submitted=submitted or 0,
            positive=positive or 0,
            references_passed=application.references_passed,
        )
        todo = recruiter_todo(facts, hiring_manager=user.id == requisition.hiring_manager_id)
        if todo is None:
            continue
        counted[todo.kind] += 1
        urgencies[todo.kind] = max(urgencies[todo.kind], todo.urgency)
        if len(found[todo.kind]) >= SECTION_LIMIT:
            continue
        note = f"referred by {referred_by}" if referred_by else None
        found[todo.kind].append(
            Item(
                url=_recruiter_link(todo.kind, application),
                action=_ACTION_WORDS[todo.kind],
                who=name,
                what=requisition.title,
                note="; ".join(
                    part
                    for part in (
                        todo.words if todo.kind in _SAY_WHY else None,
                        note,
                    )
                    if part
                )
                or None,
                when=application.entered_stage_at,
                when_label=f"at {stage.name} since",
                urgency=todo.urgency,
            )
        )
    mine = url_for("hiring.requisitions", mine=1)
    groups = [
        group(
            "overdue_scorecards",
            "Overdue scorecards",
            _overdue_in(user, now),
            more_url=url_for("reports.overdue_scorecards"),
        )
    ]
    groups += [
        group(
            kind.value,
            kind.heading,
            found[kind],
            more_url=mine,
            total=counted[kind],
            urgency=urgencies[kind],
        )
        for kind in _RECRUITER_ORDER
    ]
    return Section(
        "recruiter",
        "Your candidates",
        groups,
        position=0,
        empty="Nothing waits for you in your requisitions.",
    )


def _overdue_in(user: User, now: datetime) -> list[Item]:
    """Scorecards overdue in the user's requisitions (the reminders' rule and query)."""
    return [
        Item(
            url=url_for("hiring.application", application_id=o.application_id),
            action=o.candidate_name,
            who=f"{o.interviewer.display_name} owes the {o.stage_name} scorecard",
            what=o.requisition_title,
            note=f"overdue {reminders.overdue_words(o.due_at, now)}",
            urgency=Urgency.OVERDUE,
        )
        for o in overdue_scorecards(now, recruiter_id=user.id)
    ]


# --- interviewer -----------------------------------------------------------------------------


def interviewer_section(user: User, now: datetime) -> Section:
    own = aliased(Scorecard)
    rows = db.session.execute(
        select(Interview, Candidate.name, Requisition, own.id)
        .join(InterviewInterviewer, InterviewInterviewer.interview_id == Interview.id)
        .join(Application, Application.id == Interview.application_id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(Requisition, Requisition.id == Application.requisition_id)
        .outerjoin(own, and_(own.interview_id == Interview.id, own.interviewer_id == user.id))
        .where(
            InterviewInterviewer.user_id == user.id,
            Interview.cancelled_at.is_(None),
            Application.status == ApplicationStatus.ACTIVE,
            own.submitted_at.is_(None),
        )
        .order_by(Interview.starts_at.is_(None), Interview.starts_at, Interview.id)
    ).all()
    found: dict[InterviewTodo, list[Item]] = defaultdict(list)
    for interview, name, requisition, draft_id in rows:
        state = interview_todo(
            interview.starts_at,
            interview.duration_minutes,
            submitted=False,
            cancelled=False,
            application_active=True,
            now=now,
        )
        if state is None:
            continue
        stage = _stage_name(plan_for(requisition), interview.stage_id)
        scorecard = url_for("hiring.scorecard", interview_id=interview.id)
        if state.kind is InterviewTodo.UPCOMING:
            links = (
                (("Calendar file", url_for("hiring.invitation", interview_id=interview.id)),)
                if interview.starts_at
                else ()
            )
            found[state.kind].append(
                Item(
                    url=scorecard,
                    action="Prepare",
                    who=name,
                    what=f"{stage} · {requisition.title}",
                    when=interview.starts_at,
                    note=None if interview.starts_at else "time not set yet",
                    links=links,
                )
            )
            continue
        assert state.due_at is not None
        overdue = state.kind is InterviewTodo.SCORECARD_OVERDUE
        found[state.kind].append(
            Item(
                url=scorecard,
                action="Continue the draft" if draft_id else "Write the scorecard",
                who=name,
                what=f"{stage} · {requisition.title}",
                when=state.due_at,
                when_label="was due" if overdue else "due",
                note=f"overdue {reminders.overdue_words(state.due_at, now)}" if overdue else None,
                urgency=state.urgency,
            )
        )
    mine = url_for("hiring.my_interviews")
    return Section(
        "interviewer",
        "Your interviews",
        [
            group(
                "scorecard_overdue",
                "Scorecards overdue",
                found[InterviewTodo.SCORECARD_OVERDUE],
                more_url=mine,
            ),
            group(
                "scorecard_due",
                "Scorecards to write",
                found[InterviewTodo.SCORECARD_DUE],
                more_url=mine,
            ),
            group("upcoming", "Upcoming interviews", found[InterviewTodo.UPCOMING], more_url=mine),
        ],
        position=1,
        empty="No interviews or scorecards wait for you.",
    )


# --- hiring manager --------------------------------------------------------------------------


def _debriefs(user: User) -> list[Item]:
    """Applications in the user's requisitions whose debrief is open (the debrief's own
    readiness rule) and has no decision yet."""
    rows = db.session.execute(
        select(Application, Candidate.name, Requisition)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(Requisition, Requisition.id == Application.requisition_id)
        .where(
            Requisition.hiring_manager_id == user.id,
            Application.status == ApplicationStatus.ACTIVE,
            ~exists().where(HiringDecision.application_id == Application.id),
        )
        .order_by(Application.entered_stage_at, Application.id)
    ).all()
    candidates = []
    for application, name, requisition in rows:
        plan = plan_for(requisition)
        stages = plan.interview_stages
        try:
            current = plan.stage(application.stage_id)
        except PipelineError:
            continue
        if stages and current.position >= stages[-1].position:
            candidates.append((application, name, requisition, plan))
    ids = [application.id for application, *_ in candidates]
    interviews = db.session.scalars(
        select(Interview)
        .where(Interview.application_id.in_(ids))
        .options(selectinload(Interview.interviewers))
    ).all()
    submitted = db.session.scalars(
        select(Scorecard).where(
            Scorecard.interview_id.in_([i.id for i in interviews]),
            Scorecard.submitted_at.is_not(None),
        )
    ).all()
    by_application: dict[int, list[Interview]] = defaultdict(list)
    for interview in interviews:
        by_application[interview.application_id].append(interview)
    cards_of: dict[int, list[Scorecard]] = defaultdict(list)
    application_of = {i.id: i.application_id for i in interviews}
    for card in submitted:
        cards_of[application_of[card.interview_id]].append(card)
    items = []
    for application, name, requisition, plan in candidates:
        readiness = readiness_of(
            application, plan, by_application[application.id], cards_of[application.id]
        )
        if not readiness.ready:
            continue
        items.append(
            Item(
                url=url_for("hiring.debrief_page", application_id=application.id),
                action="Debrief and decide",
                who=name,
                what=f"{requisition.title} · every scorecard in",
            )
        )
    return items


def _offers(user: User) -> list[Item]:
    rows = db.session.execute(
        select(Offer, Candidate.name, Requisition.title)
        .join(Application, Application.id == Offer.application_id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(Requisition, Requisition.id == Application.requisition_id)
        .where(Requisition.hiring_manager_id == user.id, Offer.status.in_(OPEN_OFFER_STATUSES))
        .order_by(Offer.created_at, Offer.id)
    ).all()
    items = []
    for offer, name, title in rows:
        todo = offer_todo(offer.status, needs_approval=offer.needs_approval)
        if todo is None:
            continue
        items.append(
            Item(
                url=url_for("hiring.offer", offer_id=offer.id),
                action="Open the offer",
                who=name,
                what=f"{title} · {todo.words}",
                urgency=todo.urgency,
            )
        )
    open_offer = exists().where(
        Offer.application_id == Application.id, Offer.status.in_(OPEN_OFFER_STATUSES)
    )
    hires = db.session.execute(
        select(Application.id, Candidate.name, Requisition.title)
        .join(HiringDecision, HiringDecision.application_id == Application.id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(Requisition, Requisition.id == Application.requisition_id)
        .where(
            Requisition.hiring_manager_id == user.id,
            HiringDecision.outcome == Outcome.HIRE,
            Application.status == ApplicationStatus.ACTIVE,
            ~open_offer,
        )
        .order_by(HiringDecision.decided_at, Application.id)
    ).all()
    drafts = [
        Item(
            url=url_for("hiring.offer_new", application_id=application_id),
            action="Draft the offer",
            who=name,
            what=f"{title} · {OFFER_TO_DRAFT.words}",
            urgency=OFFER_TO_DRAFT.urgency,
        )
        for application_id, name, title in hires
    ]
    return drafts + items


def _health(user: User, now: datetime) -> list[Item]:
    in_pipeline = Application.status.in_([ApplicationStatus.ACTIVE, ApplicationStatus.OFFER])
    stalled = and_(
        Application.status == ApplicationStatus.ACTIVE,
        Application.entered_stage_at < stalled_before(now),
    )
    rows = db.session.execute(
        select(
            Requisition,
            func.count(case((in_pipeline, 1))),
            func.count(case((stalled, 1))),
            func.count(case((Application.status == ApplicationStatus.HIRED, 1))),
        )
        .outerjoin(Application, Application.requisition_id == Requisition.id)
        .where(Requisition.hiring_manager_id == user.id, Requisition.status == "open")
        .group_by(Requisition.id)
        .order_by(Requisition.created_at, Requisition.id)
    ).all()
    items = []
    for requisition, pipeline, stuck, hired in rows:
        health = requisition_health(
            in_pipeline=pipeline,
            stalled=stuck,
            hired=hired,
            headcount=requisition.headcount,
            opened_at=requisition.created_at,
            now=now,
        )
        items.append(
            Item(
                url=url_for("hiring.board", requisition_id=requisition.id),
                action=requisition.title,
                who="",
                what=health.words,
                urgency=health.urgency,
            )
        )
    return items


def hiring_manager_section(user: User, now: datetime) -> Section:
    mine = url_for("hiring.requisitions", mine=1)
    return Section(
        "hiring_manager",
        "Your requisitions",
        [
            group("debriefs", "Debriefs waiting for your decision", _debriefs(user), more_url=mine),
            group("offers", "Offers", _offers(user), more_url=mine),
            group(
                "requisitions",
                "Requisitions' health",
                _health(user, now),
                more_url=mine,
                empty="You have no open requisitions.",
            ),
        ],
        position=2,
        empty="No debrief or offer waits for you.",
    )


# --- approver --------------------------------------------------------------------------------


def approver_section(user: User) -> Section | None:
    ladder = get_ladder()
    count = awaiting_count(user)
    is_admin = user.has_role(Role.ADMIN)
    groups = []
    if count or is_admin:
        packets = db.session.scalars(awaiting_decision(user).limit(SECTION_LIMIT)).all()
        groups.append(
            group(
                "packets",
                "Promotion packets waiting for your decision",
                [_packet_item(packet, ladder) for packet in packets],
                total=count,
                more_url=url_for("promotions.index"),
            )
        )
    if is_admin:
        pending = offer_service.awaiting_approval(SECTION_LIMIT)
        groups.append(
            group(
                "offer_approvals",
                "Offers waiting for approval",
                [
                    Item(
                        url=url_for("hiring.offer", offer_id=offer.id),
                        action="Approve or reject",
                        who=application.candidate.name,
                        what=application.requisition.title,
                        when=offer.created_at,
                        when_label="drafted",
                    )
                    for offer, application in pending
                ],
                total=offer_service.count_awaiting_approval(),
                more_url=url_for("hiring.offer_approvals"),
            )
        )
    if not groups:
        return None
    return Section(
        "approver", "Your decisions", groups, position=3, empty="No decision waits for you."
    )


def _title(ladder: Any, level_id: str) -> str:
    level = ladder.levels_by_id.get(level_id)
    return level.title if level is not None else level_id


def _packet_item(packet: PromotionPacket, ladder: Any) -> Item:
    return Item(
        url=url_for("promotions.packet", packet_id=packet.id),
        action="Decide",
        who=packet.subject.display_name,
        what=(
            f"{_title(ladder, packet.source_level_id)} → {_title(ladder, packet.target_level_id)}"
            f" · by {packet.author.display_name}"
        ),
        when=packet.submitted_at,
        when_label="submitted",
    )


# --- team member -----------------------------------------------------------------------------


def path_section(user: User) -> Section:
    ladder = get_ladder()
    level = ladder.levels_by_id.get(user.level_id) if user.level_id else None
    newest = packets_about(user.id, 1)
    packet = newest[0] if newest and newest[0].status in OPEN_STATUSES else None
    items: list[Item] = []
    my_path = url_for("careers.my_path")
    if level is None:
        items.append(
            Item(
                url=my_path,
                action="My path",
                who="Your level on the career ladder has not been set yet",
                what="an admin sets it on your user record",
                urgency=Urgency.INFO,
            )
        )
    else:
        steps = next_levels(ladder, level.id)
        items.append(
            Item(
                url=my_path,
                action="My path",
                who=f"You are {level.title}",
                what=f"grade {level.grade}" if getattr(level, "grade", None) else "",
                urgency=Urgency.INFO,
                links=tuple(
                    (f"Next: {step.title}", url_for("careers.level", level_id=step.id))
                    for step in steps
                ),
            )
        )
    if packet is not None:
        items.append(
            Item(
                url=url_for("promotions.packet", packet_id=packet.id),
                action="Your promotion packet",
                who=f"to {_title(ladder, packet.target_level_id)}",
                what=f"{packet.status.label}",
                urgency=Urgency.INFO,
            )
        )
    return Section("path", "Your path", [group("path", "Where you are", items)], position=4)


# --- the page --------------------------------------------------------------------------------


def sections_for(user: User, now: datetime) -> list[Section]:
    """The sections that apply to ``user``, the most urgent first (ties: recruiter,
    interviewer, hiring manager, approver, path)."""
    found: list[Section] = []
    if user.has_role(Role.RECRUITER):
        found.append(recruiter_section(user, now))
    interviewing = interviewer_section(user, now)
    if user.has_role(Role.INTERVIEWER) or interviewing.total:
        found.append(interviewing)
    if user.has_role(Role.HIRING_MANAGER):
        found.append(hiring_manager_section(user, now))
    approving = approver_section(user)
    if approving is not None:
        found.append(approving)
    if user.has_role(Role.TEAM_MEMBER) or user.level_id:
        found.append(path_section(user))
    return sorted(found, key=lambda s: (not s.total, -s.urgency, s.position))


__all__ = ["Group", "Item", "Section", "sections_for"]
