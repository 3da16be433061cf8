"""The written assessment's questions, derived from the level's requirements and competencies."""

from __future__ import annotations

import pytest

from ladder.model import (
    Competency,
    CompetencySet,
    Extends,
    Family,
    Item,
    Ladder,
    Level,
    Specialty,
    Track,
)
from ladder.resolve import resolve_level
from pipelines.assessment import (
    MAX_QUESTIONS,
    MAX_REQUIREMENT_QUESTIONS,
    PROMPT,
    AssessmentError,
    QuestionSource,
    assessment_questions,
    question_id,
)
from pipelines.errors import PipelineError

IC = Track.INDIVIDUAL_CONTRIBUTOR


def level(level_id: str, *requirements: str | Item, extends: tuple[str, ...] = ()) -> Level:
    return Level(
        id=level_id,
        family="fam",
        title=level_id.title(),
        track=IC,
        extends=Extends(requirements=extends),
        requirements=tuple(r if isinstance(r, Item) else Item(r) for r in requirements),
    )


def small_ladder(
    *levels: Level,
    competencies: int = 3,
    family_requirements: tuple[str, ...] = (),
    specialty_requirements: tuple[str, ...] = (),
) -> Ladder:
    sets = ()
    if competencies:
        sets = (
            CompetencySet(
                "pillars",
                "Pillars",
                tuple(
                    Competency(f"c{n}", f"Competency {n}", f"What competency {n} means.")
                    for n in range(1, competencies + 1)
                ),
            ),
        )
    family = Family(
        id="fam",
        title="Family",
        levels=levels,
        competencies="pillars" if competencies else None,
        requirements=tuple(Item(text) for text in family_requirements),
        specialties=(
            Specialty(
                "spec", "fam", "Specialty", requirements=tuple(map(Item, specialty_requirements))
            ),
        ),
    )
    return Ladder((family,), sets)


# ---------------------------------------------------------------------------------------------
# The shipped ladder


def test_senior_csm_gets_its_own_requirements_then_pillars(ladder: Ladder) -> None:
    questions = assessment_questions(ladder, "senior-csm")
    resolved = resolve_level(ladder, "senior-csm").requirements
    own = [item for item in resolved if item.origin == "senior-csm"]
    assert len(own) == MAX_REQUIREMENT_QUESTIONS
    assert [q.source_text for q in questions[:5]] == [item.text for item in own]
    assert all(q.origin == "senior-csm" for q in questions[:5])
    assert [q.criterion_id for q in questions[5:]] == [
        "competency:communication",
        "competency:follow-through",
    ]
    assert questions[5].source is QuestionSource.COMPETENCY
    assert questions[5].source_text.startswith("Communication — Frequent and honest")
    assert questions[5].text == PROMPT + questions[5].source_text
    assert len(questions) == MAX_QUESTIONS
    assert all(q.text.startswith(PROMPT) for q in questions)


def test_a_level_adding_no_requirements_falls_back_to_what_it_inherits(ladder: Ladder) -> None:
    resolved = resolve_level(ladder, "csm").requirements
    assert not [item for item in resolved if item.origin == "csm"]
    questions = assessment_questions(ladder, "csm")
    assert [q.source_text for q in questions[:5]] == [item.text for item in resolved[:5]]
    assert questions[0].origin == "customer-success-management"


def test_the_specialty_comes_after_the_level_and_before_competencies(ladder: Ladder) -> None:
    questions = assessment_questions(ladder, "senior-csm", "public-sector")
    assert [q.origin for q in questions] == ["senior-csm"] * 5 + ["public-sector"] * 2
    assert len(questions) == MAX_QUESTIONS


def test_a_family_without_competencies_gets_requirements_only(ladder: Ladder) -> None:
    questions = assessment_questions(ladder, "csa")
    assert len(questions) == MAX_REQUIREMENT_QUESTIONS
    assert {q.source for q in questions} == {QuestionSource.REQUIREMENT}


def test_every_shipped_level_and_specialty_stays_within_the_limits(ladder: Ladder) -> None:
    for family in ladder.families:
        for lv in family.levels:
            variants = [None] + [
                s.id for s in family.specialties if not s.applies_to or lv.id in s.applies_to
            ]
            for specialty_id in variants:
                questions = assessment_questions(ladder, lv.id, specialty_id)
                assert len(questions) <= MAX_QUESTIONS
                requirements = [q for q in questions if q.source is QuestionSource.REQUIREMENT]
                assert len([q for q in requirements if q.origin != specialty_id]) <= 5
                assert len({q.id for q in questions}) == len(questions)
                if lv.defined_elsewhere is None:
                    assert questions, f"no questions for {lv.id}"


