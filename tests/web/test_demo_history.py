"""The demo's hiring history (app.services.demo_history): deterministic, consistent with
what the services write, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.db import db
from app.models import (
    Application,
    HiringDecision,
    Interview,
    InterviewInterviewer,
    LevelSpan,
    Offer,
    PromotionPacket,
    Requisition,
    Scorecard,
    ScorecardRating,
    StageTransition,
    User,
)
from app.services import accounts, demo
from app.services.demo_history import (
    POOL,
    ensure_people,
    generate_history,
    history_loaded,
)
from app.services.interviews import stage_criteria
from app.services.plans import plan_for
from pipelines.applications import Action, ApplicationStatus
from pipelines.level_history import LevelReason
from pipelines.leveling import Outcome
from pipelines.offers import OfferStatus
from pipelines.promotions import PacketStatus
from pipelines.requisitions import RequisitionStatus
from pipelines.scorecards import NOT_ASSESSED, Rating

TODAY = date(2026, 3, 2)
CUTOFF = datetime(2026, 3, 2, tzinfo=UTC)


@pytest.fixture
def people(app):
    """The demo users the history needs (no passwords: quick), with their levels."""
    with app.app_context():
        for email, name, roles in demo.DEMO_USERS:
            accounts.create_user(email, name, None, roles, actor=None, channel="system")
        demo._load_demo_people()
        ensure_people(None)
    return None


def generate(app, size, *, seed=5, today=TODAY, write=True):
    with app.app_context():
        result = generate_history(
            seed=seed, today=today, applications=size, people=ensure_people(None), write=write
        )
        db.session.remove()
        return result


def sample(app):
    """Every application and transition, as plain tuples (ids included)."""
    with app.app_context():
        applications = db.session.execute(
            select(
                Application.id,
                Application.candidate_id,
                Application.requisition_id,
                Application.stage_id,
                Application.status,
                Application.source,
                Application.entered_stage_at,
                Application.hired_user_id,
            ).order_by(Application.id)
        ).all()
        moves = db.session.execute(
            select(
                StageTransition.application_id,
                StageTransition.action,
                StageTransition.at,
                StageTransition.to_stage,
                StageTransition.reason,
            ).order_by(StageTransition.id)
        ).all()
        cards = db.session.execute(
            select(Scorecard.id, Scorecard.interviewer_id, Scorecard.ratings).order_by(Scorecard.id)
        ).all()
        db.session.remove()
    return [tuple(r) for r in applications], [tuple(r) for r in moves], [tuple(r) for r in cards]


def test_the_same_seed_writes_the_same_rows(app, people, _isolated_db):
    connection = _isolated_db
    runs = []
    for _ in range(2):
        savepoint = connection.begin_nested()
        try:
            result = generate(app, 60)
            runs.append((dict(result.rows), result.digest, sample(app)))
        finally:
            savepoint.rollback()
    assert runs[0] == runs[1]
    rows, digest, (applications, moves, cards) = runs[0]
    assert rows["applications"] == rows["candidates"] == len(applications) == 60
    assert len(moves) == rows["stage_transitions"] and len(cards) == rows["scorecards"]
    # A dry run chooses the same ids and rows, and writes nothing.
    dry = generate(app, 60, write=False)
    assert (dict(dry.rows), dry.digest) == (rows, digest)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 0
        assert not history_loaded()
    # Another seed, or another day, is another history.
    assert generate(app, 60, seed=6, write=False).digest != digest
    assert generate(app, 60, today=TODAY + timedelta(days=1), write=False).digest != digest


def test_the_history_is_what_the_services_would_have_written(app, people):
    result = generate(app, 240)
    with app.app_context():
        assert history_loaded()
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert count(Application) == 240
        for model, table in (
            (Scorecard, "scorecards"),
            (ScorecardRating, "scorecard_ratings"),
            (Offer, "offers"),
            (HiringDecision, "hiring_decisions"),
            (LevelSpan, "level_history"),
            (PromotionPacket, "promotion_packets"),
        ):
            assert count(model) == result.rows[table], table
        applications = db.session.scalars(select(Application).order_by(Application.id)).all()
        requisitions = {r.id: r for r in db.session.scalars(select(Requisition))}
        by_status = defaultdict(list)
        for application in applications:
            by_status[application.status].append(application)
        # Every way out of the process is there.
        assert set(by_status) >= {
            ApplicationStatus.ACTIVE,
            ApplicationStatus.DECLINED,
            ApplicationStatus.WITHDRAWN,
            ApplicationStatus.HIRED,
        }

        # Transitions: opened first, in time order, ending where the application is.
        moves = defaultdict(list)
        for move in db.session.scalars(select(StageTransition).order_by(StageTransition.id)):
            moves[move.application_id].append(move)
        for application in applications:
            mine = moves[application.id]
            assert mine[0].action is Action.OPEN and mine[0].at == application.created_at
            assert [m.at for m in mine] == sorted(m.at for m in mine)
            assert all(m.at < CUTOFF for m in mine)
            for before, after in itertools.pairwise(mine):
                assert (after.from_stage, after.from_status) == (before.to_stage, before.to_status)
            last = mine[-1]
            assert (last.to_stage, last.to_status) == (application.stage_id, application.status)
            assert application.entered_stage_at == last.at
            if application.status is ApplicationStatus.DECLINED:
                assert last.action is Action.DECLINE
                assert last.reason == application.decline_reason.value
            # Moves into the reference check and offers are the hiring manager's.
            manager = requisitions[application.requisition_id].hiring_manager_id
            for move in mine:
                if move.action in (Action.MOVE_TO_REFERENCES, Action.MAKE_OFFER):
                    assert move.actor_id == manager

        # Scorecards: the stage's own criteria, every one rated or not assessed, and the
        # rating rows say exactly what the JSON says.
        points = defaultdict(dict)
        for row in db.session.scalars(select(ScorecardRating)):
            points[row.scorecard_id][row.criterion_id] = row.points
        interviews = {i.id: i for i in db.session.scalars(select(Interview))}
        seats = defaultdict(set)
        for seat in db.session.scalars(select(InterviewInterviewer)):
            seats[seat.interview_id].add(seat.user_id)
        by_id = {a.id: a for a in applications}
        cards = db.session.scalars(select(Scorecard)).all()
        assert cards
        for card in cards:
            assert card.submitted_at is not None and card.recommendation and card.notes
            expected = {
                criterion: None if mark == NOT_ASSESSED.value else Rating(mark).points
                for criterion, mark in card.ratings.items()
            }
            assert points[card.id] == expected
            interview = interviews[card.interview_id]
            assert card.interviewer_id in seats[interview.id]
            application = by_id[interview.application_id]
            criteria = stage_criteria(requisitions[application.requisition_id], interview.stage_id)
            assert set(card.ratings) == {c.id for c in criteria}
            assert card.submitted_at > interview.starts_at
        for interview in interviews.values():
            application = by_id[interview.application_id]
            entered = next(m.at for m in moves[application.id] if m.to_stage == interview.stage_id)
            assert entered < interview.created_at < interview.starts_at
            plan = plan_for(requisitions[application.requisition_id])
            assert plan.stage(interview.stage_id).uses_scorecards
            assert (
                plan.stage(interview.stage_id).position <= plan.stage(application.stage_id).position
            )

        # Hires: an accepted offer, a hire decision at the offer's level, an account at
        # that level from the start date, managed by the hiring manager.
        hired = by_status[ApplicationStatus.HIRED]
        assert hired and result.rows["users"] == len(hired)
        for application in hired:
            requisition = requisitions[application.requisition_id]
            offers = db.session.scalars(
                select(Offer).where(Offer.application_id == application.id)
            ).all()
            assert [o.status for o in offers] == [OfferStatus.ACCEPTED]
            offer = offers[0]
            decision = db.session.scalar(
                select(HiringDecision).where(HiringDecision.application_id == application.id)
            )
            assert decision.outcome is Outcome.HIRE and decision.level_id == offer.level_id
            assert decision.decided_by_id == requisition.hiring_manager_id
            assert (decision.rationale is None) == (decision.level_id == requisition.level_id)
            user = db.session.get(User, application.hired_user_id)
            assert user.is_demo and user.password_hash is None
            assert user.manager_id == requisition.hiring_manager_id
            assert [r.role for r in user.roles] == ["team_member"]
            spans = db.session.scalars(
                select(LevelSpan).where(LevelSpan.user_id == user.id).order_by(LevelSpan.starts_on)
            ).all()
            first = spans[0]
            assert (first.reason, first.level_id, first.starts_on, first.application_id) == (
                LevelReason.HIRED,
                offer.level_id,
                offer.start_date,
                application.id,
            )
            assert offer.start_date > offer.responded_at.date()
            for before, after in itertools.pairwise(spans):
                # No promotion before the hire, and spans that follow one another.
                assert after.reason is LevelReason.PROMOTED
                assert after.starts_on > first.starts_on
                assert before.ends_on == after.starts_on - timedelta(days=1)
                packet = db.session.get(PromotionPacket, after.packet_id)
                assert packet.status is PacketStatus.APPROVED
                assert (packet.subject_id, packet.effective_on) == (user.id, after.starts_on)
                assert (packet.source_level_id, packet.target_level_id) == (
                    before.level_id,
                    after.level_id,
                )
                assert packet.decided_at.date() <= after.starts_on
            assert spans[-1].ends_on is None
            current = [s for s in spans if s.starts_on <= TODAY]
            if current:
                assert (user.level_id, user.level_since) == (
                    current[-1].level_id,
                    current[-1].starts_on,
                )
            else:
                assert user.level_id is None  # starts later: the worker applies it then
            assert user.active == (user.left_on is None)
        # No other application has an accepted offer or an account.
        others = [a for a in applications if a.status is not ApplicationStatus.HIRED]
        assert all(a.hired_user_id is None for a in others)
        accepted = db.session.scalar(
            select(func.count()).select_from(Offer).where(Offer.status == OfferStatus.ACCEPTED)
        )
        assert accepted == len(hired)
        declined_offers = db.session.scalars(
            select(Offer).where(Offer.status == OfferStatus.DECLINED)
        ).all()
        assert all(o.decline_reason is not None for o in declined_offers)
        # A no-hire decision declined the application for its interviews.
        for decision in db.session.scalars(
            select(HiringDecision).where(HiringDecision.outcome == Outcome.NO_HIRE)
        ):
            application = by_id[decision.application_id]
            assert application.status is ApplicationStatus.DECLINED
            assert application.decline_reason.value == "interviews"
        # A filled requisition hired its headcount; an open one may still take candidates.
        hires = defaultdict(int)
        for application in hired:
            hires[application.requisition_id] += 1
        for requisition in requisitions.values():
            assert hires[requisition.id] <= requisition.headcount
            if requisition.status is RequisitionStatus.FILLED:
                assert hires[requisition.id] == requisition.headcount


def test_ratings_follow_the_interviewers_habits_and_promotions_the_ratings(app, people):
    generate(app, 1500, seed=11)
    with app.app_context():
        ids = {m.email: accounts.get_user_by_email(m.email).id for m in POOL}
        mean_points = {
            interviewer: float(mean)
            for interviewer, mean in db.session.execute(
                select(Scorecard.interviewer_id, func.avg(ScorecardRating.points))
                .join(ScorecardRating, ScorecardRating.scorecard_id == Scorecard.id)
                .group_by(Scorecard.interviewer_id)
            )
        }
        lenient = mean_points[ids["leo.lindqvist@example.com"]]
        harsh = mean_points[ids["hannah.brandt@example.com"]]
        neutral = mean_points[accounts.get_user_by_email("interviewer@example.com").id]
        assert lenient > neutral + 0.3 and harsh < neutral - 0.3

        # Late: submitted more than two days after the interview began.
        cards = db.session.execute(
            select(Scorecard.interviewer_id, Scorecard.submitted_at, Interview.starts_at).join(
                Interview, Interview.id == Scorecard.interview_id
            )
        ).all()
        late = defaultdict(lambda: [0, 0])
        for interviewer, submitted, starts in cards:
            late[interviewer][0] += submitted - starts > timedelta(days=2)
            late[interviewer][1] += 1
        share = {k: v[0] / v[1] for k, v in late.items()}
        theo = ids["theo.marchetti@example.com"]
        assert share[theo] > 0.4
        assert all(s < 0.25 for k, s in share.items() if k != theo)

        # Hires who were promoted had been rated higher, on average, than the others.
        rated = dict(
            db.session.execute(
                select(Application.hired_user_id, func.avg(ScorecardRating.points))
                .join(Interview, Interview.application_id == Application.id)
                .join(Scorecard, Scorecard.interview_id == Interview.id)
                .join(ScorecardRating, ScorecardRating.scorecard_id == Scorecard.id)
                .where(Application.hired_user_id.is_not(None))
                .group_by(Application.hired_user_id)
            ).all()
        )
        promoted = set(
            db.session.scalars(
                select(LevelSpan.user_id).where(LevelSpan.reason == LevelReason.PROMOTED)
            )
        )
        up = [float(v) for k, v in rated.items() if k in promoted]
        flat = [float(v) for k, v in rated.items() if k not in promoted]
        assert len(up) >= 10 and len(flat) >= 10
        assert sum(up) / len(up) > sum(flat) / len(flat)
        left = db.session.scalar(
            select(func.count()).select_from(User).where(User.left_on.is_not(None))
        )
        assert left >= 3


def test_a_history_of_nothing_and_a_negative_size(app, people):
    result = generate(app, 0)
    assert result.applications == 0 and result.rows["requisitions"] == 4
    with pytest.raises(ValueError):
        generate(app, -1)


def test_the_demo_loads_its_history_once_and_hires_cannot_sign_in(app, runner, client):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "two years of hiring history" in first.output
    assert "leo.lindqvist@example.com" in first.output  # the sign-in help names the pool
    with app.app_context():
        applications = db.session.scalar(select(func.count()).select_from(Application))
        hire = db.session.scalar(
            select(User).join(Application, Application.hired_user_id == User.id).limit(1)
        )
        hire_email = hire.email
        assert hire.is_demo and hire.password_hash is None
        pool = [accounts.get_user_by_email(m.email) for m in POOL]
        assert all(u.is_demo for u in pool)
    again = runner.invoke(args=["demo", "load"])
    assert "nothing changed" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == applications
    refused = client.post("/login", data={"email": hire_email, "password": demo.DEMO_PASSWORD})
    assert refused.status_code == 200 and "not right" in refused.text
    signed_in = client.post("/login", data={"email": POOL[0].email, "password": demo.DEMO_PASSWORD})
    assert signed_in.status_code == 302
