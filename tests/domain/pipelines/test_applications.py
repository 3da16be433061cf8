"""The application state machine: every move, every refusal and its message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from pipelines.applications import (
    Action,
    ApplicationState,
    ApplicationStatus,
    Moved,
    StageEvidence,
    Transition,
    advance,
    allowed_actions,
    check_can_send_assessment,
    check_stage,
    decline,
    hire,
    make_offer,
    move_on_offer,
    move_to_references,
    open_application,
    overridden_stages,
    replay,
    stage_gone,
    withdraw,
)
from pipelines.errors import (
    ApplicationClosedError,
    HiringManagerOnlyError,
    HistoryError,
    PipelineError,
    ReasonRequiredError,
    StageNotClearedError,
    TransitionError,
    UnknownStageError,
    WrongStageError,
    WrongStatusError,
)
from pipelines.plan import PipelinePlan
from pipelines.scorecards import Rating, ScorecardSummary
from tests.domain.pipelines.pipelines_testing import (
    AT,
    HIRING_MANAGER,
    RECRUITER,
    all_passing,
    cards,
    positive,
)

S = ApplicationStatus
SCREEN = "recruiter-screening"
ASSESSMENT = "written-assessment"
MANAGER = "hiring-manager-interview"
PEER = "peer-interview"
PANEL = "panel-interview"
EXECUTIVE = "executive-interview"
REFERENCES = "reference-and-background-check"


def at(stage_id: str, status: ApplicationStatus = S.ACTIVE, **extra: Any) -> ApplicationState:
    return ApplicationState(stage_id, status, **extra)


def refusal(error: type[Exception], call: Callable[[], object]) -> str:
    with pytest.raises(error) as caught:
        call()
    assert isinstance(caught.value, TransitionError)
    assert isinstance(caught.value, PipelineError)
    return str(caught.value)


# ---------------------------------------------------------------------------------------------
# Opening and advancing


def test_open_application_starts_at_the_screen(csm_plan: PipelinePlan) -> None:
    state, transition = open_application(csm_plan, actor=RECRUITER, at=AT)
    assert state == ApplicationState(SCREEN, S.ACTIVE)
    assert transition == Transition(Action.OPEN, 1, AT, None, None, S.ACTIVE, SCREEN)


def test_advance_after_a_passed_screen_records_the_transition(csm_plan: PipelinePlan) -> None:
    evidence = {SCREEN: StageEvidence(screen_passed=True)}
    state, transition = advance(csm_plan, at(SCREEN), actor=RECRUITER, at=AT, evidence=evidence)
    assert state == at(ASSESSMENT)
    assert transition == Transition(
        action=Action.ADVANCE,
        actor_id=RECRUITER.id,
        at=AT,
        from_status=S.ACTIVE,
        from_stage=SCREEN,
        to_status=S.ACTIVE,
        to_stage=ASSESSMENT,
    )
    assert not transition.is_override


@pytest.mark.parametrize(
    ("stage_id", "evidence", "message"),
    [
        (
            SCREEN,
            StageEvidence(),
            "Cannot leave Recruiter Screening: the screen outcome is not recorded yet.",
        ),
        (
            SCREEN,
            StageEvidence(screen_passed=False),
            "Cannot leave Recruiter Screening: the candidate did not pass the screen.",
        ),
        (
            ASSESSMENT,
            StageEvidence(),
            "Cannot leave Written Assessment: the written assessment has not been sent yet.",
        ),
        (
            ASSESSMENT,
            StageEvidence(assessment_sent=True),
            "Cannot leave Written Assessment: the candidate's answers have not been received yet.",
        ),
        (
            MANAGER,
            StageEvidence(),
            "Cannot leave Hiring Manager Interview: no scorecards yet.",
        ),
        (
            PEER,
            cards((3, Rating.YES, True), (7, None, False)),
            "Cannot leave Peer Interview: 1 of 2 scorecards not submitted (pending: Chen Wei).",
        ),
        (
            PEER,
            cards((7, None, False)),
            "Cannot leave Peer Interview: 1 of 1 scorecard not submitted (pending: Chen Wei).",
        ),
        (
            PANEL,
            cards((2, Rating.YES, True), (8, Rating.STRONG_YES, True), (9, Rating.NO, True)),
            "Cannot leave Panel Interview: 1 of 3 scorecards not positive (Eli Moss: no).",
        ),
        (
            PANEL,
            cards((2, Rating.STRONG_NO, True), (8, None, False), (9, None, True)),
            "Cannot leave Panel Interview: 1 of 3 scorecards not submitted "
            "(pending: Dita Sari); "
            "2 of 3 scorecards not positive (Ana Ruiz: strong no, Eli Moss: no "
            "recommendation).",
        ),
        (
            PANEL,
            cards((8, None, False), (9, Rating.YES, False)),
            "Cannot leave Panel Interview: 2 of 2 scorecards not submitted "
            "(pending: Dita Sari, Eli Moss).",
        ),
    ],
)
def test_a_stage_is_left_only_on_passing_evidence(
    csm_plan: PipelinePlan, stage_id: str, evidence: StageEvidence, message: str
) -> None:
    state = at(stage_id)
    error = refusal(
        StageNotClearedError,
        lambda: advance(csm_plan, state, actor=RECRUITER, at=AT, evidence={stage_id: evidence}),
    )
    assert error == message


def test_the_refusal_names_the_stage(csm_plan: PipelinePlan) -> None:
    with pytest.raises(StageNotClearedError) as caught:
        advance(csm_plan, at(PEER), actor=RECRUITER, at=AT)
    assert caught.value.stage_ids == (PEER,)


@pytest.mark.parametrize(
    ("stage_id", "evidence", "next_stage"),
    [
        (ASSESSMENT, StageEvidence(assessment_received=True), MANAGER),
        (MANAGER, positive(2), PEER),
        (PEER, cards((3, Rating.STRONG_YES, True), (4, Rating.YES, True)), PANEL),
        (PANEL, positive(2, 8, 9), EXECUTIVE),
    ],
)
def test_passing_evidence_moves_to_the_next_stage(
    csm_plan: PipelinePlan, stage_id: str, evidence: StageEvidence, next_stage: str
) -> None:
    moved = advance(csm_plan, at(stage_id), actor=RECRUITER, at=AT, evidence={stage_id: evidence})
    assert moved.state == at(next_stage)
    assert (moved.transition.from_stage, moved.transition.to_stage) == (stage_id, next_stage)


def test_only_the_current_stage_evidence_matters_for_an_ordinary_advance(
    csm_plan: PipelinePlan,
) -> None:
    evidence = {MANAGER: positive(2), SCREEN: StageEvidence(screen_passed=False)}
    moved = advance(csm_plan, at(MANAGER), actor=RECRUITER, at=AT, evidence=evidence)
    assert moved.state.stage_id == PEER


def test_without_an_executive_stage_the_panel_leads_to_references(csa_plan: PipelinePlan) -> None:
    evidence = all_passing(csa_plan)
    moved = advance(csa_plan, at(PANEL), actor=HIRING_MANAGER, at=AT, evidence=evidence)
    assert moved.state.stage_id == REFERENCES


# ---------------------------------------------------------------------------------------------
# Overrides


def test_the_hiring_manager_overrides_with_a_written_reason(csm_plan: PipelinePlan) -> None:
    evidence = {PEER: cards((3, Rating.NO, True))}
    state, transition = advance(
        csm_plan,
        at(PEER),
        actor=HIRING_MANAGER,
        at=AT,
        evidence=evidence,
        override_reason="  Strong on the demo; the peer saw a bad day.  ",
    )
    assert state == at(PANEL, overridden=frozenset({PEER}))
    assert transition.overridden == (PEER,)
    assert transition.is_override
    assert transition.reason == "Strong on the demo; the peer saw a bad day."
    assert transition.actor_id == HIRING_MANAGER.id


def test_only_the_hiring_manager_can_override(csm_plan: PipelinePlan) -> None:
    evidence = {PEER: cards((3, Rating.NO, True))}
    message = refusal(
        HiringManagerOnlyError,
        lambda: advance(
            csm_plan, at(PEER), actor=RECRUITER, at=AT, evidence=evidence, override_reason="Fine"
        ),
    )
    assert message == (
        "Cannot leave Peer Interview: 1 of 1 scorecard not positive (Ben Okafor: no). "
        "Only the hiring manager can override this."
    )


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_an_override_needs_a_written_reason(csm_plan: PipelinePlan, blank: str) -> None:
    message = refusal(
        ReasonRequiredError,
        lambda: advance(csm_plan, at(MANAGER), actor=HIRING_MANAGER, at=AT, override_reason=blank),
    )
    assert message == (
        "Cannot leave Hiring Manager Interview: no scorecards yet. "
        "An override needs a written reason."
    )


def test_a_reason_given_when_no_override_is_needed_is_kept(csm_plan: PipelinePlan) -> None:
    evidence = {MANAGER: positive(2)}
    moved = advance(
        csm_plan, at(MANAGER), actor=HIRING_MANAGER, at=AT, evidence=evidence, override_reason=" "
    )
    assert moved.transition.reason is None
    assert not moved.transition.is_override
    assert moved.state.overridden == frozenset()


# ---------------------------------------------------------------------------------------------
# References


def test_only_the_hiring_manager_moves_to_references(csm_plan: PipelinePlan) -> None:
    evidence = all_passing(csm_plan)
    message = refusal(
        HiringManagerOnlyError,
        lambda: advance(csm_plan, at(EXECUTIVE), actor=RECRUITER, at=AT, evidence=evidence),
    )
    assert message == (
        "Cannot advance: only the hiring manager can move an application to "
        "Reference and Background Check."
    )


def test_references_once_every_interview_stage_is_positive(csm_plan: PipelinePlan) -> None:
    moved = advance(
        csm_plan, at(EXECUTIVE), actor=HIRING_MANAGER, at=AT, evidence=all_passing(csm_plan)
    )
    assert moved.state == at(REFERENCES)
    assert moved.transition.action is Action.ADVANCE


def test_references_refused_while_an_earlier_interview_is_negative(
    csm_plan: PipelinePlan,
) -> None:
    evidence = {**all_passing(csm_plan), PEER: cards((3, Rating.NO, True), (4, Rating.YES, True))}
    message = refusal(
        StageNotClearedError,
        lambda: advance(csm_plan, at(EXECUTIVE), actor=HIRING_MANAGER, at=AT, evidence=evidence),
    )
    assert message == (
        "Cannot move to Reference and Background Check: not every stage is positive. "
        "Peer Interview: 1 of 2 scorecards not positive (Ben Okafor: no)."
    )


def test_an_overridden_stage_counts_as_cleared(csm_plan: PipelinePlan) -> None:
    evidence = {**all_passing(csm_plan), PEER: cards((3, Rating.NO, True))}
    state = at(EXECUTIVE, overridden=frozenset({PEER}))
    moved = advance(csm_plan, state, actor=HIRING_MANAGER, at=AT, evidence=evidence)
    assert moved.state.stage_id == REFERENCES
    assert moved.state.overridden == frozenset({PEER})
    assert moved.transition.overridden == ()


def test_screen_and_assessment_count_as_passed_once_left(csm_plan: PipelinePlan) -> None:
    evidence = {s.id: positive(2) for s in csm_plan.interview_stages}
    moved = advance(csm_plan, at(EXECUTIVE), actor=HIRING_MANAGER, at=AT, evidence=evidence)
    assert moved.state.stage_id == REFERENCES


def test_move_to_references_skipping_stages_lists_each_missing_one(
    csm_plan: PipelinePlan,
) -> None:
    evidence = {MANAGER: positive(2)}
    message = refusal(
        StageNotClearedError,
        lambda: move_to_references(
            csm_plan, at(PEER), actor=HIRING_MANAGER, at=AT, evidence=evidence
        ),
    )
    assert message == (
        "Cannot move to Reference and Background Check: not every stage is positive. "
        "Peer Interview: no scorecards yet. Panel Interview: no scorecards yet. "
        "Executive Interview: no scorecards yet."
    )


def test_move_to_references_from_the_screen_judges_the_screen_and_assessment(
    csm_plan: PipelinePlan,
) -> None:
    evidence = {s.id: positive(2) for s in csm_plan.interview_stages}
    message = refusal(
        StageNotClearedError,
        lambda: move_to_references(
            csm_plan, at(SCREEN), actor=HIRING_MANAGER, at=AT, evidence=evidence
        ),
    )
    assert message == (
        "Cannot move to Reference and Background Check: not every stage is positive. "
        "Recruiter Screening: the screen outcome is not recorded yet. "
        "Written Assessment: the written assessment has not been sent yet."
    )


def test_move_to_references_with_every_stage_positive(csm_plan: PipelinePlan) -> None:
    moved = move_to_references(
        csm_plan, at(PEER), actor=HIRING_MANAGER, at=AT, evidence=all_passing(csm_plan)
    )
    assert moved.state == at(REFERENCES)
    assert moved.transition.action is Action.MOVE_TO_REFERENCES
    assert moved.transition.from_stage == PEER


def test_move_to_references_on_override_records_every_skipped_stage(
    csm_plan: PipelinePlan,
) -> None:
    moved = move_to_references(
        csm_plan,
        at(PANEL),
        actor=HIRING_MANAGER,
        at=AT,
        evidence={MANAGER: positive(2), PEER: positive(3)},
        override_reason="The executive interviewed the candidate last year.",
    )
    assert moved.transition.overridden == (PANEL, EXECUTIVE)
    assert moved.state.overridden == frozenset({PANEL, EXECUTIVE})
    assert moved.transition.reason == "The executive interviewed the candidate last year."


def test_move_to_references_by_someone_else(csm_plan: PipelinePlan) -> None:
    message = refusal(
        HiringManagerOnlyError,
        lambda: move_to_references(
            csm_plan, at(PANEL), actor=RECRUITER, at=AT, evidence=all_passing(csm_plan)
        ),
    )
    assert message == (
        "Cannot move to references: only the hiring manager can move an application to "
        "Reference and Background Check."
    )


def test_move_to_references_when_already_there(csm_plan: PipelinePlan) -> None:
    message = refusal(
        WrongStageError,
        lambda: move_to_references(csm_plan, at(REFERENCES), actor=HIRING_MANAGER, at=AT),
    )
    assert message == (
        "Cannot move to references: the application is already at Reference and Background Check."
    )


def test_advance_from_the_last_stage(csm_plan: PipelinePlan) -> None:
    message = refusal(
        WrongStageError,
        lambda: advance(
            csm_plan, at(REFERENCES), actor=HIRING_MANAGER, at=AT, evidence=all_passing(csm_plan)
        ),
    )
    assert message == (
        "Cannot advance: Reference and Background Check is the last stage; "
        "make an offer once it is passed."
    )


# ---------------------------------------------------------------------------------------------
# Offer and hire


def test_make_offer_after_passed_references(csm_plan: PipelinePlan) -> None:
    evidence = {REFERENCES: StageEvidence(references_passed=True)}
    state, transition = make_offer(
        csm_plan, at(REFERENCES), actor=HIRING_MANAGER, at=AT, evidence=evidence
    )
    assert state == at(REFERENCES, S.OFFER)
    assert (transition.from_status, transition.to_status) == (S.ACTIVE, S.OFFER)
    assert transition.action is Action.MAKE_OFFER


@pytest.mark.parametrize(
    ("passed", "message"),
    [
        (None, "Cannot make an offer: Reference and Background Check is not complete yet."),
        (False, "Cannot make an offer: Reference and Background Check was not passed."),
    ],
)
def test_make_offer_before_references_pass(
    csm_plan: PipelinePlan, passed: bool | None, message: str
) -> None:
    evidence = {REFERENCES: StageEvidence(references_passed=passed)}
    assert message == refusal(
        StageNotClearedError,
        lambda: make_offer(
            csm_plan, at(REFERENCES), actor=HIRING_MANAGER, at=AT, evidence=evidence
        ),
    )


def test_make_offer_on_override(csm_plan: PipelinePlan) -> None:
    moved = make_offer(
        csm_plan,
        at(REFERENCES),
        actor=HIRING_MANAGER,
        at=AT,
        override_reason="One referee is on leave; the other two are glowing.",
    )
    assert moved.state.status is S.OFFER
    assert moved.transition.overridden == (REFERENCES,)


def test_make_offer_away_from_references(csm_plan: PipelinePlan) -> None:
    message = refusal(
        WrongStageError,
        lambda: make_offer(csm_plan, at(PANEL), actor=HIRING_MANAGER, at=AT),
    )
    assert message == (
        "Cannot make an offer: the application is at Panel Interview, "
        "not at Reference and Background Check."
    )


def test_make_offer_by_someone_else(csm_plan: PipelinePlan) -> None:
    evidence = {REFERENCES: StageEvidence(references_passed=True)}
    message = refusal(
        HiringManagerOnlyError,
        lambda: make_offer(csm_plan, at(REFERENCES), actor=RECRUITER, at=AT, evidence=evidence),
    )
    assert message == (
        "Cannot make an offer: only the hiring manager can, until their hire decision is recorded."
    )


def test_make_offer_on_the_hiring_managers_decision(csm_plan: PipelinePlan) -> None:
    evidence = {REFERENCES: StageEvidence(references_passed=True)}
    moved = make_offer(
        csm_plan, at(REFERENCES), actor=RECRUITER, at=AT, evidence=evidence, decided=True
    )
    assert moved.state.status is S.OFFER
    assert moved.transition.actor_id == RECRUITER.id


def test_a_decision_does_not_let_the_recruiter_override_references(
    csm_plan: PipelinePlan,
) -> None:
    message = refusal(
        HiringManagerOnlyError,
        lambda: make_offer(
            csm_plan,
            at(REFERENCES),
            actor=RECRUITER,
            at=AT,
            decided=True,
            override_reason="The referees are slow.",
        ),
    )
    assert "Only the hiring manager can override this." in message


def test_hire_after_an_offer(csm_plan: PipelinePlan) -> None:
    state, transition = hire(csm_plan, at(REFERENCES, S.OFFER), actor=RECRUITER, at=AT)
    assert state == at(REFERENCES, S.HIRED)
    assert (transition.from_status, transition.to_status) == (S.OFFER, S.HIRED)


def test_hire_without_an_offer(csm_plan: PipelinePlan) -> None:
    message = refusal(
        WrongStatusError, lambda: hire(csm_plan, at(REFERENCES), actor=HIRING_MANAGER, at=AT)
    )
    assert message == (
        "Cannot hire: the application is at Reference and Background Check without an offer; "
        "make an offer first."
    )


# ---------------------------------------------------------------------------------------------
# Decline and withdraw


STAGES = [SCREEN, ASSESSMENT, MANAGER, PEER, PANEL, EXECUTIVE, REFERENCES]


@pytest.mark.parametrize("stage_id", STAGES)
def test_decline_at_any_stage(csm_plan: PipelinePlan, stage_id: str) -> None:
    state, transition = decline(
        csm_plan,
        at(stage_id),
        actor=RECRUITER,
        at=AT,
        reason=" Not enough experience ",
        note="Encourage them to apply again next year.",
    )
    assert state == at(stage_id, S.DECLINED, reason="Not enough experience")
    assert transition.reason == "Not enough experience"
    assert transition.note == "Encourage them to apply again next year."
    assert (transition.from_stage, transition.to_stage) == (stage_id, stage_id)


@pytest.mark.parametrize("blank", ["", "  "])
def test_decline_needs_a_reason(csm_plan: PipelinePlan, blank: str) -> None:
    message = refusal(
        ReasonRequiredError,
        lambda: decline(csm_plan, at(PEER), actor=RECRUITER, at=AT, reason=blank),
    )
    assert message == "Cannot decline at Peer Interview: a reason is required."


@pytest.mark.parametrize("stage_id", STAGES)
def test_withdraw_at_any_stage(csm_plan: PipelinePlan, stage_id: str) -> None:
    state, transition = withdraw(csm_plan, at(stage_id), actor=RECRUITER, at=AT)
    assert state == at(stage_id, S.WITHDRAWN)
    assert transition.reason is None
    assert transition.action is Action.WITHDRAW


def test_withdraw_after_an_offer_keeps_the_reason(csm_plan: PipelinePlan) -> None:
    state, _ = withdraw(
        csm_plan, at(REFERENCES, S.OFFER), actor=RECRUITER, at=AT, reason="Accepted another offer"
    )
    assert state == at(REFERENCES, S.WITHDRAWN, reason="Accepted another offer")


# ---------------------------------------------------------------------------------------------
# Refusals by status


def _every_move(plan: PipelinePlan, state: ApplicationState) -> dict[str, Callable[[], Moved]]:
    evidence = all_passing(plan)
    hm = HIRING_MANAGER
    return {
        "advance": lambda: advance(plan, state, actor=hm, at=AT, evidence=evidence),
        "move to references": lambda: move_to_references(
            plan, state, actor=hm, at=AT, evidence=evidence
        ),
        "decline": lambda: decline(plan, state, actor=hm, at=AT, reason="No"),
        "withdraw": lambda: withdraw(plan, state, actor=hm, at=AT),
        "make an offer": lambda: make_offer(plan, state, actor=hm, at=AT, evidence=evidence),
        "hire": lambda: hire(plan, state, actor=hm, at=AT),
    }


@pytest.mark.parametrize(
    ("status", "ended"),
    [
        (S.DECLINED, "the application was declined at Peer Interview"),
        (S.WITHDRAWN, "the application was withdrawn at Peer Interview"),
        (S.HIRED, "the candidate was hired"),
    ],
)
@pytest.mark.parametrize(
    "verb", ["advance", "move to references", "decline", "withdraw", "make an offer", "hire"]
)
def test_closed_applications_never_move(
    csm_plan: PipelinePlan, status: ApplicationStatus, ended: str, verb: str
) -> None:
    move = _every_move(csm_plan, at(PEER, status))[verb]
    assert refusal(ApplicationClosedError, move) == f"Cannot {verb}: {ended}, and it is closed."


@pytest.mark.parametrize("verb", ["advance", "move to references", "decline", "make an offer"])
def test_an_offer_only_leads_to_hire_or_withdrawal(csm_plan: PipelinePlan, verb: str) -> None:
    move = _every_move(csm_plan, at(REFERENCES, S.OFFER))[verb]
    assert refusal(WrongStatusError, move) == (
        f"Cannot {verb}: the application already has an offer; "
        "hire the candidate or record a withdrawal."
    )


@pytest.mark.parametrize("verb", ["advance", "move to references", "make an offer"])
def test_a_stage_the_plan_lacks(csm_plan: PipelinePlan, verb: str) -> None:
    """Nothing moves an application on from a stage its plan lacks; declining and
    withdrawing it still close it (below)."""
    move = _every_move(csm_plan, at("coffee-chat"))[verb]
    assert "has no stage 'coffee-chat'" in refusal(UnknownStageError, move)


def test_times_must_be_timezone_aware(csm_plan: PipelinePlan) -> None:
    naive = datetime(2025, 3, 3, 9, 30)
    with pytest.raises(ValueError, match="timezone-aware"):
        withdraw(csm_plan, at(PEER), actor=RECRUITER, at=naive)


def test_times_are_recorded_in_utc(csm_plan: PipelinePlan) -> None:
    paris = datetime(2025, 3, 3, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    moved = withdraw(csm_plan, at(PEER), actor=RECRUITER, at=paris)
    assert moved.transition.at == AT
    assert moved.transition.at.tzinfo is UTC


# ---------------------------------------------------------------------------------------------
# What the app asks


def test_allowed_actions(csm_plan: PipelinePlan) -> None:
    A = Action
    assert allowed_actions(csm_plan, at(PEER)) == {
        A.ADVANCE,
        A.MOVE_TO_REFERENCES,
        A.DECLINE,
        A.WITHDRAW,
    }
    assert allowed_actions(csm_plan, at(REFERENCES)) == {A.MAKE_OFFER, A.DECLINE, A.WITHDRAW}
    assert allowed_actions(csm_plan, at(REFERENCES, S.OFFER)) == {A.HIRE, A.WITHDRAW}
    for status in (S.DECLINED, S.WITHDRAWN, S.HIRED):
        assert allowed_actions(csm_plan, at(PEER, status)) == frozenset()


def test_an_application_at_a_stage_the_plan_no_longer_has_can_only_be_closed(
    csm_plan: PipelinePlan,
) -> None:
    gone = at("stage-of-an-older-ladder")
    assert allowed_actions(csm_plan, gone) == {Action.DECLINE, Action.WITHDRAW}
    offer = move_on_offer(csm_plan, gone, actor=RECRUITER, at=AT)
    assert offer is not None and not offer.possible and not offer.needs_override
    assert offer.reason == stage_gone(csm_plan, gone)
    assert "'stage-of-an-older-ladder'" in offer.reason and "declined or withdrawn" in offer.reason
    # Still closable by the usual verbs.
    assert decline(csm_plan, gone, actor=RECRUITER, at=AT, reason="skills")[0].status is S.DECLINED
    assert withdraw(csm_plan, gone, actor=RECRUITER, at=AT)[0].status is S.WITHDRAWN


def test_the_assessment_is_sent_at_its_stage(csm_plan: PipelinePlan) -> None:
    assert check_can_send_assessment(csm_plan, at(ASSESSMENT)).id == ASSESSMENT
    message = refusal(WrongStageError, lambda: check_can_send_assessment(csm_plan, at(SCREEN)))
    assert message == (
        "The written assessment is sent only at the written assessment stage, after a passed "
        "screen; the application is at Recruiter Screening."
    )
    message = refusal(
        ApplicationClosedError,
        lambda: check_can_send_assessment(csm_plan, at(ASSESSMENT, S.DECLINED)),
    )
    assert message == (
        "Cannot send the written assessment: the application was declined at Written "
        "Assessment, and it is closed."
    )


def test_check_stage_reports_without_raising(csm_plan: PipelinePlan) -> None:
    check = check_stage(csm_plan.stage(PEER), cards((3, Rating.YES, True), (7, None, False)))
    assert not check.passed
    assert check.describe() == "1 of 2 scorecards not submitted (pending: Chen Wei)"
    assert check_stage(csm_plan.stage(PEER), positive(3)).passed
    assert not check_stage(csm_plan.stage(PEER)).passed


# ---------------------------------------------------------------------------------------------
# A whole run and its history


def run_to_hire(plan: PipelinePlan) -> list[Transition]:
    evidence = all_passing(plan)
    moved = open_application(plan, actor=RECRUITER, at=AT)
    history = [moved.transition]
    for _ in plan.stages[:-1]:
        moved = advance(plan, moved.state, actor=HIRING_MANAGER, at=AT, evidence=evidence)
        history.append(moved.transition)
    moved = make_offer(plan, moved.state, actor=HIRING_MANAGER, at=AT, evidence=evidence)
    history.append(moved.transition)
    moved = hire(plan, moved.state, actor=RECRUITER, at=AT)
    history.append(moved.transition)
    return history


def test_a_whole_run_from_screen_to_hire(csm_plan: PipelinePlan) -> None:
    history = run_to_hire(csm_plan)
    assert [t.to_stage for t in history[:7]] == STAGES
    assert [t.action for t in history[-2:]] == [Action.MAKE_OFFER, Action.HIRE]
    assert len(history) == 1 + 6 + 2
    assert replay(history) == at(REFERENCES, S.HIRED)


def test_replay_rebuilds_overrides(csm_plan: PipelinePlan) -> None:
    opened = open_application(csm_plan, actor=RECRUITER, at=AT)
    skipped = advance(
        csm_plan, opened.state, actor=HIRING_MANAGER, at=AT, override_reason="Internal transfer"
    )
    history = [opened.transition, skipped.transition]
    assert replay(history) == skipped.state == at(ASSESSMENT, overridden=frozenset({SCREEN}))
    assert overridden_stages(history) == {SCREEN}


def test_replay_refuses_a_broken_history(csm_plan: PipelinePlan) -> None:
    history = run_to_hire(csm_plan)
    with pytest.raises(HistoryError) as caught:
        replay([history[0], history[1], history[3]])
    assert str(caught.value) == (
        "Transition 3 starts at hiring-manager-interview (active), "
        "but the application was at written-assessment (active)."
    )
    with pytest.raises(HistoryError, match="must start with the application being opened"):
        replay(history[1:])
    with pytest.raises(HistoryError, match=r"The history is empty\."):
        replay([])


def test_a_refusal_never_shows_an_interviewer_id(csm_plan: PipelinePlan) -> None:
    """Without a name (none known), the message says "an interviewer", never the id."""
    evidence = StageEvidence(scorecards=(ScorecardSummary(41, False), ScorecardSummary(42, True)))
    described = check_stage(csm_plan.stage(PEER), evidence).describe()
    assert "41" not in described and "42" not in described
    assert described == (
        "1 of 2 scorecards not submitted (pending: an interviewer); "
        "1 of 2 scorecards not positive (an interviewer: no recommendation)"
    )
