"""Leveling at the debrief: adjacent levels on the same track, a rationale off-level."""

from __future__ import annotations

import pytest

from ladder.model import Ladder
from pipelines.leveling import (
    LevelingError,
    Outcome,
    Step,
    check_decision,
    level_options,
    leveling_diff,
)


def test_options_are_the_level_and_its_neighbours_on_the_track(ladder: Ladder) -> None:
    options = level_options(ladder, "senior-csm")
    assert [(o.level.id, o.step) for o in options] == [
        ("csm", Step.BELOW),
        ("senior-csm", Step.SAME),
        ("staff-csm", Step.ABOVE),
    ]


def test_the_bottom_and_top_of_a_track_have_one_neighbour(ladder: Ladder) -> None:
    assert [o.level.id for o in level_options(ladder, "associate-csm")] == [
        "associate-csm",
        "csm",
    ]
    assert [o.level.id for o in level_options(ladder, "staff-csm")] == ["senior-csm", "staff-csm"]


def test_the_management_track_is_not_a_neighbour(ladder: Ladder) -> None:
    with pytest.raises(LevelingError, match="same track"):
        check_decision(ladder, "staff-csm", Outcome.HIRE, "manager-csm", "A born leader.")


def test_two_levels_up_is_refused(ladder: Ladder) -> None:
    with pytest.raises(LevelingError, match="not at 'staff-csm'"):
        check_decision(ladder, "csm", "hire", "staff-csm", "Exceptional.")


def test_the_requisitions_level_needs_no_rationale(ladder: Ladder) -> None:
    leveled = check_decision(ladder, "senior-csm", "hire", None, "  ")
    assert (leveled.level_id, leveled.step, leveled.rationale) == ("senior-csm", Step.SAME, None)


@pytest.mark.parametrize("level_id", ["csm", "staff-csm"])
def test_another_level_needs_a_rationale(ladder: Ladder, level_id: str) -> None:
    with pytest.raises(LevelingError, match="needs a written rationale"):
        check_decision(ladder, "senior-csm", "hire", level_id, "")
    leveled = check_decision(ladder, "senior-csm", "hire", level_id, " Led a region. ")
    assert leveled.rationale == "Led a region."
    assert leveled.step in (Step.BELOW, Step.ABOVE)


def test_no_hire_has_no_level(ladder: Ladder) -> None:
    assert check_decision(ladder, "senior-csm", "no_hire", None, None).level_id is None
    with pytest.raises(LevelingError, match="no level"):
        check_decision(ladder, "senior-csm", "no_hire", "csm", None)


def test_an_unknown_outcome_is_named(ladder: Ladder) -> None:
    with pytest.raises(LevelingError, match="'maybe'"):
        check_decision(ladder, "senior-csm", "maybe", None, None)


def test_the_diff_says_what_the_level_above_adds(ladder: Ladder) -> None:
    diff = leveling_diff(ladder, "senior-csm", "staff-csm")
    added = [
        item.text for kind in ("responsibilities", "requirements") for item in diff.of(kind).added
    ]
    assert added, "staff adds to senior"
    below = leveling_diff(ladder, "senior-csm", "csm")
    assert any(below.of(kind).dropped for kind in ("responsibilities", "requirements"))
