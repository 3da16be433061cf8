"""Scorecards: ratings, criteria from the ladder, validation, blind feedback, side by side."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from ladder.model import Ladder
from ladder.resolve import resolve_all
from pipelines import scorecards
from pipelines.errors import InvalidScorecardError, PipelineError, ScorecardError
from pipelines.focus import parse_focus
from pipelines.plan import StageKind
from pipelines.scorecards import (
    NOT_ASSESSED,
    Criterion,
    CriterionSource,
    Rating,
    Scope,
    ScorecardSummary,
    build_scorecard,
    can_see_others,
    criteria_for,
    level_criteria,
    parse_mark,
    parse_rating,
    requirement_criterion_id,
    side_by_side,
    validate_scorecard,
    visible_scorecards,
)

PILLARS = [
    "communication",
    "follow-through",
    "organization-documentation",
    "relationship-building",
    "proactivity",
    "assertiveness",
    "perceptiveness",
]

# ---------------------------------------------------------------------------------------------
# Ratings


@pytest.mark.parametrize(
    ("rating", "positive", "label", "points"),
    [
        (Rating.STRONG_NO, False, "strong no", 1),
        (Rating.NO, False, "no", 2),
        (Rating.YES, True, "yes", 3),
        (Rating.STRONG_YES, True, "strong yes", 4),
    ],
)
def test_ratings(rating: Rating, positive: bool, label: str, points: int) -> None:
    assert rating.is_positive is positive
    assert rating.label == label
    assert rating.points == points
    assert parse_rating(rating.value) is rating
    assert parse_mark(f" {rating.value} ") is rating


@pytest.mark.parametrize("value", ["maybe", "", "YES", None, 3, "not_assessed"])
def test_parse_rating_refuses_anything_else(value: object) -> None:
    assert parse_rating(value) is None


def test_not_assessed_is_a_mark_but_not_a_rating() -> None:
    assert parse_mark("not_assessed") is NOT_ASSESSED
    assert parse_mark(NOT_ASSESSED) is NOT_ASSESSED
    assert parse_rating("not_assessed") is None
    assert NOT_ASSESSED.label == "not assessed"


def test_summary_positivity() -> None:
    assert ScorecardSummary(1, True, Rating.YES).is_positive
    assert not ScorecardSummary(1, False, Rating.YES).is_positive
    assert not ScorecardSummary(1, True, None).is_positive
    assert not ScorecardSummary(1, True, Rating.NO).is_positive


# ---------------------------------------------------------------------------------------------
# Criteria from the ladder


def by_text(criteria: tuple[Criterion, ...], start: str) -> Criterion:
    (found,) = [c for c in criteria if c.text.startswith(start)]
    return found


def test_senior_csm_inherits_requirements_with_their_origin(ladder: Ladder) -> None:
    criteria = level_criteria(ladder, "senior-csm")
    associate = by_text(criteria, "Demonstrated progressive experience")
    assert (associate.origin, associate.origin_kind) == ("associate-csm", "level")
    assert associate.scope is Scope.INHERITED
    family = by_text(criteria, "Understanding of Git")
    assert (family.origin, family.origin_kind) == ("customer-success-management", "family")
    assert family.scope is Scope.INHERITED
    own = by_text(criteria, "Expert in GitLab usage")
    assert (own.origin, own.scope) == ("senior-csm", Scope.LEVEL)
    assert all(c.source is CriterionSource.REQUIREMENT for c in criteria[:-7])


def test_requirements_follow_the_resolved_order(ladder: Ladder) -> None:
    from ladder.resolve import resolve_level

    resolved = resolve_level(ladder, "senior-csm")
    requirements = [c for c in level_criteria(ladder, "senior-csm") if c.competency_id is None]
    assert [(c.text, c.items, c.origin) for c in requirements] == [
        (item.text, item.items, item.origin) for item in resolved.requirements
    ]


def test_csm_levels_add_the_seven_pillars(ladder: Ladder) -> None:
    competencies = [c for c in level_criteria(ladder, "senior-csm") if c.competency_id]
    assert [c.competency_id for c in competencies] == PILLARS
    assert [c.id for c in competencies] == [f"competency:{p}" for p in PILLARS]
    communication = competencies[0]
    assert communication.text == "Communication"
    assert communication.description
    assert communication.scope is Scope.COMPETENCY
    assert communication.origin is None


@pytest.mark.parametrize("level_id", ["csa", "senior-csa", "director-cs", "vp-cs"])
def test_other_families_have_no_competencies(ladder: Ladder, level_id: str) -> None:
    criteria = level_criteria(ladder, level_id)
    assert criteria
    assert all(c.source is CriterionSource.REQUIREMENT for c in criteria)


def test_a_specialty_adds_its_requirements(ladder: Ladder) -> None:
    plain = level_criteria(ladder, "senior-csm")
    public = level_criteria(ladder, "senior-csm", "public-sector")
    added = [c for c in public if c.scope is Scope.SPECIALTY]
    assert added
    assert all(c.origin == "public-sector" and c.origin_kind == "specialty" for c in added)
    assert [c for c in public if c.scope is not Scope.SPECIALTY] == list(plain)


def test_criterion_ids_are_stable_and_unique_everywhere(ladder: Ladder) -> None:
    pattern = re.compile(r"(req:[0-9a-f]{8}|competency:[a-z0-9-]+)\Z")
    for key in resolve_all(ladder):
        level_id, _, specialty = key.partition("/")
        criteria = level_criteria(ladder, level_id, specialty or None)
        ids = [c.id for c in criteria]
        assert len(ids) == len(set(ids)), key
        assert all(pattern.match(i) for i in ids), key
        assert criteria == level_criteria(ladder, level_id, specialty or None)


def test_the_same_requirement_has_the_same_id_at_every_level(ladder: Ladder) -> None:
    junior = by_text(level_criteria(ladder, "csm"), "Demonstrated progressive experience")
    senior = by_text(level_criteria(ladder, "staff-csm"), "Demonstrated progressive experience")
    assert junior.id == senior.id


def test_ids_hash_the_normalised_text() -> None:
    from ladder.model import item_key

    assert requirement_criterion_id(item_key("Strong  team player.")) == requirement_criterion_id(
        item_key("strong team player")
    )
    assert requirement_criterion_id(item_key("a")) != requirement_criterion_id(item_key("b"))


def test_requirement_ids_hash_the_item_key_not_its_wording(ladder: Ladder) -> None:
    from ladder.model import item_key

    requirements = [c for c in level_criteria(ladder, "staff-csm") if c.competency_id is None]
    assert requirements
    for criterion in requirements:
        assert criterion.id == requirement_criterion_id(item_key(criterion.text, criterion.items))


def test_colliding_ids_grow_longer(monkeypatch: pytest.MonkeyPatch) -> None:
    real = scorecards.requirement_criterion_id

    def short(key: str, length: int = 8) -> str:
        return "req:same" if length == 8 else real(key, length)

    monkeypatch.setattr(scorecards, "requirement_criterion_id", short)
    ids = scorecards._requirement_ids(["one", "two"])
    assert ids == [real("one", 12), real("two", 12)]
    assert len(set(ids)) == 2


def test_an_unknown_level_or_specialty(ladder: Ladder) -> None:
    with pytest.raises(ScorecardError, match="No scorecard criteria for astronaut"):
        level_criteria(ladder, "astronaut")
    with pytest.raises(ScorecardError) as caught:
        level_criteria(ladder, "senior-csm", "martian")
    assert isinstance(caught.value, PipelineError)


# ---------------------------------------------------------------------------------------------
# Focus per stage


def scopes(criteria: tuple[Criterion, ...]) -> set[Scope]:
    return {c.scope for c in criteria}


def test_default_focus_per_stage_kind(ladder: Ladder) -> None:
    def of(kind: StageKind | None) -> tuple[Criterion, ...]:
        return criteria_for(ladder, "senior-csm", "public-sector", kind)

    everything = of(None)
    assert of(StageKind.HIRING_MANAGER) == tuple(c for c in everything if c.competency_id is None)
    assert scopes(of(StageKind.PEER)) == {Scope.INHERITED, Scope.COMPETENCY}
    assert scopes(of(StageKind.PANEL)) == {Scope.LEVEL, Scope.SPECIALTY, Scope.COMPETENCY}
    assert scopes(of(StageKind.EXECUTIVE)) == {Scope.LEVEL, Scope.COMPETENCY}
    assert of(StageKind.INTERVIEW) == everything
    for kind in (StageKind.RECRUITER_SCREEN, StageKind.WRITTEN_ASSESSMENT, StageKind.REFERENCES):
        assert of(kind) == ()


def test_a_family_focus_overrides_the_default(ladder: Ladder) -> None:
    focus = parse_focus(
        {"peer": ["competency:communication"], "panel-interview": ["requirements:level"]}
    )
    peer = criteria_for(ladder, "senior-csm", None, StageKind.PEER, focus=focus)
    assert [c.id for c in peer] == ["competency:communication"]
    panel = criteria_for(
        ladder, "senior-csm", None, StageKind.PANEL, stage_id="panel-interview", focus=focus
    )
    assert scopes(panel) == {Scope.LEVEL}
    manager = criteria_for(ladder, "senior-csm", None, StageKind.HIRING_MANAGER, focus=focus)
    assert manager == criteria_for(ladder, "senior-csm", None, StageKind.HIRING_MANAGER)


# ---------------------------------------------------------------------------------------------
# Validation


def crit(criterion_id: str, text: str) -> Criterion:
    return Criterion(criterion_id, CriterionSource.REQUIREMENT, Scope.LEVEL, text)


CRITERIA = (
    crit("req:00000001", "Strong team player"),
    crit("req:00000002", "Expert in GitLab usage"),
    Criterion(
        "competency:communication", CriterionSource.COMPETENCY, Scope.COMPETENCY, "Communication"
    ),
)
COMPLETE = {
    "req:00000001": "yes",
    "req:00000002": "not_assessed",
    "competency:communication": "strong_no",
}


def test_a_complete_scorecard_has_no_problems() -> None:
    assert validate_scorecard(CRITERIA, COMPLETE, "yes", "Great demo.") == ()


def test_every_problem_is_reported_at_once_with_its_criterion() -> None:
    long = crit(
        "req:00000003", "Ability to translate business requirements into business value, and more"
    )
    problems = validate_scorecard(
        (*CRITERIA, long),
        {"req:00000002": "maybe", "competency:communication": "", "req:99999999": "yes"},
        None,
        "   ",
    )
    assert [(p.field, p.criterion_id, p.message) for p in problems] == [
        ("req:00000001", "req:00000001", 'Rate "Strong team player" or mark it not assessed.'),
        (
            "req:00000002",
            "req:00000002",
            "'maybe' is not a rating for \"Expert in GitLab usage\" "
            "(use strong no, no, yes or strong yes, or not assessed).",
        ),
        (
            "competency:communication",
            "competency:communication",
            'Rate "Communication" or mark it not assessed.',
        ),
        (
            "req:00000003",
            "req:00000003",
            'Rate "Ability to translate business requirements into business va…" '
            "or mark it not assessed.",
        ),
        ("req:99999999", "req:99999999", "'req:99999999' is not a criterion of this scorecard."),
        (
            "recommendation",
            None,
            "Choose an overall recommendation (strong no, no, yes or strong yes).",
        ),
        ("notes", None, "Write notes that explain the recommendation."),
    ]


@pytest.mark.parametrize("recommendation", ["not_assessed", "maybe", 4])
def test_the_recommendation_is_one_of_the_four_ratings(recommendation: object) -> None:
    (problem,) = validate_scorecard(CRITERIA, COMPLETE, recommendation, "Notes")
    assert problem.field == "recommendation"
    assert problem.message == (
        f"{recommendation!r} is not a recommendation (use strong no, no, yes or strong yes)."
    )


@pytest.mark.parametrize("notes", [None, "", " \n "])
def test_notes_are_required(notes: str | None) -> None:
    (problem,) = validate_scorecard(CRITERIA, COMPLETE, "yes", notes)
    assert problem.field == "notes"


def test_build_scorecard_parses_the_marks() -> None:
    card = build_scorecard(CRITERIA, 7, "peer-interview", COMPLETE, "strong_yes", "  Good.  ")
    assert card.ratings == {
        "req:00000001": Rating.YES,
        "req:00000002": NOT_ASSESSED,
        "competency:communication": Rating.STRONG_NO,
    }
    assert card.recommendation is Rating.STRONG_YES
    assert card.notes == "Good."
    assert card.summary() == ScorecardSummary(7, True, Rating.STRONG_YES, "peer-interview")


def test_build_scorecard_refuses_with_every_problem() -> None:
    with pytest.raises(InvalidScorecardError) as caught:
        build_scorecard(CRITERIA, 7, "peer-interview", {}, None, "")
    assert len(caught.value.problems) == 5
    assert str(caught.value).startswith(
        'The scorecard has 5 problems: Rate "Strong team player" or mark it not assessed.; '
    )


# ---------------------------------------------------------------------------------------------
# Blind feedback


@dataclass(frozen=True)
class Row:
    """A scorecard as the app stores it: anything with an interviewer and a submitted flag."""

    interviewer_id: int
    submitted: bool


HM = 2


@pytest.mark.parametrize(
    ("viewer", "cards", "sees"),
    [
        (7, [Row(7, False), Row(8, True)], False),  # own still a draft
        (7, [Row(7, True), Row(8, True)], True),  # own submitted
        (7, [Row(8, True)], False),  # not an interviewer of it
        (7, [Row(7, True), Row(7, False), Row(8, True)], False),  # a second own card pending
        (HM, [Row(8, True)], True),  # the hiring manager reads submitted ones
        (HM, [Row(HM, False), Row(8, True)], False),  # ...but is blind with a draft pending
        (HM, [Row(HM, True), Row(8, True)], True),
        (7, [], False),
    ],
)
def test_blind_feedback(viewer: int, cards: list[Row], sees: bool) -> None:
    assert can_see_others(viewer, cards, hiring_manager_id=HM) is sees


def test_without_a_hiring_manager_nobody_is_exempt() -> None:
    assert not can_see_others(HM, [Row(8, True)])


def test_visible_scorecards_never_shows_others_drafts() -> None:
    cards = [Row(7, True), Row(8, True), Row(9, False), Row(HM, True)]
    assert visible_scorecards(7, cards, hiring_manager_id=HM) == (
        Row(7, True),
        Row(8, True),
        Row(HM, True),
    )
    assert visible_scorecards(9, cards, hiring_manager_id=HM) == (Row(9, False),)
    assert visible_scorecards(5, cards, hiring_manager_id=HM) == ()
    assert visible_scorecards(HM, cards, hiring_manager_id=HM) == (
        Row(7, True),
        Row(8, True),
        Row(HM, True),
    )


# ---------------------------------------------------------------------------------------------
# Side by side


def test_side_by_side_per_criterion() -> None:
    first = build_scorecard(CRITERIA, 7, "peer-interview", COMPLETE, "yes", "A")
    second = build_scorecard(
        CRITERIA[:1], 8, "panel-interview", {"req:00000001": "no"}, "strong_no", "B"
    )
    view = side_by_side(CRITERIA, [first, second])
    assert view.columns == (first, second)
    assert [row.marks for row in view.rows] == [
        (Rating.YES, Rating.NO),
        (NOT_ASSESSED, None),
        (Rating.STRONG_NO, None),
    ]
    assert [(r.positive, r.negative, r.rated, r.split) for r in view.rows] == [
        (1, 1, 2, True),
        (0, 0, 0, False),
        (0, 1, 1, False),
    ]
    assert view.recommendations == (Rating.YES, Rating.STRONG_NO)
    assert view.unmatched == ()


def test_side_by_side_keeps_ratings_of_criteria_that_left_the_ladder() -> None:
    card = build_scorecard(CRITERIA, 7, "peer-interview", COMPLETE, "yes", "A")
    view = side_by_side(CRITERIA[1:], [card])
    assert view.unmatched == ("req:00000001",)
    assert [row.criterion.id for row in view.rows] == ["req:00000002", "competency:communication"]
