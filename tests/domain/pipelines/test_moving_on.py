"""What "move on" means at each stage, decline reasons, and where an assessment link stands."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pipelines.applications import (
    Action,
    ApplicationState,
    ApplicationStatus,
    DeclineReason,
    advance,
    decline_reason,
    make_offer,
    move_on,
    move_to_references,
    next_move,
    reason_in_words,
)
from pipelines.assessment import InvitationStatus, invitation_status
from pipelines.errors import ReasonRequiredError, TransitionError, UnknownReasonError
from pipelines.plan import PipelinePlan, StageKind
from pipelines.requisitions import RequisitionStatus
from tests.domain.pipelines.pipelines_testing import AT, HIRING_MANAGER, RECRUITER, all_passing


def at(stage_id: str, status: ApplicationStatus = ApplicationStatus.ACTIVE) -> ApplicationState:
    return ApplicationState(stage_id=stage_id, status=status)


def test_moving_on_advances_then_enters_references_then_makes_the_offer(csm_plan: PipelinePlan):
    stages = csm_plan.stages
    references = csm_plan.references
    expected = {
        stage.id: Action.ADVANCE for stage in stages if stage.position + 1 < references.position
    }
    expected[stages[references.position - 1].id] = Action.MOVE_TO_REFERENCES
    expected[references.id] = Action.MAKE_OFFER
    assert {stage.id: next_move(csm_plan, at(stage.id)) for stage in stages} == expected


@pytest.mark.parametrize(
    ("action", "move"),
    [
        (Action.ADVANCE, advance),
        (Action.MOVE_TO_REFERENCES, move_to_references),
        (Action.MAKE_OFFER, make_offer),
    ],
)
def test_move_on_makes_the_move_next_move_names(csm_plan: PipelinePlan, action, move):
    stage = next(s for s in csm_plan.stages if next_move(csm_plan, at(s.id)) is action)
    evidence = all_passing(csm_plan)
    moved = move_on(csm_plan, at(stage.id), actor=HIRING_MANAGER, at=AT, evidence=evidence)
    direct = move(csm_plan, at(stage.id), actor=HIRING_MANAGER, at=AT, evidence=evidence)
    assert moved == direct
    assert moved.transition.action is action


def test_move_on_keeps_the_rules_of_the_move_it_makes(csm_plan: PipelinePlan):
    last_interview = csm_plan.stages[csm_plan.references.position - 1]
    with pytest.raises(TransitionError, match="only the hiring manager"):
        move_on(csm_plan, at(last_interview.id), actor=RECRUITER, at=AT)
    offer = at(csm_plan.references.id, ApplicationStatus.OFFER)
    with pytest.raises(TransitionError, match="already has an offer"):
        move_on(csm_plan, offer, actor=HIRING_MANAGER, at=AT)


def test_a_decline_reason_is_one_of_the_list_and_other_needs_a_note():
    assert decline_reason("skills", None) is DeclineReason.SKILLS
    assert decline_reason("other", "  Moved abroad ") is DeclineReason.OTHER
    with pytest.raises(UnknownReasonError, match="from the list"):
        decline_reason("vibes", "a note does not help")
    with pytest.raises(UnknownReasonError):
        decline_reason("", None)
    with pytest.raises(ReasonRequiredError, match="note"):
        decline_reason("other", "   ")
    assert [r for r in DeclineReason if r.needs_note] == [DeclineReason.OTHER]


def test_a_recorded_reason_reads_as_its_label_or_as_written():
    assert reason_in_words("position_filled") == "Position filled by another candidate"
    assert reason_in_words("The candidate asked us to wait") == "The candidate asked us to wait"


def test_only_an_open_requisition_takes_candidates():
    assert [s for s in RequisitionStatus if s.takes_candidates] == [RequisitionStatus.OPEN]
    assert RequisitionStatus.ON_HOLD.label == "On hold"


@pytest.mark.parametrize(
    ("answered", "active", "expires_in", "status"),
    [
        (True, False, -1, InvitationStatus.ANSWERED),  # answers stay, whatever happened
        (False, False, 1, InvitationStatus.CLOSED),  # closes with the application
        (False, True, 0, InvitationStatus.EXPIRED),  # expired at its time
        (False, True, -1, InvitationStatus.EXPIRED),
        (False, True, 1, InvitationStatus.OPEN),
    ],
)
def test_where_an_assessment_link_stands(answered, active, expires_in, status):
    assert (
        invitation_status(
            answered=answered,
            application_active=active,
            expires_at=AT + timedelta(minutes=expires_in),
            now=AT,
        )
        is status
    )


def test_the_plan_ends_with_the_reference_check(csm_plan: PipelinePlan):
    # next_move relies on it: the stage after the last interview is the reference check.
    assert csm_plan.stages[-1].kind is StageKind.REFERENCES


# ---------------------------------------------------------------------------------------------
# Which "move on" a person can make now (what the board and the application page offer)


def _executive(plan: PipelinePlan) -> str:
    """The last stage before the reference check: moving on enters references."""
    return plan.stages[plan.references.position - 1].id


def test_the_recruiter_is_not_offered_entering_references(csm_plan: PipelinePlan):
    from pipelines.applications import move_on_offer

    stage = _executive(csm_plan)
    offer = move_on_offer(
        csm_plan, at(stage), actor=RECRUITER, at=AT, evidence=all_passing(csm_plan)
    )
    assert offer is not None and offer.action is Action.MOVE_TO_REFERENCES
    assert not offer.possible and not offer.needs_override
    assert offer.reason is not None and "only the hiring manager" in offer.reason
    manager = move_on_offer(
        csm_plan, at(stage), actor=HIRING_MANAGER, at=AT, evidence=all_passing(csm_plan)
    )
    assert manager is not None and manager.possible and manager.reason is None


def test_an_uncleared_stage_needs_the_hiring_managers_override(csm_plan: PipelinePlan):
    from pipelines.applications import move_on_offer

    first = csm_plan.stages[0].id
    recruiter = move_on_offer(csm_plan, at(first), actor=RECRUITER, at=AT, evidence={})
    assert recruiter is not None and not recruiter.possible and not recruiter.needs_override
    assert recruiter.reason == (
        "Cannot leave Recruiter Screening: the screen outcome is not recorded yet. "
        "Only the hiring manager can override this."
    )
    manager = move_on_offer(csm_plan, at(first), actor=HIRING_MANAGER, at=AT, evidence={})
    assert manager is not None and not manager.possible and manager.needs_override
    passed = move_on_offer(
        csm_plan, at(first), actor=RECRUITER, at=AT, evidence=all_passing(csm_plan)
    )
    assert passed is not None and passed.possible


def test_no_move_on_is_offered_off_the_active_stages(csm_plan: PipelinePlan):
    from pipelines.applications import move_on_offer

    first = csm_plan.stages[0].id
    for status in (ApplicationStatus.OFFER, ApplicationStatus.DECLINED, ApplicationStatus.HIRED):
        assert move_on_offer(csm_plan, at(first, status), actor=HIRING_MANAGER, at=AT) is None
    # At the reference check moving on is the offer, drafted on its own form.
    references = csm_plan.references.id
    assert move_on_offer(csm_plan, at(references), actor=HIRING_MANAGER, at=AT) is None
