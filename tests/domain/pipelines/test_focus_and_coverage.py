"""The per-stage focus as data, and the coverage check of a plan."""

from __future__ import annotations

import pytest

from ladder.model import Ladder, Role
from pipelines.coverage import check_coverage, stage_interviewers
from pipelines.errors import FocusError
from pipelines.focus import DEFAULT, DEFAULT_FOCUS, Focus, parse_focus
from pipelines.plan import PipelinePlan, StageKind, build_plan, plan_process
from pipelines.scorecards import Scope, level_criteria
from tests.domain.pipelines.pipelines_testing import (
    CSA,
    CSL,
    MANAGER,
    REFERENCES,
    SCREEN,
    process,
    stage,
)

# ---------------------------------------------------------------------------------------------
# Focus


def test_the_default_covers_every_stage_kind() -> None:
    assert set(DEFAULT_FOCUS) == set(StageKind)
    for kind in StageKind:
        if not kind.uses_scorecards:
            assert DEFAULT_FOCUS[kind] == ()
        else:
            assert DEFAULT_FOCUS[kind]


def test_no_mapping_is_the_default() -> None:
    assert parse_focus(None) is DEFAULT
    assert parse_focus({}) is DEFAULT
    assert (
        DEFAULT.selectors_for(StageKind.PANEL, "panel-interview") == DEFAULT_FOCUS[StageKind.PANEL]
    )


def test_a_stage_id_wins_over_its_kind() -> None:
    focus = parse_focus({"panel": ["competencies"], "panel-interview": ["requirements"]})
    assert focus.selectors_for(StageKind.PANEL, "panel-interview") == ("requirements",)
    assert focus.selectors_for(StageKind.PANEL, "other-panel") == ("competencies",)
    assert focus.selectors_for(StageKind.PEER, "peer-interview") == DEFAULT_FOCUS[StageKind.PEER]


def test_an_empty_list_means_no_criteria() -> None:
    focus = parse_focus({"executive": []})
    assert focus.selectors_for(StageKind.EXECUTIVE) == ()


def test_every_focus_problem_at_once() -> None:
    with pytest.raises(FocusError) as caught:
        parse_focus(
            {
                "panel": ["requirements", "vibes"],
                "Peer Interview": ["competencies"],
                "coffee-chat": ["competencies"],
                "executive": "competencies",
                "peer": ["competency:Bad Id", "competency:charisma"],
            },
            stage_ids=["panel-interview"],
            competency_ids=["communication"],
        )
    assert caught.value.problems == (
        "panel: unknown selector 'vibes' (known: competencies, requirements, "
        "requirements:inherited, requirements:level, requirements:specialty, competency:<id>)",
        "'Peer Interview' is not a stage kind or stage id",
        "'coffee-chat' is neither a stage kind nor a stage of the process",
        "executive: the selectors must be a list",
        "peer: 'competency:Bad Id' does not name a competency id",
        "peer: 'competency:charisma' names a competency the family does not have",
    )
    assert str(caught.value).startswith("Invalid stage focus: panel: unknown selector 'vibes'")


# ---------------------------------------------------------------------------------------------
# Coverage


@pytest.mark.parametrize(
    "level_id", ["associate-csm", "senior-csm", "vp-csm", "senior-cse", "director-cs", "staff-csa"]
)
def test_the_default_plans_cover_every_criterion_twice(ladder: Ladder, level_id: str) -> None:
    plan = build_plan(ladder, ladder.level(level_id).family)
    coverage = check_coverage(plan, level_criteria(ladder, level_id))
    assert coverage.uncovered == ()
    assert coverage.single_interviewer == ()
    assert coverage.complete


