"""Property tests: random sequences of moves, with random evidence, actors and reasons.

Whatever happens, a successful move is legal and recorded, the state stays valid, closed
applications stay closed, every refusal is a PipelineError that says why, and replaying the
recorded history gives the final state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hypothesis import event, given, settings
from hypothesis import strategies as st

from ladder.loader import load_ladder
from ladder.model import Role
from pipelines.applications import (
    Action,
    Actor,
    ApplicationState,
    ApplicationStatus,
    Moved,
    StageEvidence,
    Transition,
    advance,
    allowed_actions,
    check_stage,
    decline,
    hire,
    make_offer,
    move_to_references,
    open_application,
    replay,
    withdraw,
)
from pipelines.errors import ApplicationClosedError, PipelineError
from pipelines.plan import PipelinePlan, StageKind, build_plan, plan_process
from pipelines.scorecards import Rating, ScorecardSummary
from tests.domain.pipelines.pipelines_testing import (
    AT,
    HIRING_MANAGER,
    INTERVIEWER,
    MANAGER,
    RECRUITER,
    REFERENCES,
    SCREEN,
    passing,
    process,
    stage,
)

S = ApplicationStatus
_LADDER = load_ladder().ladder
PLANS = [
    *(build_plan(_LADDER, family.id) for family in _LADDER.families),
    plan_process(
        "alpha",
        process(
            SCREEN, MANAGER, stage("bar-raiser", "Bar Raiser", (Role.TEAM_MEMBER,)), REFERENCES
        ),
    ),
]

LEGAL_STATUS_CHANGES = {
    (S.ACTIVE, S.ACTIVE),
    (S.ACTIVE, S.DECLINED),
    (S.ACTIVE, S.WITHDRAWN),
    (S.ACTIVE, S.OFFER),
    (S.OFFER, S.HIRED),
    (S.OFFER, S.WITHDRAWN),
}

Evidence = Mapping[str, StageEvidence]


@dataclass(frozen=True)
class Step:
    action: Action
    actor: Actor
    text: str | None  # the override reason, or the decline / withdrawal reason
    evidence: Evidence


summaries = st.builds(
    ScorecardSummary,
    interviewer_id=st.integers(min_value=1, max_value=9),
    submitted=st.booleans(),
    recommendation=st.sampled_from([None, *Rating]),
)
random_evidence = st.builds(
    StageEvidence,
    scorecards=st.lists(summaries, max_size=3).map(tuple),
    screen_passed=st.sampled_from([None, True, False]),
    assessment_sent=st.booleans(),
    assessment_received=st.booleans(),
    references_passed=st.sampled_from([None, True, False]),
)
# Progress is more likely than not, so runs reach offers and hires.
ACTIONS = [
    *[Action.ADVANCE] * 8,
    Action.MOVE_TO_REFERENCES,
    Action.DECLINE,
    Action.WITHDRAW,
    *[Action.MAKE_OFFER] * 3,
    *[Action.HIRE] * 3,
]
ACTORS = [HIRING_MANAGER, HIRING_MANAGER, RECRUITER, INTERVIEWER]
TEXTS = [None, None, None, "", "   ", "A written reason"]


def evidence_for(plan: PipelinePlan) -> st.SearchStrategy[Evidence]:
    return st.fixed_dictionaries(
        {
            s.id: st.one_of(st.just(passing(s)), st.just(passing(s)), random_evidence)
            for s in plan.stages
        }
    )


@st.composite
def runs(draw: st.DrawFn) -> tuple[PipelinePlan, list[Step]]:
    """A plan and moves; each move sees either passing evidence or one of two random mixes."""
    plan = draw(st.sampled_from(PLANS))
    good: Evidence = {s.id: passing(s) for s in plan.stages}
    mixes = [draw(evidence_for(plan)), draw(evidence_for(plan))]
    steps = draw(
        st.lists(
            st.builds(
                Step,
                st.sampled_from(ACTIONS),
                st.sampled_from(ACTORS),
                st.sampled_from(TEXTS),
                st.sampled_from([good, good, *mixes]),
            ),
            min_size=4,
            max_size=30,
        )
    )
    return plan, steps


def perform(plan: PipelinePlan, state: ApplicationState, step: Step) -> Moved:
    who, ev, text = step.actor, step.evidence, step.text
    match step.action:
        case Action.ADVANCE:
            return advance(plan, state, actor=who, at=AT, evidence=ev, override_reason=text)
        case Action.MOVE_TO_REFERENCES:
            return move_to_references(
                plan, state, actor=who, at=AT, evidence=ev, override_reason=text
            )
        case Action.DECLINE:
            return decline(plan, state, actor=who, at=AT, reason=text or "")
        case Action.WITHDRAW:
            return withdraw(plan, state, actor=who, at=AT, reason=text)
        case Action.MAKE_OFFER:
            return make_offer(plan, state, actor=who, at=AT, evidence=ev, override_reason=text)
        case Action.HIRE:
            return hire(plan, state, actor=who, at=AT)
    raise AssertionError(step.action)


def cleared(plan: PipelinePlan, stage_id: str, state: ApplicationState, ev: Evidence) -> bool:
    return (
        stage_id in state.overridden or check_stage(plan.stage(stage_id), ev.get(stage_id)).passed
    )


def assert_valid(plan: PipelinePlan, state: ApplicationState) -> None:
    assert state.stage_id in plan.stage_ids
    if state.status in (S.OFFER, S.HIRED):
        assert state.stage_id == plan.references.id
    if state.status is S.DECLINED:
        assert state.reason and state.reason.strip() == state.reason
    assert state.overridden <= set(plan.stage_ids)


def assert_legal(plan: PipelinePlan, before: ApplicationState, step: Step, moved: Moved) -> None:
    after, record = moved
    assert not before.status.is_terminal
    assert step.action in allowed_actions(plan, before)
    assert (before.status, after.status) in LEGAL_STATUS_CHANGES
    assert plan.stage(after.stage_id).position >= plan.stage(before.stage_id).position
    assert before.overridden <= after.overridden
    assert record.action is step.action
    assert record.actor_id == step.actor.id
    assert record.at == AT
    assert (record.from_status, record.from_stage) == (before.status, before.stage_id)
    assert (record.to_status, record.to_stage) == (after.status, after.stage_id)
    if record.overridden:
        assert step.actor.is_hiring_manager
        assert record.reason and record.reason.strip()
        assert after.overridden >= set(record.overridden)
    references = plan.references.id
    if step.action is Action.ADVANCE and after.stage_id != references:
        left = before.stage_id
        assert cleared(plan, left, after, step.evidence)
        assert after.stage_id == plan.stage_ids[plan.stage(left).position + 1]
    if after.stage_id == references and before.stage_id != references:
        assert step.actor.is_hiring_manager
        for earlier in plan.interview_stages:
            assert cleared(plan, earlier.id, after, step.evidence)
    if after.status is S.OFFER:
        assert step.actor.is_hiring_manager
        assert cleared(plan, references, after, step.evidence)
    if after.status is S.HIRED:
        assert before.status is S.OFFER


@settings(max_examples=300, deadline=None)
@given(runs())
def test_random_moves_stay_legal_and_are_all_recorded(run: tuple[PipelinePlan, list[Step]]) -> None:
    plan, steps = run
    state, opened = open_application(plan, actor=RECRUITER, at=AT)
    history: list[Transition] = [opened]
    successes = 0
    for step in steps:
        try:
            moved = perform(plan, state, step)
        except PipelineError as error:
            message = str(error)
            assert message.endswith(".") and len(message) > 20
            if state.status.is_terminal:
                assert isinstance(error, ApplicationClosedError)
            continue
        assert_legal(plan, state, step, moved)
        state = moved.state
        assert_valid(plan, state)
        history.append(moved.transition)
        successes += 1
    event(f"final status: {state.status}")
    event(f"final stage: {plan.stage(state.stage_id).kind}")
    assert len(history) == successes + 1
    assert replay(history) == state


@settings(max_examples=200, deadline=None)
@given(runs(), st.data())
def test_closed_applications_stay_closed(
    run: tuple[PipelinePlan, list[Step]], data: st.DataObject
) -> None:
    plan, steps = run
    state = open_application(plan, actor=RECRUITER, at=AT).state
    for step in steps:
        try:
            state = perform(plan, state, step).state
        except PipelineError:
            continue
    if not state.status.is_terminal:
        closers = [Action.HIRE, Action.WITHDRAW] if state.status is S.OFFER else [Action.DECLINE]
        closing = data.draw(st.sampled_from([*closers, Action.WITHDRAW]))
        step = Step(closing, RECRUITER, "Closing", {})
        state = perform(plan, state, step).state
    assert state.status.is_terminal
    for action in Action:
        if action is Action.OPEN:
            continue
        for actor in (HIRING_MANAGER, RECRUITER):
            step = Step(action, actor, "Because", {s.id: passing(s) for s in plan.stages})
            try:
                perform(plan, state, step)
            except ApplicationClosedError:
                continue
            raise AssertionError(f"{action} moved a {state.status} application")
    assert allowed_actions(plan, state) == frozenset()


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(PLANS), st.lists(st.sampled_from(ACTORS), min_size=1, max_size=12))
def test_with_passing_evidence_the_hiring_manager_reaches_hire(
    plan: PipelinePlan, actors: list[Actor]
) -> None:
    """Positive evidence always lets the pipeline through: the rules never dead-end."""
    evidence = {s.id: passing(s) for s in plan.stages}
    state = open_application(plan, actor=RECRUITER, at=AT).state
    turn = 0
    while state.stage_id != plan.references.id:
        actor = actors[turn % len(actors)]
        turn += 1
        nxt = plan.next_after(state.stage_id)
        assert nxt is not None
        if nxt.kind is StageKind.REFERENCES:
            actor = HIRING_MANAGER
        state = advance(plan, state, actor=actor, at=AT, evidence=evidence).state
    state = make_offer(plan, state, actor=HIRING_MANAGER, at=AT, evidence=evidence).state
    state = hire(plan, state, actor=actors[0], at=AT).state
    assert state == ApplicationState(plan.references.id, S.HIRED)
