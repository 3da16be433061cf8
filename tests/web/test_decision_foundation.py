"""The records the decisions rest on: level history with the account following it, the
debrief decision's rules, and scorecard ratings kept as rows for the reports."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.db import db
from app.models import Application, LevelSpan, ScorecardRating, User
from app.services import decisions, interviews, levels
from app.services.errors import ServiceError
from pipelines.level_history import LevelReason
from pipelines.leveling import LevelingError


def test_a_promotion_from_today_changes_the_account_and_closes_the_span(app, users):
    with app.app_context():
        member = db.session.get(User, users["team_member"])
        levels.start_level(
            member,
            level_id="csm",
            specialty_id=None,
            starts_on=date(2025, 1, 6),
            reason=LevelReason.HIRED,
            actor=None,
            today=date(2025, 1, 6),
        )
        levels.start_level(
            member,
            level_id="senior-csm",
            specialty_id=None,
            starts_on=date(2026, 3, 1),
            reason=LevelReason.PROMOTED,
            actor=None,
            today=date(2026, 3, 1),
        )
        db.session.commit()
        spans = [(s.level_id, s.starts_on, s.ends_on) for s in levels.history_of(member.id)]
        assert spans == [
            ("csm", date(2025, 1, 6), date(2026, 2, 28)),
            ("senior-csm", date(2026, 3, 1), None),
        ]
        assert (member.level_id, member.level_since) == ("senior-csm", date(2026, 3, 1))


def test_a_later_effective_date_waits_for_the_daily_job(app, users):
    with app.app_context():
        member = db.session.get(User, users["team_member"])
        levels.start_level(
            member,
            level_id="csm",
            specialty_id=None,
            starts_on=date(2025, 1, 6),
            reason=LevelReason.HIRED,
            actor=None,
            today=date(2025, 1, 6),
        )
        levels.start_level(
            member,
            level_id="senior-csm",
            specialty_id=None,
            starts_on=date(2026, 4, 1),
            reason=LevelReason.PROMOTED,
            actor=None,
            today=date(2026, 3, 15),
        )
        db.session.commit()
        assert member.level_id == "csm"
        assert levels.apply_due_levels(date(2026, 3, 31)) == 0
        assert levels.apply_due_levels(date(2026, 4, 1)) == 1
        db.session.refresh(member)
        assert (member.level_id, member.level_since) == ("senior-csm", date(2026, 4, 1))
        assert levels.apply_due_levels(date(2026, 4, 2)) == 0


def test_an_unknown_level_is_refused(app, users):
    with app.app_context():
        member = db.session.get(User, users["team_member"])
        with pytest.raises(ServiceError, match="no level 'cto'"):
            levels.start_level(
                member,
                level_id="cto",
                specialty_id=None,
                starts_on=date(2025, 1, 6),
                reason=LevelReason.CHANGED,
                actor=None,
                today=date(2025, 1, 6),
            )
        assert db.session.scalar(select(LevelSpan.id)) is None


def test_only_the_hiring_manager_decides_and_off_level_needs_a_reason(app, users, hiring_objects):
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        interviewer = db.session.get(User, users["interviewer"])
        manager = db.session.get(User, users["hiring_manager"])
        with pytest.raises(ServiceError, match="hiring manager"):
            decisions.record_decision(
                application,
                actor=interviewer,
                outcome="hire",
                level_id=None,
                rationale=None,
                expected_version=None,
            )
        with pytest.raises(LevelingError, match="rationale"):
            decisions.record_decision(
                application,
                actor=manager,
                outcome="hire",
                level_id="staff-csm",
                rationale="",
                expected_version=None,
            )
        decision = decisions.record_decision(
            application,
            actor=manager,
            outcome="hire",
            level_id="staff-csm",
            rationale="Ran a region's renewals.",
            expected_version=None,
        )
        assert (decision.level_id, decision.step.value) == ("staff-csm", "above")
        with pytest.raises(ServiceError, match="changed by someone else"):
            decisions.record_decision(
                application,
                actor=manager,
                outcome="hire",
                level_id=None,
                rationale=None,
                expected_version=decision.version + 1,
            )


def test_no_hire_declines_the_application(app, users, hiring_objects):
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        manager = db.session.get(User, users["hiring_manager"])
        decisions.record_decision(
            application,
            actor=manager,
            outcome="no_hire",
            level_id=None,
            rationale="Not enough public-sector depth.",
            expected_version=None,
        )
        db.session.refresh(application)
        assert application.status.value == "declined"
        assert application.decline_reason.value == "interviews"


def test_a_submitted_scorecard_leaves_one_row_per_criterion(app, users, hiring_objects):
    from app.models import Interview

    with app.app_context():
        interview = db.session.get(Interview, hiring_objects["interview_id"])
        application = db.session.get(Application, hiring_objects["application_id"])
        interviewer = db.session.get(User, users["interviewer"])
        criteria = interviews.criteria_of(interview, application)
        marks = {c.id: "yes" for c in criteria}
        marks[criteria[0].id] = "not_assessed"
        marks[criteria[1].id] = "strong_no"
        card = interviews.save_scorecard(
            interview,
            application,
            interviewer=interviewer,
            ratings=marks,
            recommendation="yes",
            notes="Clear examples.",
            submit=True,
            expected_version=None,
        )
        rows = dict(
            db.session.execute(
                select(ScorecardRating.criterion_id, ScorecardRating.points).where(
                    ScorecardRating.scorecard_id == card.id
                )
            ).all()
        )
        assert len(rows) == len(criteria)
        assert rows[criteria[0].id] is None
        assert rows[criteria[1].id] == 1
        assert rows[criteria[2].id] == 3


def test_the_daily_job_never_moves_a_level_back(app, users):
    """An approval in a zone ahead of the job's day (10 March in Auckland is still 9 March
    in UTC) starts the new level on 10 March; the job on 9 March must not undo it."""
    with app.app_context():
        member = db.session.get(User, users["team_member"])
        levels.start_level(
            member,
            level_id="senior-csm",
            specialty_id=None,
            starts_on=date(2024, 1, 8),
            reason=LevelReason.HIRED,
            actor=None,
            today=date(2024, 1, 8),
        )
        levels.start_level(
            member,
            level_id="staff-csm",
            specialty_id=None,
            starts_on=date(2027, 3, 10),
            reason=LevelReason.PROMOTED,
            actor=None,
            today=date(2027, 3, 10),
        )
        db.session.commit()
        assert levels.apply_due_levels(date(2027, 3, 9)) == 0
        db.session.refresh(member)
        assert member.level_id == "staff-csm"

