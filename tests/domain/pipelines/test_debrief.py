"""The debrief matrix, its flags and summary, when the debrief opens, and which field of a
decision breaks a leveling rule."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from ladder.model import Ladder
from pipelines.applications import ApplicationStatus
from pipelines.coverage import check_coverage
from pipelines.debrief import (
    NOT_ASKED,
    RowFlag,
    StageInterview,
    build_matrix,
    check_readiness,
    debrief_criteria,
    decision_problem,
    stage_criteria,
)
from pipelines.plan import PipelinePlan
from pipelines.scorecards import (
    NOT_ASSESSED,
    Criterion,
    CriterionSource,
    Mark,
    Rating,
    Scope,
    SubmittedScorecard,
    level_criteria,
)

Y, SY, N, SN = Rating.YES, Rating.STRONG_YES, Rating.NO, Rating.STRONG_NO


def criterion(cid: str) -> Criterion:
    return Criterion(cid, CriterionSource.REQUIREMENT, Scope.LEVEL, f"Criterion {cid}")


def card(
    who: int, stage: str, marks: dict[str, Mark], recommendation: Rating = Y
) -> SubmittedScorecard:
    return SubmittedScorecard(who, stage, MappingProxyType(marks), recommendation, f"by {who}")


CRITERIA = [criterion(c) for c in ("a", "b", "c", "d", "e", "f")]

# A hand-built debrief: the hiring manager (1) at two stages, a peer (2), a panellist (3).
#        a         b         c              d              e              f
# 1/hm   yes       yes       not assessed   (not asked)    strong yes     no
# 2/peer strong y  no        not assessed   (not asked)    no             (not asked)
# 1/pan  yes       yes       (not asked)    (not asked)    (not asked)    strong no
# 3/pan  yes       (n.a.)    not assessed   (not asked)    (not asked)    no
CARDS = [
    card(1, "hm", {"a": Y, "b": Y, "c": NOT_ASSESSED, "e": SY, "f": N}, SY),
    card(2, "peer", {"a": SY, "b": N, "c": NOT_ASSESSED, "e": N}, N),
    card(1, "panel", {"a": Y, "b": Y, "f": SN}, Y),
    card(3, "panel", {"a": Y, "b": NOT_ASSESSED, "c": NOT_ASSESSED, "f": N, "zzz": Y}, SN),
]


def test_cells_are_the_marks_or_not_asked() -> None:
    matrix = build_matrix(CRITERIA, CARDS)
    assert [r.criterion.id for r in matrix.rows] == ["a", "b", "c", "d", "e", "f"]
    assert matrix.row("b").cells == (Y, N, Y, NOT_ASSESSED)
    assert matrix.row("d").cells == (NOT_ASKED,) * 4
    assert matrix.row("e").cells == (SY, N, NOT_ASKED, NOT_ASKED)
    assert matrix.row("c").cells == (NOT_ASSESSED, NOT_ASSESSED, NOT_ASKED, NOT_ASSESSED)
    # A mark for a criterion that is no longer among the rows is reported, not dropped.
    assert matrix.unmatched == ("zzz",)


def test_flags_per_row() -> None:
    matrix = build_matrix(CRITERIA, CARDS)
    flags = {row.criterion.id: row.flags for row in matrix.rows}
    # a: yes, strong yes, yes, yes: one side, 1 point apart; three people.
    assert flags["a"] == ()
    # b: yes and no: both sides of the line.
    assert flags["b"] == (RowFlag.DISAGREEMENT,)
    # c: everyone marked it not assessed; d: nobody was asked.
    assert flags["c"] == (RowFlag.UNASSESSED,)
    assert flags["d"] == (RowFlag.UNASSESSED,)
    # e: strong yes (4) and no (2).
    assert flags["e"] == (RowFlag.DISAGREEMENT,)
    # f: no, strong no, no: one side, 1 point apart, but two people (1 twice, and 3).
    assert flags["f"] == ()
    assert matrix.row("f").assessed_by == (1, 3)
    assert matrix.row("e").spread == 2
    assert matrix.row("c").spread is None


def test_one_person_at_two_stages_is_a_single_assessor() -> None:
    cards = [
        card(1, "hm", {"a": Y, "b": NOT_ASSESSED}),
        card(1, "panel", {"a": SY, "b": Y}),
        card(2, "panel", {"a": NOT_ASSESSED}),
    ]
    matrix = build_matrix(CRITERIA[:2], cards)
    assert matrix.row("a").flags == (RowFlag.SINGLE_ASSESSOR,)
    assert matrix.row("b").flags == (RowFlag.SINGLE_ASSESSOR,)


@pytest.mark.parametrize(
    ("ratings", "disagree"),
    [
        ((Y, SY), False),  # same side, 1 point
        ((N, SN), False),  # same side, 1 point
        ((N, Y), True),  # both sides, 1 point
        ((SN, Y), True),  # 2 points
        ((SN, SY), True),  # 3 points
        ((Y,), False),
    ],
)
def test_disagreement(ratings: tuple[Rating, ...], disagree: bool) -> None:
    cards = [card(i, "panel", {"a": r}) for i, r in enumerate(ratings, start=1)]
    assert build_matrix(CRITERIA[:1], cards).rows[0].disagreement is disagree


def test_recommendations_and_summary() -> None:
    matrix = build_matrix(CRITERIA, CARDS)
    assert matrix.recommendations == (SY, N, Y, SN)
    summary = matrix.summary
    assert (summary.scorecards, summary.interviewers) == (4, 3)
    assert (summary.yes, summary.no, summary.strong_yes, summary.strong_no) == (2, 2, 1, 1)
    assert summary.recommendations_split
    # b and e disagree; c and d are unassessed; nobody is the only one on a row.
    assert (summary.disagreed, summary.unassessed, summary.single_assessor) == (2, 2, 0)


def test_no_scorecards_is_an_empty_matrix() -> None:
    matrix = build_matrix(CRITERIA[:2], [])
    assert matrix.rows[0].cells == ()
    assert matrix.rows[0].flags == (RowFlag.UNASSESSED,)
    assert matrix.summary.yes == matrix.summary.no == 0


def test_rows_are_the_criteria_of_the_interview_stages(
    ladder: Ladder, csm_plan: PipelinePlan
) -> None:
    criteria = level_criteria(ladder, "senior-csm")
    asked = stage_criteria(csm_plan, criteria)
    assert list(asked) == [s.id for s in csm_plan.interview_stages]
    rows = debrief_criteria(criteria, asked)
    # In the level's order, each criterion once; the coverage check agrees on what no
    # stage assesses.
    assert [c.id for c in rows] == [c.id for c in criteria if c in rows]
    assert len({c.id for c in rows}) == len(rows)
    uncovered = set(check_coverage(csm_plan, criteria).uncovered)
    assert set(rows) == set(criteria) - uncovered
    only_hm = {"hiring-manager-interview": asked["hiring-manager-interview"]}
    assert debrief_criteria(criteria, only_hm) == asked["hiring-manager-interview"]


# ---------------------------------------------------------------------------------------------
# Readiness (the CSM plan: screen, assessment, hiring manager, peer, panel, executive,
# reference check)

HM, PEER, PANEL, EXEC = (
    "hiring-manager-interview",
    "peer-interview",
    "panel-interview",
    "executive-interview",
)


def held(stage: str, interviewers: tuple[int, ...], submitted: tuple[int, ...]) -> StageInterview:
    return StageInterview(stage, interviewers, frozenset(submitted))


ALL_IN = {
    HM: held(HM, (1,), (1,)),
    PEER: held(PEER, (2,), (2,)),
    PANEL: held(PANEL, (1, 3, 4), (1, 3, 4)),
    EXEC: held(EXEC, (5,), (5,)),
}


def test_ready_at_the_last_interview_stage_with_every_scorecard_in(
    csm_plan: PipelinePlan,
) -> None:
    readiness = check_readiness(csm_plan, EXEC, ApplicationStatus.ACTIVE, ALL_IN)
    assert readiness.ready
    assert readiness.reason is None


@pytest.mark.parametrize(
    ("stage", "status"),
    [
        ("reference-and-background-check", ApplicationStatus.ACTIVE),
        ("reference-and-background-check", ApplicationStatus.OFFER),
        (EXEC, ApplicationStatus.DECLINED),
    ],
)
def test_ready_past_the_interviews(
    csm_plan: PipelinePlan, stage: str, status: ApplicationStatus
) -> None:
    assert check_readiness(csm_plan, stage, status, ALL_IN).ready


def test_not_ready_before_the_last_interview_stage(csm_plan: PipelinePlan) -> None:
    readiness = check_readiness(csm_plan, PANEL, ApplicationStatus.ACTIVE, ALL_IN)
    assert not readiness.ready
    assert readiness.reason == (
        "The application is at Panel Interview. The debrief opens when it reaches "
        "Executive Interview and every interview's scorecards are in."
    )


def test_declined_early_is_never_ready(csm_plan: PipelinePlan) -> None:
    readiness = check_readiness(csm_plan, PEER, ApplicationStatus.DECLINED, ALL_IN)
    assert not readiness.ready
    assert readiness.reason is not None
    assert "declined at Peer Interview" in readiness.reason


def test_waiting_for_scorecards_names_the_stages(csm_plan: PipelinePlan) -> None:
    interviews = {**ALL_IN, PANEL: held(PANEL, (1, 3, 4), (3,)), PEER: held(PEER, (2,), ())}
    readiness = check_readiness(csm_plan, EXEC, ApplicationStatus.ACTIVE, interviews)
    assert not readiness.ready
    assert readiness.waiting == (("Peer Interview", 0, 1), ("Panel Interview", 1, 3))
    assert readiness.reason == (
        "Waiting for 3 scorecards: Peer Interview (0 of 1 submitted); "
        "Panel Interview (1 of 3 submitted)."
    )


def test_a_skipped_stage_does_not_hold_the_debrief(csm_plan: PipelinePlan) -> None:
    """The peer interview was passed on the hiring manager's override (never held), and a
    cancelled panel interview was never held either."""
    interviews = {
        HM: ALL_IN[HM],
        PANEL: StageInterview(PANEL, (1, 3), frozenset(), cancelled=True),
        EXEC: ALL_IN[EXEC],
    }
    assert check_readiness(csm_plan, EXEC, ApplicationStatus.ACTIVE, interviews).ready


def test_the_last_stage_must_be_held_while_the_application_is_at_it(
    csm_plan: PipelinePlan,
) -> None:
    not_scheduled = {k: v for k, v in ALL_IN.items() if k != EXEC}
    readiness = check_readiness(csm_plan, EXEC, ApplicationStatus.ACTIVE, not_scheduled)
    assert not readiness.ready
    assert readiness.reason is not None
    assert readiness.reason.startswith("Executive Interview is not scheduled")
    cancelled = {**ALL_IN, EXEC: StageInterview(EXEC, (5,), frozenset(), cancelled=True)}
    readiness = check_readiness(csm_plan, EXEC, ApplicationStatus.ACTIVE, cancelled)
    assert readiness.reason is not None
    assert readiness.reason.startswith("Executive Interview was cancelled")
    # Once past it (on an override), the stage counts as skipped.
    past = check_readiness(
        csm_plan, "reference-and-background-check", ApplicationStatus.ACTIVE, not_scheduled
    )
    assert past.ready


def test_no_scorecard_at_all_is_not_ready(csm_plan: PipelinePlan) -> None:
    readiness = check_readiness(
        csm_plan, "reference-and-background-check", ApplicationStatus.ACTIVE, {}
    )
    assert not readiness.ready
    assert readiness.reason == "No interview scorecard has been submitted."


# ---------------------------------------------------------------------------------------------
# The decision's fields


@pytest.mark.parametrize(
    ("outcome", "level_id", "rationale", "field"),
    [
        ("", None, None, "outcome"),
        ("maybe", None, None, "outcome"),
        ("no_hire", "csm", None, "level_id"),
        ("hire", "associate-csm", "Two below.", "level_id"),
        ("hire", "manager-csm", "Another track.", "level_id"),
        ("hire", "staff-csm", "  ", "rationale"),
        ("hire", "csm", None, "rationale"),
        ("hire", "staff-csm", "x" * 20_001, "rationale"),
    ],
)
def test_the_field_a_decision_gets_wrong(
    ladder: Ladder, outcome: str, level_id: str | None, rationale: str | None, field: str
) -> None:
    problem = decision_problem(ladder, "senior-csm", outcome, level_id, rationale)
    assert problem is not None
    assert problem[0] == field
    assert problem[1]


@pytest.mark.parametrize(
    ("outcome", "level_id", "rationale"),
    [
        ("hire", None, None),
        ("hire", "senior-csm", None),
        ("hire", "staff-csm", "Ran a region."),
        ("no_hire", None, None),
    ],
)
def test_accepted_decisions_have_no_problem(
    ladder: Ladder, outcome: str, level_id: str | None, rationale: str | None
) -> None:
    assert decision_problem(ladder, "senior-csm", outcome, level_id, rationale) is None


@pytest.mark.parametrize("status", [ApplicationStatus.ACTIVE, ApplicationStatus.DECLINED])
def test_a_stage_the_plan_no_longer_has_has_no_debrief(
    csm_plan: PipelinePlan, status: ApplicationStatus
) -> None:
    readiness = check_readiness(csm_plan, "coffee-chat", status, ALL_IN)
    assert not readiness.ready
    assert readiness.reason == (
        "The application is at the stage 'coffee-chat', which the hiring process no longer "
        "has: there is no debrief for it."
    )
