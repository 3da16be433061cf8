"""Pipeline plans: the three shipped families, stage classification, refused processes."""

from __future__ import annotations

import pytest

from ladder.model import Family, Ladder, Role
from pipelines.errors import PipelineError, PlanError, UnknownStageError
from pipelines.plan import (
    PANEL_DEFAULT,
    EvidenceKind,
    PipelinePlan,
    StageKind,
    build_plan,
    classify_stage,
    plan_for_level,
    plan_process,
)
from tests.domain.pipelines.pipelines_testing import (
    ASSESSMENT,
    CSA,
    CSL,
    FAMILIES,
    MANAGER,
    REFERENCES,
    SCREEN,
    process,
    stage,
)

K = StageKind
WITHOUT_EXECUTIVE = [
    K.RECRUITER_SCREEN,
    K.WRITTEN_ASSESSMENT,
    K.HIRING_MANAGER,
    K.PEER,
    K.PANEL,
    K.REFERENCES,
]


# ---------------------------------------------------------------------------------------------
# The shipped families


def test_csm_plan_has_every_stage_in_order(csm_plan: PipelinePlan) -> None:
    assert [s.kind for s in csm_plan.stages] == [*WITHOUT_EXECUTIVE[:-1], K.EXECUTIVE, K.REFERENCES]
    assert [s.position for s in csm_plan.stages] == list(range(7))


@pytest.mark.parametrize("family_id", [CSL, CSA])
def test_families_without_an_executive_stage(ladder: Ladder, family_id: str) -> None:
    plan = build_plan(ladder, family_id)
    assert [s.kind for s in plan.stages] == WITHOUT_EXECUTIVE
    assert not plan.has(K.EXECUTIVE)


@pytest.mark.parametrize("family_id", FAMILIES)
def test_stage_ids_and_names_come_from_the_data(ladder: Ladder, family_id: str) -> None:
    data = ladder.family(family_id).hiring_process
    assert data is not None
    plan = build_plan(ladder, family_id)
    assert [(s.id, s.name, s.text) for s in plan.stages] == [
        (s.id, s.name, s.text) for s in data.stages
    ]
    assert plan.family_id == family_id


@pytest.mark.parametrize("family_id", FAMILIES)
def test_durations_and_who_conducts(ladder: Ladder, family_id: str) -> None:
    plan = build_plan(ladder, family_id)
    durations = {s.kind: s.duration_minutes for s in plan.stages}
    assert durations[K.RECRUITER_SCREEN] == 30
    assert durations[K.HIRING_MANAGER] == 30
    assert durations[K.PEER] == 30
    assert durations[K.PANEL] == 60
    assert durations[K.WRITTEN_ASSESSMENT] is None  # the data gives none; nothing invented
    roles = {s.kind: s.roles for s in plan.stages}
    assert roles[K.RECRUITER_SCREEN] == (Role.RECRUITER,)
    assert roles[K.HIRING_MANAGER] == (Role.HIRING_MANAGER,)
    assert roles[K.PEER] == (Role.PEER,)
    assert (
        roles[K.PANEL] == PANEL_DEFAULT == (Role.HIRING_MANAGER, Role.TEAM_MEMBER, Role.TEAM_MEMBER)
    )


@pytest.mark.parametrize("family_id", FAMILIES)
def test_peer_and_panel_interviewers_are_chosen_by_the_hiring_manager(
    ladder: Ladder, family_id: str
) -> None:
    plan = build_plan(ladder, family_id)
    chosen = {s.kind for s in plan.stages if s.chosen_by_hiring_manager}
    assert chosen == {K.PEER, K.PANEL}


@pytest.mark.parametrize("family_id", FAMILIES)
def test_panel_format_notes(ladder: Ladder, family_id: str) -> None:
    (panel,) = build_plan(ladder, family_id).of_kind(K.PANEL)
    assert len(panel.format) == 2
    assert panel.format[0].startswith("Live demonstration")
    assert panel.format[1].startswith("General discussion")
    assert panel.conducted_by == "the hiring manager and two other team members"


@pytest.mark.parametrize("family_id", FAMILIES)
def test_written_assessment_is_sent_by_the_recruiter_after_the_screen(
    ladder: Ladder, family_id: str
) -> None:
    plan = build_plan(ladder, family_id)
    (assessment,) = plan.of_kind(K.WRITTEN_ASSESSMENT)
    assert assessment.sent_by is Role.RECRUITER
    assert assessment.sent_after == plan.first.id == "recruiter-screening"
    assert assessment.evidence is EvidenceKind.ASSESSMENT
    assert not assessment.uses_scorecards


