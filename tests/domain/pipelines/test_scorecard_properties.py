"""Property tests: scorecard validation and blind feedback on random input."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from pipelines.errors import InvalidScorecardError
from pipelines.scorecards import (
    NOT_ASSESSED,
    Criterion,
    CriterionSource,
    Rating,
    Scope,
    build_scorecard,
    can_see_others,
    validate_scorecard,
    visible_scorecards,
)

CRITERIA = tuple(
    Criterion(f"req:0000000{n}", CriterionSource.REQUIREMENT, Scope.LEVEL, f"Requirement {n}")
    for n in range(5)
)
VALUES = [*(r.value for r in Rating), NOT_ASSESSED.value, "", "maybe"]


@given(
    st.dictionaries(st.sampled_from([c.id for c in CRITERIA]), st.sampled_from(VALUES)),
    st.sampled_from([None, "", "not_assessed", *(r.value for r in Rating)]),
    st.sampled_from([None, "", "  ", "Clear evidence."]),
)
def test_validation_names_exactly_the_missing_fields(
    ratings: dict[str, str], recommendation: str | None, notes: str | None
) -> None:
    problems = validate_scorecard(CRITERIA, ratings, recommendation, notes)
    bad_criteria = {c.id for c in CRITERIA if ratings.get(c.id) in (None, "", "maybe")}
    expected = set(bad_criteria)
    if recommendation in (None, "", "not_assessed"):
        expected.add("recommendation")
    if not (notes or "").strip():
        expected.add("notes")
    assert {p.field for p in problems} == expected
    assert len(problems) == len(expected)
    try:
        card = build_scorecard(CRITERIA, 7, "peer", ratings, recommendation, notes)
    except InvalidScorecardError as error:
        assert error.problems == problems
    else:
        assert not problems
        assert set(card.ratings) == {c.id for c in CRITERIA}


@dataclass(frozen=True)
class Card:
    interviewer_id: int
    submitted: bool


cards = st.lists(st.builds(Card, st.integers(min_value=1, max_value=5), st.booleans()), max_size=8)


@given(cards, st.integers(min_value=1, max_value=6), st.sampled_from([None, 1, 2]))
def test_nobody_reads_a_draft_of_someone_else(
    scorecards: list[Card], viewer: int, hiring_manager: int | None
) -> None:
    visible = visible_scorecards(viewer, scorecards, hiring_manager_id=hiring_manager)
    for card in visible:
        assert card.interviewer_id == viewer or card.submitted
    own = [c for c in scorecards if c.interviewer_id == viewer]
    if any(not c.submitted for c in own):
        assert all(c.interviewer_id == viewer for c in visible)
        assert not can_see_others(viewer, scorecards, hiring_manager_id=hiring_manager)
    if own and all(c.submitted for c in own):
        assert visible == tuple(c for c in scorecards if c.submitted or c.interviewer_id == viewer)
