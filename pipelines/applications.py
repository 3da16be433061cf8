"""The application state machine: pure moves that return a new state and the record of it.

An application is ``active`` at a stage of its plan, then ends ``declined`` (at a stage, with a
reason), ``withdrawn``, or gets an ``offer`` and is ``hired``. Every move is a function that
takes the plan, the current :class:`ApplicationState`, the actor and the time (injected, so
tests and the app decide what "now" is) and returns :class:`Moved`: the new state and the
:class:`Transition` to record. A move the rules forbid raises a
:class:`~pipelines.errors.TransitionError` whose message says why.

The rules:

* A stage is left only when its evidence passes (see :func:`check_stage`): the screen is
  marked passed, the written assessment's answers are received, every scorecard of an
  interview stage is submitted with a positive recommendation (yes or strong yes), the
  reference check is passed. Otherwise only the hiring manager can move on, with a written
  override reason; the stage is then remembered as overridden.
* The reference and background check is entered (by advancing into it, or jumping to it with
  :func:`move_to_references`) only by the hiring manager, and only once every interview stage
  is positive or was overridden, and every other earlier stage was passed. The hiring manager
  may override what is missing, with a written reason.
* An offer is made at the reference check, once it is passed (or with the hiring manager's
  override): by the hiring manager, or by whoever drafts it on the hiring manager's recorded
  hire decision; hiring needs an offer.
* Declining needs a reason and is possible at any stage while the application is active;
  withdrawing is possible while it is active or has an offer.
* Declined, withdrawn and hired applications are closed: nothing moves them.

The app supplies the evidence as plain data: a mapping from stage id to
:class:`StageEvidence`; a stage without an entry has no evidence yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple

from pipelines.errors import (
    ApplicationClosedError,
    HiringManagerOnlyError,
    HistoryError,
    PipelineError,
    ReasonRequiredError,
    StageNotClearedError,
    UnknownReasonError,
    UnknownStageError,
    WrongStageError,
    WrongStatusError,
)
from pipelines.plan import EvidenceKind, PipelinePlan, PlannedStage, StageKind
from pipelines.scorecards import ScorecardSummary


class ApplicationStatus(StrEnum):
    ACTIVE = "active"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    OFFER = "offer"
    HIRED = "hired"

    @property
    def is_terminal(self) -> bool:
        """Declined, withdrawn and hired applications never move again."""
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset(
    {ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN, ApplicationStatus.HIRED}
)


class DeclineReason(StrEnum):
    """Why a candidate was declined: one of a fixed list, so it can be counted."""

    EXPERIENCE = "experience"
    SKILLS = "skills"
    ASSESSMENT = "assessment"
    INTERVIEWS = "interviews"
    COMPENSATION = "compensation"
    LOCATION = "location"
    POSITION_FILLED = "position_filled"
    NO_RESPONSE = "no_response"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]

    @property
    def needs_note(self) -> bool:
        """'Other' says nothing by itself: the note must say why."""
        return self is DeclineReason.OTHER


_REASON_LABELS = {
    DeclineReason.EXPERIENCE: "Not enough relevant experience",
    DeclineReason.SKILLS: "Skills do not match the level's requirements",
    DeclineReason.ASSESSMENT: "Written assessment not strong enough",
    DeclineReason.INTERVIEWS: "Interview feedback not positive",
    DeclineReason.COMPENSATION: "Compensation expectations do not match",
    DeclineReason.LOCATION: "Location or working hours do not fit",
    DeclineReason.POSITION_FILLED: "Position filled by another candidate",
    DeclineReason.NO_RESPONSE: "Candidate did not respond",
    DeclineReason.OTHER: "Other (see note)",
}


def reason_in_words(reason: str) -> str:
    """A recorded reason as people read it: a listed decline reason's label, else the text
    itself (an override's or a withdrawal's reason)."""
    try:
        return DeclineReason(reason).label
    except ValueError:
        return reason


def decline_reason(code: str, note: str | None) -> DeclineReason:
    """The listed reason ``code`` names; the note is required when the reason is 'Other'.

    Raises :class:`UnknownReasonError` for a code that is not listed and
    :class:`ReasonRequiredError` for 'Other' without a note.
    """
    try:
        reason = DeclineReason(code)
    except ValueError:
        raise UnknownReasonError("Choose a reason for declining from the list.") from None
    if reason.needs_note and not (note or "").strip():
        raise ReasonRequiredError("Say why in the note when the reason is 'Other'.")
    return reason


class Action(StrEnum):
    OPEN = "open"
    ADVANCE = "advance"
    MOVE_TO_REFERENCES = "move_to_references"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    MAKE_OFFER = "make_offer"
    HIRE = "hire"

    @property
    def verb(self) -> str:
        return _VERBS[self]


_VERBS = {
    Action.OPEN: "open the application",
    Action.ADVANCE: "advance",
    Action.MOVE_TO_REFERENCES: "move to references",
    Action.DECLINE: "decline",
    Action.WITHDRAW: "withdraw",
    Action.MAKE_OFFER: "make an offer",
    Action.HIRE: "hire",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a move: a user id, and whether they are the requisition's hiring manager.

    ``id`` is None for the candidate applying on the careers site (no account)."""

    id: int | None
    is_hiring_manager: bool = False