@pytest.mark.parametrize("family_id", FAMILIES)
def test_references_come_last(ladder: Ladder, family_id: str) -> None:
    plan = build_plan(ladder, family_id)
    assert plan.stages[-1].kind is K.REFERENCES
    assert plan.references.id == "reference-and-background-check"
    assert plan.references.evidence is EvidenceKind.REFERENCE_CHECK
    assert plan.next_after(plan.references.id) is None


def test_executive_stage_is_conducted_by_the_senior_director(csm_plan: PipelinePlan) -> None:
    (executive,) = csm_plan.of_kind(K.EXECUTIVE)
    assert executive.level == "senior-director-csm"
    assert executive.roles == (Role.EXECUTIVE,)
    assert executive.duration_minutes == 30
    assert executive.conducted_by == "the Senior Director of CSMs"
    assert executive.uses_scorecards


def test_interview_stages(csm_plan: PipelinePlan) -> None:
    assert [s.id for s in csm_plan.interview_stages] == [
        "hiring-manager-interview",
        "peer-interview",
        "panel-interview",
        "executive-interview",
    ]
    assert all(s.evidence is EvidenceKind.SCORECARDS for s in csm_plan.interview_stages)


def test_plan_for_level_is_its_family_plan(ladder: Ladder, csm_plan: PipelinePlan) -> None:
    assert plan_for_level(ladder, "senior-csm") == csm_plan
    assert plan_for_level(ladder, "director-cs") == build_plan(ladder, CSL)
    assert plan_for_level(ladder, "senior-csa").family_id == CSA


def test_navigation(csm_plan: PipelinePlan) -> None:
    nxt = csm_plan.next_after("panel-interview")
    assert nxt is not None
    assert nxt.id == "executive-interview"
    assert [s.id for s in csm_plan.before("hiring-manager-interview")] == [
        "recruiter-screening",
        "written-assessment",
    ]
    assert csm_plan.stage_ids[0] == "recruiter-screening"


def test_unknown_stage_is_refused_with_the_known_ones(csm_plan: PipelinePlan) -> None:
    with pytest.raises(UnknownStageError) as caught:
        csm_plan.stage("coffee-chat")
    assert str(caught.value).startswith(
        "The hiring process of customer-success-management has no stage 'coffee-chat' "
        "(its stages: recruiter-screening, written-assessment,"
    )
    assert isinstance(caught.value, PipelineError)


# ---------------------------------------------------------------------------------------------
# Classification


@pytest.mark.parametrize(
    ("stage_id", "name", "roles", "level", "expected"),
    [
        ("intro-call", "Intro call", (Role.RECRUITER,), None, K.RECRUITER_SCREEN),
        ("phone-screen", "Phone screen", (), None, K.RECRUITER_SCREEN),
        ("take-home", "Take-home questionnaire", (), None, K.WRITTEN_ASSESSMENT),
        ("homework", "Homework", (Role.RECRUITER,), None, K.WRITTEN_ASSESSMENT),
        ("manager-chat", "Chat with your manager", (Role.HIRING_MANAGER,), None, K.HIRING_MANAGER),
        ("hm", "Hiring manager", (), None, K.HIRING_MANAGER),
        ("culture", "Culture add", (Role.TEAM_MEMBER,), None, K.PEER),
        ("peer-chat", "Peer chat", (), None, K.PEER),
        ("values", "Values", (Role.HIRING_MANAGER, Role.PEER), None, K.PANEL),
        (
            "tech-assessment",
            "Technical assessment",
            (Role.TEAM_MEMBER, Role.TEAM_MEMBER),
            None,
            K.PANEL,
        ),
        ("group", "Group interview", (), None, K.INTERVIEW),
        ("team-panel", "Team panel", (Role.TEAM_MEMBER,), None, K.PANEL),
        ("vp-chat", "VP chat", (Role.EXECUTIVE,), None, K.EXECUTIVE),
        ("leadership", "Leadership", (), "senior-director-csm", K.EXECUTIVE),
        ("exec", "Executive", (), None, K.EXECUTIVE),
        ("bar-raiser", "Bar raiser", (), None, K.INTERVIEW),
        ("sales-pitch", "Sales pitch", (Role.RECRUITER, Role.HIRING_MANAGER), None, K.PANEL),
        ("checks", "Background verification", (), None, K.REFERENCES),
        ("reference-calls", "Reference calls", (Role.HIRING_MANAGER,), None, K.REFERENCES),
    ],
)
def test_classification_uses_roles_and_words_not_titles(
    stage_id: str, name: str, roles: tuple[Role, ...], level: str | None, expected: StageKind
) -> None:
    assert classify_stage(stage(stage_id, name, roles, level=level)) is expected


