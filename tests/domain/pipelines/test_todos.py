"""The home page's to-dos: which one each stage, interview, offer and requisition makes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pipelines.offers import OfferStatus
from pipelines.plan import StageKind
from pipelines.todos import (
    InterviewTodo,
    RecruiterTodo,
    StageFacts,
    Urgency,
    bounded,
    interview_todo,
    is_stalled,
    most_urgent,
    offer_todo,
    recruiter_todo,
    requisition_health,
)

# A Tuesday.
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def facts(kind: StageKind, **given: object) -> StageFacts:
    return StageFacts(kind=kind, stage_name="Peer Interview", next_stage_name="Panel", **given)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "kind", "words"),
    [
        ({}, RecruiterTodo.RECORD_SCREEN, "Record the screen outcome"),
        ({"screen_passed": True}, RecruiterTodo.ADVANCE, "Screen passed: advance to Panel"),
        ({"screen_passed": False}, RecruiterTodo.DECIDE, "Did not pass the screen: decline"),
    ],
)
def test_the_screen(given, kind, words):
    todo = recruiter_todo(facts(StageKind.RECRUITER_SCREEN, **given))
    assert todo is not None
    assert (todo.kind, todo.words) == (kind, words)


def test_the_assessment_to_send_then_the_candidates_turn_then_advance():
    stage = StageKind.WRITTEN_ASSESSMENT
    todo = recruiter_todo(facts(stage))
    assert todo is not None and todo.kind is RecruiterTodo.SEND_ASSESSMENT
    assert recruiter_todo(facts(stage, assessment_sent=True)) is None
    todo = recruiter_todo(facts(stage, assessment_sent=True, assessment_received=True))
    assert todo is not None and todo.words == "Answers received: advance to Panel"


def test_an_interview_stage_to_schedule_then_the_interviewers_turn():
    todo = recruiter_todo(facts(StageKind.PEER))
    assert todo is not None
    assert (todo.kind, todo.words) == (
        RecruiterTodo.SCHEDULE_INTERVIEW,
        "Schedule the Peer Interview",
    )
    waiting = facts(StageKind.PEER, interview_scheduled=True, interviewers=2, submitted=1)
    assert recruiter_todo(waiting) is None


def test_every_scorecard_in_and_positive_is_ready_to_advance():
    ready = facts(StageKind.PEER, interview_scheduled=True, interviewers=2, submitted=2, positive=2)
    todo = recruiter_todo(ready)
    assert todo is not None
    assert (todo.kind, todo.words) == (
        RecruiterTodo.ADVANCE,
        "Every scorecard in: advance to Panel",
    )


def test_scorecards_in_but_not_positive_ask_for_a_decision():
    split = facts(StageKind.PEER, interview_scheduled=True, interviewers=3, submitted=3, positive=2)
    todo = recruiter_todo(split)
    assert todo is not None and todo.kind is RecruiterTodo.DECIDE
    assert "1 of 3 not positive" in todo.words


def test_moving_into_references_is_the_hiring_managers():
    last = StageFacts(
        kind=StageKind.EXECUTIVE,
        stage_name="Executive Interview",
        next_stage_name="Reference and Background Check",
        next_is_references=True,
        interview_scheduled=True,
        interviewers=1,
        submitted=1,
        positive=1,
    )
    assert recruiter_todo(last) is None
    todo = recruiter_todo(last, hiring_manager=True)
    assert todo is not None and todo.kind is RecruiterTodo.ADVANCE


def test_the_reference_check_to_record():
    todo = recruiter_todo(facts(StageKind.REFERENCES))
    assert todo is not None and todo.kind is RecruiterTodo.RECORD_REFERENCES
    assert recruiter_todo(facts(StageKind.REFERENCES, references_passed=True)) is None


# --- interviewers ---------------------------------------------------------------------


def seat(starts_at, **given):  # type: ignore[no-untyped-def]
    options = {"submitted": False, "cancelled": False, "application_active": True, "now": NOW}
    options.update(given)
    return interview_todo(starts_at, 60, **options)  # type: ignore[arg-type]


def test_an_interview_ahead_or_unset_is_upcoming():
    assert seat(NOW + timedelta(days=1)).kind is InterviewTodo.UPCOMING
    assert seat(None).kind is InterviewTodo.UPCOMING


def test_a_started_interview_owes_its_scorecard_due_then_overdue():
    due = seat(NOW - timedelta(hours=3))
    assert due.kind is InterviewTodo.SCORECARD_DUE
    assert due.due_at == NOW - timedelta(hours=2) + timedelta(days=1)
    assert due.urgency is Urgency.ACTION
    late = seat(NOW - timedelta(days=3))
    assert late.kind is InterviewTodo.SCORECARD_OVERDUE
    assert late.urgency is Urgency.OVERDUE


def test_the_due_rule_is_the_reminders_weekend_skipping_one():
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    saturday_noon = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    state = interview_todo(
        friday, 60, submitted=False, cancelled=False, application_active=True, now=saturday_noon
    )
    assert state is not None and state.kind is InterviewTodo.SCORECARD_DUE
    assert state.due_at == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)  # the Monday


@pytest.mark.parametrize(
    "given", [{"submitted": True}, {"cancelled": True}, {"application_active": False}]
)
def test_nothing_is_owed_once_submitted_cancelled_or_closed(given):
    assert seat(NOW - timedelta(days=3), **given) is None
    assert seat(NOW + timedelta(days=3), **given) is None


# --- offers and requisitions ----------------------------------------------------------


def test_offers_wait_for_someone_until_answered():
    assert offer_todo(OfferStatus.DRAFT, needs_approval=True).words.startswith(  # type: ignore[union-attr]
        "Draft: ask an admin"
    )
    assert "extend" in offer_todo(OfferStatus.DRAFT, needs_approval=False).words  # type: ignore[union-attr]
    assert offer_todo(OfferStatus.AWAITING_APPROVAL, needs_approval=True).urgency is Urgency.INFO  # type: ignore[union-attr]
    assert offer_todo(OfferStatus.APPROVED, needs_approval=True).urgency is Urgency.ACTION  # type: ignore[union-attr]
    assert "answer" in offer_todo(OfferStatus.EXTENDED, needs_approval=False).words  # type: ignore[union-attr]
    for closed in (OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.WITHDRAWN):
        assert offer_todo(closed, needs_approval=False) is None


def test_requisition_health_in_words():
    health = requisition_health(
        in_pipeline=7, stalled=2, hired=1, headcount=3, opened_at=NOW - timedelta(days=40), now=NOW
    )
    assert health.words == "7 in the pipeline · 2 stalled · 1 of 3 hired · open 40 days"
    assert health.urgency is Urgency.ACTION
    calm = requisition_health(
        in_pipeline=0, stalled=0, hired=0, headcount=1, opened_at=NOW, now=NOW
    )
    assert calm.words == "0 in the pipeline · none stalled · 0 of 1 hired · opened today"
    assert calm.urgency is Urgency.INFO


def test_stalled_after_two_weeks_in_a_stage():
    assert not is_stalled(NOW - timedelta(days=13), NOW)
    assert is_stalled(NOW - timedelta(days=15), NOW)


def test_bounded_lists_say_how_many_more():
    shown = bounded(list(range(12)), 5)
    assert shown.shown == (0, 1, 2, 3, 4)
    assert (shown.total, shown.more) == (12, 7)
    assert bounded([1, 2], 5, total=9).more == 7
    assert bounded([], 5).more == 0


def test_the_most_urgent_of_a_section():
    assert most_urgent([Urgency.INFO, Urgency.OVERDUE, Urgency.ACTION]) is Urgency.OVERDUE
    assert most_urgent([]) is Urgency.INFO