@dataclass(frozen=True, slots=True)
class StageEvidence:
    """What the application has to show for one stage. Each stage kind reads its own fields:

    * recruiter screen: ``screen_passed`` (``None`` while the recruiter has not decided);
    * written assessment: ``assessment_sent``, then ``assessment_received``;
    * interview stages: ``scorecards``, one summary per assigned interviewer (drafts too);
    * reference check: ``references_passed`` (``None`` while it runs).
    """

    scorecards: tuple[ScorecardSummary, ...] = ()
    screen_passed: bool | None = None
    assessment_sent: bool = False
    assessment_received: bool = False
    references_passed: bool | None = None


_NO_EVIDENCE = StageEvidence()


@dataclass(frozen=True, slots=True)
class ApplicationState:
    """Where an application is.

    ``stage_id`` is the current stage while active, and the stage where the application
    ended otherwise (the reference check for an offer or a hire). ``overridden`` holds the
    stages the hiring manager let it leave without passing evidence; ``reason`` is why it was
    declined or withdrawn.
    """

    stage_id: str
    status: ApplicationStatus = ApplicationStatus.ACTIVE
    overridden: frozenset[str] = frozenset()
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    """The record of one move: who, when, from, to, why."""

    action: Action
    #: None: the candidate, applying on the careers site.
    actor_id: int | None
    at: datetime
    from_status: ApplicationStatus | None
    from_stage: str | None
    to_status: ApplicationStatus
    to_stage: str
    reason: str | None = None
    note: str | None = None
    #: Stages left on the hiring manager's override in this move (``reason`` says why).
    overridden: tuple[str, ...] = ()

    @property
    def is_override(self) -> bool:
        return bool(self.overridden)


class Moved(NamedTuple):
    """The result of a move: the new state, and the transition to record."""

    state: ApplicationState
    transition: Transition


@dataclass(frozen=True, slots=True)
class StageCheck:
    """Whether a stage's evidence lets the application leave it, and if not, why."""

    stage: PlannedStage
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        return "; ".join(self.problems)


# ---------------------------------------------------------------------------------------------
# Evidence


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def _scorecard_problems(cards: Sequence[ScorecardSummary]) -> list[str]:
    if not cards:
        return ["no scorecards yet"]
    total = len(cards)
    noun = _plural(total, "scorecard")
    problems: list[str] = []
    pending = [card for card in cards if not card.submitted]
    if pending:
        who = ", ".join(card.who for card in pending)
        problems.append(f"{len(pending)} of {total} {noun} not submitted (pending: {who})")
    negative = [card for card in cards if card.submitted and not card.is_positive]
    if negative:
        who = ", ".join(
            f"{card.who}: "
            + (card.recommendation.label if card.recommendation else "no recommendation")
            for card in negative
        )
        problems.append(f"{len(negative)} of {total} {noun} not positive ({who})")
    return problems


def _outcome_problems(stage: PlannedStage, evidence: StageEvidence) -> list[str]:
    kind = stage.evidence
    if kind is EvidenceKind.SCREEN_OUTCOME:
        if evidence.screen_passed is None:
            return ["the screen outcome is not recorded yet"]
        return [] if evidence.screen_passed else ["the candidate did not pass the screen"]
    if kind is EvidenceKind.ASSESSMENT:
        if evidence.assessment_received:
            return []
        if not evidence.assessment_sent:
            return ["the written assessment has not been sent yet"]
        return ["the candidate's answers have not been received yet"]
    if evidence.references_passed is None:
        return [f"{stage.name} is not complete yet"]
    return [] if evidence.references_passed else [f"{stage.name} was not passed"]