def test_an_unknown_stage_is_a_generic_interview_with_scorecards() -> None:
    plan = plan_process(
        "alpha",
        process(SCREEN, ASSESSMENT, stage("bar-raiser", "Bar Raiser"), REFERENCES),
    )
    bar = plan.stage("bar-raiser")
    assert bar.kind is K.INTERVIEW
    assert bar.uses_scorecards
    assert bar.roles == ()
    assert bar.evidence is EvidenceKind.SCORECARDS


def test_a_panel_without_roles_gets_the_default_composition() -> None:
    plan = plan_process("alpha", process(stage("panel", "Panel"), REFERENCES))
    panel = plan.stage("panel")
    assert panel.roles == PANEL_DEFAULT
    assert panel.selected_by is Role.HIRING_MANAGER


def test_selected_by_in_the_data_wins() -> None:
    peer = stage("peer", "Peer", (Role.PEER,), selected_by=Role.RECRUITER)
    plan = plan_process("alpha", process(peer, REFERENCES))
    assert plan.stage("peer").selected_by is Role.RECRUITER
    assert not plan.stage("peer").chosen_by_hiring_manager


def test_the_assessment_follows_the_nearest_screen() -> None:
    second = stage("second-screen", "Second screen", (Role.RECRUITER,))
    plan = plan_process("alpha", process(SCREEN, MANAGER, second, ASSESSMENT, REFERENCES))
    assert plan.stage("written-assessment").sent_after == "second-screen"


# ---------------------------------------------------------------------------------------------
# Refused processes


@pytest.mark.parametrize(
    ("stages", "problem"),
    [
        ((SCREEN, MANAGER), "it has no reference and background check stage"),
        (
            (SCREEN, REFERENCES, MANAGER),
            "the reference check 'reference-and-background-check' is not the last stage",
        ),
        (
            (SCREEN, stage("reference-calls", "Reference calls"), REFERENCES),
            "it has several reference check stages "
            "('reference-calls', 'reference-and-background-check')",
        ),
        (
            (ASSESSMENT, SCREEN, REFERENCES),
            "the written assessment 'written-assessment' has no recruiter screen before it",
        ),
        ((SCREEN, SCREEN, REFERENCES), "the stage id 'recruiter-screening' is used twice"),
    ],
)
def test_refused_processes(stages: tuple[object, ...], problem: str) -> None:
    with pytest.raises(PlanError) as caught:
        plan_process("alpha", process(*stages))  # type: ignore[arg-type]
    assert caught.value.problems == (problem,)
    assert str(caught.value) == f"The hiring process of alpha cannot be planned: {problem}"


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PlanError) as caught:
        plan_process("alpha", process(ASSESSMENT, MANAGER))
    assert caught.value.problems == (
        "the written assessment 'written-assessment' has no recruiter screen before it",
        "it has no reference and background check stage",
    )


def test_an_executive_level_must_exist(ladder: Ladder) -> None:
    executive = stage("exec", "Executive", (Role.EXECUTIVE,), level="chief-of-everything")
    with pytest.raises(PlanError, match="stage 'exec' is conducted by unknown level"):
        plan_process("alpha", process(executive, REFERENCES), ladder.levels_by_id)
    plan = plan_process("alpha", process(executive, REFERENCES))  # no ladder to check against
    assert plan.stage("exec").level == "chief-of-everything"


def test_unknown_family_and_level(ladder: Ladder) -> None:
    with pytest.raises(PlanError, match="the ladder has no such family"):
        build_plan(ladder, "astronauts")
    with pytest.raises(PlanError, match="the ladder has no such level"):
        plan_for_level(ladder, "astronaut")


def test_a_family_without_hiring_process(ladder: Ladder) -> None:
    family = ladder.family(CSA)
    bare = Ladder(
        (Family(id="bare", title="Bare", levels=family.levels[:1]),),
        ladder.competency_sets,
    )
    with pytest.raises(PlanError) as caught:
        build_plan(bare, "bare")
    assert str(caught.value) == (
        "The hiring process of bare cannot be planned: the family has no hiring process"
    )