def test_who_assesses_what_in_the_csm_plan(ladder: Ladder, csm_plan: PipelinePlan) -> None:
    criteria = level_criteria(ladder, "senior-csm")
    coverage = check_coverage(csm_plan, criteria)
    own = next(c for c in criteria if c.scope is Scope.LEVEL)
    entry = coverage.of(own.id)
    assert entry.stage_ids == ("hiring-manager-interview", "panel-interview", "executive-interview")
    # The hiring manager sits on the panel too: counted once.
    assert entry.interviewers == (
        "hiring_manager",
        "panel-interview:team_member:1",
        "panel-interview:team_member:2",
        "executive:senior-director-csm",
    )
    pillar = coverage.of("competency:communication")
    assert pillar.stage_ids == ("peer-interview", "panel-interview", "executive-interview")


def test_criteria_nobody_assesses(ladder: Ladder, csm_plan: PipelinePlan) -> None:
    criteria = level_criteria(ladder, "senior-csm")
    focus = parse_focus(
        {
            "peer": ["requirements"],
            "panel": ["requirements"],
            "executive": ["competency:proactivity"],
        }
    )
    coverage = check_coverage(csm_plan, criteria, focus)
    assert [c.id for c in coverage.uncovered] == [
        "competency:communication",
        "competency:follow-through",
        "competency:organization-documentation",
        "competency:relationship-building",
        "competency:assertiveness",
        "competency:perceptiveness",
    ]
    assert [c.id for c in coverage.single_interviewer] == ["competency:proactivity"]
    assert not coverage.complete


def test_a_criterion_only_the_hiring_manager_sees_on_two_stages(ladder: Ladder) -> None:
    plan = build_plan(ladder, CSL)
    criteria = level_criteria(ladder, "director-cs")
    focus = Focus({"hiring_manager": ("requirements",), "peer": (), "panel": ()})
    coverage = check_coverage(plan, criteria, focus)
    assert coverage.single_interviewer == criteria
    with_panel = check_coverage(plan, criteria, Focus({"peer": (), "panel": ("requirements",)}))
    assert with_panel.single_interviewer == ()


def test_the_real_interviewers_replace_the_plan_seats(ladder: Ladder) -> None:
    plan = build_plan(ladder, CSA)
    criteria = level_criteria(ladder, "csa")
    focus = Focus({"hiring_manager": (), "peer": (), "panel": ("requirements",)})
    assigned = {"panel-interview": [4, 4]}
    coverage = check_coverage(plan, criteria, focus, interviewers=assigned)
    assert coverage.single_interviewer == criteria
    assert coverage.of(criteria[0].id).interviewers == ("user:4",)


def test_the_hiring_manager_id_joins_both_ways_of_counting(ladder: Ladder) -> None:
    plan = build_plan(ladder, CSA)
    criteria = level_criteria(ladder, "csa")
    focus = Focus({"hiring_manager": ("requirements",), "peer": (), "panel": ("requirements",)})
    assigned = {"panel-interview": [2]}  # only the hiring manager ran the panel
    coverage = check_coverage(plan, criteria, focus, interviewers=assigned, hiring_manager_id=2)
    assert coverage.of(criteria[0].id).interviewers == ("user:2",)
    assert coverage.single_interviewer == criteria


def test_stages_without_scorecards_assess_nothing(ladder: Ladder) -> None:
    plan = plan_process("alpha", process(SCREEN, MANAGER, REFERENCES))
    criteria = level_criteria(ladder, "csa")
    focus = Focus({"recruiter_screen": ("requirements",), "references": ("requirements",)})
    coverage = check_coverage(plan, criteria, focus)
    assert all(entry.stage_ids == ("hiring-manager-interview",) for entry in coverage.entries)
    assert coverage.single_interviewer == criteria


def test_seats_of_a_stage() -> None:
    two_peers = plan_process(
        "alpha", process(stage("peers", "Peers", (Role.PEER, Role.PEER)), REFERENCES)
    ).stage("peers")
    assert stage_interviewers(two_peers) == ("peers:peer:0", "peers:peer:1")
    assert stage_interviewers(two_peers, {"peers": [5, 6, 5]}) == ("user:5", "user:6")