def check_stage(stage: PlannedStage, evidence: StageEvidence | None = None) -> StageCheck:
    """Whether the evidence lets an application leave the stage, and every reason why not."""
    supplied = evidence if evidence is not None else _NO_EVIDENCE
    if stage.evidence is EvidenceKind.SCORECARDS:
        problems = _scorecard_problems(supplied.scorecards)
    else:
        problems = _outcome_problems(stage, supplied)
    return StageCheck(stage, tuple(problems))


# ---------------------------------------------------------------------------------------------
# Guards


def _check_time(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("transition times must be timezone-aware")
    return at.astimezone(UTC)


def _stage_name(plan: PipelinePlan, stage_id: str) -> str:
    try:
        return plan.stage(stage_id).name
    except UnknownStageError:
        return stage_id


def _refuse_closed(plan: PipelinePlan, state: ApplicationState, verb: str) -> None:
    if not state.status.is_terminal:
        return
    if state.status is ApplicationStatus.HIRED:
        ended = "the candidate was hired"
    else:
        ended = f"the application was {state.status.value} at {_stage_name(plan, state.stage_id)}"
    raise ApplicationClosedError(f"Cannot {verb}: {ended}, and it is closed.")


def _refuse_inactive(plan: PipelinePlan, state: ApplicationState, action: Action) -> None:
    _refuse_closed(plan, state, action.verb)
    if state.status is not ApplicationStatus.ACTIVE:
        raise WrongStatusError(
            f"Cannot {action.verb}: the application already has an offer; "
            "hire the candidate or record a withdrawal."
        )


def _active_stage(plan: PipelinePlan, state: ApplicationState, action: Action) -> PlannedStage:
    _refuse_inactive(plan, state, action)
    return plan.stage(state.stage_id)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return text.strip() or None


def _override(
    refusal: str, stage_ids: Sequence[str], actor: Actor, override_reason: str | None
) -> str:
    """The override reason when the hiring manager gives one; otherwise the refusal."""
    if override_reason is None:
        raise StageNotClearedError(refusal, stage_ids)
    if not actor.is_hiring_manager:
        raise HiringManagerOnlyError(f"{refusal} Only the hiring manager can override this.")
    reason = override_reason.strip()
    if not reason:
        raise ReasonRequiredError(f"{refusal} An override needs a written reason.")
    return reason


def _evidence(evidence: Mapping[str, StageEvidence] | None, stage_id: str) -> StageEvidence:
    if evidence is None:
        return _NO_EVIDENCE
    return evidence.get(stage_id, _NO_EVIDENCE)


def _unpassed_before_references(
    plan: PipelinePlan,
    state: ApplicationState,
    current: PlannedStage,
    evidence: Mapping[str, StageEvidence] | None,
) -> list[StageCheck]:
    """The stages before the reference check that stand in its way.

    Interview stages are judged on their scorecards now; the screen and the assessment count
    as passed once left (leaving them needed passing evidence or an override).
    """
    out: list[StageCheck] = []
    for stage in plan.before(plan.references.id):
        if stage.id in state.overridden:
            continue
        if not stage.uses_scorecards and stage.position < current.position:
            continue
        check = check_stage(stage, _evidence(evidence, stage.id))
        if not check.passed:
            out.append(check)
    return out


# ---------------------------------------------------------------------------------------------
# Moves


def apply_transition(state: ApplicationState | None, transition: Transition) -> ApplicationState:
    """The state after a recorded transition (the state before it is not re-checked)."""
    overridden = state.overridden if state is not None else frozenset()
    closed = transition.to_status in (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)
    return ApplicationState(
        stage_id=transition.to_stage,
        status=transition.to_status,
        overridden=overridden | frozenset(transition.overridden),
        reason=transition.reason if closed else None,
    )


def _move(
    state: ApplicationState,
    action: Action,
    actor: Actor,
    at: datetime,
    *,
    to_status: ApplicationStatus | None = None,
    to_stage: str | None = None,
    reason: str | None = None,
    note: str | None = None,
    overridden: Sequence[str] = (),
) -> Moved:
    transition = Transition(
        action=action,
        actor_id=actor.id,
        at=at,
        from_status=state.status,
        from_stage=state.stage_id,
        to_status=to_status if to_status is not None else state.status,
        to_stage=to_stage if to_stage is not None else state.stage_id,
        reason=reason,
        note=note,
        overridden=tuple(overridden),
    )
    return Moved(apply_transition(state, transition), transition)


def open_application(plan: PipelinePlan, *, actor: Actor, at: datetime) -> Moved:
    """A new application, active at the plan's first stage."""
    when = _check_time(at)
    transition = Transition(
        action=Action.OPEN,
        actor_id=actor.id,
        at=when,
        from_status=None,
        from_stage=None,
        to_status=ApplicationStatus.ACTIVE,
        to_stage=plan.first.id,
    )
    return Moved(apply_transition(None, transition), transition)


def _enter_references(
    plan: PipelinePlan,
    state: ApplicationState,
    current: PlannedStage,
    action: Action,
    actor: Actor,
    at: datetime,
    evidence: Mapping[str, StageEvidence] | None,
    override_reason: str | None,
) -> Moved:
    references = plan.references
    if not actor.is_hiring_manager:
        raise HiringManagerOnlyError(
            f"Cannot {action.verb}: only the hiring manager can move an application "
            f"to {references.name}."
        )
    blocking = _unpassed_before_references(plan, state, current, evidence)
    reason = _clean(override_reason)
    overridden: list[str] = []
    if blocking:
        details = " ".join(f"{check.stage.name}: {check.describe()}." for check in blocking)
        refusal = f"Cannot move to {references.name}: not every stage is positive. {details}"
        overridden = [check.stage.id for check in blocking]
        reason = _override(refusal, overridden, actor, override_reason)
    return _move(
        state, action, actor, at, to_stage=references.id, reason=reason, overridden=overridden
    )


def advance(
    plan: PipelinePlan,
    state: ApplicationState,
    *,
    actor: Actor,
    at: datetime,
    evidence: Mapping[str, StageEvidence] | None = None,
    override_reason: str | None = None,
) -> Moved:
    """Move an active application to the next stage of its plan."""
    when = _check_time(at)
    stage = _active_stage(plan, state, Action.ADVANCE)
    following = plan.next_after(stage.id)
    if following is None:
        raise WrongStageError(
            f"Cannot advance: {stage.name} is the last stage; make an offer once it is passed."
        )
    if following.kind is StageKind.REFERENCES:
        return _enter_references(
            plan, state, stage, Action.ADVANCE, actor, when, evidence, override_reason
        )
    check = check_stage(stage, _evidence(evidence, stage.id))
    reason = _clean(override_reason)
    overridden: tuple[str, ...] = ()
    if not check.passed:
        refusal = f"Cannot leave {stage.name}: {check.describe()}."
        reason = _override(refusal, (stage.id,), actor, override_reason)
        overridden = (stage.id,)
    return _move(
        state,
        Action.ADVANCE,
        actor,
        when,
        to_stage=following.id,
        reason=reason,
        overridden=overridden,
    )


def move_to_references(
    plan: PipelinePlan,
    state: ApplicationState,
    *,
    actor: Actor,
    at: datetime,
    evidence: Mapping[str, StageEvidence] | None = None,
    override_reason: str | None = None,
) -> Moved:
    """Move an active application straight to the reference check (hiring manager only)."""
    when = _check_time(at)
    stage = _active_stage(plan, state, Action.MOVE_TO_REFERENCES)
    if stage.kind is StageKind.REFERENCES:
        raise WrongStageError(
            f"Cannot move to references: the application is already at {stage.name}."
        )
    return _enter_references(
        plan, state, stage, Action.MOVE_TO_REFERENCES, actor, when, evidence, override_reason
    )


def make_offer(
    plan: PipelinePlan,
    state: ApplicationState,
    *,
    actor: Actor,
    at: datetime,
    evidence: Mapping[str, StageEvidence] | None = None,
    override_reason: str | None = None,
    decided: bool = False,
) -> Moved:
    """Make an offer: at the reference check, once it is passed. The hiring manager makes
    it; with ``decided`` (the hiring manager's hire decision is recorded) whoever drafts
    the offer on that decision may (the recruiter). Overriding an unpassed reference check
    stays the hiring manager's."""
    when = _check_time(at)
    stage = _active_stage(plan, state, Action.MAKE_OFFER)
    if stage.kind is not StageKind.REFERENCES:
        raise WrongStageError(
            f"Cannot make an offer: the application is at {stage.name}, "
            f"not at {plan.references.name}."
        )
    if not actor.is_hiring_manager and not decided:
        raise HiringManagerOnlyError(
            "Cannot make an offer: only the hiring manager can, until their hire decision "
            "is recorded."
        )
    check = check_stage(stage, _evidence(evidence, stage.id))
    reason = _clean(override_reason)
    overridden: tuple[str, ...] = ()
    if not check.passed:
        refusal = f"Cannot make an offer: {check.describe()}."
        reason = _override(refusal, (stage.id,), actor, override_reason)
        overridden = (stage.id,)
    return _move(
        state,
        Action.MAKE_OFFER,
        actor,
        when,
        to_status=ApplicationStatus.OFFER,
        reason=reason,
        overridden=overridden,
    )


def hire(plan: PipelinePlan, state: ApplicationState, *, actor: Actor, at: datetime) -> Moved:
    """Record the hire of a candidate who has an offer."""
    when = _check_time(at)
    _refuse_closed(plan, state, Action.HIRE.verb)
    if state.status is not ApplicationStatus.OFFER:
        raise WrongStatusError(
            f"Cannot hire: the application is at {_stage_name(plan, state.stage_id)} "
            "without an offer; make an offer first."
        )
    return _move(state, Action.HIRE, actor, when, to_status=ApplicationStatus.HIRED)


def decline(
    plan: PipelinePlan,
    state: ApplicationState,
    *,
    actor: Actor,
    at: datetime,
    reason: str,
    note: str | None = None,
) -> Moved:
    """Decline an active application at its current stage, with a reason (at a stage its
    plan no longer has too: :func:`stage_gone`)."""
    when = _check_time(at)
    _refuse_inactive(plan, state, Action.DECLINE)
    written = _clean(reason)
    if written is None:
        raise ReasonRequiredError(
            f"Cannot decline at {_stage_name(plan, state.stage_id)}: a reason is required."
        )
    return _move(
        state,
        Action.DECLINE,
        actor,
        when,
        to_status=ApplicationStatus.DECLINED,
        reason=written,
        note=_clean(note),
    )


def withdraw(
    plan: PipelinePlan,
    state: ApplicationState,
    *,
    actor: Actor,
    at: datetime,
    reason: str | None = None,
) -> Moved:
    """Record that the candidate withdrew (while active, or after an offer; at a stage the
    plan no longer has too: :func:`stage_gone`)."""
    when = _check_time(at)
    _refuse_closed(plan, state, Action.WITHDRAW.verb)
    return _move(
        state,
        Action.WITHDRAW,
        actor,
        when,
        to_status=ApplicationStatus.WITHDRAWN,
        reason=_clean(reason),
    )


def next_move(plan: PipelinePlan, state: ApplicationState) -> Action:
    """What moving an application on from its stage means: the next stage, the reference
    check (when it comes next), or the offer (at the last stage)."""
    following = plan.next_after(state.stage_id)
    if following is None:
        return Action.MAKE_OFFER
    if following.kind is StageKind.REFERENCES:
        return Action.MOVE_TO_REFERENCES
    return Action.ADVANCE


def move_on(
    plan: PipelinePlan,
    state: ApplicationState,
    *,
    actor: Actor,
    at: datetime,
    evidence: Mapping[str, StageEvidence] | None = None,
    override_reason: str | None = None,
) -> Moved:
    """The one "move on" button: :func:`advance`, :func:`move_to_references` or
    :func:`make_offer`, as :func:`next_move` says."""
    move = _MOVES_ON[next_move(plan, state)]
    return move(plan, state, actor=actor, at=at, evidence=evidence, override_reason=override_reason)


_MOVES_ON = {
    Action.ADVANCE: advance,
    Action.MOVE_TO_REFERENCES: move_to_references,
    Action.MAKE_OFFER: make_offer,
}


# ---------------------------------------------------------------------------------------------
# Questions the app asks


@dataclass(frozen=True, slots=True)
class MoveOnOffer:
    """Whether the "move on" button can succeed for this actor now.

    ``possible``: as it is, without an override. ``needs_override``: the stage is not
    cleared and the actor, the hiring manager, may override it with a written reason.
    ``reason``: the rule that refuses it, in the rule's own words, saying what to do."""

    action: Action
    possible: bool
    needs_override: bool = False
    reason: str | None = None


def move_on_offer(
    plan: PipelinePlan,
    state: ApplicationState,
    *,
    actor: Actor,
    at: datetime,
    evidence: Mapping[str, StageEvidence] | None = None,
) -> MoveOnOffer | None:
    """What :func:`move_on` would answer this actor now (it is asked, nothing is recorded);
    None when moving on is not a button here (not active, or the offer is next, which is
    drafted on its own form)."""
    if state.status is not ApplicationStatus.ACTIVE:
        return None
    if state.stage_id not in plan.stage_ids:
        return MoveOnOffer(Action.ADVANCE, possible=False, reason=stage_gone(plan, state))
    action = next_move(plan, state)
    if action is Action.MAKE_OFFER:
        return None
    try:
        move_on(plan, state, actor=actor, at=at, evidence=evidence)
    except StageNotClearedError as exc:
        if actor.is_hiring_manager:
            return MoveOnOffer(action, possible=False, needs_override=True, reason=str(exc))
        refusal = f"{exc} Only the hiring manager can override this."
        return MoveOnOffer(action, possible=False, reason=refusal)
    except PipelineError as exc:
        return MoveOnOffer(action, possible=False, reason=str(exc))
    return MoveOnOffer(action, possible=True)


def stage_gone(plan: PipelinePlan, state: ApplicationState) -> str:
    """Why an application at a stage its plan no longer has (the ladder's hiring process
    changed since it got there) cannot move on, and what can be done with it."""
    return (
        f"This application is at the stage '{state.stage_id}', which the hiring process of "
        f"{plan.family_id} no longer has: it can be declined or withdrawn, not moved on."
    )


def allowed_actions(plan: PipelinePlan, state: ApplicationState) -> frozenset[Action]:
    """The moves the status and the stage allow, before evidence and roles are considered."""
    if state.status.is_terminal:
        return frozenset()
    if state.status is ApplicationStatus.OFFER:
        return frozenset({Action.HIRE, Action.WITHDRAW})
    actions = {Action.DECLINE, Action.WITHDRAW}
    if state.stage_id not in plan.stage_ids:
        return frozenset(actions)  # nowhere to move it on to: see stage_gone
    if plan.stage(state.stage_id).kind is StageKind.REFERENCES:
        actions.add(Action.MAKE_OFFER)
    else:
        actions |= {Action.ADVANCE, Action.MOVE_TO_REFERENCES}
    return frozenset(actions)


def check_can_send_assessment(plan: PipelinePlan, state: ApplicationState) -> PlannedStage:
    """The written-assessment stage the application is at, or why it cannot be sent now.

    The application reaches that stage only by leaving a passed screen (or on the hiring
    manager's override), so sending it there is "after a passed screen".
    """
    _refuse_closed(plan, state, "send the written assessment")
    stage = plan.stage(state.stage_id)
    if state.status is not ApplicationStatus.ACTIVE or stage.kind is not (
        StageKind.WRITTEN_ASSESSMENT
    ):
        where = "has an offer" if state.status is ApplicationStatus.OFFER else f"is at {stage.name}"
        raise WrongStageError(
            "The written assessment is sent only at the written assessment stage, after a "
            f"passed screen; the application {where}."
        )
    return stage


def replay(transitions: Iterable[Transition]) -> ApplicationState:
    """The state a recorded history leads to; each move must start where the last ended."""
    state: ApplicationState | None = None
    for number, transition in enumerate(transitions, start=1):
        if state is None and transition.action is not Action.OPEN:
            raise HistoryError("The history must start with the application being opened.")
        if state is not None and (transition.from_status, transition.from_stage) != (
            state.status,
            state.stage_id,
        ):
            raise HistoryError(
                f"Transition {number} starts at {transition.from_stage} "
                f"({transition.from_status}), but the application was at {state.stage_id} "
                f"({state.status})."
            )
        state = apply_transition(state, transition)
    if state is None:
        raise HistoryError("The history is empty.")
    return state


def overridden_stages(transitions: Iterable[Transition]) -> frozenset[str]:
    """The stages left on an override, from a recorded history."""
    return frozenset(stage for t in transitions for stage in t.overridden)


__all__ = [
    "TERMINAL_STATUSES",
    "Action",
    "Actor",
    "ApplicationState",
    "ApplicationStatus",
    "DeclineReason",
    "MoveOnOffer",
    "Moved",
    "StageCheck",
    "StageEvidence",
    "Transition",
    "advance",
    "allowed_actions",
    "apply_transition",
    "check_can_send_assessment",
    "check_stage",
    "decline",
    "decline_reason",
    "hire",
    "make_offer",
    "move_on",
    "move_on_offer",
    "move_to_references",
    "next_move",
    "open_application",
    "overridden_stages",
    "reason_in_words",
    "replay",
    "withdraw",
]