def test_ids_are_stable_across_levels_and_calls(ladder: Ladder) -> None:
    senior_csm = assessment_questions(ladder, "senior-csm")
    staff_csa = assessment_questions(ladder, "staff-csa")
    # Both levels add the same requirements: the same source text, the same id.
    assert [q.id for q in senior_csm[:5]] == [q.id for q in staff_csa]
    assert assessment_questions(ladder, "senior-csm") == senior_csm
    for question in senior_csm:
        assert question.id == question_id(question.source_text)
        assert question.id.startswith("q:")
        assert len(question.id) == len("q:") + 12


def test_question_ids_ignore_case_spacing_and_a_final_stop() -> None:
    assert question_id("Strong  team player.") == question_id("strong team player")
    assert question_id("Strong team player") != question_id("Strong team leader")


def test_criterion_ids_match_the_scorecard_criteria(ladder: Ladder) -> None:
    from pipelines.scorecards import level_criteria

    ids = {c.id for c in level_criteria(ladder, "senior-csm")}
    assert {q.criterion_id for q in assessment_questions(ladder, "senior-csm")} <= ids


# ---------------------------------------------------------------------------------------------
# The rule, on small ladders


def test_at_most_five_requirements_then_competencies_up_to_seven() -> None:
    ladder = small_ladder(level("big", *(f"Requirement {n}" for n in range(1, 9))))
    questions = assessment_questions(ladder, "big")
    assert [q.source_text for q in questions[:5]] == [f"Requirement {n}" for n in range(1, 6)]
    assert [q.criterion_id for q in questions[5:]] == ["competency:c1", "competency:c2"]


def test_few_requirements_leave_room_for_every_competency() -> None:
    ladder = small_ladder(level("small", "One", "Two"), competencies=3)
    questions = assessment_questions(ladder, "small")
    assert [q.source for q in questions] == [QuestionSource.REQUIREMENT] * 2 + [
        QuestionSource.COMPETENCY
    ] * 3
    assert questions[2].source_text == "Competency 1 — What competency 1 means."


def test_inherited_requirements_are_left_out_when_the_level_adds_some() -> None:
    ladder = small_ladder(
        level("junior", "Curiosity"),
        level("senior", "Mentoring", extends=("junior",)),
        competencies=0,
    )
    assert [q.source_text for q in assessment_questions(ladder, "senior")] == ["Mentoring"]


def test_family_requirements_count_as_inherited() -> None:
    ladder = small_ladder(
        level("plain", extends=("fam",)), family_requirements=("Git", "CI"), competencies=0
    )
    questions = assessment_questions(ladder, "plain")
    assert [(q.source_text, q.origin) for q in questions] == [("Git", "fam"), ("CI", "fam")]


def test_nested_items_are_part_of_the_question() -> None:
    ladder = small_ladder(
        level("nested", Item("Experience with:", ("Kubernetes", "Terraform"))), competencies=0
    )
    (question,) = assessment_questions(ladder, "nested")
    assert question.text == PROMPT + "Experience with: Kubernetes; Terraform"


def test_specialty_requirements_fill_the_room_left() -> None:
    ladder = small_ladder(
        level("lv", "A", "B", "C", "D", "E", "F"),
        specialty_requirements=("S1", "S2", "S3"),
        competencies=2,
    )
    questions = assessment_questions(ladder, "lv", "spec")
    assert [q.source_text for q in questions] == ["A", "B", "C", "D", "E", "S1", "S2"]


def test_a_level_with_nothing_to_ask_gets_no_questions() -> None:
    ladder = small_ladder(level("empty"), competencies=0)
    assert assessment_questions(ladder, "empty") == ()


def test_an_unknown_level_is_refused_with_a_pipeline_error() -> None:
    ladder = small_ladder(level("lv", "A"))
    with pytest.raises(AssessmentError, match="No written assessment for nope") as caught:
        assessment_questions(ladder, "nope")
    assert isinstance(caught.value, PipelineError)
